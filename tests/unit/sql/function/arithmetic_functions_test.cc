#include <gtest/gtest.h>

#include "sql/types/temporal.h"
#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

TEST(ArithmeticFunctionsTest, IntegersWrapAndDivideAsJava) {
  EXPECT_EQ(call("+", {i32(2), i32(3)}), "5");
  EXPECT_EQ(call("-", {i32(2), i64(3)}), "-1");
  EXPECT_EQ(call("*", {i64(6), i64(7)}), "42");
  EXPECT_EQ(call("+", {i32(2147483647), i32(1)}), "-2147483648");
  EXPECT_EQ(call("*", {i64(INT64_MAX), i64(2)}), "-2");
  EXPECT_EQ(call("/", {i32(7), i32(2)}), "3");
  EXPECT_EQ(call("/", {i32(-7), i32(2)}), "-3");
  EXPECT_EQ(call("%", {i32(-7), i32(2)}), "-1");
  EXPECT_EQ(call("mod", {i32(7), i32(-3)}), "1");
  EXPECT_EQ(call("/", {i32(7), i32(0)}), "NULL");
  EXPECT_EQ(call("%", {i64(7), i64(0)}), "NULL");
  EXPECT_EQ(call("/", {i32(INT32_MIN), i32(-1)}), "-2147483648");
  EXPECT_EQ(call("%", {i32(INT32_MIN), i32(-1)}), "0");
  EXPECT_EQ(call("+", {i32(1), nullOf(DataType::integer())}), "NULL");
  EXPECT_EQ(call("negate", {i32(INT32_MIN)}), "-2147483648");
  EXPECT_EQ(call("negate", {i64(5)}), "-5");
  EXPECT_EQ(call("+", {str("a"), i32(1)}),
            "error: cannot apply '+' to arguments of type STRING and INT");
}

TEST(ArithmeticFunctionsTest, SmallIntegersKeepTheirType) {
  DataType type;
  Result<std::vector<Value>> r =
      callVectors("+",
                  {Vector::constant(Value::fromInt(DataType::tinyInt(), 127)),
                   Vector::constant(Value::fromInt(DataType::tinyInt(), 1))},
                  1, &type);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(type.toString(), "TINYINT");
  EXPECT_EQ(r.value()[0].toString(), "-128");
}

TEST(ArithmeticFunctionsTest, DoublesFollowIeee) {
  EXPECT_EQ(call("+", {f64(0.1), f64(0.2)}), "0.30000000000000004");
  EXPECT_EQ(call("/", {f64(1), f64(0)}), "Infinity");
  EXPECT_EQ(call("/", {i32(1), f64(4)}), "0.25");
  EXPECT_EQ(call("%", {f64(7.5), f64(2)}), "1.5");
  EXPECT_EQ(call("negate", {f64(2.5)}), "-2.5");
}

std::string typeOf(std::string_view name, const std::vector<Value>& args) {
  std::vector<Vector> vectors;
  for (const Value& v : args) vectors.push_back(Vector::constant(v));
  DataType type;
  Result<std::vector<Value>> r = callVectors(name, vectors, 1, &type);
  return r.isOk() ? type.withNullable(true).toString() : r.status().message();
}

TEST(ArithmeticFunctionsTest, DecimalResultTypesFollowFlink) {
  EXPECT_EQ(typeOf("+", {dec(1, 10, 2), dec(1, 5, 3)}), "DECIMAL(12, 3)");
  EXPECT_EQ(typeOf("*", {dec(1, 10, 2), dec(1, 3, 3)}), "DECIMAL(14, 5)");
  EXPECT_EQ(typeOf("/", {dec(1, 10, 2), dec(1, 5, 1)}), "DECIMAL(17, 8)");
  EXPECT_EQ(typeOf("%", {dec(1, 10, 2), dec(1, 5, 1)}), "DECIMAL(6, 2)");
  EXPECT_EQ(typeOf("+", {dec(1, 10, 2), i32(1)}), "DECIMAL(13, 2)");
  EXPECT_EQ(typeOf("*", {dec(1, 18, 2), dec(1, 18, 2)}), "DECIMAL(37, 4)");
  // BIGINT is DECIMAL(19, 0): Nexmark q1's 0.908 * price.
  EXPECT_EQ(typeOf("*", {dec(908, 4, 3), i64(1)}), "DECIMAL(24, 3)");
  EXPECT_EQ(typeOf("+", {i64(1), dec(1, 20, 2)}), "DECIMAL(22, 2)");
  EXPECT_EQ(typeOf("/", {decText("1", 38, 10), decText("1", 38, 10)}), "DECIMAL(38, 6)");
  EXPECT_EQ(typeOf("+", {decText("1", 38, 0), decText("1", 38, 0)}), "DECIMAL(38, 0)");
  EXPECT_EQ(typeOf("%", {decText("1", 25, 2), i32(7)}), "DECIMAL(12, 2)");
  EXPECT_EQ(typeOf("+", {dec(1, 10, 2), f64(1)}), "DOUBLE");
}

