// Generator sources: rows/s per core of the nexmark source (bids with every column, bids
// projected to the columns filter-project queries read, the full event schema) and of a
// datagen table of four columns, each read on one thread through TableSource::read, against
// a baseline loop that only writes sequential numbers into a chunk's column.
//
//   generator_bench [--quick]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_report.h"
#include "sql/connector/datagen_source.h"
#include "sql/connector/nexmark_source.h"

namespace {

using caudal::bench::report;
using namespace caudal::sql;

// CPU seconds this thread has run: the machine may be shared, so rates per core are taken
// over CPU time rather than wall-clock time.
double threadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Reads rows [0, rows) on this thread (every task in turn) and returns rows per second. The
// consumer reads one value per chunk so the chunks are not optimized away.
double readRate(TableSource& source, int64_t rows) {
  int64_t seen = 0;
  int64_t checksum = 0;
  const SourceOffset from{{0}}, to{{rows}};
  const double start = threadCpuSeconds();
  for (size_t task = 0; task < source.taskCount(from, to); ++task) {
    caudal::Status status = source.read(from, to, task, [&](DataChunk& chunk) {
      seen += chunk.size();
      const Vector& first = chunk.column(0);
      if (!first.isConstant() && first.type().id() == TypeId::kBigInt) checksum += first.values<int64_t>()[0];
      return caudal::Status::ok();
    });
    if (!status.isOk()) {
      std::fprintf(stderr, "generator_bench: %s\n", status.message().c_str());
      std::exit(1);
    }
  }
  const double seconds = threadCpuSeconds() - start;
  if (seen != rows) {
    std::fprintf(stderr, "generator_bench: read %lld of %lld rows\n", static_cast<long long>(seen),
                 static_cast<long long>(rows));
    std::exit(1);
  }
  if (checksum == 42) std::printf("(checksum)\n");
  return static_cast<double>(rows) / seconds;
}

std::unique_ptr<TableSource> nexmark(const std::string& kind) {
  TableOptions options{{"connector", "nexmark"}, {"parallelism", "1"}, {"first-event.rate", "10000000"},
                       {"base-time", "1700000000000"}};
  if (!kind.empty()) options["event.kind"] = kind;
  ConnectorContext context;
  context.table_name = "nexmark";
  return createNexmarkSource(options, nexmarkSchema(kind), context).valueOrThrow();
}

void benchBaseline(int64_t rows) {
  const double start = threadCpuSeconds();
  int64_t checksum = 0;
  for (int64_t row = 0; row < rows; row += kVectorSize) {
    DataChunk chunk;
    Vector column(DataType::bigInt(), kVectorSize);
    int64_t* values = column.values<int64_t>();
    for (uint32_t i = 0; i < kVectorSize; ++i) values[i] = row + i;
    chunk.columns().push_back(std::move(column));
    chunk.setSize(kVectorSize);
    checksum += chunk.column(0).values<int64_t>()[kVectorSize - 1];
  }
  if (checksum == 42) std::printf("(checksum)\n");
  report("generator.baseline.sequence_column", "rows_per_s_per_core", static_cast<double>(rows) / (threadCpuSeconds() - start));
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  const int64_t scale = options.quick ? 1 : 10;
  const int64_t fast_rows = 10000000 * scale;
  const int64_t full_rows = 2000000 * scale;

  benchBaseline(fast_rows);

  {
    auto bids = nexmark("bid");
    bids->requireColumns({{0}, {2}});
    report("generator.nexmark.bid.auction_price", "rows_per_s_per_core", readRate(*bids, fast_rows));
  }
  {
    auto bids = nexmark("bid");
    bids->requireColumns({{0}, {1}, {2}, {5}});
    report("generator.nexmark.bid.auction_bidder_price_datetime", "rows_per_s_per_core", readRate(*bids, fast_rows));
  }
  {
    auto bids = nexmark("bid");
    report("generator.nexmark.bid.all_columns", "rows_per_s_per_core", readRate(*bids, full_rows));
  }
  {
    auto events = nexmark("");
    report("generator.nexmark.events.all_columns", "rows_per_s_per_core", readRate(*events, full_rows));
  }
  {
    auto events = nexmark("");
    events->requireColumns({{0}, {3, 0}, {3, 2}});
    report("generator.nexmark.events.bid_auction_price", "rows_per_s_per_core", readRate(*events, full_rows));
  }
  {
    const Schema schema{{{"id", DataType::bigInt()},
                         {"age", DataType::integer()},
                         {"score", DataType::doubleType()},
                         {"name", DataType::string()}}};
    TableOptions table{{"connector", "datagen"},     {"parallelism", "1"},       {"fields.id.kind", "sequence"},
                       {"fields.id.start", "1"},     {"fields.id.end", "1000000000000"},
                       {"fields.age.min", "0"},      {"fields.age.max", "100"},  {"fields.name.length", "16"}};
    ConnectorContext context;
    context.table_name = "datagen";
    auto source = createDatagenSource(table, schema, context).valueOrThrow();
    report("generator.datagen.four_columns", "rows_per_s_per_core", readRate(*source, fast_rows));
  }
  report("generator", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
