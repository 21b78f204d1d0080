// Helpers for the format tests: decode lines into rows shown as text.
#pragma once

#include <string>
#include <vector>

#include "sql/connector/connector_factory.h"
#include "sql/format/record_chunker.h"
#include "sql/format/record_format.h"

namespace caudal::sql::test {

/// A row as text: the values' `toString`, joined by "|".
inline std::string rowText(const DataChunk& chunk, uint32_t position) {
  std::string text;
  for (size_t c = 0; c < chunk.columnCount(); ++c) {
    if (c > 0) text += "|";
    text += chunk.column(c).getValue(position).toString();
  }
  return text;
}

/// What decoding some lines gave: the rows, or the error, and the counters.
struct Decoded {
  std::vector<std::string> rows;
  std::string error;  // "" when none
  int64_t dropped = 0;
  int64_t read = 0;
};

/// Decodes `lines` with `format` through a RecordChunker, naming line i (1-based) as
/// `file t.csv, line i`.
inline Decoded decodeLines(const RecordFormat& format, const std::vector<std::string>& lines,
                           std::vector<bool> required = {}) {
  Decoded result;
  SourceMetrics metrics;
  ChunkConsumer emit = [&](DataChunk& chunk) {
    const Rows rows = chunk.rows();
    for (uint32_t i = 0; i < rows.count; ++i) result.rows.push_back(rowText(chunk, rows[i]));
    return Status::ok();
  };
  RecordChunker chunker(format, std::move(required), emit, metrics);
  Status status = Status::ok();
  for (size_t i = 0; i < lines.size() && status.isOk(); ++i) {
    status = chunker.add(lines[i], [&] { return "file t.csv, line " + std::to_string(i + 1); });
  }
  if (status.isOk()) status = chunker.finish();
  if (!status.isOk()) result.error = status.message();
  result.dropped = metrics.rows_dropped.load();
  result.read = metrics.rows_read.load();
  return result;
}

/// The format named `name` for `schema` with `options`; fails the test on error.
inline std::shared_ptr<const RecordFormat> formatOrDie(const std::string& name,
                                                       const Schema& schema,
                                                       const TableOptions& options = {}) {
  auto format = makeRecordFormat(name, options, schema);
  if (!format.isOk()) throw std::runtime_error(format.status().message());
  return format.value();
}

/// Encodes the rows of `chunk` with `format`.
inline std::string encodeChunk(const RecordFormat& format, const DataChunk& chunk) {
  auto encoder = format.newEncoder();
  std::string out = encoder->header();
  const Rows rows = chunk.rows();
  for (uint32_t i = 0; i < rows.count; ++i) encoder->encode(chunk, rows[i], out);
  return out;
}

}  // namespace caudal::sql::test