TEST(ArithmeticFunctionsTest, DecimalValues) {
  EXPECT_EQ(call("+", {dec(1250, 10, 2), dec(5, 5, 3)}), "12.505");
  EXPECT_EQ(call("-", {dec(1250, 10, 2), i32(20)}), "-7.50");
  EXPECT_EQ(call("*", {dec(100000, 10, 2), dec(908, 3, 3)}), "908.00000");
  EXPECT_EQ(call("/", {dec(100, 10, 2), dec(30, 5, 1)}), "0.33333333");
  EXPECT_EQ(call("/", {dec(200, 10, 2), dec(30, 5, 1)}), "0.66666667");
  EXPECT_EQ(call("/", {dec(100, 10, 2), dec(0, 5, 1)}), "NULL");
  EXPECT_EQ(call("%", {dec(750, 10, 2), dec(20, 5, 1)}), "1.50");
  EXPECT_EQ(call("%", {dec(-750, 10, 2), dec(20, 5, 1)}), "-1.50");
  // DECIMAL(18, 2) * DECIMAL(18, 2) is DECIMAL(37, 4): no overflow past 18 digits.
  EXPECT_EQ(call("*", {dec(12345, 18, 2), dec(1005, 18, 2)}), "1240.6725");
  EXPECT_EQ(call("*", {dec(999999999999999999, 18, 2), dec(200, 18, 2)}), "19999999999999999.9800");
  // DECIMAL(9, 2) + DECIMAL(9, 2) is DECIMAL(10, 2): the 64-bit kernels.
  EXPECT_EQ(call("+", {dec(99999999, 9, 2), dec(1, 9, 2)}), "1000000.00");
  EXPECT_EQ(call("negate", {dec(1250, 10, 2)}), "-12.50");
}

TEST(ArithmeticFunctionsTest, WideDecimalValues) {
  // BIGINT times a DECIMAL(4, 3) literal: 0.908 * price, exact at the extremes of BIGINT.
  EXPECT_EQ(call("*", {dec(908, 4, 3), i64(INT64_MAX)}), "8374821809464136432.756");
  EXPECT_EQ(call("*", {i64(INT64_MIN), dec(908, 4, 3)}), "-8374821809464136433.664");
  EXPECT_EQ(call("+", {i64(1), decText("1.50", 20, 2)}), "2.50");
  // Sums: exact, across layouts and scales, NULL past 38 digits.
  EXPECT_EQ(call("+", {decText("99999999999999999999.99", 22, 2), dec(1, 3, 2)}), "100000000000000000000.00");
  EXPECT_EQ(call("-", {dec(1250, 10, 2), decText("12345678901234567890.5", 21, 1)}), "-12345678901234567878.00");
  EXPECT_EQ(call("+", {decText("1.5", 20, 1), decText("0.25", 25, 2)}), "1.75");
  const Value max38 = decText("99999999999999999999999999999999999999", 38, 0);
  EXPECT_EQ(call("+", {max38, dec(1, 1, 0)}), "NULL");
  EXPECT_EQ(call("-", {max38, max38}), "0");
  EXPECT_EQ(call("-", {decText("-99999999999999999999999999999999999999", 38, 0), dec(1, 1, 0)}), "NULL");
  // DECIMAL(38, 8) + DECIMAL(38, 9) is DECIMAL(38, 7): the eighth digit rounds half up.
  EXPECT_EQ(typeOf("+", {decText("1", 38, 8), decText("0", 38, 9)}), "DECIMAL(38, 7)");
  EXPECT_EQ(call("+", {decText("1.00000000", 38, 8), decText("0.000000050", 38, 9)}), "1.0000001");
  EXPECT_EQ(call("-", {decText("-1.00000000", 38, 8), decText("0.000000050", 38, 9)}), "-1.0000001");
  // Products past 128 bits: DECIMAL(38, 19) * DECIMAL(38, 19) is DECIMAL(38, 6).
  EXPECT_EQ(call("*", {decText("1.5", 38, 19), decText("2.5", 38, 19)}), "3.750000");
  EXPECT_EQ(call("*", {decText("-1.0000005", 38, 19), decText("1", 38, 19)}), "-1.000001");
  EXPECT_EQ(call("*", {decText("1000000000000000000", 38, 19), decText("1000000000000000000", 38, 19)}), "NULL");
  // Quotients: DECIMAL(38, 10) / DECIMAL(38, 10) is DECIMAL(38, 6), half up.
  EXPECT_EQ(call("/", {decText("1", 38, 10), decText("3", 38, 10)}), "0.333333");
  EXPECT_EQ(call("/", {decText("-2", 38, 10), decText("3", 38, 10)}), "-0.666667");
  EXPECT_EQ(call("/", {decText("12345678901234567890123456.7890123456", 38, 10), decText("1000000", 38, 10)}),
            "12345678901234567890.123457");
  EXPECT_EQ(call("/", {decText("1", 38, 10), decText("0", 38, 10)}), "NULL");
  EXPECT_EQ(call("/", {decText("10000000000000000000000000", 38, 10), decText("0.0000000001", 38, 10)}), "NULL");
  // Modulo: the sign of the dividend; a 128-bit operand with a 64-bit result.
  EXPECT_EQ(call("%", {decText("12345678901234567890123.45", 25, 2), i32(7)}), "3.45");
  EXPECT_EQ(call("%", {decText("-12345678901234567890123.45", 25, 2), i32(7)}), "-3.45");
  EXPECT_EQ(call("%", {decText("5", 20, 0), decText("0", 20, 0)}), "NULL");
  EXPECT_EQ(call("negate", {decText("12345678901234567890.5", 21, 1)}), "-12345678901234567890.5");
}

