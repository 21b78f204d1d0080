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

__int128 powerOfTen128(int n) {
  __int128 value = 1;
  for (int i = 0; i < n; ++i) value *= 10;
  return value;
}

DataType asDecimal(const DataType& type) {
  switch (type.id()) {
    case TypeId::kTinyInt:
      return DataType::decimal(3, 0);
    case TypeId::kSmallInt:
      return DataType::decimal(5, 0);
    case TypeId::kInt:
      return DataType::decimal(10, 0);
    case TypeId::kBigInt:
      return DataType::decimal(kMax, 0);
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
  return adjustedDecimal(a.precision() + b.precision(), a.scale() + b.scale());
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

std::optional<int64_t> doubleToDecimal(double value, int scale, int precision) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scaled = value * static_cast<double>(powerOfTen(scale));
  const double limit = static_cast<double>(powerOfTen(precision));
  if (std::fabs(scaled) >= limit) return std::nullopt;
  const double fraction = std::fabs(scaled - std::trunc(scaled));
  // Far from a tie the binary product rounds the same way as the exact decimal; near one, round
  // the shortest decimal text instead, as BigDecimal.valueOf does.
  if (std::fabs(fraction - 0.5) > 1e-6) {
    const double rounded = std::round(scaled);
    if (std::fabs(rounded) >= limit) return std::nullopt;
    return static_cast<int64_t>(rounded);
  }
  return parseDecimal(shortestText(value), precision, scale);
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
    auto unscaled = parseDecimal(shortestText(value), kMax, digits);
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
  if (remainder * 2 >= abs_divisor) quotient += ((value < 0) != (divisor < 0)) ? -1 : 1;
  return quotient;
}

}  // namespace caudal::sql
