#include "sql/function/decimal_arithmetic.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sql/types/decimal.h"

namespace caudal::sql {

namespace {

constexpr int kMax = DataType::kMaxDecimalPrecision;

// The shortest decimal text that reads back to `value` (as Java's Double.toString digits).
std::string shortestText(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "0";
  return std::string(buffer, end);
}

}  // namespace

DataType asDecimal(const DataType& type) {
  switch (type.id()) {
    case TypeId::kTinyInt:
      return DataType::decimal(3, 0);
    case TypeId::kSmallInt:
      return DataType::decimal(5, 0);
    case TypeId::kInt:
      return DataType::decimal(10, 0);
    case TypeId::kBigInt:
      return DataType::decimal(19, 0);
    default:
      return type;
  }
}

DataType adjustedDecimal(int precision, int scale) {
  if (precision <= kMax) return DataType::decimal(std::max(precision, 1), scale);
  const int integer_digits = precision - scale;
  const int min_scale = std::min(scale, 6);
  const int new_scale = std::max(kMax - integer_digits, min_scale);
  return DataType::decimal(kMax, std::min(new_scale, kMax));
}

DataType decimalSumType(const DataType& a, const DataType& b) {
  const int scale = std::max(a.scale(), b.scale());
  const int precision = std::max(a.precision() - a.scale(), b.precision() - b.scale()) + scale + 1;
  return adjustedDecimal(precision, scale);
}

DataType decimalProductType(const DataType& a, const DataType& b) {
  // Flink counts one digit more than the product can have (p1 + p2 + 1), as SQL Server does.
  return adjustedDecimal(a.precision() + b.precision() + 1, a.scale() + b.scale());
}

DataType decimalQuotientType(const DataType& a, const DataType& b) {
  const int scale = std::max(6, a.scale() + b.precision() + 1);
  const int precision = a.precision() - a.scale() + b.scale() + scale;
  return adjustedDecimal(precision, scale);
}

DataType decimalModType(const DataType& a, const DataType& b) {
  const int scale = std::max(a.scale(), b.scale());
  const int precision = std::min(a.precision() - a.scale(), b.precision() - b.scale()) + scale;
  return adjustedDecimal(precision, scale);
}

DataType decimalRoundType(const DataType& a, int digits) {
  if (digits >= a.scale()) return DataType::decimal(a.precision(), a.scale());
  if (digits < 0) return DataType::decimal(std::min(kMax, 1 + a.precision() - a.scale()), 0);
  return DataType::decimal(std::min(kMax, 1 + a.precision() - a.scale() + digits), digits);
}

std::optional<__int128> doubleToDecimal(double value, int scale, int precision) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scaled = value * std::pow(10.0, scale);
  const double limit = std::pow(10.0, precision);
  if (std::fabs(scaled) >= limit) return std::nullopt;
  // Past 2^53 a double is an integer and its text has more digits than it holds: take the
  // shortest text, as BigDecimal.valueOf does, to get the same digits.
  if (std::fabs(scaled) >= 9e15) return parseDecimal128(shortestText(value), precision, scale);
  const double fraction = std::fabs(scaled - std::trunc(scaled));
  // Far from a tie the binary product rounds the same way as the exact decimal; near one, round
  // the shortest decimal text instead, as BigDecimal.valueOf does.
  if (std::fabs(fraction - 0.5) > 1e-6) {
    const double rounded = std::round(scaled);
    if (std::fabs(rounded) >= limit) return std::nullopt;
    return static_cast<__int128>(static_cast<int64_t>(rounded));
  }
  return parseDecimal128(shortestText(value), precision, scale);
}

