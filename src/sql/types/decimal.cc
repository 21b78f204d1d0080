#include "sql/types/decimal.h"

#include <cmath>
#include <cstdlib>

#include "sql/types/data_type.h"

namespace caudal::sql {

std::string formatDecimal(int64_t unscaled, int scale) {
  const bool negative = unscaled < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(0) - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

std::optional<int64_t> parseDecimal(std::string_view text, int precision, int scale) {
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
  if (digits.size() > 18) return std::nullopt;
  int64_t value = digits.empty() ? 0 : std::stoll(digits);
  if (round_up) ++value;
  if (value >= powerOfTen(precision)) return std::nullopt;
  return negative ? -value : value;
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

}  // namespace caudal::sql
