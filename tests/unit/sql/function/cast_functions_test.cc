#include <gtest/gtest.h>

#include <cstdlib>

#include "sql/types/temporal.h"
#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

TEST(CastFunctionsTest, BetweenNumbers) {
  EXPECT_EQ(castValue(f64(3.99), DataType::integer()), "3");
  EXPECT_EQ(castValue(f64(-3.99), DataType::integer()), "-3");
  EXPECT_EQ(castValue(f64(1e10), DataType::integer()), "error: cannot cast 1e+10 to INT");
  EXPECT_EQ(castValue(f64(1e10), DataType::integer(), true), "NULL");
  EXPECT_EQ(castValue(i32(300), DataType::tinyInt()), "error: cannot cast 300 to TINYINT");
  EXPECT_EQ(castValue(i32(-128), DataType::tinyInt()), "-128");
  EXPECT_EQ(castValue(i64(5), DataType::doubleType()), "5.0");
  EXPECT_EQ(castValue(i32(7), DataType::decimal(5, 2)), "7.00");
  EXPECT_EQ(castValue(i32(7000), DataType::decimal(5, 2)),
            "error: cannot cast 7000 to DECIMAL(5, 2)");
  EXPECT_EQ(castValue(f64(1.005), DataType::decimal(5, 2)), "1.01");
  EXPECT_EQ(castValue(f64(2.675), DataType::decimal(5, 2)), "2.68");
  EXPECT_EQ(castValue(f64(-0.125), DataType::decimal(5, 2)), "-0.13");
  EXPECT_EQ(castValue(f64(0.1234), DataType::decimal(5, 2)), "0.12");
  EXPECT_EQ(castValue(dec(12345, 10, 3), DataType::decimal(10, 2)), "12.35");
  EXPECT_EQ(castValue(dec(-12345, 10, 3), DataType::decimal(10, 2)), "-12.35");
  EXPECT_EQ(castValue(dec(-12999, 10, 3), DataType::integer()), "-12");
  EXPECT_EQ(castValue(dec(1250, 10, 2), DataType::doubleType()), "12.5");
  EXPECT_EQ(castValue(boolean(true), DataType::integer()), "1");
  EXPECT_EQ(castValue(i32(0), DataType::boolean()), "false");
}

TEST(CastFunctionsTest, ToString) {
  EXPECT_EQ(castValue(boolean(true), DataType::string()), "TRUE");
  EXPECT_EQ(castValue(boolean(false), DataType::string()), "FALSE");
  EXPECT_EQ(castValue(i64(-42), DataType::string()), "-42");
  EXPECT_EQ(castValue(dec(-5, 10, 2), DataType::string()), "-0.05");
  EXPECT_EQ(castValue(dec(1250, 10, 2), DataType::string()), "12.50");
  EXPECT_EQ(castValue(f64(2), DataType::string()), "2.0");
  EXPECT_EQ(
      castValue(Value::fromInt(DataType::date(), *parseDate("2024-02-29")), DataType::string()),
      "2024-02-29");
  EXPECT_EQ(
      castValue(Value::fromInt(DataType::timestamp(3), *parseTimestamp("2024-02-29 01:02:03.456")),
                DataType::string()),
      "2024-02-29 01:02:03.456");
  EXPECT_EQ(castValue(Value::fromString(DataType::bytes(), "hi"), DataType::string()), "hi");
  EXPECT_EQ(castValue(nullOf(DataType::integer()), DataType::string()), "NULL");
}