double roundDoubleHalfUp(double value, int digits) {
  if (!std::isfinite(value)) return value;
  if (digits > 15 || digits < -15) return digits > 0 ? value : 0.0;
  const double factor = std::pow(10.0, std::abs(digits));
  const double scaled = digits >= 0 ? value * factor : value / factor;
  if (std::fabs(scaled) >= 9e15) return value;  // already integral at this scale
  const double fraction = std::fabs(scaled - std::trunc(scaled));
  double rounded;
  if (std::fabs(fraction - 0.5) > 1e-6) {
    rounded = std::round(scaled);
  } else if (digits >= 0) {
    // Near a tie: decide from the shortest decimal text of the value.
    auto unscaled = parseDecimal128(shortestText(value), kMax, digits);
    if (!unscaled) return std::round(scaled) / factor;
    return static_cast<double>(*unscaled) / factor;
  } else {
    rounded = std::round(scaled);
  }
  return digits >= 0 ? rounded / factor : rounded * factor;
}

__int128 divideRoundHalfUp(__int128 value, __int128 divisor) {
  __int128 quotient = value / divisor;
  __int128 remainder = value % divisor;
  if (remainder < 0) remainder = -remainder;
  const __int128 abs_divisor = divisor < 0 ? -divisor : divisor;
  if (remainder >= abs_divisor - remainder) quotient += ((value < 0) != (divisor < 0)) ? -1 : 1;
  return quotient;
}

namespace {

using U128 = unsigned __int128;

U128 magnitude(__int128 v) { return v < 0 ? U128{0} - static_cast<U128>(v) : static_cast<U128>(v); }

bool isZero(const WideInt& a) { return (a.limbs[0] | a.limbs[1] | a.limbs[2] | a.limbs[3]) == 0; }

// Compares magnitudes: -1, 0, 1.
int compareMagnitude(const WideInt& a, const WideInt& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limbs[i] != b.limbs[i]) return a.limbs[i] < b.limbs[i] ? -1 : 1;
  }
  return 0;
}

// |a| + |b| into the magnitude of `out` (the sign left as is).
void addMagnitudes(const WideInt& a, const WideInt& b, WideInt& out) {
  U128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    const U128 sum = static_cast<U128>(a.limbs[i]) + b.limbs[i] + carry;
    out.limbs[i] = static_cast<uint64_t>(sum);
    carry = sum >> 64;
  }
}

// |a| - |b| for |a| >= |b| into the magnitude of `out`.
void subtractMagnitudes(const WideInt& a, const WideInt& b, WideInt& out) {
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    const uint64_t x = a.limbs[i];
    const uint64_t y = b.limbs[i];
    const uint64_t diff = x - y - borrow;
    borrow = (x < y || (x == y && borrow != 0)) ? 1 : 0;
    out.limbs[i] = diff;
  }
}

