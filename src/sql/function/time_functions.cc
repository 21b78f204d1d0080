// Date and time functions: DATE_FORMAT, EXTRACT and YEAR()..SECOND(), TO_TIMESTAMP, TO_DATE,
// UNIX_TIMESTAMP, FROM_UNIXTIME, and the clock (CURRENT_TIMESTAMP, NOW, LOCALTIMESTAMP,
// CURRENT_DATE, CURRENT_TIME, LOCALTIME). TIMESTAMP_LTZ values are read in the process's local
// time zone.
#include <memory>

#include "sql/function/date_format.h"
#include "sql/function/function_helpers.h"
#include "sql/function/local_time.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

// The last compiled format of one kernel call.
class FormatCache {
 public:
  /// The compiled `pattern`, or null with `error` set when it is invalid.
  const DateFormat* get(std::string_view pattern, Status& error) {
    if (!format_ || pattern != text_) {
      text_.assign(pattern.data(), pattern.size());
      Result<DateFormat> compiled = DateFormat::compile(pattern);
      if (!compiled.isOk()) {
        if (error.isOk()) error = compiled.status();
        format_.reset();
        return nullptr;
      }
      format_ = std::make_unique<DateFormat>(std::move(compiled.value()));
    }
    return format_.get();
  }

 private:
  std::string text_;
  std::unique_ptr<DateFormat> format_;
};

// ---- EXTRACT ----

enum class TimeUnit : uint8_t {
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kDayOfYear,
  kDayOfWeek,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kEpoch
};

std::optional<TimeUnit> timeUnit(std::string_view name) {
  std::string upper = upperName(name);
  static const std::pair<const char*, TimeUnit> kUnits[] = {{"YEAR", TimeUnit::kYear},
                                                            {"QUARTER", TimeUnit::kQuarter},
                                                            {"MONTH", TimeUnit::kMonth},
                                                            {"WEEK", TimeUnit::kWeek},
                                                            {"DAY", TimeUnit::kDay},
                                                            {"DOY", TimeUnit::kDayOfYear},
                                                            {"DOW", TimeUnit::kDayOfWeek},
                                                            {"HOUR", TimeUnit::kHour},
                                                            {"MINUTE", TimeUnit::kMinute},
                                                            {"SECOND", TimeUnit::kSecond},
                                                            {"MILLISECOND", TimeUnit::kMillisecond},
                                                            {"MICROSECOND", TimeUnit::kMicrosecond},
                                                            {"EPOCH", TimeUnit::kEpoch}};
  for (const auto& [unit_name, unit] : kUnits) {
    if (upper == unit_name) return unit;
  }
  return std::nullopt;
}

// ISO-8601 week of the year.
int64_t isoWeek(const DateTimeFields& f) {
  auto weeksIn = [](int32_t year) {
    const int32_t jan1 = static_cast<int32_t>(floorMod(daysFromCivil({year, 1, 1}) + 3, 7)) + 1;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52;
  };
  const int64_t week = (f.day_of_year - f.day_of_week + 10) / 7;
  if (week < 1) return weeksIn(f.year - 1);
  if (week > weeksIn(f.year)) return 1;
  return week;
}

int64_t extractField(TimeUnit unit, int64_t micros) {
  if (unit == TimeUnit::kEpoch) return floorDiv(micros, kMicrosPerSecond);
  const DateTimeFields f = dateTimeFields(micros);
  switch (unit) {
    case TimeUnit::kYear:
      return f.year;
    case TimeUnit::kQuarter:
      return (f.month - 1) / 3 + 1;
    case TimeUnit::kMonth:
      return f.month;
    case TimeUnit::kWeek:
      return isoWeek(f);
    case TimeUnit::kDay:
      return f.day;
    case TimeUnit::kDayOfYear:
      return f.day_of_year;
    case TimeUnit::kDayOfWeek:
      return f.day_of_week % 7 + 1;  // Sunday 1 .. Saturday 7, as Flink
    case TimeUnit::kHour:
      return f.hour;
    case TimeUnit::kMinute:
      return f.minute;
    case TimeUnit::kSecond:
      return f.second;
    // As Calcite: the seconds field in milliseconds / microseconds.
    case TimeUnit::kMillisecond:
      return f.second * 1000LL + f.micros / 1000;
    case TimeUnit::kMicrosecond:
      return f.second * 1000000LL + f.micros;
    case TimeUnit::kEpoch:
      break;
  }
  return 0;
}