TEST(CastFunctionsTest, FromString) {
  EXPECT_EQ(castValue(str(" 42 "), DataType::integer()), "42");
  EXPECT_EQ(castValue(str("+7"), DataType::bigInt()), "7");
  EXPECT_EQ(castValue(str("abc"), DataType::integer()), "error: cannot cast 'abc' to INT");
  EXPECT_EQ(castValue(str("abc"), DataType::integer(), true), "NULL");
  EXPECT_EQ(castValue(str("1.5"), DataType::integer()), "error: cannot cast '1.5' to INT");
  EXPECT_EQ(castValue(str("99999999999"), DataType::integer()),
            "error: cannot cast '99999999999' to INT");
  EXPECT_EQ(castValue(str("1.5e1"), DataType::doubleType()), "15.0");
  EXPECT_EQ(castValue(str("x1.5"), DataType::doubleType()), "error: cannot cast 'x1.5' to DOUBLE");
  EXPECT_EQ(castValue(str(" 12.345 "), DataType::decimal(10, 2)), "12.35");
  EXPECT_EQ(castValue(str("TRUE"), DataType::boolean()), "true");
  EXPECT_EQ(castValue(str("False"), DataType::boolean()), "false");
  EXPECT_EQ(castValue(str("yes"), DataType::boolean()), "error: cannot cast 'yes' to BOOLEAN");
  EXPECT_EQ(castValue(str("2024-02-29"), DataType::date()), "2024-02-29");
  EXPECT_EQ(castValue(str("2023-02-29"), DataType::date()),
            "error: cannot cast '2023-02-29' to DATE");
  EXPECT_EQ(castValue(str("12:34:56"), DataType::time()), "12:34:56");
  EXPECT_EQ(castValue(str("2024-01-02 03:04:05.678"), DataType::timestamp(3)),
            "2024-01-02 03:04:05.678");
  EXPECT_EQ(castValue(str("2024-01-02 03:04:05.678"), DataType::timestamp(0)),
            "2024-01-02 03:04:05");
  EXPECT_EQ(castValue(str("hi"), DataType::bytes()), "x'6869'");
}

TEST(CastFunctionsTest, BetweenTemporalTypes) {
  const Value date = Value::fromInt(DataType::date(), *parseDate("2024-03-01"));
  EXPECT_EQ(castValue(date, DataType::timestamp(3)), "2024-03-01 00:00:00.000");
  const Value ts = Value::fromInt(DataType::timestamp(6), *parseTimestamp("1969-12-31 23:59:59.5"));
  EXPECT_EQ(castValue(ts, DataType::date()), "1969-12-31");
  EXPECT_EQ(castValue(ts, DataType::time(0)), "23:59:59");
  EXPECT_EQ(castValue(ts, DataType::timestamp(0)), "1969-12-31 23:59:59");
  EXPECT_EQ(castValue(boolean(true), DataType::date()), "error: cannot cast BOOLEAN to DATE");
}

TEST(CastFunctionsTest, TimestampLtzUsesTheLocalZone) {
  // Fix the process zone for the test: UTC+2 all year.
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "EET-2", 1);
  tzset();
  const Value ts = Value::fromInt(DataType::timestamp(3), *parseTimestamp("2024-01-01 10:00:00"));
  const std::string ltz = castValue(ts, DataType::timestampLtz(3));
  EXPECT_EQ(ltz, "2024-01-01 08:00:00.000");  // the instant, shown in UTC by Value::toString
  const Value instant =
      Value::fromInt(DataType::timestampLtz(3), *parseTimestamp("2024-01-01 08:00:00"));
  EXPECT_EQ(castValue(instant, DataType::timestamp(3)), "2024-01-01 10:00:00.000");
  EXPECT_EQ(castValue(instant, DataType::string()), "2024-01-01 10:00:00.000");
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(CastFunctionsTest, CastErrorNamesTheFirstBadRowOfAVector) {
  Vector input = flatVector(DataType::string(), {str("1"), str("x"), str("y")});
  Result<CastKernel> kernel = resolveCast(DataType::string(), DataType::integer(), false);
  ASSERT_TRUE(kernel.isOk());
  Vector result;
  Status status = kernel.value()(input, Rows{nullptr, 3}, result);
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.message(), "cannot cast 'x' to INT");
  const uint32_t sel[] = {0};
  EXPECT_TRUE(kernel.value()(input, Rows{sel, 1}, result).isOk());
  EXPECT_EQ(result.getValue(0).toString(), "1");
}

}  // namespace
}  // namespace caudal::sql
