// Helpers shared by the built-in scalar functions: argument checks for resolvers, dispatch from
// a type to its physical C++ type, and the per-family registration entry points. Internal to
// src/sql/function/.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "sql/function/function_registry.h"
#include "sql/function/scalar_function.h"
#include "sql/types/data_type.h"
#include "sql/vector/vector.h"
#include "sql/vector/vector_executor.h"

namespace caudal::sql {

class FunctionRegistry;

void registerArithmeticFunctions(FunctionRegistry& registry);
void registerComparisonFunctions(FunctionRegistry& registry);
void registerMathFunctions(FunctionRegistry& registry);
void registerStringFunctions(FunctionRegistry& registry);
void registerRegexFunctions(FunctionRegistry& registry);
void registerTimeFunctions(FunctionRegistry& registry);
void registerConditionalFunctions(FunctionRegistry& registry);
void registerNestedFunctions(FunctionRegistry& registry);

/// Upper-case ASCII copy of `name` (function names in messages and plans).
std::string upperName(std::string_view name);

/// `"<NAME> expects N arguments but got M"` unless `min <= args.size() <= max`.
Status checkArgCount(std::string_view name, std::span<const DataType> args, size_t min, size_t max);

/// A type's name for messages: without ` NOT NULL`.
inline std::string typeName(const DataType& type) { return type.withNullable(true).toString(); }

/// True when any of `args` is nullable.
inline bool anyNullable(std::span<const DataType> args) {
  for (const DataType& type : args) {
    if (type.nullable()) return true;
  }
  return false;
}

/// `type` made nullable when any argument is.
inline DataType nullableIfAny(DataType type, std::span<const DataType> args) {
  return type.withNullable(anyNullable(args));
}

/// The string type an argument is used as: itself when it is STRING/VARCHAR/CHAR, STRING for an
/// untyped NULL; an error naming the function otherwise.
Result<DataType> stringArgument(std::string_view name, const DataType& arg);
/// The integer type an argument is used as: INT for any integer type or NULL (the binder casts
/// a BIGINT down); an error naming the function otherwise.
Result<DataType> integerArgument(std::string_view name, const DataType& arg);

/// A bound function with the given parts.
BoundScalarFunction makeFunction(std::string_view name, std::vector<DataType> argument_types,
                                 DataType return_type, ScalarKernel kernel,
                                 bool deterministic = true);

template <class T>
struct TypeTag {
  using type = T;
};

/// Calls `f(TypeTag<T>{})` with T the physical type of values of `id` (uint8_t for BOOLEAN,
/// int64_t for DECIMAL(p <= 18) and TIMESTAMP, __int128 for DECIMAL(p > 18), std::string_view
/// for STRING/BYTES, ListEntry for ARRAY/MAP). `f` is not called for ROW and NULL; returns
/// false then.
template <class F>
bool dispatchPhysical(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kBoolean:
      f(TypeTag<uint8_t>{});
      return true;
    case TypeId::kTinyInt:
      f(TypeTag<int8_t>{});
      return true;
    case TypeId::kSmallInt:
      f(TypeTag<int16_t>{});
      return true;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth:
      f(TypeTag<int32_t>{});
      return true;
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime:
      f(TypeTag<int64_t>{});
      return true;
    case TypeId::kDecimal128:
      f(TypeTag<__int128>{});
      return true;
    case TypeId::kFloat:
      f(TypeTag<float>{});
      return true;
    case TypeId::kDouble:
      f(TypeTag<double>{});
      return true;
    case TypeId::kString:
    case TypeId::kBytes:
      f(TypeTag<std::string_view>{});
      return true;
    case TypeId::kArray:
    case TypeId::kMap:
      f(TypeTag<ListEntry>{});
      return true;
    case TypeId::kRow:
    case TypeId::kNull:
      return false;
  }
  return false;
}

/// Calls `f(TypeTag<T>{})` for the numeric types (integers, FLOAT, DOUBLE, DECIMAL(p <= 18) as
/// int64_t). Not for DECIMAL(p > 18), whose kernels are written apart (see `dispatchDecimal`):
/// returns false then.
template <class F>
bool dispatchNumeric(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kTinyInt:
      f(TypeTag<int8_t>{});
      return true;
    case TypeId::kSmallInt:
      f(TypeTag<int16_t>{});
      return true;
    case TypeId::kInt:
      f(TypeTag<int32_t>{});
      return true;
    case TypeId::kBigInt:
    case TypeId::kDecimal:
      f(TypeTag<int64_t>{});
      return true;
    case TypeId::kFloat:
      f(TypeTag<float>{});
      return true;
    case TypeId::kDouble:
      f(TypeTag<double>{});
      return true;
    default:
      return false;
  }
}

/// Calls `f(TypeTag<T>{})` with the unscaled type of a DECIMAL: int64_t for `kDecimal`,
/// __int128 for `kDecimal128`. Returns false (without calling `f`) for other types.
template <class F>
bool dispatchDecimal(TypeId id, F&& f) {
  if (id == TypeId::kDecimal) {
    f(TypeTag<int64_t>{});
    return true;
  }
  if (id == TypeId::kDecimal128) {
    f(TypeTag<__int128>{});
    return true;
  }
  return false;
}

/// Copies the value at `source_row` of `source` (constant vectors read at 0) to `target_row` of
/// the flat vector `target` (same type), NULL included. Strings are shared: the caller must
/// make `target` keep `source`'s strings alive (`keepStringsOf`).
void copyValue(const Vector& source, uint32_t source_row, Vector& target, uint32_t target_row);

/// Whether the values at `a_row` of `a` and `b_row` of `b` (same type, both non-NULL) are equal.
bool valuesEqual(const Vector& a, uint32_t a_row, const Vector& b, uint32_t b_row);

/// Number of UTF-8 characters in `text` (bytes that are not continuation bytes).
inline int64_t utf8Length(std::string_view text) {
  int64_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

/// Byte offset of the `chars`-th character of `text` (text.size() when past the end).
inline size_t utf8Offset(std::string_view text, int64_t chars) {
  size_t pos = 0;
  while (pos < text.size() && chars > 0) {
    ++pos;
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    --chars;
  }
  return pos;
}

}  // namespace caudal::sql
