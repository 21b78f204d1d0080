#include "sql/types/decimal.h"

#include <cmath>
#include <cstdlib>

#include "sql/types/data_type.h"

namespace caudal::sql {

namespace {

// The decimal digits of `magnitude`, most significant first ("0" for zero).
std::string unsignedDigits(unsigned __int128 magnitude) {
  char buffer[40];
  size_t pos = sizeof buffer;
  do {
    buffer[--pos] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  return std::string(buffer + pos, sizeof buffer - pos);
}

std::string placePoint(std::string digits, int scale, bool negative) {
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

unsigned __int128 magnitudeOf(__int128 v) {
  return v < 0 ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(v)
               : static_cast<unsigned __int128>(v);
}

__int128 abs128(__int128 v) { return v < 0 ? -v : v; }

}  // namespace

std::string formatDecimal(int64_t unscaled, int scale) {
  const bool negative = unscaled < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(0) - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  return placePoint(std::to_string(magnitude), scale, negative);
}

std::string formatDecimal128(__int128 unscaled, int scale) {
  return placePoint(unsignedDigits(magnitudeOf(unscaled)), scale, unscaled < 0);
}

std::optional<__int128> parseDecimal128(std::string_view text, int precision, int scale) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // Collect the digits and where the point is, then apply an exponent.
  std::string digits;
  int fraction_digits = 0;
  bool seen_point = false;
  bool any_digit = false;
  size_t pos = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  int exponent = 0;
  if (pos < text.size()) {
    if (text[pos] != 'e' && text[pos] != 'E') return std::nullopt;
    char* end = nullptr;
    const std::string exponent_text(text.substr(pos + 1));
    const long value = std::strtol(exponent_text.c_str(), &end, 10);
    if (exponent_text.empty() || *end != '\0' || value > 100 || value < -100) return std::nullopt;
    exponent = static_cast<int>(value);
  }
  // The value is digits * 10^(exponent - fraction_digits); bring it to `scale`.
  int shift = scale - fraction_digits + exponent;
  bool round_up = false;
  if (shift < 0) {
    const size_t drop = static_cast<size_t>(-shift);
    if (drop > digits.size()) {
      digits.clear();
    } else {
      round_up = digits[digits.size() - drop] >= '5';
      digits.resize(digits.size() - drop);
    }
    shift = 0;
  }
  digits.append(static_cast<size_t>(shift), '0');
  while (!digits.empty() && digits.front() == '0') digits.erase(0, 1);
  if (digits.size() > static_cast<size_t>(DataType::kMaxDecimalPrecision)) return std::nullopt;
  __int128 value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  if (round_up) ++value;
  if (value >= powerOfTen128(precision)) return std::nullopt;
  return negative ? -value : value;
}

std::optional<int64_t> parseDecimal(std::string_view text, int precision, int scale) {
  auto value = parseDecimal128(text, precision, scale);
  if (!value) return std::nullopt;
  return static_cast<int64_t>(*value);
}

std::optional<int64_t> rescaleDecimal(int64_t unscaled, int from_scale, int to_scale, int precision) {
  int64_t value = unscaled;
  if (to_scale > from_scale) {
    const int64_t factor = powerOfTen(to_scale - from_scale);
    if (__builtin_mul_overflow(value, factor, &value)) return std::nullopt;
  } else if (to_scale < from_scale) {
    const int64_t factor = powerOfTen(from_scale - to_scale);
    const int64_t remainder = value % factor;
    value /= factor;
    if (std::llabs(remainder) * 2 >= factor) value += unscaled < 0 ? -1 : 1;
  }
  if (std::llabs(value) >= powerOfTen(precision)) return std::nullopt;
  return value;
}

std::optional<__int128> rescaleDecimal128(__int128 unscaled, int from_scale, int to_scale,
                                          int precision) {
  __int128 value = unscaled;
  if (to_scale > from_scale) {
    if (to_scale - from_scale > DataType::kMaxDecimalPrecision) {
      if (value != 0) return std::nullopt;
    } else if (__builtin_mul_overflow(value, powerOfTen128(to_scale - from_scale), &value)) {
      return std::nullopt;
    }
  } else if (to_scale < from_scale) {
    if (from_scale - to_scale > DataType::kMaxDecimalPrecision) {
      value = 0;  // |unscaled| < 2^127 < 10^39 / 2: rounds to zero
    } else {
      const __int128 factor = powerOfTen128(from_scale - to_scale);
      const __int128 remainder = value % factor;
      value /= factor;
      if (abs128(remainder) >= factor - abs128(remainder)) value += unscaled < 0 ? -1 : 1;
    }
  }
  if (abs128(value) >= powerOfTen128(precision)) return std::nullopt;
  return value;
}

double decimal128ToDouble(__int128 unscaled, int scale) {
  // Both operands exact in a double: one correctly rounded division.
  if (abs128(unscaled) < (__int128{1} << 53) && scale <= 22) {
    return static_cast<double>(unscaled) / std::pow(10.0, scale);
  }
  return std::strtod(formatDecimal128(unscaled, scale).c_str(), nullptr);
}

}  // namespace caudal::sql
