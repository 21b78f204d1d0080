// DECIMAL helpers shared by casts, arithmetic and math functions: result types as Flink derives
// them (maximum precision 38), conversion from DOUBLE, and the exact arithmetic DECIMAL(p > 18)
// needs beyond 128 bits. Internal to src/sql/function/.
#pragma once

#include <cstdint>
#include <optional>

#include "sql/types/data_type.h"

namespace caudal::sql {

/// The DECIMAL type an exact numeric is used as in DECIMAL arithmetic (TINYINT as DECIMAL(3, 0),
/// SMALLINT as DECIMAL(5, 0), INT as DECIMAL(10, 0), BIGINT as DECIMAL(19, 0), as Flink) — the
/// type itself for a DECIMAL.
DataType asDecimal(const DataType& type);

/// Flink's adjustment of a result precision/scale that exceeds the maximum precision (38): keep
/// the integer digits, shrink the scale but not below min(scale, 6).
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
/// than `precision` digits (at most 38), or for NaN and infinities.
std::optional<__int128> doubleToDecimal(double value, int scale, int precision);

/// `value` rounded half up to `digits` decimals (negative: to tens, hundreds...), like
/// `BigDecimal.valueOf(value).setScale(digits, HALF_UP).doubleValue()`.
double roundDoubleHalfUp(double value, int digits);

/// `value / divisor` rounded half up (away from zero); `divisor` non-zero.
__int128 divideRoundHalfUp(__int128 value, __int128 divisor);

/// An exact signed integer of up to 255 bits, for DECIMAL arithmetic whose intermediate values
/// (a product of two 38-digit numbers, an operand brought to a larger scale) outgrow 128 bits.
/// Sign and magnitude; a value type.
struct WideInt {
  bool negative = false;
  uint64_t limbs[4] = {0, 0, 0, 0};  // the magnitude, least significant limb first
};

/// `value` as a WideInt.
WideInt wideFrom(__int128 value);
/// `a * b`, exact.
WideInt wideMultiply(__int128 a, __int128 b);
/// `a + b`, exact (magnitudes below 2^254).
WideInt wideAdd(const WideInt& a, const WideInt& b);
/// `a - b`, exact (magnitudes below 2^254).
WideInt wideSubtract(const WideInt& a, WideInt b);
/// `a / divisor` rounded half up (away from zero); `divisor` non-zero, |divisor| < 2^127.
WideInt wideDivideRoundHalfUp(const WideInt& a, __int128 divisor);
/// `a % divisor` with the sign of `a` (as C++ and Java's BigDecimal.remainder); `divisor`
/// non-zero, |divisor| < 2^127.
__int128 wideRemainder(const WideInt& a, __int128 divisor);
/// `a * 10^digits` in place; false (with `a` unspecified) when it would reach 2^255.
bool wideScaleUp(WideInt& a, int digits);
/// `a / 10^digits` rounded half up (away from zero), for any `digits` >= 0.
WideInt wideScaleDownRoundHalfUp(const WideInt& a, int digits);
/// The value when its magnitude is below `limit` (a positive 128-bit bound, e.g. 10^38); empty
/// otherwise.
std::optional<__int128> wideToInt128Below(const WideInt& a, __int128 limit);

}  // namespace caudal::sql
