#include "sql/function/date_format.h"

#include <cctype>
#include <cstdio>

#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

void appendNumber(std::string& out, int64_t value, int width) {
  char buffer[24];
  const int n =
      std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
  out.append(buffer, static_cast<size_t>(n));
}

// Reads up to `max_digits` digits at `pos` (at least one).
std::optional<int64_t> readDigits(std::string_view text, size_t& pos, int max_digits) {
  int64_t value = 0;
  int digits = 0;
  while (pos < text.size() && digits < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return value;
}

// Matches one of `names` (full, or its first three letters), case-insensitively; returns its index.
std::optional<int> readName(std::string_view text, size_t& pos, const char* const* names,
                            int count) {
  auto matchesAt = [&](std::string_view name) {
    if (pos + name.size() > text.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(text[pos + i])) !=
          std::tolower(static_cast<unsigned char>(name[i]))) {
        return false;
      }
    }
    return true;
  };
  for (int i = 0; i < count; ++i) {
    const std::string_view full = names[i];
    if (matchesAt(full)) {
      pos += full.size();
      return i;
    }
  }
  for (int i = 0; i < count; ++i) {
    const std::string_view short_name = std::string_view(names[i]).substr(0, 3);
    if (matchesAt(short_name)) {
      pos += 3;
      return i;
    }
  }
  return std::nullopt;
}

}  // namespace

DateTimeFields dateTimeFields(int64_t micros) {
  const int64_t days = floorDiv(micros, kMicrosPerDay);
  const int64_t of_day = floorMod(micros, kMicrosPerDay);
  const CivilDate date = civilFromDays(static_cast<int32_t>(days));
  DateTimeFields fields{};
  fields.year = date.year;
  fields.month = date.month;
  fields.day = date.day;
  const int64_t seconds = of_day / kMicrosPerSecond;
  fields.hour = static_cast<int32_t>(seconds / 3600);
  fields.minute = static_cast<int32_t>(seconds / 60 % 60);
  fields.second = static_cast<int32_t>(seconds % 60);
  fields.micros = static_cast<int32_t>(of_day % kMicrosPerSecond);
  fields.day_of_week = static_cast<int32_t>(floorMod(days + 3, 7)) + 1;
  fields.day_of_year = static_cast<int32_t>(days - daysFromCivil({date.year, 1, 1})) + 1;
  return fields;
}

Result<DateFormat> DateFormat::compile(std::string_view pattern) {
  DateFormat format;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) format.tokens_.push_back({0, 0, literal});
    literal.clear();
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal.push_back('\'');
        i += 2;
        continue;
      }
      // Quoted text up to the closing quote; `''` inside it is a quote.
      size_t j = i + 1;
      bool closed = false;
      while (j < pattern.size()) {
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            literal.push_back('\'');
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        literal.push_back(pattern[j++]);
      }
      if (!closed)
        return Status::error("unterminated quote in date format '" + std::string(pattern) + "'");
      i = j + 1;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (std::string_view("yMdHhmsSaED").find(c) == std::string_view::npos) {
        return Status::error(std::string("unsupported letter '") + c + "' in date format '" +
                             std::string(pattern) + "'");
      }
      size_t end = i;
      while (end < pattern.size() && pattern[end] == c) ++end;
      flush();
      format.tokens_.push_back({c, static_cast<int>(end - i), {}});
      i = end;
      continue;
    }
    literal.push_back(c);
    ++i;
  }
  flush();
  return format;
}

void DateFormat::format(int64_t micros, std::string& out) const {
  const DateTimeFields f = dateTimeFields(micros);
  for (const Token& token : tokens_) {
    switch (token.letter) {
      case 0:
        out += token.text;
        break;
      case 'y':
        if (token.count == 2) {
          appendNumber(out, ((f.year % 100) + 100) % 100, 2);
        } else {
          appendNumber(out, f.year, token.count);
        }
        break;
      case 'M':
        if (token.count >= 4) {
          out += kMonths[f.month - 1];
        } else if (token.count == 3) {
          out.append(kMonths[f.month - 1], 3);
        } else {
          appendNumber(out, f.month, token.count);
        }
        break;
      case 'd':
        appendNumber(out, f.day, token.count);
        break;
      case 'D':
        appendNumber(out, f.day_of_year, token.count);
        break;
      case 'H':
        appendNumber(out, f.hour, token.count);
        break;
      case 'h':
        appendNumber(out, f.hour % 12 == 0 ? 12 : f.hour % 12, token.count);
        break;
      case 'm':
        appendNumber(out, f.minute, token.count);
        break;
      case 's':
        appendNumber(out, f.second, token.count);
        break;
      case 'S': {
        // Fraction-of-second digits (SSS: milliseconds, SSSSSS: microseconds).
        char digits[8];
        std::snprintf(digits, sizeof digits, "%06d", f.micros);
        for (int i = 0; i < token.count; ++i) out.push_back(i < 6 ? digits[i] : '0');
        break;
      }
      case 'a':
        out += f.hour < 12 ? "AM" : "PM";
        break;
      case 'E':
        if (token.count >= 4) {
          out += kDays[f.day_of_week - 1];
        } else {
          out.append(kDays[f.day_of_week - 1], 3);
        }
        break;
      default:
        break;
    }
  }
}

