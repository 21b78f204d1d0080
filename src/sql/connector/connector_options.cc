#include "sql/connector/connector_options.h"

#include <algorithm>
#include <charconv>

#include "sql/format/text_conversion.h"

namespace caudal::sql {

Status checkOptionKeys(const TableOptions& options, const std::string& connector,
                       const std::vector<std::string>& known,
                       const std::vector<std::string>& required) {
  std::vector<std::string> unknown;
  for (const auto& [key, value] : options) {
    if (std::find(known.begin(), known.end(), key) == known.end()) unknown.push_back(key);
  }
  if (!unknown.empty()) {
    std::string message = unknown.size() == 1 ? "unknown option " : "unknown options ";
    for (size_t i = 0; i < unknown.size(); ++i) {
      if (i > 0) message += ", ";
      message.append("'").append(unknown[i]).append("'");
    }
    message.append(" for connector '").append(connector).append("'; known options: ");
    for (size_t i = 0; i < known.size(); ++i) {
      if (i > 0) message += ", ";
      message += known[i];
    }
    return Status::error(message);
  }
  for (const std::string& key : required) {
    if (options.count(key) == 0) {
      return Status::error(std::string("option '")
                               .append(key)
                               .append("' is required for connector '")
                               .append(connector)
                               .append("'"));
    }
  }
  return Status::ok();
}

std::string stringOption(const TableOptions& options, const std::string& key,
                         const std::string& fallback) {
  auto it = options.find(key);
  return it == options.end() ? fallback : it->second;
}

Result<int64_t> integerOption(const TableOptions& options, const std::string& key, int64_t fallback,
                              int64_t min, int64_t max) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string_view text = trimBlanks(it->second);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < min ||
      value > max) {
    return Status::error(std::string("option '")
                             .append(key)
                             .append("' must be an integer in [")
                             .append(std::to_string(min))
                             .append(", ")
                             .append(std::to_string(max))
                             .append("], got '")
                             .append(it->second)
                             .append("'"));
  }
  return value;
}

Result<std::chrono::milliseconds> durationOption(const TableOptions& options,
                                                 const std::string& key,
                                                 std::chrono::milliseconds fallback) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string_view text = trimBlanks(it->second);
  int64_t amount = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  const std::string_view unit =
      trimBlanks(std::string_view(end, static_cast<size_t>(text.data() + text.size() - end)));
  int64_t millis_per_unit = -1;
  if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" ||
      unit == "milliseconds") {
    millis_per_unit = 1;
  } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" ||
             unit == "seconds") {
    millis_per_unit = 1000;
  } else if (unit == "min" || unit == "m" || unit == "minute" || unit == "minutes") {
    millis_per_unit = 60000;
  } else if (unit == "h" || unit == "hour" || unit == "hours") {
    millis_per_unit = 3600000;
  } else if (unit == "d" || unit == "day" || unit == "days") {
    millis_per_unit = 86400000;
  }
  if (ec != std::errc() || text.empty() || amount < 0 || millis_per_unit < 0) {
    return Status::error(std::string("option '")
                             .append(key)
                             .append("' must be a duration such as '10 s', got '")
                             .append(it->second)
                             .append("'"));
  }
  return std::chrono::milliseconds(amount * millis_per_unit);
}

}  // namespace caudal::sql
