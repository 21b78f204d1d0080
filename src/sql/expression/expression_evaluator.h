// Runs bound expressions over columnar chunks: projections (`evaluate`) and filters (`select`).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/status.h"
#include "sql/expression/bound_expression.h"
#include "sql/vector/data_chunk.h"
#include "sql/vector/vector.h"

namespace caudal::sql {

/// Evaluates `BoundExpr` trees a chunk at a time.
///
/// Thread-safety: an evaluator keeps scratch selection buffers, so one object must not be used
/// by two threads at once — keep one per worker thread (construction is cheap). The expressions
/// and their kernels are immutable and may be shared by every thread.
class ExpressionEvaluator {
 public:
  ExpressionEvaluator();
  ~ExpressionEvaluator();
  ExpressionEvaluator(const ExpressionEvaluator&) = delete;
  ExpressionEvaluator& operator=(const ExpressionEvaluator&) = delete;

  /// Computes `expr` for `rows` of `input` into `result`: for every position r in `rows`,
  /// result row r is the value for input row r (other positions are unspecified). A column
  /// reference is a zero-copy reference of the input column; an expression whose inputs are all
  /// constant gives a constant vector. CASE branches and COALESCE arguments run only on the rows
  /// that reach them; AND/OR stop evaluating a row once its result is known. Fails only when a
  /// kernel fails (CAST of a malformed value); `result` is then unspecified.
  Status evaluate(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);

  /// Writes to `selected` the positions of `rows` (in their order) where `predicate` is TRUE —
  /// not FALSE, not NULL — and returns how many. `selected` needs room for `rows.count`
  /// positions and may be the same array as `rows.sel` (filtering in place). Comparisons of an
  /// expression with a constant, IS [NOT] NULL, AND (narrowing the rows conjunct by conjunct)
  /// and OR run without materializing booleans.
  Result<uint32_t> select(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                          uint32_t* selected);

 private:
  class ScratchBuffer;

  Status evaluateNode(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateFunction(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateLogical(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateCase(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateCoalesce(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateInList(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
  Status evaluateFieldAccess(const BoundExpr& expr, const DataChunk& input, Rows rows,
                             Vector& result);

  Result<uint32_t> selectComparison(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                                    uint32_t* selected, bool& handled);
  Result<uint32_t> selectOr(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                            uint32_t* selected);
  Result<uint32_t> selectGeneric(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                                 uint32_t* selected);

  std::unique_ptr<std::vector<uint32_t>> acquireBuffer(size_t size);
  void releaseBuffer(std::unique_ptr<std::vector<uint32_t>> buffer);

  std::vector<std::unique_ptr<std::vector<uint32_t>>> free_buffers_;
};

/// `ExpressionEvaluator::evaluate` with the calling thread's own evaluator.
Status evaluateExpression(const BoundExpr& expr, const DataChunk& input, Rows rows, Vector& result);
/// `ExpressionEvaluator::select` with the calling thread's own evaluator.
Result<uint32_t> selectRows(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                            uint32_t* selected);

}  // namespace caudal::sql
