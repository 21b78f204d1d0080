// Rewrites of a logical plan that keep its result and make it cheaper to run.
#pragma once

#include "common/status.h"
#include "sql/planner/logical_plan.h"

namespace caudal::sql {

/// Optimizes `plan` in place:
/// - constant folding: a subexpression of constants and deterministic functions becomes its
///   value (`price * (2 + 3)` → `price * 5`; `WHERE 1 = 0` filters everything at no cost);
/// - predicate push-down: filter conjuncts move below projections, into the side of a join
///   they refer to, below a union, and below an aggregation when they test only its keys;
///   adjacent filters merge;
/// - projection push-down: each scan learns which columns (and ROW fields) the query reads,
///   so sources skip producing the others (`TableSource::requireColumns`).
Status optimize(LogicalNode& plan);

}  // namespace caudal::sql
