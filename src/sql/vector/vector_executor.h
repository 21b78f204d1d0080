// Loops that apply a per-value operation to whole vectors: the building blocks of scalar
// function kernels. They handle flat and constant inputs, the row selection and NULLs, so a
// kernel is written as a lambda over plain values.
#pragma once

#include <cstdint>
#include <span>

#include "sql/vector/vector.h"

namespace caudal::sql {

/// Prepares `result` for a kernel over `rows`: a constant vector when every input is constant
/// (the operation then runs once), otherwise a new flat vector with the inputs' capacity.
inline bool prepareResult(Vector& result, const DataType& type, bool all_constant,
                          uint32_t capacity) {
  if (all_constant) {
    result = Vector::constantNull(type);
    result.setValid(0);
    return true;
  }
  // Always a fresh buffer: the previous result may be shared by a chunk still in use.
  result = Vector(type, capacity);
  return false;
}

/// `result[r] = op(input[r])` for every row r; NULL in, NULL out.
template <class In, class Out, class Op>
void executeUnary(const Vector& input, Rows rows, Vector& result, const DataType& result_type,
                  Op&& op) {
  if (prepareResult(result, result_type, input.isConstant(), input.capacity())) {
    if (input.isNull(0)) {
      result.setNull(0);
    } else {
      result.values<Out>()[0] = op(input.values<In>()[0]);
    }
    return;
  }
  const In* in = input.values<In>();
  Out* out = result.values<Out>();
  if (input.validity().allValid()) {
    if (rows.isIdentity()) {
      for (uint32_t i = 0; i < rows.count; ++i) out[i] = op(in[i]);
    } else {
      for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = op(in[rows[i]]);
    }
    return;
  }
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t r = rows[i];
    if (input.validity().isValid(r)) {
      out[r] = op(in[r]);
    } else {
      result.setNull(r);
    }
  }
}

/// `result[r] = op(left[r], right[r])` for every row r; NULL if either input is NULL.
template <class L, class R, class Out, class Op>
void executeBinary(const Vector& left, const Vector& right, Rows rows, Vector& result,
                   const DataType& result_type, Op&& op) {
  const bool left_constant = left.isConstant();
  const bool right_constant = right.isConstant();
  if (prepareResult(result, result_type, left_constant && right_constant,
                    left_constant ? right.capacity() : left.capacity())) {
    if (left.isNull(0) || right.isNull(0)) {
      result.setNull(0);
    } else {
      result.values<Out>()[0] = op(left.values<L>()[0], right.values<R>()[0]);
    }
    return;
  }
  const L* l = left.values<L>();
  const R* r = right.values<R>();
  Out* out = result.values<Out>();
  const bool all_valid = left.validity().allValid() && right.validity().allValid();
  if (all_valid) {
    // The hot loops: one per constant/flat combination so each vectorizes.
    if (left_constant) {
      if (left.isNull(0)) {
        for (uint32_t i = 0; i < rows.count; ++i) result.setNull(rows[i]);
        return;
      }
      const L lv = l[0];
      if (rows.isIdentity()) {
        for (uint32_t i = 0; i < rows.count; ++i) out[i] = op(lv, r[i]);
      } else {
        for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = op(lv, r[rows[i]]);
      }
    } else if (right_constant) {
      const R rv = r[0];
      if (rows.isIdentity()) {
        for (uint32_t i = 0; i < rows.count; ++i) out[i] = op(l[i], rv);
      } else {
        for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = op(l[rows[i]], rv);
      }
    } else if (rows.isIdentity()) {
      for (uint32_t i = 0; i < rows.count; ++i) out[i] = op(l[i], r[i]);
    } else {
      for (uint32_t i = 0; i < rows.count; ++i) {
        const uint32_t row = rows[i];
        out[row] = op(l[row], r[row]);
      }
    }
    return;
  }
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    const uint32_t li = left_constant ? 0 : row;
    const uint32_t ri = right_constant ? 0 : row;
    if (left.validity().isValid(li) && right.validity().isValid(ri)) {
      out[row] = op(l[li], r[ri]);
    } else {
      result.setNull(row);
    }
  }
}

/// As `executeBinary`, but `op(l, r, out)` returns false to make the result NULL (division by
/// zero, overflow, an unparsable value under TRY_CAST).
template <class L, class R, class Out, class Op>
void executeBinaryNullable(const Vector& left, const Vector& right, Rows rows, Vector& result,
                           const DataType& result_type, Op&& op) {
  const bool left_constant = left.isConstant();
  const bool right_constant = right.isConstant();
  if (prepareResult(result, result_type, left_constant && right_constant,
                    left_constant ? right.capacity() : left.capacity())) {
    if (left.isNull(0) || right.isNull(0) ||
        !op(left.values<L>()[0], right.values<R>()[0], result.values<Out>()[0])) {
      result.setNull(0);
    }
    return;
  }
  const L* l = left.values<L>();
  const R* r = right.values<R>();
  Out* out = result.values<Out>();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    const uint32_t li = left_constant ? 0 : row;
    const uint32_t ri = right_constant ? 0 : row;
    if (!left.validity().isValid(li) || !right.validity().isValid(ri) ||
        !op(l[li], r[ri], out[row])) {
      result.setNull(row);
    }
  }
}

