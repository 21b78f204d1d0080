// The binder: turns syntax trees into logical plans, resolving names against the catalog and
// types against the function registry. Every error names the SQL line and column.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/catalog/catalog.h"
#include "sql/function/function_registry.h"
#include "sql/parser/ast.h"
#include "sql/planner/logical_plan.h"

namespace caudal::sql {

/// Converts a written type (`DECIMAL(10, 2)`, `ROW<a INT>`) to a logical type; errors name the
/// position (`DECIMAL precision 40 is above the maximum of 18`).
Result<DataType> bindDataType(const ast::DataType& type);

/// Binds queries and expressions against one catalog. Cheap to create; not thread-safe.
class Binder {
 public:
  Binder(const Catalog& catalog, const FunctionRegistry& functions);

  /// The plan of a query run as a statement or an INSERT's source. ORDER BY / LIMIT of the
  /// outermost query become a final Sort.
  Result<LogicalPlan> bindQuery(const ast::Query& query);
  /// The plan of `INSERT INTO table query`: the query's columns cast to the table's types.
  Result<PlannedQuery> bindInsert(const ast::Insert& insert);
  /// Binds a table's computed column or a filter written against `schema` (columns by name).
  Result<std::unique_ptr<BoundExpr>> bindExpression(const ast::Expr& expr, const Schema& schema);

 private:
  struct Impl;
  const Catalog& catalog_;
  const FunctionRegistry& functions_;
};

/// Finds, for an aggregation at the root of `plan` (below projections), which output columns
/// are its GROUP BY keys: the upsert key of update mode. Empty when not every key is output.
std::vector<size_t> upsertKeyOf(const LogicalNode& plan);

}  // namespace caudal::sql
