#include <gtest/gtest.h>

#include "sql/types/temporal.h"
#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

TEST(ComparisonFunctionsTest, ComparesEveryType) {
  EXPECT_EQ(call("=", {i32(1), i64(1)}), "true");
  EXPECT_EQ(call("<>", {i32(1), i32(2)}), "true");
  EXPECT_EQ(call("<", {i32(1), f64(1.5)}), "true");
  EXPECT_EQ(call(">=", {dec(150, 5, 2), i32(2)}), "false");
  EXPECT_EQ(call("=", {dec(150, 5, 2), dec(15, 5, 1)}), "true");
  EXPECT_EQ(call("<", {str("abc"), str("abd")}), "true");
  EXPECT_EQ(call(">", {str("b"), str("abc")}), "true");
  EXPECT_EQ(call("=", {str("a"), str("a")}), "true");
  EXPECT_EQ(call("<=", {boolean(false), boolean(true)}), "true");
  const Value d1 = Value::fromInt(DataType::date(), *parseDate("2024-01-01"));
  const Value t1 = Value::fromInt(DataType::timestamp(3), *parseTimestamp("2024-01-01 00:00:01"));
  EXPECT_EQ(call("<", {d1, t1}), "true");
  EXPECT_EQ(call("=", {d1, d1}), "true");
  EXPECT_EQ(call("=", {i32(1), nullOf(DataType::integer())}), "NULL");
  EXPECT_EQ(call("=", {nullOf(DataType::null()), i32(1)}), "NULL");
  EXPECT_EQ(call("=", {i32(1), str("1")}), "error: cannot compare INT with STRING (=)");
}

TEST(ComparisonFunctionsTest, DistinctFromTreatsNullsAsValues) {
  const Value null_int = nullOf(DataType::integer());
  EXPECT_EQ(call("is_distinct_from", {i32(1), i32(1)}), "false");
  EXPECT_EQ(call("is_distinct_from", {i32(1), i32(2)}), "true");
  EXPECT_EQ(call("is_distinct_from", {i32(1), null_int}), "true");
  EXPECT_EQ(call("is_distinct_from", {null_int, null_int}), "false");
  EXPECT_EQ(call("is_not_distinct_from", {null_int, null_int}), "true");
  EXPECT_EQ(call("is_not_distinct_from", {str("x"), str("x")}), "true");
}

TEST(ComparisonFunctionsTest, GreatestAndLeast) {
  EXPECT_EQ(call("greatest", {i32(1), i32(5), i32(3)}), "5");
  EXPECT_EQ(call("least", {i32(1), f64(0.5)}), "0.5");
  EXPECT_EQ(call("greatest", {str("apple"), str("pear")}), "pear");
  EXPECT_EQ(call("greatest", {i32(1), nullOf(DataType::integer())}), "NULL");
}

TEST(ComparisonFunctionsTest, ConditionalFunctions) {
  EXPECT_EQ(call("if", {boolean(true), i32(1), i32(2)}), "1");
  EXPECT_EQ(call("if", {boolean(false), str("a"), str("b")}), "b");
  EXPECT_EQ(call("if", {nullOf(DataType::boolean()), i32(1), i32(2)}), "2");
  EXPECT_EQ(call("nullif", {i32(5), i32(5)}), "NULL");
  EXPECT_EQ(call("nullif", {i32(5), i32(6)}), "5");
  EXPECT_EQ(call("ifnull", {nullOf(DataType::string()), str("x")}), "x");
  EXPECT_EQ(call("ifnull", {str("y"), str("x")}), "y");
}

TEST(ComparisonFunctionsTest, FlatStringsWithSelection) {
  Vector left =
      flatVector(DataType::string(), {str("a"), str("b"), nullOf(DataType::string()), str("d")});
  Result<std::vector<Value>> r = callVectors("=", {left, Vector::constant(str("b"))}, 4);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].toString(), "false");
  EXPECT_EQ(r.value()[1].toString(), "true");
  EXPECT_EQ(r.value()[2].toString(), "NULL");
  EXPECT_EQ(r.value()[3].toString(), "false");
}

TEST(ComparisonFunctionsTest, DecimalsOfBothLayouts) {
  const Value wide = decText("12345678901234567890.50", 30, 2);
  EXPECT_EQ(call("=", {dec(1250, 10, 2), decText("12.5", 20, 1)}), "true");
  EXPECT_EQ(call("<", {dec(1250, 10, 2), wide}), "true");
  EXPECT_EQ(call(">", {wide, i64(INT64_MAX)}), "true");
  EXPECT_EQ(call("<", {decText("-12345678901234567890.50", 30, 2), i64(INT64_MIN)}), "true");
  EXPECT_EQ(call("=", {i64(5), decText("5.00", 30, 2)}), "true");
  EXPECT_EQ(call("<>", {wide, decText("12345678901234567890.5", 25, 1)}), "false");
  EXPECT_EQ(call(">=", {decText("0.00000000000000000001", 38, 20), dec(0, 1, 0)}), "true");
  EXPECT_EQ(call("is_distinct_from", {wide, nullOf(DataType::decimal(30, 2))}), "true");
  EXPECT_EQ(call("greatest", {wide, dec(1250, 10, 2), i32(-1)}), "12345678901234567890.50");
  EXPECT_EQ(call("least", {wide, dec(1250, 10, 2), i32(-1)}), "-1.00");
}

}  // namespace
}  // namespace caudal::sql
