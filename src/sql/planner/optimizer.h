// Rewrites of a logical plan that keep its result and make it cheaper to run.
#pragma once

#include <functional>

#include "common/status.h"
#include "sql/connector/connector_factory.h"
#include "sql/planner/logical_plan.h"

namespace caudal::sql {

struct CatalogTable;

/// What the optimizer may learn about the tables a plan reads.
struct OptimizerContext {
  /// The statistics of a scanned table's source (see `describeTableSource`). Empty, the default:
  /// nothing is known, and every table is taken as unbounded.
  std::function<SourceStatistics(const CatalogTable& table)> statistics;
};

/// Optimizes `plan` in place:
/// - constant folding: a subexpression of constants and deterministic functions becomes its
///   value (`price * (2 + 3)` → `price * 5`; `WHERE 1 = 0` filters everything at no cost);
/// - predicate push-down: filter conjuncts move below projections, into the side of a join
///   they refer to, below a union, and below an aggregation or a window when they test only its
///   grouping or partition keys; adjacent filters merge. A conjunct bounding a ranking function
///   (`rn <= 10`, `rn < 11`, `rn = 1`) stays where it is and sets the window's `rank_limit`;
/// - projection push-down: each scan learns which columns (and ROW fields) the query reads,
///   so sources skip producing the others (`TableSource::requireColumns`);
/// - join build side: every join learns which input ends first (`LogicalNode::build_side`),
///   from `context.statistics`. A subtree is bounded when all its scans are (VALUES are); when
///   exactly one input of a join is bounded, it is the build side; when both are, the one with
///   fewer estimated rows (unknown or equal: the right one, Spark's default); when neither,
///   none. Row estimates: a scan's statistics, VALUES' rows, a filter half its input, a
///   projection its input, a global aggregation 1 row and a grouped one half its input, a
///   union the sum, a semi or anti join its left input, a cross join the product and any other
///   join the larger input (a key–foreign-key join), a sort its input (at most its LIMIT), a
///   window its input (at most its rank limit, without partitions).
Status optimize(LogicalNode& plan, const OptimizerContext& context = {});

}  // namespace caudal::sql
