#include "sql/types/temporal.h"

#include <cstdio>

namespace caudal::sql {

namespace {

bool isLeapYear(int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Reads 1..max_digits decimal digits at `pos`; advances `pos`.
std::optional<int32_t> readNumber(std::string_view text, size_t& pos, int min_digits,
                                  int max_digits) {
  int32_t value = 0;
  int digits = 0;
  while (pos < text.size() && digits < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits < min_digits) return std::nullopt;
  return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int32_t> parseDateAt(std::string_view text, size_t& pos) {
  bool negative = expect(text, pos, '-');
  auto year = readNumber(text, pos, 1, 6);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  auto month = readNumber(text, pos, 1, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  auto day = readNumber(text, pos, 1, 2);
  if (!day) return std::nullopt;
  const int32_t y = negative ? -*year : *year;
  if (!isValidDate(y, *month, *day)) return std::nullopt;
  return daysFromCivil({y, *month, *day});
}

// HH:MM[:SS[.f...]] to microseconds since midnight.
std::optional<int64_t> parseTimeAt(std::string_view text, size_t& pos) {
  auto hour = readNumber(text, pos, 1, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  auto minute = readNumber(text, pos, 2, 2);
  if (!minute) return std::nullopt;
  int32_t second = 0;
  int64_t fraction_micros = 0;
  if (expect(text, pos, ':')) {
    auto s = readNumber(text, pos, 2, 2);
    if (!s) return std::nullopt;
    second = *s;
    if (expect(text, pos, '.')) {
      int64_t scale = 100000;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 6) fraction_micros += (text[pos] - '0') * scale;
        scale /= 10;
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
    }
  }
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;
  return ((*hour * 60LL + *minute) * 60 + second) * kMicrosPerSecond + fraction_micros;
}

void appendFraction(std::string& out, int64_t micros_of_second, int precision) {
  if (precision <= 0) return;
  char digits[8];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(micros_of_second));
  out.push_back('.');
  out.append(digits, static_cast<size_t>(precision > 6 ? 6 : precision));
}

}  // namespace

int32_t daysFromCivil(CivilDate date) {
  // The days-from-civil algorithm: shift the year to start in March so leap days come last.
  const int32_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const int32_t year_of_era = y - era * 400;
  const int32_t month_index = date.month + (date.month > 2 ? -3 : 9);
  const int32_t day_of_year = (153 * month_index + 2) / 5 + date.day - 1;
  const int32_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate civilFromDays(int32_t days) {
  const int32_t z = days + 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t day_of_era = z - era * 146097;
  const int32_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int32_t month_index = (5 * day_of_year + 2) / 153;
  const int32_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int32_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

bool isValidDate(int32_t year, int32_t month, int32_t day) {
  static constexpr int32_t kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const int32_t limit = kDaysInMonth[month - 1] + (month == 2 && isLeapYear(year) ? 1 : 0);
  return day <= limit;
}

std::optional<int32_t> parseDate(std::string_view text) {
  text = trim(text);
  size_t pos = 0;
  auto days = parseDateAt(text, pos);
  if (!days || pos != text.size()) return std::nullopt;
  return days;
}

std::optional<int32_t> parseTime(std::string_view text) {
  text = trim(text);
  size_t pos = 0;
  auto micros = parseTimeAt(text, pos);
  if (!micros || pos != text.size()) return std::nullopt;
  return static_cast<int32_t>(*micros / kMicrosPerMilli);
}

std::optional<int64_t> parseTimestamp(std::string_view text) {
  text = trim(text);
  size_t pos = 0;
  auto days = parseDateAt(text, pos);
  if (!days) return std::nullopt;
  int64_t micros = static_cast<int64_t>(*days) * kMicrosPerDay;
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    ++pos;
    auto time = parseTimeAt(text, pos);
    if (!time) return std::nullopt;
    micros += *time;
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return std::nullopt;
  return micros;
}

std::string formatDate(int32_t days) {
  const CivilDate date = civilFromDays(days);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::string formatTime(int32_t millis, int precision) {
  const int64_t micros = static_cast<int64_t>(millis) * kMicrosPerMilli;
  const int64_t seconds = micros / kMicrosPerSecond;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string out = buffer;
  appendFraction(out, micros % kMicrosPerSecond, precision > 3 ? 3 : precision);
  return out;
}

std::string formatTimestamp(int64_t micros, int precision) {
  const int64_t days = floorDiv(micros, kMicrosPerDay);
  const int64_t of_day = floorMod(micros, kMicrosPerDay);
  const int64_t seconds = of_day / kMicrosPerSecond;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, " %02lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string out = formatDate(static_cast<int32_t>(days));
  out += buffer;
  appendFraction(out, of_day % kMicrosPerSecond, precision);
  return out;
}

std::string formatIntervalDayTime(int64_t millis) {
  const char sign = millis < 0 ? '-' : '+';
  const uint64_t abs = millis < 0 ? static_cast<uint64_t>(-millis) : static_cast<uint64_t>(millis);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%c%llu %02llu:%02llu:%02llu.%03llu", sign,
                static_cast<unsigned long long>(abs / kMillisPerDay),
                static_cast<unsigned long long>(abs / 3600000 % 24),
                static_cast<unsigned long long>(abs / 60000 % 60),
                static_cast<unsigned long long>(abs / 1000 % 60),
                static_cast<unsigned long long>(abs % 1000));
  return buffer;
}

std::string formatIntervalYearMonth(int32_t months) {
  const char sign = months < 0 ? '-' : '+';
  const int64_t abs = months < 0 ? -static_cast<int64_t>(months) : months;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%c%lld-%02lld", sign, static_cast<long long>(abs / 12),
                static_cast<long long>(abs % 12));
  return buffer;
}

}  // namespace caudal::sql