// The magnitude divided by `divisor` (non-zero, below 2^127): the quotient's magnitude replaces
// `a`'s, the remainder is returned.
U128 divideMagnitude(WideInt& a, U128 divisor) {
  if ((divisor >> 64) == 0) {
    // A divisor of one limb: schoolbook division a limb at a time.
    const uint64_t d = static_cast<uint64_t>(divisor);
    U128 remainder = 0;
    for (int i = 3; i >= 0; --i) {
      const U128 current = (remainder << 64) | a.limbs[i];
      a.limbs[i] = static_cast<uint64_t>(current / d);
      remainder = current % d;
    }
    return remainder;
  }
  // Bit by bit (rare: a divisor past 64 bits and a dividend past 128).
  U128 remainder = 0;
  WideInt quotient;
  for (int bit = 255; bit >= 0; --bit) {
    remainder = (remainder << 1) | ((a.limbs[bit / 64] >> (bit % 64)) & 1);
    if (remainder >= divisor) {
      remainder -= divisor;
      quotient.limbs[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  for (int i = 0; i < 4; ++i) a.limbs[i] = quotient.limbs[i];
  return remainder;
}

}  // namespace

WideInt wideFrom(__int128 value) {
  WideInt out;
  const U128 m = magnitude(value);
  out.negative = value < 0;
  out.limbs[0] = static_cast<uint64_t>(m);
  out.limbs[1] = static_cast<uint64_t>(m >> 64);
  return out;
}

WideInt wideMultiply(__int128 a, __int128 b) {
  const U128 x = magnitude(a);
  const U128 y = magnitude(b);
  const uint64_t xs[2] = {static_cast<uint64_t>(x), static_cast<uint64_t>(x >> 64)};
  const uint64_t ys[2] = {static_cast<uint64_t>(y), static_cast<uint64_t>(y >> 64)};
  WideInt out;
  for (int i = 0; i < 2; ++i) {
    U128 carry = 0;
    for (int j = 0; j < 2; ++j) {
      const U128 product = static_cast<U128>(xs[i]) * ys[j] + out.limbs[i + j] + carry;
      out.limbs[i + j] = static_cast<uint64_t>(product);
      carry = product >> 64;
    }
    out.limbs[i + 2] = static_cast<uint64_t>(carry);
  }
  out.negative = !isZero(out) && ((a < 0) != (b < 0));
  return out;
}

WideInt wideAdd(const WideInt& a, const WideInt& b) {
  WideInt out;
  if (a.negative == b.negative) {
    addMagnitudes(a, b, out);
    out.negative = a.negative;
  } else if (compareMagnitude(a, b) >= 0) {
    subtractMagnitudes(a, b, out);
    out.negative = a.negative;
  } else {
    subtractMagnitudes(b, a, out);
    out.negative = b.negative;
  }
  if (isZero(out)) out.negative = false;
  return out;
}

WideInt wideSubtract(const WideInt& a, WideInt b) {
  if (!isZero(b)) b.negative = !b.negative;
  return wideAdd(a, b);
}

WideInt wideDivideRoundHalfUp(const WideInt& a, __int128 divisor) {
  WideInt quotient = a;
  const U128 d = magnitude(divisor);
  const U128 remainder = divideMagnitude(quotient, d);
  if (remainder >= d - remainder) {
    WideInt one;
    one.limbs[0] = 1;
    addMagnitudes(quotient, one, quotient);
  }
  quotient.negative = !isZero(quotient) && (a.negative != (divisor < 0));
  return quotient;
}

__int128 wideRemainder(const WideInt& a, __int128 divisor) {
  WideInt quotient = a;
  const auto remainder = static_cast<__int128>(divideMagnitude(quotient, magnitude(divisor)));
  return a.negative ? -remainder : remainder;
}

bool wideScaleUp(WideInt& a, int digits) {
  while (digits > 0) {
    const int step = digits < 18 ? digits : 18;
    digits -= step;
    const auto factor = static_cast<uint64_t>(powerOfTen(step));
    U128 carry = 0;
    for (int i = 0; i < 4; ++i) {
      const U128 product = static_cast<U128>(a.limbs[i]) * factor + carry;
      a.limbs[i] = static_cast<uint64_t>(product);
      carry = product >> 64;
    }
    if (carry != 0 || (a.limbs[3] >> 63) != 0) return false;
  }
  return true;
}

WideInt wideScaleDownRoundHalfUp(const WideInt& a, int digits) {
  WideInt value = a;
  // Truncating the lowest digits first rounds the same as one half-up division (the half of a
  // power of ten is a whole number).
  while (digits > 38) {
    divideMagnitude(value, static_cast<U128>(powerOfTen(18)));
    digits -= 18;
  }
  if (isZero(value)) return value;
  return wideDivideRoundHalfUp(value, powerOfTen128(digits));
}

std::optional<__int128> wideToInt128Below(const WideInt& a, __int128 limit) {
  if (a.limbs[2] != 0 || a.limbs[3] != 0) return std::nullopt;
  const U128 m = (static_cast<U128>(a.limbs[1]) << 64) | a.limbs[0];
  if (m >= static_cast<U128>(limit)) return std::nullopt;
  const auto value = static_cast<__int128>(m);
  return a.negative ? -value : value;
}

}  // namespace caudal::sql
