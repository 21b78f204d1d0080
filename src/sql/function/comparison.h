// The comparison operators as values, shared by the comparison functions and the expression
// evaluator's filter fast paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace caudal::sql {

enum class CompareOp : uint8_t { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// The operator registered under `symbol` (`=`, `<>`, `<`, `<=`, `>`, `>=`), if any.
std::optional<CompareOp> compareOpFromSymbol(std::string_view symbol);
/// The operator with its operands swapped (`a < b` is `b > a`).
CompareOp flipCompareOp(CompareOp op);
/// `=`, `<>`, ...
const char* compareOpSymbol(CompareOp op);

/// `a op b` for values of one type (string_view compares bytes, as Flink compares UTF-8).
template <CompareOp kOp, class T>
inline bool compareValues(const T& a, const T& b) {
  if constexpr (kOp == CompareOp::kEqual) return a == b;
  if constexpr (kOp == CompareOp::kNotEqual) return a != b;
  if constexpr (kOp == CompareOp::kLess) return a < b;
  if constexpr (kOp == CompareOp::kLessEqual) return a <= b;
  if constexpr (kOp == CompareOp::kGreater) return a > b;
  if constexpr (kOp == CompareOp::kGreaterEqual) return a >= b;
  return false;
}

/// Calls `f(std::integral_constant<CompareOp, op>{})`.
template <class F>
void dispatchCompareOp(CompareOp op, F&& f) {
  switch (op) {
    case CompareOp::kEqual:
      f(std::integral_constant<CompareOp, CompareOp::kEqual>{});
      break;
    case CompareOp::kNotEqual:
      f(std::integral_constant<CompareOp, CompareOp::kNotEqual>{});
      break;
    case CompareOp::kLess:
      f(std::integral_constant<CompareOp, CompareOp::kLess>{});
      break;
    case CompareOp::kLessEqual:
      f(std::integral_constant<CompareOp, CompareOp::kLessEqual>{});
      break;
    case CompareOp::kGreater:
      f(std::integral_constant<CompareOp, CompareOp::kGreater>{});
      break;
    case CompareOp::kGreaterEqual:
      f(std::integral_constant<CompareOp, CompareOp::kGreaterEqual>{});
      break;
  }
}

}  // namespace caudal::sql
