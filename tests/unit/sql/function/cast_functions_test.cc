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

TEST(CastFunctionsTest, WideDecimalsInBothDirections) {
  const DataType d21 = DataType::decimal(21, 1);
  // STRING <-> DECIMAL(p > 18).
  EXPECT_EQ(castValue(str("12345678901234567890.5"), d21), "12345678901234567890.5");
  EXPECT_EQ(castValue(str(" -12345678901234567890.45 "), d21), "-12345678901234567890.5");
  EXPECT_EQ(castValue(str("1e40"), DataType::decimal(38, 0), true), "NULL");
  EXPECT_EQ(castValue(str("1e40"), DataType::decimal(38, 0)), "error: cannot cast '1e40' to DECIMAL(38, 0)");
  EXPECT_EQ(castValue(str("x"), d21, true), "NULL");
  EXPECT_EQ(castValue(decText("-0.05", 20, 2), DataType::string()), "-0.05");
  EXPECT_EQ(castValue(decText("99999999999999999999999999999999999999", 38, 0), DataType::string()),
            "99999999999999999999999999999999999999");
  // Integers.
  EXPECT_EQ(castValue(i64(INT64_MIN), DataType::decimal(19, 0)), "-9223372036854775808");
  EXPECT_EQ(castValue(i64(INT64_MIN), DataType::decimal(20, 2), true), "NULL");
  EXPECT_EQ(castValue(i64(INT64_MIN), DataType::decimal(21, 2)), "-9223372036854775808.00");
  EXPECT_EQ(castValue(i32(7), DataType::decimal(38, 37)), "7.0000000000000000000000000000000000000");
  EXPECT_EQ(castValue(i32(10), DataType::decimal(38, 37), true), "NULL");
  EXPECT_EQ(castValue(decText("-12345.99", 20, 2), DataType::bigInt()), "-12345");
  EXPECT_EQ(castValue(decText("12345.99", 20, 2), DataType::integer()), "12345");
  EXPECT_EQ(castValue(decText("9223372036854775807.9", 20, 1), DataType::bigInt()), "9223372036854775807");
  EXPECT_EQ(castValue(decText("9223372036854775808", 20, 0), DataType::bigInt(), true), "NULL");
  EXPECT_EQ(castValue(decText("40000", 20, 0), DataType::smallInt(), true), "NULL");
  // Floating point.
  EXPECT_EQ(castValue(decText("12345678901234567890.123", 23, 3), DataType::doubleType()),
            "1.2345678901234567e+19");
  EXPECT_EQ(castValue(decText("0.5", 30, 10), DataType::floatType()), "0.5");
  EXPECT_EQ(castValue(f64(1.005), DataType::decimal(25, 2)), "1.01");
  EXPECT_EQ(castValue(f64(1e20), DataType::decimal(25, 2)), "100000000000000000000.00");
  EXPECT_EQ(castValue(f64(1e30), DataType::decimal(25, 2), true), "NULL");
  // Between the layouts and scales.
  EXPECT_EQ(castValue(dec(12345, 10, 3), DataType::decimal(30, 10)), "12.3450000000");
  EXPECT_EQ(castValue(decText("123.455", 20, 3), DataType::decimal(5, 2)), "123.46");
  EXPECT_EQ(castValue(decText("-123.455", 20, 3), DataType::decimal(5, 2)), "-123.46");
  EXPECT_EQ(castValue(decText("1234.5", 20, 1), DataType::decimal(5, 2), true), "NULL");
  EXPECT_EQ(castValue(decText("12345678901234567890.5", 21, 1), DataType::decimal(25, 0)), "12345678901234567891");
  EXPECT_EQ(castValue(decText("12345678901234567890.5", 21, 1), DataType::decimal(19, 0), true), "NULL");
  // BOOLEAN.
  EXPECT_EQ(castValue(boolean(true), DataType::decimal(20, 2)), "1.00");
  EXPECT_EQ(castValue(decText("0.00", 20, 2), DataType::boolean()), "false");
  EXPECT_EQ(castValue(decText("-0.01", 20, 2), DataType::boolean()), "true");
  // Implicit casts widen only.
  EXPECT_TRUE(canCastImplicitly(DataType::bigInt(), DataType::decimal(19, 0)));
  EXPECT_FALSE(canCastImplicitly(DataType::bigInt(), DataType::decimal(20, 2)));
  EXPECT_TRUE(canCastImplicitly(DataType::decimal(10, 2), DataType::decimal(30, 2)));
  EXPECT_FALSE(canCastImplicitly(DataType::decimal(30, 2), DataType::decimal(18, 2)));
}

}  // namespace
}  // namespace caudal::sql
