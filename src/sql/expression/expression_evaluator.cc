#include "sql/expression/expression_evaluator.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <cstring>

#include "sql/function/comparison.h"
#include "sql/function/function_helpers.h"
#include "sql/vector/vector_executor.h"

namespace caudal::sql {

namespace {

// Capacity of a flat result for `rows` of `input`.
uint32_t resultCapacity(const DataChunk& input, Rows rows) {
  uint32_t capacity = std::max<uint32_t>(input.size(), 1);
  if (rows.isIdentity()) capacity = std::max(capacity, rows.count);
  for (const Vector& column : input.columns()) capacity = std::max(capacity, column.capacity());
  return capacity;
}

const DataType& booleanType() {
  static const DataType type = DataType::boolean();
  return type;
}

// Copies the values at `rows` of `source` (constant: its value) to the same positions of the
// flat `target` of the same type.
void scatterRows(const Vector& source, Rows rows, Vector& target) {
  const TypeId id = target.type().id();
  target.keepStringsOf(source);
  const size_t width = physicalSize(id);
  if (width == 0 || target.type().isNested() || id == TypeId::kNull) {
    for (uint32_t i = 0; i < rows.count; ++i) copyValue(source, rows[i], target, rows[i]);
    return;
  }
  const uint8_t* from = source.values<uint8_t>();
  uint8_t* to = target.values<uint8_t>();
  const bool constant = source.isConstant();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    const uint32_t source_row = constant ? 0 : row;
    if (source.validity().isValid(source_row)) {
      target.setValid(row);
      std::memcpy(to + width * row, from + width * source_row, width);
    } else {
      target.setNull(row);
    }
  }
}

// The positions of `rows` not in `taken` (a subsequence of `rows`), written to `out` in order;
// `out` may alias `rows.sel`.
uint32_t complement(Rows rows, const uint32_t* taken, uint32_t taken_count, uint32_t* out) {
  uint32_t n = 0;
  uint32_t t = 0;
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    if (t < taken_count && taken[t] == row) {
      ++t;
    } else {
      out[n++] = row;
    }
  }
  return n;
}

// Rows where `v` (BOOLEAN) is TRUE, written to `selected`.
uint32_t trueRows(const Vector& v, Rows rows, uint32_t* selected) {
  if (v.isConstant()) {
    if (v.isNull(0) || v.values<uint8_t>()[0] == 0) return 0;
    for (uint32_t i = 0; i < rows.count; ++i) selected[i] = rows[i];
    return rows.count;
  }
  const uint8_t* data = v.values<uint8_t>();
  uint32_t n = 0;
  if (v.validity().allValid()) {
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t row = rows[i];
      selected[n] = row;
      n += data[row] != 0;
    }
  } else {
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t row = rows[i];
      selected[n] = row;
      n += (data[row] != 0) & v.validity().isValid(row);
    }
  }
  return n;
}

// The filter loop of `value <op> constant`: branch-free, one variant per NULL/selection case.
template <CompareOp kOp, class T>
uint32_t selectAgainstConstant(const Vector& v, const T& constant, Rows rows, uint32_t* selected) {
  const T* data = v.values<T>();
  uint32_t n = 0;
  if (v.validity().allValid()) {
    if (rows.isIdentity()) {
      for (uint32_t i = 0; i < rows.count; ++i) {
        selected[n] = i;
        n += compareValues<kOp>(data[i], constant);
      }
    } else {
      for (uint32_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows.sel[i];
        selected[n] = row;
        n += compareValues<kOp>(data[row], constant);
      }
    }
    return n;
  }
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    selected[n] = row;
    n += v.validity().isValid(row) && compareValues<kOp>(data[row], constant);
  }
  return n;
}

}  // namespace

// A scratch selection buffer borrowed from the evaluator's pool for one call.
class ExpressionEvaluator::ScratchBuffer {
 public:
  ScratchBuffer(ExpressionEvaluator& owner, size_t size)
      : owner_(owner), buffer_(owner.acquireBuffer(size)) {}
  ~ScratchBuffer() { owner_.releaseBuffer(std::move(buffer_)); }
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  uint32_t* data() { return buffer_->data(); }

 private:
  ExpressionEvaluator& owner_;
  std::unique_ptr<std::vector<uint32_t>> buffer_;
};

ExpressionEvaluator::ExpressionEvaluator() = default;
ExpressionEvaluator::~ExpressionEvaluator() = default;

