// Calendar arithmetic and the text forms of DATE, TIME, TIMESTAMP and INTERVAL values
// (proleptic Gregorian calendar, as Flink and Spark use).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caudal::sql {

inline constexpr int64_t kMicrosPerMilli = 1000;
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMillisPerDay = 86400000;
inline constexpr int64_t kMicrosPerDay = 86400000000LL;

/// A calendar date.
struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

/// Days since 1970-01-01 of a calendar date (which must be valid).
int32_t daysFromCivil(CivilDate date);
/// The calendar date of a day count since 1970-01-01.
CivilDate civilFromDays(int32_t days);
/// True if `day` exists in that month of that year.
bool isValidDate(int32_t year, int32_t month, int32_t day);

/// Floor division and modulo that round toward negative infinity (for times before 1970).
inline int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
inline int64_t floorMod(int64_t a, int64_t b) { return a - floorDiv(a, b) * b; }

/// Parses `YYYY-MM-DD` (also `YYYY-M-D`). Empty on malformed or impossible dates.
std::optional<int32_t> parseDate(std::string_view text);
/// Parses `HH:MM[:SS[.fff]]` to milliseconds since midnight.
std::optional<int32_t> parseTime(std::string_view text);
/// Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z]` to microseconds since the epoch.
std::optional<int64_t> parseTimestamp(std::string_view text);

/// `YYYY-MM-DD`.
std::string formatDate(int32_t days);
/// `HH:MM:SS` plus `.fff` when precision > 0.
std::string formatTime(int32_t millis, int precision);
/// `YYYY-MM-DD HH:MM:SS` plus `precision` fractional digits (0..6).
std::string formatTimestamp(int64_t micros, int precision);
/// Flink's form of INTERVAL DAY TO SECOND: `+1 02:03:04.000`.
std::string formatIntervalDayTime(int64_t millis);
/// Flink's form of INTERVAL YEAR TO MONTH: `+1-02`.
std::string formatIntervalYearMonth(int32_t months);

}  // namespace caudal::sql