// Runs `extractField(unit, ...)` on a DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ vector.
void extractVector(TimeUnit unit, const Vector& input, Rows rows, Vector& result,
                   const DataType& type) {
  switch (input.type().id()) {
    case TypeId::kDate:
      executeUnary<int32_t, int64_t>(input, rows, result, type, [unit](int32_t days) {
        return extractField(unit, static_cast<int64_t>(days) * kMicrosPerDay);
      });
      break;
    case TypeId::kTime:
      executeUnary<int32_t, int64_t>(input, rows, result, type, [unit](int32_t millis) {
        return extractField(unit, static_cast<int64_t>(millis) * kMicrosPerMilli);
      });
      break;
    case TypeId::kTimestampLtz:
      executeUnary<int64_t, int64_t>(input, rows, result, type, [unit](int64_t micros) {
        return extractField(unit, utcToLocal(micros));
      });
      break;
    default:
      executeUnary<int64_t, int64_t>(input, rows, result, type,
                                     [unit](int64_t micros) { return extractField(unit, micros); });
      break;
  }
}

bool isDateTime(const DataType& type) {
  return type.id() == TypeId::kDate || type.id() == TypeId::kTime ||
         type.id() == TypeId::kTimestamp || type.id() == TypeId::kTimestampLtz;
}

Result<BoundScalarFunction> resolveExtract(std::span<const DataType> args) {
  Status count = checkArgCount("EXTRACT", args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> unit_type = stringArgument("EXTRACT", args[0]);
  if (!unit_type.isOk()) return unit_type.status();
  if (!isDateTime(args[1]))
    return Status::error("EXTRACT expects a date or time argument but got " + typeName(args[1]));
  const DataType type = DataType::bigInt().withNullable(args[1].nullable());
  return makeFunction(
      "EXTRACT", {unit_type.value(), args[1]}, type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) -> Status {
        if (rows.count == 0 && !v[0].isConstant()) {
          result = Vector(type, 1);
          return Status::ok();
        }
        // The binder passes the unit as a constant; a flat one is read at the
        // first row.
        const uint32_t at = v[0].isConstant() ? 0 : rows[0];
        if (v[0].isNull(at)) return Status::error("EXTRACT expects a unit");
        const std::string_view name = v[0].valueAt<std::string_view>(at);
        std::optional<TimeUnit> unit = timeUnit(name);
        if (!unit) return Status::error("EXTRACT does not support the unit " + std::string(name));
        extractVector(*unit, v[1], rows, result, type);
        return Status::ok();
      });
}

Result<BoundScalarFunction> resolveField(std::string_view name, TimeUnit unit,
                                         std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 1, 1);
  if (!count.isOk()) return count;
  DataType arg = args[0].id() == TypeId::kNull ? DataType::timestamp(3) : args[0];
  if (!isDateTime(arg))
    return Status::error(upperName(name) + " expects a date or time argument but got " +
                         typeName(arg));
  const DataType type = DataType::bigInt().withNullable(arg.nullable());
  return makeFunction(upperName(name), {arg}, type,
                      [type, unit](std::span<const Vector> v, Rows rows, Vector& result) {
                        extractVector(unit, v[0], rows, result, type);
                        return Status::ok();
                      });
}

// ---- DATE_FORMAT, FROM_UNIXTIME ----

// Formats wall-clock microseconds read from `input` by `micros_of(value, out)`.
template <class In, class Read>
Status formatVector(const Vector& input, const Vector& pattern, Rows rows, Vector& result,
                    const DataType& type, Read&& micros_of) {
  FormatCache cache;
  Status error = Status::ok();
  std::string buffer;
  executeBinaryNullable<In, std::string_view, std::string_view>(
      input, pattern, rows, result, type,
      [&](const In& value, std::string_view format_text, std::string_view& out) {
        int64_t micros = 0;
        if (!micros_of(value, micros)) return false;
        const DateFormat* format = cache.get(format_text, error);
        if (format == nullptr) return false;
        buffer.clear();
        format->format(micros, buffer);
        out = result.heap().add(buffer);
        return true;
      });
  return error;
}

Result<BoundScalarFunction> resolveDateFormat(std::span<const DataType> args) {
  Status count = checkArgCount("DATE_FORMAT", args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> format_type = stringArgument("DATE_FORMAT", args[1]);
  if (!format_type.isOk()) return format_type.status();
  const DataType type = DataType::string();
  DataType arg = args[0];
  if (arg.id() == TypeId::kNull || arg.id() == TypeId::kDate)
    arg = DataType::timestamp(3).withNullable(args[0].nullable());
  ScalarKernel kernel;
  switch (arg.id()) {
    case TypeId::kString:
      kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
        return formatVector<std::string_view>(v[0], v[1], rows, result, type,
                                              [](std::string_view s, int64_t& micros) {
                                                auto parsed = parseTimestamp(s);
                                                if (!parsed) return false;
                                                micros = *parsed;
                                                return true;
                                              });
      };
      break;
    case TypeId::kTimestamp:
      kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
        return formatVector<int64_t>(v[0], v[1], rows, result, type,
                                     [](int64_t ts, int64_t& micros) {
                                       micros = ts;
                                       return true;
                                     });
      };
      break;
    case TypeId::kTimestampLtz:
      kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
        return formatVector<int64_t>(v[0], v[1], rows, result, type,
                                     [](int64_t ts, int64_t& micros) {
                                       micros = utcToLocal(ts);
                                       return true;
                                     });
      };
      break;
    default:
      return Status::error("DATE_FORMAT expects a TIMESTAMP or STRING argument but got " +
                           typeName(args[0]));
  }
  return makeFunction("DATE_FORMAT", {arg, format_type.value()}, type, kernel);
}