std::optional<int64_t> DateFormat::parse(std::string_view text) const {
  int64_t year = 1970;
  int64_t month = 1;
  int64_t day = 1;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  int64_t micros = 0;
  int64_t day_of_year = -1;
  bool pm = false;
  bool twelve_hour = false;
  size_t pos = 0;
  for (size_t t = 0; t < tokens_.size(); ++t) {
    const Token& token = tokens_[t];
    // A numeric field followed directly by another takes exactly its width (yyyyMMdd).
    const bool adjacent = t + 1 < tokens_.size() && tokens_[t + 1].letter != 0;
    const int width = adjacent ? token.count : (token.count > 2 ? token.count : 2);
    switch (token.letter) {
      case 0:
        if (text.substr(pos, token.text.size()) != token.text) return std::nullopt;
        pos += token.text.size();
        break;
      case 'y': {
        const size_t start = pos;
        auto v = readDigits(text, pos, adjacent ? token.count : 9);
        if (!v) return std::nullopt;
        year = (token.count == 2 && pos - start == 2) ? 2000 + *v : *v;
        break;
      }
      case 'M':
        if (token.count >= 3) {
          auto index = readName(text, pos, kMonths, 12);
          if (!index) return std::nullopt;
          month = *index + 1;
        } else {
          auto v = readDigits(text, pos, width);
          if (!v) return std::nullopt;
          month = *v;
        }
        break;
      case 'E': {
        if (!readName(text, pos, kDays, 7)) return std::nullopt;
        break;
      }
      case 'a': {
        const std::string_view rest = text.substr(pos, 2);
        if (rest == "AM" || rest == "am") {
          pm = false;
        } else if (rest == "PM" || rest == "pm") {
          pm = true;
        } else {
          return std::nullopt;
        }
        pos += 2;
        break;
      }
      case 'S': {
        const size_t start = pos;
        auto v = readDigits(text, pos, adjacent ? token.count : 9);
        if (!v) return std::nullopt;
        // Scale the digits read to microseconds.
        int64_t value = *v;
        int digits = static_cast<int>(pos - start);
        while (digits < 6) {
          value *= 10;
          ++digits;
        }
        while (digits > 6) {
          value /= 10;
          --digits;
        }
        micros = value;
        break;
      }
      default: {
        auto v = readDigits(text, pos, width);
        if (!v) return std::nullopt;
        switch (token.letter) {
          case 'd':
            day = *v;
            break;
          case 'D':
            day_of_year = *v;
            break;
          case 'H':
            hour = *v;
            break;
          case 'h':
            hour = *v;
            twelve_hour = true;
            break;
          case 'm':
            minute = *v;
            break;
          case 's':
            second = *v;
            break;
          default:
            break;
        }
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  if (twelve_hour) {
    if (hour < 1 || hour > 12) return std::nullopt;
    hour = hour % 12 + (pm ? 12 : 0);
  } else if (pm && hour < 12) {
    hour += 12;
  }
  if (year < -999999 || year > 999999 || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  int64_t days;
  if (day_of_year > 0) {
    days = daysFromCivil({static_cast<int32_t>(year), 1, 1}) + day_of_year - 1;
  } else {
    if (!isValidDate(static_cast<int32_t>(year), static_cast<int32_t>(month),
                     static_cast<int32_t>(day))) {
      return std::nullopt;
    }
    days = daysFromCivil(
        {static_cast<int32_t>(year), static_cast<int32_t>(month), static_cast<int32_t>(day)});
  }
  return days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + micros;
}

}  // namespace caudal::sql