std::unique_ptr<std::vector<uint32_t>> ExpressionEvaluator::acquireBuffer(size_t size) {
  std::unique_ptr<std::vector<uint32_t>> buffer;
  if (free_buffers_.empty()) {
    buffer = std::make_unique<std::vector<uint32_t>>();
  } else {
    buffer = std::move(free_buffers_.back());
    free_buffers_.pop_back();
  }
  if (buffer->size() < std::max<size_t>(size, 1))
    buffer->resize(std::max<size_t>(size, kVectorSize));
  return buffer;
}

void ExpressionEvaluator::releaseBuffer(std::unique_ptr<std::vector<uint32_t>> buffer) {
  free_buffers_.push_back(std::move(buffer));
}

Status ExpressionEvaluator::evaluate(const BoundExpr& expr, const DataChunk& input, Rows rows,
                                     Vector& result) {
  switch (expr.kind) {
    case BoundExprKind::kColumnRef:
    case BoundExprKind::kConstant:
    case BoundExprKind::kFunction:
    case BoundExprKind::kCast:
      return evaluateNode(expr, input, rows, result);
    default:
      break;
  }
  if (expr.isConstant()) {
    // Computed once, for position 0, and shown as a constant vector.
    Vector single;
    CAUDAL_RETURN_IF_ERROR(evaluateNode(expr, input, Rows{nullptr, 1}, single));
    if (single.isConstant()) {
      result = std::move(single);
    } else {
      Value value = single.getValue(0);
      result = value.isNull() ? Vector::constantNull(expr.type) : Vector::constant(value);
    }
    return Status::ok();
  }
  return evaluateNode(expr, input, rows, result);
}

Status ExpressionEvaluator::evaluateNode(const BoundExpr& expr, const DataChunk& input, Rows rows,
                                         Vector& result) {
  switch (expr.kind) {
    case BoundExprKind::kColumnRef:
      if (expr.column_index >= input.columnCount()) {
        return Status::error("column #" + std::to_string(expr.column_index) +
                             " is not in the input");
      }
      result.reference(input.column(expr.column_index));
      return Status::ok();
    case BoundExprKind::kConstant:
      result = expr.value.isNull() ? Vector::constantNull(expr.type) : Vector::constant(expr.value);
      return Status::ok();
    case BoundExprKind::kFunction:
      return evaluateFunction(expr, input, rows, result);
    case BoundExprKind::kCast: {
      Vector child;
      CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[0], input, rows, child));
      if (!expr.cast) return Status::error("CAST without a kernel");
      return expr.cast(child, rows, result);
    }
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr:
      return evaluateLogical(expr, input, rows, result);
    case BoundExprKind::kNot: {
      Vector child;
      CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[0], input, rows, child));
      executeUnary<uint8_t, uint8_t>(child, rows, result, expr.type,
                                     [](uint8_t v) { return static_cast<uint8_t>(v == 0); });
      return Status::ok();
    }
    case BoundExprKind::kIsNull:
    case BoundExprKind::kIsNotNull: {
      Vector child;
      CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[0], input, rows, child));
      const bool want_null = expr.kind == BoundExprKind::kIsNull;
      const DataType type = booleanType().withNullable(false);
      if (prepareResult(result, type, child.isConstant(), resultCapacity(input, rows))) {
        result.values<uint8_t>()[0] = child.isNull(0) == want_null;
        return Status::ok();
      }
      uint8_t* out = result.values<uint8_t>();
      if (child.validity().allValid()) {
        for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = !want_null;
      } else {
        for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = child.isNull(rows[i]) == want_null;
      }
      return Status::ok();
    }
    case BoundExprKind::kCase:
      return evaluateCase(expr, input, rows, result);
    case BoundExprKind::kCoalesce:
      return evaluateCoalesce(expr, input, rows, result);
    case BoundExprKind::kInList:
      return evaluateInList(expr, input, rows, result);
    case BoundExprKind::kFieldAccess:
      return evaluateFieldAccess(expr, input, rows, result);
  }
  return Status::error("unknown expression kind");
}

