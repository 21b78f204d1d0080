#include <gtest/gtest.h>

#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

TEST(MathFunctionsTest, AbsSignCeilFloor) {
  EXPECT_EQ(call("abs", {i32(-5)}), "5");
  EXPECT_EQ(call("abs", {i32(INT32_MIN)}), "-2147483648");
  EXPECT_EQ(call("abs", {f64(-2.5)}), "2.5");
  EXPECT_EQ(call("abs", {dec(-1250, 10, 2)}), "12.50");
  EXPECT_EQ(call("sign", {i32(-7)}), "-1");
  EXPECT_EQ(call("sign", {f64(0)}), "0.0");
  EXPECT_EQ(call("sign", {dec(-1250, 10, 2)}), "-1.00");
  EXPECT_EQ(call("ceil", {f64(1.2)}), "2.0");
  EXPECT_EQ(call("ceiling", {f64(-1.2)}), "-1.0");
  EXPECT_EQ(call("floor", {f64(-1.2)}), "-2.0");
  EXPECT_EQ(call("floor", {i32(7)}), "7");
  EXPECT_EQ(call("ceil", {dec(1201, 10, 2)}), "13");
  EXPECT_EQ(call("floor", {dec(-1201, 10, 2)}), "-13");
  EXPECT_EQ(call("abs", {str("x")}), "error: ABS expects a numeric argument but got STRING");
}

TEST(MathFunctionsTest, RoundAndTruncate) {
  EXPECT_EQ(call("round", {f64(2.5)}), "3.0");
  EXPECT_EQ(call("round", {f64(-2.5)}), "-3.0");
  EXPECT_EQ(call("round", {f64(2.675), i32(2)}), "2.68");
  EXPECT_EQ(call("round", {f64(1.005), i32(2)}), "1.01");
  // Value::toString shows 30.0 as 3e+01: compare the doubles.
  Result<std::vector<Value>> tens =
      callVectors("round",
                  {flatVector(DataType::doubleType(), {f64(34.5678), f64(35.5), f64(-35)}),
                   Vector::constant(i32(-1))},
                  3);
  ASSERT_TRUE(tens.isOk());
  EXPECT_EQ(tens.value()[0].doubleValue(), 30.0);
  EXPECT_EQ(tens.value()[1].doubleValue(), 40.0);
  EXPECT_EQ(tens.value()[2].doubleValue(), -40.0);
  EXPECT_EQ(call("round", {i32(1250), i32(-2)}), "1300");
  EXPECT_EQ(call("round", {i32(-1250), i32(-2)}), "-1300");
  EXPECT_EQ(call("round", {dec(12345, 10, 3)}), "12");
  EXPECT_EQ(call("round", {dec(12545, 10, 3), i32(1)}), "12.500");
  EXPECT_EQ(call("round", {dec(-12355, 10, 3), i32(2)}), "-12.360");
  EXPECT_EQ(call("truncate", {f64(2.679), i32(2)}), "2.67");
  EXPECT_EQ(call("truncate", {f64(-2.679)}), "-2.0");
  EXPECT_EQ(call("truncate", {dec(12399, 10, 3), i32(1)}), "12.300");
  EXPECT_EQ(call("truncate", {i32(1299), i32(-2)}), "1200");
}

TEST(MathFunctionsTest, PowersAndLogarithms) {
  EXPECT_EQ(call("power", {i32(2), i32(10)}), "1024.0");
  EXPECT_EQ(call("sqrt", {i32(16)}), "4.0");
  EXPECT_EQ(call("exp", {i32(0)}), "1.0");
  EXPECT_EQ(call("ln", {f64(1)}), "0.0");
  EXPECT_EQ(call("log10", {i32(1000)}), "3.0");
  EXPECT_EQ(call("log2", {i32(8)}), "3.0");
  EXPECT_EQ(call("log", {i32(2), i32(8)}), "3.0");
  EXPECT_EQ(call("sqrt", {f64(-1)}), "NaN");
  EXPECT_EQ(call("sqrt", {Value::null(DataType::doubleType())}), "NULL");
}

TEST(MathFunctionsTest, RandIsNonDeterministicAndInRange) {
  const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar("rand");
  Result<BoundScalarFunction> bound = (*resolver)({});
  ASSERT_TRUE(bound.isOk());
  EXPECT_FALSE(bound.value().deterministic);
  Vector result;
  ASSERT_TRUE(bound.value().kernel({}, Rows{nullptr, 100}, result).isOk());
  for (uint32_t i = 0; i < 100; ++i) {
    const double v = result.values<double>()[i];
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
  EXPECT_NE(result.values<double>()[0], result.values<double>()[1]);
}

TEST(MathFunctionsTest, WideDecimals) {
  EXPECT_EQ(call("abs", {decText("-12345678901234567890.5", 21, 1)}), "12345678901234567890.5");
  EXPECT_EQ(call("sign", {decText("-5.00", 20, 2)}), "-1.00");
  EXPECT_EQ(call("sign", {decText("0", 20, 2)}), "0.00");
  EXPECT_EQ(call("ceil", {decText("12345678901234567890.1", 21, 1)}), "12345678901234567891");
  EXPECT_EQ(call("floor", {decText("-12345678901234567890.1", 21, 1)}), "-12345678901234567891");
  EXPECT_EQ(call("floor", {decText("12345678901234567890.9", 21, 1)}), "12345678901234567890");
  EXPECT_EQ(call("round", {decText("12345678901234567890.45", 22, 2)}), "12345678901234567890");
  EXPECT_EQ(call("round", {decText("-12345678901234567890.5", 22, 2)}), "-12345678901234567891");
  EXPECT_EQ(call("round", {decText("12345678901234567890.45", 22, 2), i32(1)}), "12345678901234567890.50");
  EXPECT_EQ(call("truncate", {decText("12345678901234567890.45", 22, 2), i32(1)}), "12345678901234567890.40");
  EXPECT_EQ(call("round", {decText("12345678901234567890.45", 22, 2), i32(-2)}), "12345678901234567900.00");
  EXPECT_EQ(call("round", {decText("12345678901234567890.45", 22, 2), i32(-40)}), "0.00");
  // DECIMAL(19, 3) rounds to DECIMAL(17, 0): back to 64 bits.
  EXPECT_EQ(call("round", {decText("1234567.891", 19, 3)}), "1234568");
  EXPECT_EQ(call("sqrt", {decText("6.25", 20, 2)}), "2.5");
}

}  // namespace
}  // namespace caudal::sql
