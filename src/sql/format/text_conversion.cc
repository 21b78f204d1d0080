#include "sql/format/text_conversion.h"

#include <absl/strings/ascii.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "sql/types/decimal.h"
#include "sql/types/temporal.h"

namespace caudal::sql {
namespace {

Status cannotParse(std::string_view text, const DataType& type) {
  return Status::error(std::string("cannot parse '")
                           .append(text)
                           .append("' as ")
                           .append(type.withNullable(true).toString()));
}

std::optional<int64_t> parseInteger(std::string_view text, int64_t min, int64_t max) {
  text = trimBlanks(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> parseDouble(std::string_view text) {
  text = trimBlanks(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Out of range is an error for from_chars; SQL reads it as infinity or zero like Java does.
  if (ec == std::errc::result_out_of_range && end == text.data() + text.size()) {
    return std::strtod(std::string(text).c_str(), nullptr);
  }
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// Truncates microseconds to `precision` fractional digits (toward negative infinity).
int64_t truncateMicros(int64_t micros, int precision) {
  if (precision >= 6) return micros;
  const int64_t unit = powerOfTen(6 - precision);
  return floorDiv(micros, unit) * unit;
}

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string_view trimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool isTextConvertible(const DataType& type) {
  switch (type.id()) {
    case TypeId::kNull:
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
      return false;
    default:
      return true;
  }
}

Status parseTextInto(std::string_view text, Vector& column, uint32_t row) {
  const DataType& type = column.type();
  switch (type.id()) {
    case TypeId::kBoolean: {
      const std::string_view trimmed = trimBlanks(text);
      if (equalsIgnoreCase(trimmed, "true")) {
        column.values<uint8_t>()[row] = 1;
      } else if (equalsIgnoreCase(trimmed, "false")) {
        column.values<uint8_t>()[row] = 0;
      } else {
        return cannotParse(text, type);
      }
      break;
    }
    case TypeId::kTinyInt: {
      auto v = parseInteger(text, std::numeric_limits<int8_t>::min(),
                            std::numeric_limits<int8_t>::max());
      if (!v) return cannotParse(text, type);
      column.values<int8_t>()[row] = static_cast<int8_t>(*v);
      break;
    }
    case TypeId::kSmallInt: {
      auto v = parseInteger(text, std::numeric_limits<int16_t>::min(),
                            std::numeric_limits<int16_t>::max());
      if (!v) return cannotParse(text, type);
      column.values<int16_t>()[row] = static_cast<int16_t>(*v);
      break;
    }
    case TypeId::kInt: {
      auto v = parseInteger(text, std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max());
      if (!v) return cannotParse(text, type);
      column.values<int32_t>()[row] = static_cast<int32_t>(*v);
      break;
    }
    case TypeId::kBigInt: {
      auto v = parseInteger(text, std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max());
      if (!v) return cannotParse(text, type);
      column.values<int64_t>()[row] = *v;
      break;
    }
    case TypeId::kFloat: {
      auto v = parseDouble(text);
      if (!v) return cannotParse(text, type);
      column.values<float>()[row] = static_cast<float>(*v);
      break;
    }
    case TypeId::kDouble: {
      auto v = parseDouble(text);
      if (!v) return cannotParse(text, type);
      column.values<double>()[row] = *v;
      break;
    }
    case TypeId::kDecimal: {
      auto v = parseDecimal(trimBlanks(text), type.precision(), type.scale());
      if (!v) return cannotParse(text, type);
      column.values<int64_t>()[row] = *v;
      break;
    }
    case TypeId::kDecimal128: {
      auto v = parseDecimal128(trimBlanks(text), type.precision(), type.scale());
      if (!v) return cannotParse(text, type);
      column.values<__int128>()[row] = *v;
      break;
    }
    case TypeId::kString:
      column.values<std::string_view>()[row] = column.addString(text);
      break;
    case TypeId::kBytes: {
      auto bytes = decodeBase64(trimBlanks(text));
      if (!bytes) return cannotParse(text, type);
      column.values<std::string_view>()[row] = column.addString(*bytes);
      break;
    }
    case TypeId::kDate: {
      auto v = parseDate(trimBlanks(text));
      if (!v) return cannotParse(text, type);
      column.values<int32_t>()[row] = *v;
      break;
    }
    case TypeId::kTime: {
      auto v = parseTime(trimBlanks(text));
      if (!v) return cannotParse(text, type);
      const int32_t unit =
          type.precision() >= 3 ? 1 : static_cast<int32_t>(powerOfTen(3 - type.precision()));
      column.values<int32_t>()[row] = *v / unit * unit;
      break;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      auto v = parseTimestamp(text);
      if (!v) return cannotParse(text, type);
      column.values<int64_t>()[row] = truncateMicros(*v, type.precision());
      break;
    }
    default:
      return Status::error(
          std::string("cannot read a value of type ").append(type.toString()).append(" from text"));
  }
  column.setValid(row);
  return Status::ok();
}

void appendValueText(const Vector& column, uint32_t row, std::string& out) {
  const DataType& type = column.type();
  char buffer[32];
  switch (type.id()) {
    case TypeId::kBoolean:
      out += column.valueAt<uint8_t>(row) ? "true" : "false";
      return;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      int64_t v = 0;
      if (type.id() == TypeId::kTinyInt) v = column.valueAt<int8_t>(row);
      if (type.id() == TypeId::kSmallInt) v = column.valueAt<int16_t>(row);
      if (type.id() == TypeId::kInt) v = column.valueAt<int32_t>(row);
      if (type.id() == TypeId::kBigInt) v = column.valueAt<int64_t>(row);
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
      (void)ec;
      out.append(buffer, end);
      return;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const double v =
          type.id() == TypeId::kFloat ? column.valueAt<float>(row) : column.valueAt<double>(row);
      if (std::isnan(v)) {
        out += "NaN";
      } else if (std::isinf(v)) {
        out += v > 0 ? "Infinity" : "-Infinity";
      } else {
        // The shortest text that reads back to the same value; integral values as `2.0`.
        auto [end, ec] = type.id() == TypeId::kFloat
                             ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(v))
                             : std::to_chars(buffer, buffer + sizeof buffer, v);
        (void)ec;
        const std::string_view text(buffer, static_cast<size_t>(end - buffer));
        out += text;
        if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
      }
      return;
    }
    case TypeId::kString:
      out += column.valueAt<std::string_view>(row);
      return;
    case TypeId::kBytes:
      out += encodeBase64(column.valueAt<std::string_view>(row));
      return;
    case TypeId::kDecimal:
      out += formatDecimal(column.valueAt<int64_t>(row), type.scale());
      return;
    case TypeId::kDecimal128:
      out += formatDecimal128(column.valueAt<__int128>(row), type.scale());
      return;
    case TypeId::kDate:
      out += formatDate(column.valueAt<int32_t>(row));
      return;
    case TypeId::kTime:
      out += formatTime(column.valueAt<int32_t>(row), type.precision());
      return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      out += formatTimestamp(column.valueAt<int64_t>(row), type.precision());
      return;
    default:
      out += column.getValue(row).toString();
      return;
  }
}

std::string encodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int digit = base64Digit(c);
    if (digit < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace caudal::sql
