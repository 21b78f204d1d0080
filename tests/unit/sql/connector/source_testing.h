// Helpers for the source tests: read ranges as text rows.
#pragma once

#include <string>
#include <vector>

#include "sql/connector/table_source.h"

namespace caudal::sql::test {

/// Every task of [start, end) read in order, each row as its values joined by "|"; a failed
/// task adds "error: <message>".
inline std::vector<std::string> readRange(TableSource& source, const SourceOffset& start,
                                          const SourceOffset& end) {
  std::vector<std::string> rows;
  for (size_t task = 0; task < source.taskCount(start, end); ++task) {
    Status status = source.read(start, end, task, [&](DataChunk& chunk) {
      const Rows positions = chunk.rows();
      for (uint32_t i = 0; i < positions.count; ++i) {
        std::string text;
        for (size_t c = 0; c < chunk.columnCount(); ++c) {
          text.append(c > 0 ? "|" : "").append(chunk.column(c).getValue(positions[i]).toString());
        }
        rows.push_back(text);
      }
      return Status::ok();
    });
    if (!status.isOk()) rows.push_back("error: " + status.message());
  }
  return rows;
}

/// The offset, or a failed test's empty one.
inline SourceOffset latest(TableSource& source) {
  auto offset = source.latestOffset();
  if (!offset.isOk()) return SourceOffset{{-1}};
  return offset.value();
}

}  // namespace caudal::sql::test
