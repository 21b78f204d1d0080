// Formats: rows/s per core decoding CSV and JSON lines into chunks of a clicks-like schema
// (BIGINT, STRING, INT, TIMESTAMP(3), STRING, DOUBLE), through the same RecordChunker the
// sources use, one thread; encoding the rows back; and, as a baseline in the same run, a plain
// loop that only splits the CSV lines at their commas.
//
//   format_bench [--quick]
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "bench_report.h"
#include "sql/format/record_chunker.h"
#include "sql/format/record_format.h"

namespace {

using caudal::Status;
using caudal::bench::Clock;
using caudal::bench::report;
using caudal::bench::secondsSince;
using namespace caudal::sql;

Schema clicksSchema() {
  return Schema{{{"user_id", DataType::bigInt()},
                 {"url", DataType::string()},
                 {"status", DataType::integer()},
                 {"ts", DataType::timestamp(3)},
                 {"country", DataType::string()},
                 {"latency", DataType::doubleType()}}};
}

const char* kCountries[] = {"DE", "FR", "US", "JP", "BR"};
const int kStatuses[] = {200, 200, 200, 301, 404, 500};

// Line i of the input, as CSV or JSON.
std::string makeLine(int64_t i, bool json) {
  char ts[40];
  std::snprintf(ts, sizeof ts, "2024-03-%02d %02d:%02d:%02d.%03d",
                static_cast<int>(1 + i / 86400000 % 28), static_cast<int>(i / 3600 % 24),
                static_cast<int>(i / 60 % 60), static_cast<int>(i % 60),
                static_cast<int>(i % 1000));
  const std::string url = "/api/items/" + std::to_string(i % 977);
  const char* country = kCountries[i % 5];
  const int status = kStatuses[i % 6];
  const double latency = static_cast<double>(i % 5000) / 8.0;
  char line[256];
  if (json) {
    std::snprintf(line, sizeof line,
                  "{\"user_id\":%lld,\"url\":\"%s\",\"status\":%d,\"ts\":\"%s\",\"country\":\"%s\","
                  "\"latency\":%g}",
                  static_cast<long long>(i % 100000), url.c_str(), status, ts, country, latency);
  } else {
    std::snprintf(line, sizeof line, "%lld,%s,%d,%s,%s,%g", static_cast<long long>(i % 100000),
                  url.c_str(), status, ts, country, latency);
  }
  return line;
}

// The lines as views into one buffer.
struct Input {
  std::string buffer;
  std::vector<std::string_view> lines;
};

Input makeInput(int64_t count, bool json) {
  Input input;
  std::vector<size_t> ends;
  for (int64_t i = 0; i < count; ++i) {
    input.buffer += makeLine(i, json);
    ends.push_back(input.buffer.size());
  }
  size_t start = 0;
  for (size_t end : ends) {
    input.lines.emplace_back(input.buffer.data() + start, end - start);
    start = end;
  }
  return input;
}

// Decodes every line; returns rows/s. Keeps the chunks' checksum live.
double decodeRate(const RecordFormat& format, const Input& input, int repeats,
                  const std::string& name) {
  SourceMetrics metrics;
  int64_t checksum = 0;
  caudal::sql::ChunkConsumer emit = [&](DataChunk& chunk) {
    checksum += chunk.column(0).valueAt<int64_t>(0) + chunk.count();
    return Status::ok();
  };
  const auto start = Clock::now();
  for (int r = 0; r < repeats; ++r) {
    RecordChunker chunker(format, {}, emit, metrics);
    for (std::string_view line : input.lines) {
      Status status = chunker.add(line, [] { return std::string("bench"); });
      if (!status.isOk()) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), status.message().c_str());
        std::exit(1);
      }
    }
    chunker.finish().throwIfError();
  }
  const double seconds = secondsSince(start);
  if (metrics.rows_read.load() != static_cast<int64_t>(input.lines.size()) * repeats ||
      checksum == 0) {
    std::fprintf(stderr, "%s: decoded %lld rows\n", name.c_str(),
                 static_cast<long long>(metrics.rows_read.load()));
    std::exit(1);
  }
  return static_cast<double>(metrics.rows_read.load()) / seconds;
}

// Encodes every row of `chunks`; returns rows/s.
double encodeRate(const RecordFormat& format, const std::vector<DataChunk>& chunks, int repeats) {
  auto encoder = format.newEncoder();
  std::string out;
  int64_t rows = 0;
  size_t bytes = 0;
  const auto start = Clock::now();
  for (int r = 0; r < repeats; ++r) {
    for (const DataChunk& chunk : chunks) {
      out.clear();
      for (uint32_t i = 0; i < chunk.count(); ++i) encoder->encode(chunk, i, out);
      rows += chunk.count();
      bytes += out.size();
    }
  }
  const double seconds = secondsSince(start);
  if (bytes == 0) std::exit(1);
  return static_cast<double>(rows) / seconds;
}

std::vector<DataChunk> decodeAll(const RecordFormat& format, const Input& input) {
  SourceMetrics metrics;
  std::vector<DataChunk> chunks;
  caudal::sql::ChunkConsumer emit = [&](DataChunk& chunk) {
    chunks.push_back(chunk);
    return Status::ok();
  };
  RecordChunker chunker(format, {}, emit, metrics);
  for (std::string_view line : input.lines)
    chunker.add(line, [] { return std::string("bench"); }).throwIfError();
  chunker.finish().throwIfError();
  return chunks;
}

// The baseline: split each CSV line at its commas, no conversion.
double splitRate(const Input& input, int repeats) {
  int64_t fields = 0;
  const auto start = Clock::now();
  for (int r = 0; r < repeats; ++r) {
    for (std::string_view line : input.lines) {
      size_t from = 0;
      while (true) {
        const size_t comma = line.find(',', from);
        ++fields;
        if (comma == std::string_view::npos) break;
        from = comma + 1;
      }
    }
  }
  const double seconds = secondsSince(start);
  if (fields == 0) std::exit(1);
  return static_cast<double>(input.lines.size()) * repeats / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  const int64_t lines = options.quick ? 20000 : 500000;
  const int repeats = options.quick ? 1 : 4;
  const Schema schema = clicksSchema();

  auto csv = makeRecordFormat("csv", {}, schema).valueOrThrow();
  auto json = makeRecordFormat("json", {}, schema).valueOrThrow();
  const Input csv_input = makeInput(lines, false);
  const Input json_input = makeInput(lines, true);
  std::printf("format_bench: %lld lines x %d, schema %s; csv %.1f MB, json %.1f MB, one thread\n",
              static_cast<long long>(lines), repeats, schema.toString().c_str(),
              csv_input.buffer.size() / 1e6, json_input.buffer.size() / 1e6);

  report("format_csv_split_baseline", "rows_per_s", splitRate(csv_input, repeats));
  report("format_csv_decode", "rows_per_s", decodeRate(*csv, csv_input, repeats, "csv"));
  report("format_json_decode", "rows_per_s", decodeRate(*json, json_input, repeats, "json"));
  const std::vector<DataChunk> chunks = decodeAll(*csv, csv_input);
  report("format_csv_encode", "rows_per_s", encodeRate(*csv, chunks, repeats));
  report("format_json_encode", "rows_per_s", encodeRate(*json, chunks, repeats));
  report("format_bench", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
