#include <gtest/gtest.h>

#include <cstdlib>

#include "sql/function/date_format.h"
#include "sql/types/temporal.h"
#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

Value ts(const char* text) { return Value::fromInt(DataType::timestamp(3), *parseTimestamp(text)); }
Value date(const char* text) { return Value::fromInt(DataType::date(), *parseDate(text)); }

// Runs a test body with the process zone set to a fixed UTC+2 (restored after).
class TimeFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("TZ");
    had_tz_ = old != nullptr;
    if (had_tz_) saved_ = old;
    setenv("TZ", "EET-2", 1);
    tzset();
  }
  void TearDown() override {
    if (had_tz_) {
      setenv("TZ", saved_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  bool had_tz_ = false;
  std::string saved_;
};

TEST_F(TimeFunctionsTest, DateFormat) {
  const Value t = ts("2024-03-05 14:07:09.123");
  EXPECT_EQ(call("date_format", {t, str("yyyy-MM-dd HH:mm:ss")}), "2024-03-05 14:07:09");
  EXPECT_EQ(call("date_format", {t, str("yyyy/M/d h:mm a")}), "2024/3/5 2:07 PM");
  EXPECT_EQ(call("date_format", {t, str("yy MMM dd EEE")}), "24 Mar 05 Tue");
  EXPECT_EQ(call("date_format", {t, str("MMMM EEEE D")}), "March Tuesday 65");
  EXPECT_EQ(call("date_format", {t, str("HH:mm:ss.SSS")}), "14:07:09.123");
  EXPECT_EQ(call("date_format", {t, str("yyyy-MM-dd'T'HH:mm 'o''clock'")}),
            "2024-03-05T14:07 o'clock");
  EXPECT_EQ(call("date_format", {str("2024-03-05 14:07:09"), str("yyyyMMdd")}), "20240305");
  EXPECT_EQ(call("date_format", {date("2024-03-05"), str("dd.MM.yyyy")}), "05.03.2024");
  EXPECT_EQ(call("date_format", {str("not a time"), str("yyyy")}), "NULL");
  EXPECT_EQ(call("date_format", {t, str("yyyy Q")}),
            "error: unsupported letter 'Q' in date format 'yyyy Q'");
  const Value instant =
      Value::fromInt(DataType::timestampLtz(3), *parseTimestamp("2024-03-05 22:30:00"));
  EXPECT_EQ(call("date_format", {instant, str("yyyy-MM-dd HH:mm")}), "2024-03-06 00:30");
}

TEST_F(TimeFunctionsTest, Extract) {
  const Value t = ts("2024-03-05 14:07:09.123");
  EXPECT_EQ(call("extract", {str("YEAR"), t}), "2024");
  EXPECT_EQ(call("extract", {str("QUARTER"), t}), "1");
  EXPECT_EQ(call("extract", {str("MONTH"), t}), "3");
  EXPECT_EQ(call("extract", {str("DAY"), t}), "5");
  EXPECT_EQ(call("extract", {str("DOY"), t}), "65");
  EXPECT_EQ(call("extract", {str("DOW"), t}), "3");  // Tuesday; Sunday is 1
  EXPECT_EQ(call("extract", {str("WEEK"), t}), "10");
  EXPECT_EQ(call("extract", {str("HOUR"), t}), "14");
  EXPECT_EQ(call("extract", {str("MINUTE"), t}), "7");
  EXPECT_EQ(call("extract", {str("SECOND"), t}), "9");
  EXPECT_EQ(call("extract", {str("MILLISECOND"), t}), "9123");
  EXPECT_EQ(call("extract", {str("EPOCH"), ts("1970-01-02 00:00:00")}), "86400");
  EXPECT_EQ(call("extract", {str("WEEK"), date("2021-01-03")}), "53");
  EXPECT_EQ(call("extract", {str("WEEK"), date("2024-12-30")}), "1");
  EXPECT_EQ(call("extract", {str("YEAR"), date("1969-12-31")}), "1969");
  EXPECT_EQ(call("extract", {str("FORTNIGHT"), t}),
            "error: EXTRACT does not support the unit FORTNIGHT");
  EXPECT_EQ(call("year", {date("2024-03-05")}), "2024");
  EXPECT_EQ(call("month", {t}), "3");
  EXPECT_EQ(call("dayofmonth", {t}), "5");
  EXPECT_EQ(call("hour", {t}), "14");
  EXPECT_EQ(call("minute", {t}), "7");
  EXPECT_EQ(call("second", {t}), "9");
  EXPECT_EQ(call("hour", {Value::fromInt(DataType::time(0), 3723000)}), "1");
  EXPECT_EQ(call("year", {Value::null(DataType::timestamp(3))}), "NULL");
}

TEST_F(TimeFunctionsTest, ParsingAndUnixTime) {
  EXPECT_EQ(call("to_timestamp", {str("2024-03-05 14:07:09")}), "2024-03-05 14:07:09.000");
  EXPECT_EQ(call("to_timestamp", {str("2024-03-05 14:07:09.123456")}), "2024-03-05 14:07:09.123");
  EXPECT_EQ(call("to_timestamp", {str("05/03/2024 14:07"), str("dd/MM/yyyy HH:mm")}),
            "2024-03-05 14:07:00.000");
  EXPECT_EQ(call("to_timestamp", {str("20240305"), str("yyyyMMdd")}), "2024-03-05 00:00:00.000");
  EXPECT_EQ(call("to_timestamp", {str("2024-02-30"), str("yyyy-MM-dd")}), "NULL");
  EXPECT_EQ(call("to_timestamp", {str("garbage")}), "NULL");
  EXPECT_EQ(call("to_date", {str("2024-03-05")}), "2024-03-05");
  EXPECT_EQ(call("to_date", {str("2024-03-05 10:00:00")}), "2024-03-05");
  EXPECT_EQ(call("to_date", {str("Mar 5, 2024"), str("MMM d, yyyy")}), "2024-03-05");
  // Local zone UTC+2.
  EXPECT_EQ(call("unix_timestamp", {str("1970-01-01 02:00:00")}), "0");
  EXPECT_EQ(call("unix_timestamp", {str("1970/01/01 03:00"), str("yyyy/MM/dd HH:mm")}), "3600");
  EXPECT_EQ(call("from_unixtime", {i64(0)}), "1970-01-01 02:00:00");
  EXPECT_EQ(call("from_unixtime", {i64(86400), str("yyyy-MM-dd")}), "1970-01-02");
  EXPECT_EQ(call("from_unixtime", {i32(3600), str("HH:mm")}), "03:00");
}

TEST_F(TimeFunctionsTest, ClockFunctionsReadTheClockOncePerCall) {
  for (const char* name : {"current_timestamp", "now", "localtimestamp", "current_date",
                           "current_time", "unix_timestamp"}) {
    const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar(name);
    ASSERT_NE(resolver, nullptr) << name;
    Result<BoundScalarFunction> bound = (*resolver)({});
    ASSERT_TRUE(bound.isOk()) << name;
    EXPECT_FALSE(bound.value().deterministic);
    EXPECT_FALSE(bound.value().return_type.nullable());
    Vector result;
    ASSERT_TRUE(bound.value().kernel({}, Rows{nullptr, 10}, result).isOk());
    EXPECT_TRUE(result.isConstant()) << name;
  }
  const ScalarResolver* now = FunctionRegistry::builtins().findScalar("current_timestamp");
  Result<BoundScalarFunction> bound = (*now)({});
  EXPECT_EQ(bound.value().return_type.toString(), "TIMESTAMP_LTZ(3) NOT NULL");
  Vector result;
  ASSERT_TRUE(bound.value().kernel({}, Rows{nullptr, 1}, result).isOk());
  const int64_t micros = result.values<int64_t>()[0];
  EXPECT_GT(micros, *parseTimestamp("2024-01-01 00:00:00"));
  EXPECT_EQ(micros % 1000, 0);
}

TEST(DateFormatTest, RoundTripsThroughParse) {
  Result<DateFormat> format = DateFormat::compile("yyyy-MM-dd HH:mm:ss.SSSSSS");
  ASSERT_TRUE(format.isOk());
  const int64_t micros = *parseTimestamp("1969-07-20 20:17:40.123456");
  std::string text;
  format.value().format(micros, text);
  EXPECT_EQ(text, "1969-07-20 20:17:40.123456");
  EXPECT_EQ(format.value().parse(text), micros);
  EXPECT_FALSE(DateFormat::compile("'open").isOk());
}

}  // namespace
}  // namespace caudal::sql
