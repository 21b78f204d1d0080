// Creating sources and sinks from a table's `WITH ('connector' = ..., ...)` options.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "sql/connector/table_sink.h"
#include "sql/connector/table_source.h"

namespace caudal::sql {

class MemoryTables;

/// A table's WITH options, keys as written (Flink's keys are case-sensitive).
using TableOptions = std::map<std::string, std::string>;

/// What connectors may need from the session that creates them.
struct ConnectorContext {
  /// The session's named in-process tables (the `memory` connector). Never null.
  MemoryTables* memory_tables = nullptr;
  /// The table's name, for error messages and the memory table's default name.
  std::string table_name;
};

/// What the planner may know about a table's source before creating it.
struct SourceStatistics {
  /// True when the source would be bounded (`TableSource::bounded()`: it ends).
  bool bounded = false;
  /// Bounded sources: an estimate of the rows of the whole input; unset when unknown.
  std::optional<double> rows;

  /// The statistics of a source of `total_rows` rows, or an unbounded one when negative.
  static SourceStatistics ofRowCount(int64_t total_rows) {
    SourceStatistics statistics;
    statistics.bounded = total_rows >= 0;
    if (statistics.bounded) statistics.rows = static_cast<double>(total_rows);
    return statistics;
  }
};

/// What the source for a table with these options and columns would be, without creating it
/// (no file is opened, no socket connected, no memory table read): per connector, `datagen` is
/// bounded with 'number-of-rows' or a sequence field, `nexmark` with 'events.num' > 0 (rows:
/// that many events' share of the table's event kind), `filesystem` when 'path' is a regular
/// file (rows estimated from its size), `memory` when the table has no input (rows: its result
/// rows now), `socket` never. An error, as `createTableSource` gives it, for options it rejects
/// before opening anything.
Result<SourceStatistics> describeTableSource(const TableOptions& options, const Schema& schema,
                                             const ConnectorContext& context);

/// The source for a table with these options and columns, or an error naming the table and
/// the bad option (`table 'clicks': unknown option 'pth' for connector 'filesystem'; known
/// options: path, format, ...`, `table 'clicks': 'connector' is missing`).
Result<std::unique_ptr<TableSource>> createTableSource(const TableOptions& options, const Schema& schema,
                                                       const ConnectorContext& context);

/// The sink for a table with these options and columns, or an error as for sources.
Result<std::unique_ptr<TableSink>> createTableSink(const TableOptions& options, const Schema& schema,
                                                   const ConnectorContext& context);

}  // namespace caudal::sql