/// As `executeUnary`, but `op(in, out)` returns false to make the result NULL.
template <class In, class Out, class Op>
void executeUnaryNullable(const Vector& input, Rows rows, Vector& result,
                          const DataType& result_type, Op&& op) {
  if (prepareResult(result, result_type, input.isConstant(), input.capacity())) {
    if (input.isNull(0) || !op(input.values<In>()[0], result.values<Out>()[0])) result.setNull(0);
    return;
  }
  const In* in = input.values<In>();
  Out* out = result.values<Out>();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t r = rows[i];
    if (!input.validity().isValid(r) || !op(in[r], out[r])) result.setNull(r);
  }
}

/// One past the largest position in `rows`: the capacity a result over `rows` needs (for
/// kernels without vector arguments, e.g. RAND()).
inline uint32_t rowsEnd(Rows rows) {
  if (rows.isIdentity()) return rows.count;
  uint32_t end = 0;
  for (uint32_t i = 0; i < rows.count; ++i) end = rows.sel[i] + 1 > end ? rows.sel[i] + 1 : end;
  return end;
}

/// `op(a[r], b[r], c[r], out[r])` for every row r; NULL if any input is NULL or `op` returns
/// false. Constant inputs are read at position 0; the result is constant when all three are.
template <class A, class B, class C, class Out, class Op>
void executeTernaryNullable(const Vector& a, const Vector& b, const Vector& c, Rows rows,
                            Vector& result, const DataType& result_type, Op&& op) {
  const bool ac = a.isConstant();
  const bool bc = b.isConstant();
  const bool cc = c.isConstant();
  uint32_t capacity = !ac ? a.capacity() : (!bc ? b.capacity() : c.capacity());
  if (prepareResult(result, result_type, ac && bc && cc, capacity)) {
    if (a.isNull(0) || b.isNull(0) || c.isNull(0) ||
        !op(a.values<A>()[0], b.values<B>()[0], c.values<C>()[0], result.values<Out>()[0])) {
      result.setNull(0);
    }
    return;
  }
  const A* av = a.values<A>();
  const B* bv = b.values<B>();
  const C* cv = c.values<C>();
  Out* out = result.values<Out>();
  const bool all_valid =
      a.validity().allValid() && b.validity().allValid() && c.validity().allValid();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    const uint32_t ai = ac ? 0 : row;
    const uint32_t bi = bc ? 0 : row;
    const uint32_t ci = cc ? 0 : row;
    if (!all_valid &&
        (!a.validity().isValid(ai) || !b.validity().isValid(bi) || !c.validity().isValid(ci))) {
      result.setNull(row);
    } else if (!op(av[ai], bv[bi], cv[ci], out[row])) {
      result.setNull(row);
    }
  }
}

/// As `executeTernaryNullable` with an `op(a, b, c)` that returns the value (never NULL).
template <class A, class B, class C, class Out, class Op>
void executeTernary(const Vector& a, const Vector& b, const Vector& c, Rows rows, Vector& result,
                    const DataType& result_type, Op&& op) {
  executeTernaryNullable<A, B, C, Out>(a, b, c, rows, result, result_type,
                                       [&](const A& x, const B& y, const C& z, Out& out) {
                                         out = op(x, y, z);
                                         return true;
                                       });
}

/// Whether every row of `args` is valid at `row` (constants read at position 0).
inline bool allValidAt(std::span<const Vector> args, uint32_t row) {
  for (const Vector& arg : args) {
    if (arg.isNull(row)) return false;
  }
  return true;
}

/// True when every vector of `args` is constant (also for no arguments).
inline bool allConstant(std::span<const Vector> args) {
  for (const Vector& arg : args) {
    if (!arg.isConstant()) return false;
  }
  return true;
}

/// The capacity of the first flat vector of `args`, or `rowsEnd(rows)` when all are constant.
inline uint32_t flatCapacity(std::span<const Vector> args, Rows rows) {
  for (const Vector& arg : args) {
    if (!arg.isConstant()) return arg.capacity();
  }
  return rowsEnd(rows) > 0 ? rowsEnd(rows) : 1;
}

/// An n-ary loop: `op(row_index_in_args, out)` is called for each row r where no argument is
/// NULL, with `row_index_in_args` r (read args with `valueAt`); it returns false for NULL. The
/// result is constant when all arguments are constant (then `op` runs once, with row 0).
template <class Out, class Op>
void executeVariadic(std::span<const Vector> args, Rows rows, Vector& result,
                     const DataType& result_type, Op&& op) {
  if (prepareResult(result, result_type, allConstant(args), flatCapacity(args, rows))) {
    if (!allValidAt(args, 0) || !op(uint32_t{0}, result.values<Out>()[0])) result.setNull(0);
    return;
  }
  Out* out = result.values<Out>();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t row = rows[i];
    if (!allValidAt(args, row) || !op(row, out[row])) result.setNull(row);
  }
}

}  // namespace caudal::sql
