// The logical plan: relational operators over bound expressions, as the binder builds them and
// the optimizer rewrites them. Every operator's expressions refer to its input's columns by
// position; its output is described by `schema`.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sql/connector/table_sink.h"
#include "sql/expression/bound_expression.h"
#include "sql/function/aggregate_function.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

struct CatalogTable;

enum class LogicalKind : uint8_t {
  kScan,       // rows of a table's source
  kValues,     // literal rows
  kFilter,     // rows of the input where `predicate` is TRUE
  kProject,    // `expressions` of each input row
  kAggregate,  // GROUP BY `groups`, computing `aggregates`; output: groups, then aggregates
  kJoin,       // `join_type` of two inputs on `condition` (over left columns, then right's)
  kUnion,      // UNION ALL of inputs with the same column types
  kSort,       // ORDER BY `order` with optional LIMIT/OFFSET, applied to the final result
  kWindow,     // ranking functions OVER (PARTITION BY `partition_keys` ORDER BY `order`);
               // output: the input's columns, then one BIGINT per `window_functions` entry
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kSemi, kAnti };

/// `INNER`, `LEFT`, `RIGHT`, `FULL`, `SEMI`, `ANTI`.
const char* joinTypeName(JoinType type);

/// The input of a join expected to end (bounded) while the other may not: the join reads it
/// first in every batch and, once it has ended, stops storing the other input's rows (they can
/// only ever meet the rows it already holds). `kNone`: both inputs are kept (a symmetric join).
/// Chosen by the optimizer; only a hint: the join checks at run time that the input ended.
enum class JoinBuildSide : uint8_t { kNone, kLeft, kRight };

/// `none`, `left`, `right`.
const char* joinBuildSideName(JoinBuildSide side);

/// A ranking function of a Window operator, numbering the rows of each partition in its order.
enum class WindowFunction : uint8_t {
  kRowNumber,  // 1, 2, 3, ... (rows that tie on the order get distinct numbers)
  kRank,       // 1 + the number of rows before the row's peers: 1, 2, 2, 4
  kDenseRank,  // 1 + the number of distinct order values before the row's: 1, 2, 2, 3
};

/// `ROW_NUMBER`, `RANK`, `DENSE_RANK`.
const char* windowFunctionName(WindowFunction function);

/// One aggregate of an Aggregate operator: `function(arguments)` over input rows passing
/// `filter` (FILTER (WHERE ...), may be null).
struct AggregateCall {
  std::shared_ptr<const BoundAggregateFunction> function;
  std::vector<std::unique_ptr<BoundExpr>> arguments;
  std::unique_ptr<BoundExpr> filter;
  bool distinct = false;
  /// `COUNT(*)`, `SUM(price)`: for plans.
  std::string toString() const;
};

/// One ORDER BY key: a column of the input.
struct SortKey {
  size_t column = 0;
  bool descending = false;
  bool nulls_first = true;  // SQL default: NULLs first ascending, last descending (Flink)
};

/// A logical operator and its inputs (a tree).
struct LogicalNode {
  LogicalKind kind = LogicalKind::kScan;
  /// Output columns.
  Schema schema;
  std::vector<std::unique_ptr<LogicalNode>> inputs;

  // kScan: the table, and the columns the query reads (projection push-down: paths as
  // `TableSource::requireColumns` takes them; empty = all).
  std::shared_ptr<const CatalogTable> table;
  std::string table_alias;
  std::vector<std::vector<size_t>> required_columns;
  bool read_all_columns = true;
  // kValues.
  std::vector<std::vector<Value>> rows;
  // kFilter: predicate; kJoin: condition (null for a cross join).
  std::unique_ptr<BoundExpr> predicate;
  // kProject: one expression per output column.
  std::vector<std::unique_ptr<BoundExpr>> expressions;
  // kAggregate.
  std::vector<std::unique_ptr<BoundExpr>> groups;
  std::vector<AggregateCall> aggregates;
  // kJoin.
  JoinType join_type = JoinType::kInner;
  JoinBuildSide build_side = JoinBuildSide::kNone;
  // kSort, kWindow: ORDER BY keys, columns of the input.
  std::vector<SortKey> order;
  // kSort.
  int64_t limit = -1;  // -1: none
  int64_t offset = 0;
  // kWindow. Partition keys are input columns. When `rank_limit` is set (a filter above keeps
  // only rows whose `window_functions[rank_limit_function]` is at most `rank_limit`: a top-N),
  // the operator outputs only those rows, and on input that never retracts it keeps only them.
  std::vector<size_t> partition_keys;
  std::vector<WindowFunction> window_functions;
  int64_t rank_limit = -1;  // -1: none
  size_t rank_limit_function = 0;

  /// True when the node's rows never change once produced (no aggregation or outer join
  /// retraction below): the only kind append output mode can write.
  bool appendOnly() const;
  /// The plan as EXPLAIN prints it, one operator per line, inputs indented.
  std::string explain() const;
};

using LogicalPlan = std::unique_ptr<LogicalNode>;

/// A planned INSERT (or a SELECT shown by the shell): the plan, where its rows go, and the
/// output mode.
struct PlannedQuery {
  LogicalPlan plan;
  /// The sink table (null for a SELECT the shell shows or a DataFrame's query).
  std::shared_ptr<const CatalogTable> sink_table;
  /// The result's key in update mode: output columns of the GROUP BY keys (empty if none).
  std::vector<size_t> upsert_key;
};

}  // namespace caudal::sql
