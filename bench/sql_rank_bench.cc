// Streaming top-N throughput, beside a hand-written loop doing the same ranking in the same run.
// Nexmark's q19 (the ten highest bids of every auction) and q18 (the last bid of every bidder on
// every auction, a deduplication) over the bid stream of the nexmark generator; the loop draws
// the same bids with the same generator and keeps, per partition in a flat hash map, the best
// rows in a small sorted array. The engine also writes every change of the result (the loop
// writes nothing). One worker thread, so rows/s is per core. The state the ranking holds at the
// end is reported with the peak memory of the process.
//
//   sql_rank_bench [--quick] [--only CASE]
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "bench_report.h"
#include "sql/connector/nexmark_generator.h"
#include "sql_bench_support.h"

namespace {

using caudal::bench::measure;
using caudal::bench::report;
using caudal::bench::reportRates;
using caudal::bench::Seconds;

constexpr const char* kBidTable =
    "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
    "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'event.kind' = 'bid', "
    "'max-events-per-batch' = '100000', 'events.num' = '";

// One bid as the hand loop ranks it: the order key, then a tie-break.
struct RankedBid {
  int64_t key;
  int64_t tie;
};

// The best `N` bids of a partition, best first (greater key, then greater tie-break).
template <size_t N>
struct TopBids {
  std::array<RankedBid, N> rows{};
  size_t size = 0;

  void offer(RankedBid bid) {
    auto better = [](const RankedBid& a, const RankedBid& b) {
      return a.key != b.key ? a.key > b.key : a.tie > b.tie;
    };
    if (size == N && !better(bid, rows[N - 1])) return;
    size_t at = size < N ? size++ : N - 1;
    while (at > 0 && better(bid, rows[at - 1])) {
      rows[at] = rows[at - 1];
      --at;
    }
    rows[at] = bid;
  }
};

// Runs `select` over `events` Nexmark events and, by hand, keeps the top `N` bids by `order`
// per partition of `partition`.
template <size_t N>
void rank(const std::string& label, int64_t events, const std::string& select,
          caudal::sql::nexmark::BidField partition_first,
          std::optional<caudal::sql::nexmark::BidField> partition_second,
          caudal::sql::nexmark::BidField order) {
  const std::string name = "sql_rank_" + label;
  const std::string script =
      std::string(kBidTable) + std::to_string(events) +
      "');\n"
      "CREATE TABLE out (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
      "dateTime TIMESTAMP(3), extra STRING, rank_number BIGINT) WITH ('connector' = 'blackhole');\n"
      "INSERT INTO out " +
      select + ";";
  const caudal::bench::QueryRun run = caudal::bench::runQuery(script);
  // The bid table holds bid.proportion / 50 of the events.
  const auto bids = static_cast<int64_t>(static_cast<double>(events) * 46.0 / 50.0);

  using namespace caudal::sql::nexmark;
  const NexmarkGenerator generator{NexmarkConfig{}};
  auto block = std::make_unique<EventBlock>();
  const caudal::sql::DataType bigint = caudal::sql::DataType::bigInt();
  caudal::sql::Vector first(bigint), second(bigint), key(bigint), tie(bigint);
  absl::flat_hash_map<std::pair<int64_t, int64_t>, TopBids<N>> partitions;
  const Seconds hand = measure([&] {
    for (int64_t base = 0; base < bids; base += caudal::sql::kVectorSize) {
      const auto n =
          static_cast<uint32_t>(std::min<int64_t>(caudal::sql::kVectorSize, bids - base));
      generator.fillBlock(EventKind::kBid, base, n, *block);
      generator.fillBid(partition_first, *block, nullptr, n, first);
      if (partition_second) generator.fillBid(*partition_second, *block, nullptr, n, second);
      generator.fillBid(order, *block, nullptr, n, key);
      generator.fillBid(kBidDateTime, *block, nullptr, n, tie);
      const int64_t* f = first.values<int64_t>();
      const int64_t* s = second.values<int64_t>();
      const int64_t* k = key.values<int64_t>();
      const int64_t* t = tie.values<int64_t>();
      for (uint32_t i = 0; i < n; ++i) {
        partitions[{f[i], partition_second ? s[i] : 0}].offer(RankedBid{k[i], t[i]});
      }
    }
  });
  reportRates(name, static_cast<double>(bids), run.seconds, hand);
  for (const auto& state : run.progress.state_operators) {
    if (state.operator_name != "rank") continue;
    report(name, "state_rows", static_cast<double>(state.rows_total));
    report(name, "state_mb_estimate",
           static_cast<double>(state.memory_used_bytes) / (1024.0 * 1024.0));
  }
  report(name, "partitions", static_cast<double>(partitions.size()));
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  const int64_t events = options.quick ? 1'000'000 : 4'000'000;
  using namespace caudal::sql::nexmark;
  if (options.selects("q19_top10_per_auction")) {
    rank<10>("q19_top10_per_auction", events,
             "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price "
             "DESC) AS rank_number "
             "FROM bid) WHERE rank_number <= 10",
             kBidAuction, std::nullopt, kBidPrice);
  }
  if (options.selects("q18_last_bid_per_bidder_auction")) {
    rank<1>("q18_last_bid_per_bidder_auction", events,
            "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY "
            "dateTime DESC) AS "
            "rank_number FROM bid) WHERE rank_number <= 1",
            kBidBidder, kBidAuction, kBidDateTime);
  }
  report("sql_rank_bench", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