Status ExpressionEvaluator::evaluateFunction(const BoundExpr& expr, const DataChunk& input,
                                             Rows rows, Vector& result) {
  if (expr.function == nullptr || !expr.function->kernel)
    return Status::error("function without a kernel");
  // Up to four arguments without a heap allocation for the span's storage.
  const size_t count = expr.children.size();
  if (count <= 4) {
    Vector args[4];
    for (size_t i = 0; i < count; ++i)
      CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[i], input, rows, args[i]));
    return expr.function->kernel(std::span<const Vector>(args, count), rows, result);
  }
  std::vector<Vector> args(count);
  for (size_t i = 0; i < count; ++i)
    CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[i], input, rows, args[i]));
  return expr.function->kernel(args, rows, result);
}

Status ExpressionEvaluator::evaluateLogical(const BoundExpr& expr, const DataChunk& input,
                                            Rows rows, Vector& result) {
  // AND: a FALSE decides the row; OR: a TRUE does. Undecided rows go on to the next operand.
  const bool is_and = expr.kind == BoundExprKind::kAnd;
  const uint8_t decisive = is_and ? 0 : 1;
  result = Vector(expr.type, resultCapacity(input, rows));
  uint8_t* out = result.values<uint8_t>();
  for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = is_and ? 1 : 0;
  ScratchBuffer active(*this, rows.count);
  Rows current = rows;
  for (const auto& child : expr.children) {
    if (current.count == 0) break;
    Vector value;
    CAUDAL_RETURN_IF_ERROR(evaluate(*child, input, current, value));
    uint32_t n = 0;
    uint32_t* next = active.data();
    for (uint32_t i = 0; i < current.count; ++i) {
      const uint32_t row = current[i];
      if (value.isNull(row)) {
        result.setNull(row);
        next[n++] = row;
      } else if ((value.valueAt<uint8_t>(row) != 0) == (decisive != 0)) {
        out[row] = decisive;
        result.setValid(row);
      } else {
        next[n++] = row;
      }
    }
    current = Rows{next, n};
  }
  return Status::ok();
}

Status ExpressionEvaluator::evaluateCase(const BoundExpr& expr, const DataChunk& input, Rows rows,
                                         Vector& result) {
  result = Vector(expr.type, resultCapacity(input, rows));
  ScratchBuffer remaining(*this, rows.count);
  ScratchBuffer matched(*this, rows.count);
  Rows current = rows;
  const size_t whens = expr.children.size() / 2;
  for (size_t w = 0; w < whens && current.count > 0; ++w) {
    Result<uint32_t> hit = select(*expr.children[2 * w], input, current, matched.data());
    if (!hit.isOk()) return hit.status();
    const uint32_t hits = hit.value();
    if (hits > 0) {
      Vector branch;
      const Rows branch_rows{matched.data(), hits};
      CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[2 * w + 1], input, branch_rows, branch));
      scatterRows(branch, branch_rows, result);
    }
    const uint32_t left = complement(current, matched.data(), hits, remaining.data());
    current = Rows{remaining.data(), left};
  }
  if (current.count > 0) {
    Vector otherwise;
    CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children.back(), input, current, otherwise));
    scatterRows(otherwise, current, result);
  }
  return Status::ok();
}

Status ExpressionEvaluator::evaluateCoalesce(const BoundExpr& expr, const DataChunk& input,
                                             Rows rows, Vector& result) {
  result = Vector(expr.type, resultCapacity(input, rows));
  ScratchBuffer remaining(*this, rows.count);
  ScratchBuffer found(*this, rows.count);
  Rows current = rows;
  for (const auto& child : expr.children) {
    if (current.count == 0) break;
    Vector value;
    CAUDAL_RETURN_IF_ERROR(evaluate(*child, input, current, value));
    uint32_t hits = 0;
    uint32_t left = 0;
    for (uint32_t i = 0; i < current.count; ++i) {
      const uint32_t row = current[i];
      if (value.isNull(row)) {
        remaining.data()[left++] = row;
      } else {
        found.data()[hits++] = row;
      }
    }
    scatterRows(value, Rows{found.data(), hits}, result);
    current = Rows{remaining.data(), left};
  }
  for (uint32_t i = 0; i < current.count; ++i) result.setNull(current[i]);
  return Status::ok();
}