TEST(ArithmeticFunctionsTest, DateAndTimestampPlusInterval) {
  const Value ts = Value::fromInt(DataType::timestamp(3), *parseTimestamp("2024-01-31 10:00:00"));
  const Value day = Value::fromInt(DataType::intervalDayTime(), 86400000);
  const Value month = Value::fromInt(DataType::intervalYearMonth(), 1);
  EXPECT_EQ(call("+", {ts, day}), "2024-02-01 10:00:00.000");
  EXPECT_EQ(call("-", {ts, day}), "2024-01-30 10:00:00.000");
  EXPECT_EQ(call("+", {ts, month}), "2024-02-29 10:00:00.000");
  EXPECT_EQ(call("+", {month, ts}), "2024-02-29 10:00:00.000");
  const Value date = Value::fromInt(DataType::date(), *parseDate("2023-03-31"));
  EXPECT_EQ(call("-", {date, month}), "2023-02-28");
  EXPECT_EQ(call("+", {date, Value::fromInt(DataType::intervalDayTime(), 2 * 86400000LL)}),
            "2023-04-02");
  EXPECT_EQ(call("+", {day, day}), "+2 00:00:00.000");
}

TEST(ArithmeticFunctionsTest, FlatVectorsWithNullsAndSelections) {
  Vector left =
      flatVector(DataType::integer(), {i32(10), nullOf(DataType::integer()), i32(30), i32(40)});
  Vector right = flatVector(DataType::integer(), {i32(2), i32(3), i32(0), i32(4)});
  const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar("/");
  std::vector<DataType> types{DataType::integer(), DataType::integer()};
  Result<BoundScalarFunction> bound = (*resolver)(types);
  ASSERT_TRUE(bound.isOk());
  const uint32_t sel[] = {3, 1, 2};
  Vector result;
  std::vector<Vector> args{left, right};
  ASSERT_TRUE(bound.value().kernel(args, Rows{sel, 3}, result).isOk());
  EXPECT_EQ(result.getValue(3).toString(), "10");
  EXPECT_TRUE(result.isNull(1));
  EXPECT_TRUE(result.isNull(2));
  // A constant divisor takes the unchecked loop.
  std::vector<Vector> by_constant{left, Vector::constant(i32(5))};
  ASSERT_TRUE(bound.value().kernel(by_constant, Rows{nullptr, 4}, result).isOk());
  EXPECT_EQ(result.getValue(0).toString(), "2");
  EXPECT_TRUE(result.isNull(1));
  EXPECT_EQ(result.getValue(3).toString(), "8");
}

}  // namespace
}  // namespace caudal::sql
