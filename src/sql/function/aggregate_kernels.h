// Internal to the aggregate functions (aggregate_*.cc): the loops that fold a vector into
// per-row states, and the physical types behind each logical type.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/status.h"
#include "sql/function/aggregate_function.h"
#include "sql/vector/vector.h"

namespace caudal::sql::aggregate_detail {

/// A state's bytes as `S` (states are 8-byte aligned and hold trivially copyable structs).
template <class S>
inline S* as(uint8_t* state) {
  return reinterpret_cast<S*>(state);
}
template <class S>
inline const S* as(const uint8_t* state) {
  return reinterpret_cast<const S*>(state);
}

/// A 128-bit integer kept in two 64-bit words, as states are only 8-byte aligned.
struct Int128 {
  uint64_t words[2];
  __int128 get() const {
    __int128 v;
    std::memcpy(&v, words, sizeof v);
    return v;
  }
  void set(__int128 v) { std::memcpy(words, &v, sizeof v); }
};

/// A DECIMAL(p > 18) value as aggregate states and their maps hold it: the 128-bit unscaled
/// value in two 64-bit words (states are only 8-byte aligned), laid out as `__int128` is in a
/// vector (little-endian), ordered and hashed as the number.
struct Decimal128Value {
  uint64_t low;
  int64_t high;

  __int128 get() const { return static_cast<__int128>(high) * (static_cast<__int128>(1) << 64) + static_cast<__int128>(low); }
  friend bool operator==(const Decimal128Value& a, const Decimal128Value& b) = default;
  friend bool operator<(const Decimal128Value& a, const Decimal128Value& b) {
    return a.high < b.high || (a.high == b.high && a.low < b.low);
  }
  template <class H>
  friend H AbslHashValue(H h, const Decimal128Value& v) {
    return H::combine(std::move(h), v.low, v.high);
  }
};
static_assert(sizeof(Decimal128Value) == sizeof(__int128));

/// For each i below rows.count whose argument at rows[i] is not NULL: `add(states[i], value)`,
/// or `sub(states[i], value)` when `signs[i] < 0`. The no-NULL, no-sign case is a tight loop.
template <class T, class Add, class Sub>
inline void foldRows(const Vector& arg, Rows rows, uint8_t* const* states, const int8_t* signs, Add&& add,
                     Sub&& sub) {
  if (arg.isConstant()) {
    if (arg.isNull(0)) return;
    const T value = arg.values<T>()[0];
    for (uint32_t i = 0; i < rows.count; ++i) {
      if (signs != nullptr && signs[i] < 0) {
        sub(states[i], value);
      } else {
        add(states[i], value);
      }
    }
    return;
  }
  const T* data = arg.values<T>();
  const bool all_valid = arg.validity().allValid();
  if (all_valid && signs == nullptr) {
    if (rows.isIdentity()) {
      for (uint32_t i = 0; i < rows.count; ++i) add(states[i], data[i]);
    } else {
      for (uint32_t i = 0; i < rows.count; ++i) add(states[i], data[rows.sel[i]]);
    }
    return;
  }
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t r = rows[i];
    if (!all_valid && !arg.validity().isValid(r)) continue;
    if (signs != nullptr && signs[i] < 0) {
      sub(states[i], data[r]);
    } else {
      add(states[i], data[r]);
    }
  }
}

/// True when some sign below `count` is negative.
inline bool anyRetraction(const int8_t* signs, uint32_t count) {
  if (signs == nullptr) return false;
  int8_t lowest = 0;
  for (uint32_t i = 0; i < count; ++i) lowest = std::min(lowest, signs[i]);
  return lowest < 0;
}

/// The order MIN and MAX use: numbers as usual, except that for FLOAT/DOUBLE NaN is above
/// everything (a total order, as Java's Double.compare; -0.0 and 0.0 are equal here).
template <class T>
inline bool lessThan(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
  }
  return a < b;
}
template <class T>
struct TotalLess {
  bool operator()(const T& a, const T& b) const { return lessThan(a, b); }
};

/// Calls `f(T{})` with the C++ type a vector of `id` holds its values as; returns false for
/// types without one (NULL, nested).
template <class F>
inline bool visitPhysicalType(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kBoolean: f(uint8_t{}); return true;
    case TypeId::kTinyInt: f(int8_t{}); return true;
    case TypeId::kSmallInt: f(int16_t{}); return true;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth: f(int32_t{}); return true;
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime: f(int64_t{}); return true;
    case TypeId::kDecimal128: f(Decimal128Value{}); return true;
    case TypeId::kFloat: f(float{}); return true;
    case TypeId::kDouble: f(double{}); return true;
    case TypeId::kString:
    case TypeId::kBytes: f(std::string_view{}); return true;
    default: return false;
  }
}

/// MIN/MAX (min_max.cc) and the DISTINCT forms (aggregate_distinct.cc).
Result<BoundAggregateFunction> makeMinMax(const DataType& arg, bool is_max, bool retracting);
/// COUNT(DISTINCT x).
Result<BoundAggregateFunction> makeCountDistinct(const DataType& arg);
/// `inner` (resolved without retraction) over the distinct non-NULL values of its argument.
BoundAggregateFunction makeDistinct(BoundAggregateFunction inner);

}  // namespace caudal::sql::aggregate_detail

/// MIN and MAX start from the extremes of their type.
template <>
struct std::numeric_limits<caudal::sql::aggregate_detail::Decimal128Value> {
  static constexpr bool is_specialized = true;
  static constexpr caudal::sql::aggregate_detail::Decimal128Value lowest() {
    return {0, std::numeric_limits<int64_t>::min()};
  }
  static constexpr caudal::sql::aggregate_detail::Decimal128Value max() {
    return {std::numeric_limits<uint64_t>::max(), std::numeric_limits<int64_t>::max()};
  }
};
