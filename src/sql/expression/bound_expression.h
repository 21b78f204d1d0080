// Expressions after binding: names resolved to column positions, types known, functions and
// casts resolved to kernels. What the optimizer rewrites and the evaluator runs.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sql/function/scalar_function.h"
#include "sql/types/data_type.h"
#include "sql/types/value.h"

namespace caudal::sql {

enum class BoundExprKind : uint8_t {
  kColumnRef,  // column `column_index` of the input chunk
  kConstant,   // `value`
  kFunction,   // `function` applied to `children` (already cast to its argument types)
  kCast,       // `children[0]` converted to `type` by `cast` (TRY_CAST when `try_cast`)
  kAnd,        // three-valued AND of `children` (two or more)
  kOr,         // three-valued OR of `children` (two or more)
  kNot,        // three-valued NOT of `children[0]`
  kIsNull,     // `children[0] IS NULL` (never NULL itself)
  kIsNotNull,  // `children[0] IS NOT NULL`
  kCase,       // CASE WHEN children[0] THEN children[1] [WHEN ...] ELSE children.back() END
               // (children has odd size; the ELSE is a NULL constant when not written)
  kCoalesce,   // the first non-NULL of `children`
  kInList,     // children[0] IN (children[1], ...), with SQL's NULL rules; all the same type
  kFieldAccess,  // field `column_index` of ROW `children[0]`
};

/// A bound expression node. One struct for every kind: the fields a kind does not use stay
/// empty. Owned as a tree through `children`.
struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  /// The result type (nullability included: NOT NULL when it can never be NULL).
  DataType type;
  /// kColumnRef: position in the input chunk; kFieldAccess: field index.
  size_t column_index = 0;
  /// kColumnRef: the column's name, for plans and errors.
  std::string name;
  /// kConstant.
  Value value;
  /// kFunction.
  std::shared_ptr<const BoundScalarFunction> function;
  /// kCast.
  CastKernel cast;
  bool try_cast = false;
  std::vector<std::unique_ptr<BoundExpr>> children;

  /// The expression as plans show it: `price * 0.908`, `UPPER(name)`, `CAST(x AS INT)`, with
  /// column references as their names (`#3` when unnamed).
  std::string toString() const;
  /// A deep copy.
  std::unique_ptr<BoundExpr> clone() const;
  /// True when the value depends on no column and every function is deterministic.
  bool isConstant() const;

  static std::unique_ptr<BoundExpr> columnRef(size_t index, DataType type, std::string name);
  static std::unique_ptr<BoundExpr> constant(Value value);
};

}  // namespace caudal::sql
