// DECIMAL helpers shared by casts, arithmetic and math functions: result types as Flink derives
// them (capped at precision 18), 128-bit powers of ten, conversion from DOUBLE. Internal to
// src/sql/function/.
#pragma once

#include <cstdint>
#include <optional>

#include "sql/types/data_type.h"

namespace caudal::sql {

/// 10^n as a 128-bit integer, n in [0, 38].
__int128 powerOfTen128(int n);

/// The DECIMAL type an exact numeric is used as in DECIMAL arithmetic (INT as DECIMAL(10, 0),
/// BIGINT as DECIMAL(18, 0) here) — the type itself for a DECIMAL.
DataType asDecimal(const DataType& type);

/// Flink's adjustment of a result precision/scale that exceeds the maximum precision: keep the
/// integer digits, shrink the scale but not below min(scale, 6).
DataType adjustedDecimal(int precision, int scale);

/// Result types of DECIMAL `+`/`-`, `*`, `/` and `%`, as Flink's LogicalTypeMerging derives them.
DataType decimalSumType(const DataType& a, const DataType& b);
DataType decimalProductType(const DataType& a, const DataType& b);
DataType decimalQuotientType(const DataType& a, const DataType& b);
DataType decimalModType(const DataType& a, const DataType& b);
/// ROUND(DECIMAL(p, s), digits) as Flink types it.
DataType decimalRoundType(const DataType& a, int digits);

/// `value` at `scale` rounded half up (away from zero), as Java's `BigDecimal.valueOf(value)`
/// would round it — i.e. from the shortest decimal text of the double. Empty when it needs more
/// than `precision` digits, or for NaN and infinities.
std::optional<int64_t> doubleToDecimal(double value, int scale, int precision);

/// `value` rounded half up to `digits` decimals (negative: to tens, hundreds...), like
/// `BigDecimal.valueOf(value).setScale(digits, HALF_UP).doubleValue()`.
double roundDoubleHalfUp(double value, int digits);

/// `value / divisor` rounded half up (away from zero); `divisor` non-zero.
__int128 divideRoundHalfUp(__int128 value, __int128 divisor);

}  // namespace caudal::sql
