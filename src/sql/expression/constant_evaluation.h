// Computing an expression that depends on no column, once, at plan time.
#pragma once

#include "common/status.h"
#include "sql/expression/bound_expression.h"
#include "sql/types/value.h"

namespace caudal::sql {

/// The value of `expr`, which must reference no column (`BoundExpr::isConstant`). Fails as the
/// expression would at run time (a CAST of a malformed string).
Result<Value> evaluateConstant(const BoundExpr& expr);

}  // namespace caudal::sql
