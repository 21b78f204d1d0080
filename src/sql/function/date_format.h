// Java SimpleDateFormat-style patterns (`yyyy-MM-dd HH:mm:ss.SSS`), compiled once and used to
// format and parse TIMESTAMP values (microseconds, wall clock). Letters: y M d H h m s S a E D,
// text in single quotes, `''` for a quote; other ASCII letters are rejected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace caudal::sql {

/// The calendar and clock fields of a TIMESTAMP value.
struct DateTimeFields {
  int32_t year;
  int32_t month;        // 1..12
  int32_t day;          // 1..31
  int32_t hour;         // 0..23
  int32_t minute;       // 0..59
  int32_t second;       // 0..59
  int32_t micros;       // 0..999999
  int32_t day_of_week;  // ISO: Monday 1 .. Sunday 7
  int32_t day_of_year;  // 1..366
};

/// The fields of `micros` since 1970-01-01 00:00:00.
DateTimeFields dateTimeFields(int64_t micros);

class DateFormat {
 public:
  /// Compiles `pattern`; an error names an unsupported letter or an unclosed quote.
  static Result<DateFormat> compile(std::string_view pattern);

  /// Appends the text of `micros` (a wall-clock TIMESTAMP value) to `out`.
  void format(int64_t micros, std::string& out) const;
  /// Parses `text` (all of it) to a wall-clock TIMESTAMP value; empty when it does not match.
  /// Missing fields default to 1970-01-01 00:00:00.
  std::optional<int64_t> parse(std::string_view text) const;

 private:
  struct Token {
    char letter;  // 0 for literal text
    int count;
    std::string text;
  };
  std::vector<Token> tokens_;
};

}  // namespace caudal::sql