constexpr std::string_view kDefaultFormat = "yyyy-MM-dd HH:mm:ss";

Result<BoundScalarFunction> resolveFromUnixtime(std::span<const DataType> args) {
  Status count = checkArgCount("FROM_UNIXTIME", args, 1, 2);
  if (!count.isOk()) return count;
  if (!args[0].isInteger() && args[0].id() != TypeId::kNull) {
    return Status::error("FROM_UNIXTIME expects a BIGINT argument but got " + typeName(args[0]));
  }
  std::vector<DataType> types{DataType::bigInt().withNullable(args[0].nullable())};
  if (args.size() == 2) {
    Result<DataType> format_type = stringArgument("FROM_UNIXTIME", args[1]);
    if (!format_type.isOk()) return format_type.status();
    types.push_back(format_type.value());
  }
  const DataType type = DataType::string();
  return makeFunction(
      "FROM_UNIXTIME", std::move(types), type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) {
        const Vector pattern =
            v.size() == 2 ? v[1] : Vector::constant(Value::string(std::string(kDefaultFormat)));
        return formatVector<int64_t>(v[0], pattern, rows, result, type,
                                     [](int64_t seconds, int64_t& micros) {
                                       micros = utcToLocal(seconds * kMicrosPerSecond);
                                       return true;
                                     });
      });
}

// ---- TO_TIMESTAMP, TO_DATE, UNIX_TIMESTAMP(s) ----

enum class ParseTarget : uint8_t { kTimestamp, kDate, kUnixSeconds };

Result<BoundScalarFunction> resolveParse(std::string_view name, ParseTarget target,
                                         std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 1, 2);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (const DataType& arg : args) {
    Result<DataType> t = stringArgument(name, arg);
    if (!t.isOk()) return t.status();
    types.push_back(t.value());
  }
  DataType type;
  switch (target) {
    case ParseTarget::kTimestamp:
      type = DataType::timestamp(3);
      break;
    case ParseTarget::kDate:
      type = DataType::date();
      break;
    case ParseTarget::kUnixSeconds:
      type = DataType::bigInt();
      break;
  }
  return makeFunction(upperName(name), std::move(types), type,
                      [type, target](std::span<const Vector> v, Rows rows, Vector& result) {
                        // Without a format: the lenient SQL literal forms.
                        auto convert = [target](int64_t micros) -> int64_t {
                          switch (target) {
                            case ParseTarget::kTimestamp:
                              return micros - floorMod(micros, kMicrosPerMilli);
                            case ParseTarget::kDate:
                              return floorDiv(micros, kMicrosPerDay);
                            case ParseTarget::kUnixSeconds:
                              return floorDiv(localToUtc(micros), kMicrosPerSecond);
                          }
                          return 0;
                        };
                        auto run = [&](auto out_tag) -> Status {
                          using Out = typename decltype(out_tag)::type;
                          if (v.size() == 1) {
                            executeUnaryNullable<std::string_view, Out>(
                                v[0], rows, result, type, [&](std::string_view s, Out& out) {
                                  auto parsed = target == ParseTarget::kDate
                                                    ? std::optional<int64_t>()
                                                    : parseTimestamp(s);
                                  if (target == ParseTarget::kDate) {
                                    auto days = parseDate(s);
                                    if (!days) {
                                      // A timestamp text gives its date.
                                      auto ts = parseTimestamp(s);
                                      if (!ts) return false;
                                      out = static_cast<Out>(floorDiv(*ts, kMicrosPerDay));
                                      return true;
                                    }
                                    out = static_cast<Out>(*days);
                                    return true;
                                  }
                                  if (!parsed) return false;
                                  out = static_cast<Out>(convert(*parsed));
                                  return true;
                                });
                            return Status::ok();
                          }
                          FormatCache cache;
                          Status error = Status::ok();
                          executeBinaryNullable<std::string_view, std::string_view, Out>(
                              v[0], v[1], rows, result, type,
                              [&](std::string_view s, std::string_view format_text, Out& out) {
                                const DateFormat* format = cache.get(format_text, error);
                                if (format == nullptr) return false;
                                auto parsed = format->parse(s);
                                if (!parsed) return false;
                                out = static_cast<Out>(convert(*parsed));
                                return true;
                              });
                          return error;
                        };
                        if (target == ParseTarget::kDate) return run(TypeTag<int32_t>{});
                        return run(TypeTag<int64_t>{});
                      });
}

