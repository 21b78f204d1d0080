// Streaming SQL throughput, each query beside a hand-written loop doing the same work in the
// same run: `SELECT k, COUNT(*), SUM(v) ... GROUP BY k` over 1 000 and 1 000 000 keys (rows from
// the datagen source; the loop draws its keys and values with splitmix64 into a flat hash map),
// and Nexmark's filter and projection queries over the bid stream (rows from the nexmark
// generator; the loop draws the same bids with the same generator into plain arrays and filters
// and projects them in one pass, so the ratio is the engine's cost over the query's own work).
// One worker thread, so rows/s is per core.
//
//   sql_bench [--quick] [--only CASE]
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
using caudal::bench::mix;
using caudal::bench::report;
using caudal::bench::reportRates;
using caudal::bench::Seconds;

void groupBy(int64_t rows, int64_t keys) {
  const std::string name = "sql_group_by_" + std::to_string(keys) + "_keys";
  const std::string script =
      "CREATE TABLE src (k BIGINT, v BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '0', "
      "'number-of-rows' = '" + std::to_string(rows) + "', 'fields.k.min' = '0', 'fields.k.max' = '" +
      std::to_string(keys - 1) + "', 'fields.v.min' = '0', 'fields.v.max' = '1000');\n"
      "CREATE TABLE out (k BIGINT, n BIGINT, s BIGINT) WITH ('connector' = 'blackhole', 'output-mode' = 'update');\n"
      "INSERT INTO out SELECT k, COUNT(*), SUM(v) FROM src GROUP BY k;";
  const Seconds engine = caudal::bench::runQuery(script).seconds;

  // By hand: the same random keys and values, a flat hash map of (count, sum).
  absl::flat_hash_map<int64_t, std::pair<int64_t, int64_t>> groups;
  const Seconds hand = measure([&] {
    for (int64_t i = 0; i < rows; ++i) {
      const uint64_t r = mix(static_cast<uint64_t>(i));
      auto& group = groups[static_cast<int64_t>(r % static_cast<uint64_t>(keys))];
      group.first += 1;
      group.second += static_cast<int64_t>((r >> 32) % 1001);
    }
  });
  reportRates(name, static_cast<double>(rows), engine, hand);
  if (groups.size() == 0) std::printf("(empty)\n");
}

void nexmark(int64_t events, const std::string& label, const std::string& select, bool filter) {
  const std::string name = "sql_nexmark_" + label;
  const std::string script =
      "CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
      "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'event.kind' = 'bid', "
      "'events.num' = '" + std::to_string(events) + "');\n"
      "CREATE TABLE out (a BIGINT, b BIGINT, c DECIMAL(23, 3), d TIMESTAMP(3)) WITH ('connector' = 'blackhole');\n"
      "INSERT INTO out " + select + ";";
  const Seconds engine = caudal::bench::runQuery(script).seconds;
  // The bid table holds bid.proportion / 50 of the events.
  const auto bids = static_cast<double>(events) * 46.0 / 50.0;

  // By hand: the same bids, drawn a block at a time by the same generator into plain arrays
  // (only the columns the query reads), then tested and projected in one loop.
  const auto count = static_cast<int64_t>(bids);
  using namespace caudal::sql::nexmark;
  const NexmarkGenerator generator{NexmarkConfig{}};
  auto block = std::make_unique<EventBlock>();
  const caudal::sql::DataType bigint = caudal::sql::DataType::bigInt();
  caudal::sql::Vector auction(bigint), second(bigint), price(bigint), date_time(bigint);
  std::vector<int64_t> out_a(caudal::sql::kVectorSize), out_b(caudal::sql::kVectorSize);
  std::vector<int64_t> out_d(caudal::sql::kVectorSize);
  std::vector<__int128> out_c(caudal::sql::kVectorSize);
  int64_t kept = 0;
  const Seconds hand = measure([&] {
    for (int64_t base = 0; base < count; base += caudal::sql::kVectorSize) {
      const auto n = static_cast<uint32_t>(std::min<int64_t>(caudal::sql::kVectorSize, count - base));
      generator.fillBlock(EventKind::kBid, base, n, *block);
      generator.fillBid(kBidAuction, *block, nullptr, n, auction);
      generator.fillBid(kBidPrice, *block, nullptr, n, price);
      if (!filter) {
        generator.fillBid(kBidBidder, *block, nullptr, n, second);
        generator.fillBid(kBidDateTime, *block, nullptr, n, date_time);
      }
      const int64_t* a = auction.values<int64_t>();
      const int64_t* b = second.values<int64_t>();
      const int64_t* p = price.values<int64_t>();
      const int64_t* d = date_time.values<int64_t>();
      uint32_t m = 0;
      for (uint32_t i = 0; i < n; ++i) {
        if (filter) {
          if (a[i] % 123 != 0) continue;
          out_a[m] = a[i];
          out_b[m] = p[i];
          ++m;
          continue;
        }
        out_a[m] = a[i];
        out_b[m] = b[i];
        out_c[m] = static_cast<__int128>(p[i]) * 908;  // 0.908 * price as DECIMAL(23, 3): 128 bits
        out_d[m] = d[i];
        ++m;
      }
      kept += m;
    }
  });
  reportRates(name, bids, engine, hand);
  if (kept < 0) std::printf("(none)\n");
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  const int64_t rows = options.quick ? 2'000'000 : 50'000'000;
  if (options.selects("group_by_1000_keys")) groupBy(rows, 1000);
  if (options.selects("group_by_1000000_keys")) groupBy(rows, 1000000);
  if (options.selects("q2_filter_project")) {
    nexmark(rows, "q2_filter_project", "SELECT auction, price, CAST(NULL AS DECIMAL(23, 3)), CAST(NULL AS TIMESTAMP(3)) "
                                       "FROM bid WHERE MOD(auction, 123) = 0", true);
  }
  if (options.selects("q1_projection")) {
    nexmark(rows, "q1_projection", "SELECT auction, bidder, 0.908 * price, dateTime FROM bid", false);
  }
  report("sql_bench", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
