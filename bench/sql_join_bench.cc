// Stream-to-table join throughput: Nexmark's bid stream joined with a bounded table of about
// 10 000 rows, which the optimizer makes the join's build side (the join then stores only the
// table's rows). Two workloads, each beside a hand-written hash join of the same bids (drawn by
// the same generator) in the same run:
// - bids joined with the auctions of the first 166 650 events (9 999 auctions, a nexmark table)
//   on the auction id: only the early bids find their auction;
// - bids joined with a datagen table of 10 000 categories on MOD(auction, 10000) = id: every
//   bid finds one.
// One worker thread; rates per CPU second (per core). Reports the join's stored rows after the
// run (from the query's last progress) and the process's peak resident memory.
//
//   sql_join_bench [--quick]
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench_report.h"
#include "sql/connector/nexmark_generator.h"
#include "sql_bench_support.h"

namespace {

using caudal::bench::measure;
using caudal::bench::report;
using caudal::bench::Seconds;

// The Nexmark bid table over `events` generated events.
std::string bidTable(int64_t events) {
  return "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
         "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'event.kind' = 'bid', "
         "'events.num' = '" +
         std::to_string(events) + "');\n";
}

// Runs a script whose last statement is an INSERT on one worker; reports the rows the join
// holds at the end and the peak memory so far; returns its seconds.
Seconds runJoin(const std::string& name, const std::string& script) {
  const caudal::bench::QueryRun run = caudal::bench::runQuery(script);
  for (const auto& state : run.progress.state_operators) {
    if (state.operator_name != "join") continue;
    report(name, "join_state_rows", static_cast<double>(state.rows_total));
    report(name, "join_state_mb", static_cast<double>(state.memory_used_bytes) / (1024.0 * 1024.0));
  }
  report(name, "peak_rss_mb", caudal::bench::peakRssMb());
  return run.seconds;
}

// By hand: a flat hash map from the ids 0..table_rows-1 shifted by `first_id` to two values,
// probed by the same bids drawn with the same generator (auction and price, a block at a time
// into plain arrays) on `auction % modulus` (no modulus: the auction itself); a match writes an
// output row of four values.
Seconds handJoin(int64_t bids, int64_t table_rows, int64_t first_id, int64_t modulus) {
  using namespace caudal::sql::nexmark;
  const NexmarkGenerator generator{NexmarkConfig{}};
  auto block = std::make_unique<EventBlock>();
  caudal::sql::Vector auction(caudal::sql::DataType::bigInt()), price(caudal::sql::DataType::bigInt());
  absl::flat_hash_map<int64_t, std::pair<int64_t, int64_t>> table;
  std::vector<int64_t> out(4 * caudal::sql::kVectorSize);
  int64_t matched = 0;
  const Seconds seconds = measure([&] {
    for (int64_t id = first_id; id < first_id + table_rows; ++id) {
      table.emplace(id, std::pair<int64_t, int64_t>{id * 7, id % 13});
    }
    for (int64_t base = 0; base < bids; base += caudal::sql::kVectorSize) {
      const auto n = static_cast<uint32_t>(std::min<int64_t>(caudal::sql::kVectorSize, bids - base));
      generator.fillBlock(EventKind::kBid, base, n, *block);
      generator.fillBid(kBidAuction, *block, nullptr, n, auction);
      generator.fillBid(kBidPrice, *block, nullptr, n, price);
      const int64_t* a = auction.values<int64_t>();
      const int64_t* p = price.values<int64_t>();
      uint32_t m = 0;
      for (uint32_t i = 0; i < n; ++i) {
        const int64_t key = modulus > 0 ? a[i] % modulus : a[i];
        auto found = table.find(key);
        if (found == table.end()) continue;
        out[4 * m] = a[i];
        out[4 * m + 1] = p[i];
        out[4 * m + 2] = found->second.first;
        out[4 * m + 3] = found->second.second;
        ++m;
      }
      matched += m;
    }
  });
  if (matched < 0) std::printf("(none)\n");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  const int64_t events = options.quick ? 1'000'000 : 20'000'000;
  // The bid table holds bid.proportion / 50 of the events.
  const double bids = static_cast<double>(events) * 46.0 / 50.0;

  // 166 650 events hold 3333 epochs of 3 auctions: ids 1000 .. 10998.
  const std::string auctions =
      bidTable(events) +
      "CREATE TABLE auction (id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, "
      "dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING) "
      "WITH ('connector' = 'nexmark', 'event.kind' = 'auction', 'events.num' = '166650');\n"
      "CREATE TABLE out (auction BIGINT, price BIGINT, seller BIGINT, category BIGINT) "
      "WITH ('connector' = 'blackhole');\n"
      "INSERT INTO out SELECT b.auction, b.price, a.seller, a.category FROM bid AS b JOIN auction AS a "
      "ON b.auction = a.id;";
  const Seconds auction_join = runJoin("sql_join_bid_auction", auctions);
  // About 153 000 of the bids (those of the first 166 650 events) find their auction.
  caudal::bench::reportRates("sql_join_bid_auction", bids, auction_join,
                             handJoin(static_cast<int64_t>(bids), 9999, 1000, 0));

  const std::string categories =
      bidTable(events) +
      "CREATE TABLE category (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10000', "
      "'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '9999', "
      "'fields.name.length' = '12', 'rows-per-second' = '0');\n"
      "CREATE TABLE out (auction BIGINT, price BIGINT, id BIGINT, name STRING) WITH ('connector' = 'blackhole');\n"
      "INSERT INTO out SELECT b.auction, b.price, c.id, c.name FROM bid AS b JOIN category AS c "
      "ON MOD(b.auction, 10000) = c.id;";
  const Seconds category_join = runJoin("sql_join_bid_category", categories);
  caudal::bench::reportRates("sql_join_bid_category", bids, category_join,
                             handJoin(static_cast<int64_t>(bids), 10000, 0, 10000));
  return 0;
}