// ---- the clock ----

enum class Clock : uint8_t {
  kCurrentTimestamp,
  kLocalTimestamp,
  kCurrentDate,
  kCurrentTime,
  kUnixTimestamp
};

Result<BoundScalarFunction> resolveClock(std::string_view name, Clock clock,
                                         std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 0, 0);
  if (!count.isOk()) return count;
  DataType type;
  switch (clock) {
    case Clock::kCurrentTimestamp:
      type = DataType::timestampLtz(3);
      break;
    case Clock::kLocalTimestamp:
      type = DataType::timestamp(3);
      break;
    case Clock::kCurrentDate:
      type = DataType::date();
      break;
    case Clock::kCurrentTime:
      type = DataType::time(0);
      break;
    case Clock::kUnixTimestamp:
      type = DataType::bigInt();
      break;
  }
  type = type.withNullable(false);
  return makeFunction(
      upperName(name), {}, type,
      [type, clock](std::span<const Vector>, Rows, Vector& result) {
        // Read once per call: every row of a chunk sees the same instant.
        const int64_t now = currentMicros();
        const int64_t now_millis = now - floorMod(now, kMicrosPerMilli);
        prepareResult(result, type, true, 1);
        switch (clock) {
          case Clock::kCurrentTimestamp:
            result.values<int64_t>()[0] = now_millis;
            break;
          case Clock::kLocalTimestamp:
            result.values<int64_t>()[0] = utcToLocal(now_millis);
            break;
          case Clock::kCurrentDate:
            result.values<int32_t>()[0] =
                static_cast<int32_t>(floorDiv(utcToLocal(now), kMicrosPerDay));
            break;
          case Clock::kCurrentTime:
            result.values<int32_t>()[0] = static_cast<int32_t>(
                floorMod(utcToLocal(now), kMicrosPerDay) / kMicrosPerSecond * 1000);
            break;
          case Clock::kUnixTimestamp:
            result.values<int64_t>()[0] = floorDiv(now, kMicrosPerSecond);
            break;
        }
        return Status::ok();
      },
      /*deterministic=*/false);
}

}  // namespace

void registerTimeFunctions(FunctionRegistry& registry) {
  registry.addScalar("date_format", resolveDateFormat);
  registry.addScalar("extract", resolveExtract);
  const std::pair<const char*, TimeUnit> fields[] = {
      {"year", TimeUnit::kYear},           {"quarter", TimeUnit::kQuarter},
      {"month", TimeUnit::kMonth},         {"week", TimeUnit::kWeek},
      {"dayofmonth", TimeUnit::kDay},      {"dayofyear", TimeUnit::kDayOfYear},
      {"dayofweek", TimeUnit::kDayOfWeek}, {"hour", TimeUnit::kHour},
      {"minute", TimeUnit::kMinute},       {"second", TimeUnit::kSecond}};
  for (const auto& [name, unit] : fields) {
    registry.addScalar(name,
                       [name = std::string(name), unit = unit](std::span<const DataType> args) {
                         return resolveField(name, unit, args);
                       });
  }
  registry.addScalar("to_timestamp", [](std::span<const DataType> args) {
    return resolveParse("to_timestamp", ParseTarget::kTimestamp, args);
  });
  registry.addScalar("to_date", [](std::span<const DataType> args) {
    return resolveParse("to_date", ParseTarget::kDate, args);
  });
  registry.addScalar("unix_timestamp",
                     [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
                       if (args.empty())
                         return resolveClock("unix_timestamp", Clock::kUnixTimestamp, args);
                       return resolveParse("unix_timestamp", ParseTarget::kUnixSeconds, args);
                     });
  registry.addScalar("from_unixtime", resolveFromUnixtime);
  const std::pair<const char*, Clock> clocks[] = {
      {"current_timestamp", Clock::kCurrentTimestamp}, {"now", Clock::kCurrentTimestamp},
      {"localtimestamp", Clock::kLocalTimestamp},      {"current_date", Clock::kCurrentDate},
      {"current_time", Clock::kCurrentTime},           {"localtime", Clock::kCurrentTime}};
  for (const auto& [name, clock] : clocks) {
    registry.addScalar(name,
                       [name = std::string(name), clock = clock](std::span<const DataType> args) {
                         return resolveClock(name, clock, args);
                       });
  }
}

}  // namespace caudal::sql