Status ExpressionEvaluator::evaluateInList(const BoundExpr& expr, const DataChunk& input, Rows rows,
                                           Vector& result) {
  Vector needle;
  CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[0], input, rows, needle));
  std::vector<Vector> list(expr.children.size() - 1);
  bool all_constant = true;
  for (size_t i = 1; i < expr.children.size(); ++i) {
    CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[i], input, rows, list[i - 1]));
    all_constant = all_constant && list[i - 1].isConstant();
  }
  const bool constant = needle.isConstant() && all_constant;
  prepareResult(result, expr.type, constant, resultCapacity(input, rows));
  const Rows active = constant ? Rows{nullptr, 1} : rows;
  uint8_t* out = result.values<uint8_t>();
  const TypeId id = needle.type().id();
  bool done = false;
  if (all_constant && !needle.type().isNested()) {
    // A constant list: a hash set of its non-NULL values (a scan when short).
    dispatchPhysical(id, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, ListEntry>) {
        std::vector<T> values;
        bool list_has_null = false;
        for (const Vector& item : list) {
          if (item.isNull(0)) {
            list_has_null = true;
          } else {
            values.push_back(item.values<T>()[0]);
          }
        }
        auto finish = [&](auto&& contains) {
          for (uint32_t i = 0; i < active.count; ++i) {
            const uint32_t row = active[i];
            if (needle.isNull(row)) {
              result.setNull(row);
            } else if (contains(needle.valueAt<T>(row))) {
              out[row] = 1;
            } else if (list_has_null) {
              result.setNull(row);
            } else {
              out[row] = 0;
            }
          }
        };
        if (values.size() <= 8 || std::is_same_v<T, __int128>) {
          // (absl has no hash for __int128: a long list of DECIMAL(p > 18) is scanned too.)
          finish([&](const T& v) {
            return std::find(values.begin(), values.end(), v) != values.end();
          });
        } else if constexpr (!std::is_same_v<T, __int128>) {
          absl::flat_hash_set<T> set(values.begin(), values.end());
          finish([&](const T& v) { return set.contains(v); });
        }
        done = true;
      }
    });
  }
  if (!done) {
    for (uint32_t i = 0; i < active.count; ++i) {
      const uint32_t row = active[i];
      if (needle.isNull(row)) {
        result.setNull(row);
        continue;
      }
      bool found = false;
      bool saw_null = false;
      for (const Vector& item : list) {
        if (item.isNull(row)) {
          saw_null = true;
        } else if (valuesEqual(needle, row, item, row)) {
          found = true;
          break;
        }
      }
      if (found) {
        out[row] = 1;
      } else if (saw_null) {
        result.setNull(row);
      } else {
        out[row] = 0;
      }
    }
  }
  return Status::ok();
}

Status ExpressionEvaluator::evaluateFieldAccess(const BoundExpr& expr, const DataChunk& input,
                                                Rows rows, Vector& result) {
  Vector row_vector;
  CAUDAL_RETURN_IF_ERROR(evaluate(*expr.children[0], input, rows, row_vector));
  if (expr.column_index >= row_vector.children().size())
    return Status::error("no such field in ROW");
  const Vector& field = row_vector.children()[expr.column_index];
  if (row_vector.isConstant()) {
    if (row_vector.isNull(0)) {
      result = Vector::constantNull(expr.type);
    } else {
      const Value value = field.getValue(0);
      result = value.isNull() ? Vector::constantNull(expr.type) : Vector::constant(value);
    }
    return Status::ok();
  }
  if (row_vector.validity().allValid()) {
    result.reference(field);
    return Status::ok();
  }
  // A NULL row has NULL fields, whatever its field vectors hold there.
  result = Vector(field.type(), std::max(field.capacity(), resultCapacity(input, rows)));
  result.keepStringsOf(field);
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    if (row_vector.isNull(row)) {
      result.setNull(row);
    } else {
      copyValue(field, row, result, row);
    }
  }
  return Status::ok();
}

Result<uint32_t> ExpressionEvaluator::select(const BoundExpr& predicate, const DataChunk& input,
                                             Rows rows, uint32_t* selected) {
  if (rows.count == 0) return uint32_t{0};
  switch (predicate.kind) {
    case BoundExprKind::kAnd: {
      // Each conjunct narrows the rows in place.
      Rows current = rows;
      for (const auto& child : predicate.children) {
        Result<uint32_t> n = select(*child, input, current, selected);
        if (!n.isOk()) return n;
        current = Rows{selected, n.value()};
        if (current.count == 0) break;
      }
      return current.count;
    }
    case BoundExprKind::kOr:
      return selectOr(predicate, input, rows, selected);
    case BoundExprKind::kFunction: {
      bool handled = false;
      Result<uint32_t> n = selectComparison(predicate, input, rows, selected, handled);
      if (handled) return n;
      if (!n.isOk()) return n;
      break;
    }
    case BoundExprKind::kIsNull:
    case BoundExprKind::kIsNotNull: {
      Vector child;
      Status status = evaluate(*predicate.children[0], input, rows, child);
      if (!status.isOk()) return status;
      const bool want_null = predicate.kind == BoundExprKind::kIsNull;
      uint32_t n = 0;
      for (uint32_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        selected[n] = row;
        n += child.isNull(row) == want_null;
      }
      return n;
    }
    default:
      break;
  }
  return selectGeneric(predicate, input, rows, selected);
}

