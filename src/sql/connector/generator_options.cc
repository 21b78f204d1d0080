#include "sql/connector/generator_options.h"

#include <absl/strings/ascii.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace caudal::sql::generator {

namespace {

std::string lowered(std::string_view text) {
  std::string lower(text);
  absl::AsciiStrToLower(&lower);
  return lower;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// A whole decimal integer, or nothing.
bool parseInteger(std::string_view text, int64_t& value) {
  text = trimmed(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// A number followed by an optional unit (`10 s`, `200b`): the digits and the lowered unit.
bool splitUnit(std::string_view text, int64_t& number, std::string& unit) {
  text = trimmed(text);
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || !parseInteger(text.substr(0, digits), number)) return false;
  unit = lowered(trimmed(text.substr(digits)));
  return true;
}

}  // namespace

OptionReader::OptionReader(const TableOptions& options, std::string table_name, std::string connector)
    : options_(options), table_name_(std::move(table_name)), connector_(std::move(connector)) {}

std::string OptionReader::getString(const std::string& key, const std::string& fallback) {
  known_.insert(key);
  auto it = options_.find(key);
  return it == options_.end() ? fallback : it->second;
}

Result<int64_t> OptionReader::getInt(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  known_.insert(key);
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  int64_t value = 0;
  if (!parseInteger(it->second, value) || value < min || value > max) {
    return invalid(key, std::string("an integer in [").append(std::to_string(min)).append(", ")
                            .append(std::to_string(max)).append("]"));
  }
  return value;
}

Result<double> OptionReader::getDouble(const std::string& key, double fallback, double min, double max) {
  known_.insert(key);
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  const std::string_view text = trimmed(it->second);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < min || value > max) {
    char bounds[96];
    std::snprintf(bounds, sizeof bounds, "a number in [%g, %g]", min, max);
    return invalid(key, bounds);
  }
  return value;
}

Result<bool> OptionReader::getBool(const std::string& key, bool fallback) {
  known_.insert(key);
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  const std::string text = lowered(trimmed(it->second));
  if (text == "true") return true;
  if (text == "false") return false;
  return invalid(key, "true or false");
}

Result<int64_t> OptionReader::getBytes(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  known_.insert(key);
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  int64_t number = 0;
  std::string unit;
  int64_t scale = 0;
  if (splitUnit(it->second, number, unit)) {
    if (unit.empty() || unit == "b" || unit == "bytes") scale = 1;
    else if (unit == "k" || unit == "kb" || unit == "kibibytes") scale = int64_t{1} << 10;
    else if (unit == "m" || unit == "mb" || unit == "mebibytes") scale = int64_t{1} << 20;
  }
  if (scale == 0 || number > max / scale || number * scale < min) {
    return invalid(key, std::string("a size in bytes in [").append(std::to_string(min)).append(", ")
                            .append(std::to_string(max)).append("] such as '200b' or '1kb'"));
  }
  return number * scale;
}

Result<int64_t> OptionReader::getDurationMillis(const std::string& key, int64_t fallback) {
  known_.insert(key);
  auto it = options_.find(key);
  if (it == options_.end()) return fallback;
  int64_t number = 0;
  std::string unit;
  int64_t scale = 0;
  if (splitUnit(it->second, number, unit)) {
    if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" || unit == "millisecond" ||
        unit == "milliseconds") {
      scale = 1;
    } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") {
      scale = 1000;
    } else if (unit == "min" || unit == "m" || unit == "minute" || unit == "minutes") {
      scale = 60000;
    } else if (unit == "h" || unit == "hour" || unit == "hours") {
      scale = 3600000;
    } else if (unit == "d" || unit == "day" || unit == "days") {
      scale = 86400000;
    }
  }
  // Bounded so that a timestamp minus it stays far from overflow.
  constexpr int64_t kMaxMillis = int64_t{100000} * 365 * 86400000;
  if (scale == 0 || number > kMaxMillis / scale) {
    return invalid(key, "a duration such as '1000' (milliseconds), '10 s', '5 min', '2 h' or '1 d'");
  }
  return number * scale;
}

Status OptionReader::error(const std::string& message) const {
  return Status::error(std::string("table '").append(table_name_).append("': ").append(message));
}

Status OptionReader::invalid(const std::string& key, const std::string& expected) const {
  auto it = options_.find(key);
  const std::string text = it == options_.end() ? std::string() : it->second;
  return error(std::string("option '").append(key).append("' must be ").append(expected).append(", got '")
                   .append(text).append("'"));
}

Status OptionReader::checkUnknown(const std::vector<std::string>& known_extra) const {
  for (const auto& [key, value] : options_) {
    if (key == "connector" || known_.count(key) != 0) continue;
    std::string list;
    std::set<std::string> names(known_.begin(), known_.end());
    names.insert(known_extra.begin(), known_extra.end());
    for (const std::string& name : names) {
      if (!list.empty()) list.append(", ");
      list.append(name);
    }
    return error(std::string("unknown option '").append(key).append("' for connector '").append(connector_)
                     .append("'; known options: ").append(list));
  }
  return Status::ok();
}

}  // namespace caudal::sql::generator
