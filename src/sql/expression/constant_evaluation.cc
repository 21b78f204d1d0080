#include "sql/expression/constant_evaluation.h"

#include "sql/expression/expression_evaluator.h"

namespace caudal::sql {

Result<Value> evaluateConstant(const BoundExpr& expr) {
  // One row of no columns: enough for an expression that reads none.
  DataChunk chunk(std::vector<DataType>{}, 1);
  chunk.setSize(1);
  Vector result;
  CAUDAL_RETURN_IF_ERROR(evaluateExpression(expr, chunk, chunk.rows(), result));
  Value value = result.getValue(0);
  if (value.isNull()) return Value::null(expr.type);
  return value;
}

}  // namespace caudal::sql