Result<uint32_t> ExpressionEvaluator::selectComparison(const BoundExpr& predicate,
                                                       const DataChunk& input, Rows rows,
                                                       uint32_t* selected, bool& handled) {
  handled = false;
  if (predicate.function == nullptr || predicate.children.size() != 2) return uint32_t{0};
  std::optional<CompareOp> op = compareOpFromSymbol(predicate.function->name);
  if (!op) return uint32_t{0};
  const BoundExpr& left = *predicate.children[0];
  const BoundExpr& right = *predicate.children[1];
  const bool right_constant = right.isConstant();
  if (!right_constant && !left.isConstant()) return uint32_t{0};
  const BoundExpr& value_side = right_constant ? left : right;
  const BoundExpr& constant_side = right_constant ? right : left;
  const CompareOp effective = right_constant ? *op : flipCompareOp(*op);
  if (value_side.type.isNested() || !value_side.type.sameAs(constant_side.type)) return uint32_t{0};
  handled = true;
  Vector constant;
  Status status = evaluate(constant_side, input, rows, constant);
  if (!status.isOk()) return status;
  if (constant.isNull(0)) return uint32_t{0};
  Vector values;
  status = evaluate(value_side, input, rows, values);
  if (!status.isOk()) return status;
  if (values.isConstant()) {
    handled = false;
    return uint32_t{0};
  }
  uint32_t count = 0;
  const bool dispatched = dispatchPhysical(values.type().id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, ListEntry>) {
      const T c = constant.values<T>()[0];
      dispatchCompareOp(effective, [&](auto op_constant) {
        count = selectAgainstConstant<decltype(op_constant)::value, T>(values, c, rows, selected);
      });
    }
  });
  if (!dispatched) handled = false;
  return count;
}

Result<uint32_t> ExpressionEvaluator::selectOr(const BoundExpr& predicate, const DataChunk& input,
                                               Rows rows, uint32_t* selected) {
  // Rows not yet TRUE go on to the next disjunct; the TRUE ones are merged back in input order.
  const uint32_t end = resultCapacity(input, rows);
  std::vector<uint8_t> taken(end, 0);
  ScratchBuffer remaining(*this, rows.count);
  ScratchBuffer hits(*this, rows.count);
  Rows current = rows;
  uint32_t total = 0;
  for (const auto& child : predicate.children) {
    if (current.count == 0) break;
    Result<uint32_t> n = select(*child, input, current, hits.data());
    if (!n.isOk()) return n;
    for (uint32_t i = 0; i < n.value(); ++i) taken[hits.data()[i]] = 1;
    total += n.value();
    const uint32_t left = complement(current, hits.data(), n.value(), remaining.data());
    current = Rows{remaining.data(), left};
  }
  uint32_t n = 0;
  for (uint32_t i = 0; i < rows.count && n < total; ++i) {
    const uint32_t row = rows[i];
    selected[n] = row;
    n += taken[row];
  }
  return n;
}

Result<uint32_t> ExpressionEvaluator::selectGeneric(const BoundExpr& predicate,
                                                    const DataChunk& input, Rows rows,
                                                    uint32_t* selected) {
  Vector value;
  Status status = evaluate(predicate, input, rows, value);
  if (!status.isOk()) return status;
  return trueRows(value, rows, selected);
}

Status evaluateExpression(const BoundExpr& expr, const DataChunk& input, Rows rows,
                          Vector& result) {
  thread_local ExpressionEvaluator evaluator;
  return evaluator.evaluate(expr, input, rows, result);
}

Result<uint32_t> selectRows(const BoundExpr& predicate, const DataChunk& input, Rows rows,
                            uint32_t* selected) {
  thread_local ExpressionEvaluator evaluator;
  return evaluator.select(predicate, input, rows, selected);
}

}  // namespace caudal::sql
