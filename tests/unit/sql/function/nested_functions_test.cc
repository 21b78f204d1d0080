#include <gtest/gtest.h>

#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

Value intArray(std::vector<int32_t> values) {
  std::vector<Value> children;
  for (int32_t v : values) children.push_back(Value::integer(v));
  return Value::fromChildren(DataType::array(DataType::integer()), std::move(children));
}

TEST(NestedFunctionsTest, Constructors) {
  EXPECT_EQ(call("array_constructor", {i32(1), i64(2), i32(3)}), "[1, 2, 3]");
  EXPECT_EQ(call("array_constructor", {str("a"), Value::null(DataType::string())}), "[a, NULL]");
  EXPECT_EQ(call("map_constructor", {str("a"), i32(1), str("b"), i32(2)}), "{a=1, b=2}");
  EXPECT_EQ(call("row_constructor", {i32(1), str("x")}), "{EXPR$0=1, EXPR$1=x}");
  EXPECT_EQ(call("map_constructor", {str("a")}), "error: MAP expects key and value pairs");
  // Flat arguments, several rows.
  Vector a = flatVector(DataType::integer(), {i32(1), i32(2)});
  Vector b = flatVector(DataType::string(), {str("x"), Value::null(DataType::string())});
  Result<std::vector<Value>> rows = callVectors("row_constructor", {a, b}, 2);
  ASSERT_TRUE(rows.isOk());
  EXPECT_EQ(rows.value()[1].toString(), "{EXPR$0=2, EXPR$1=NULL}");
  Result<std::vector<Value>> arrays =
      callVectors("array_constructor", {a, Vector::constant(i32(9))}, 2);
  ASSERT_TRUE(arrays.isOk());
  EXPECT_EQ(arrays.value()[0].toString(), "[1, 9]");
  EXPECT_EQ(arrays.value()[1].toString(), "[2, 9]");
}

TEST(NestedFunctionsTest, CardinalityAndSubscripts) {
  EXPECT_EQ(call("cardinality", {intArray({1, 2, 3})}), "3");
  EXPECT_EQ(call("cardinality", {intArray({})}), "0");
  EXPECT_EQ(call("item", {intArray({10, 20, 30}), i32(2)}), "20");
  EXPECT_EQ(call("item", {intArray({10, 20, 30}), i32(0)}), "NULL");
  EXPECT_EQ(call("item", {intArray({10, 20, 30}), i32(4)}), "NULL");
  EXPECT_EQ(call("element_at", {intArray({10, 20, 30}), i32(3)}), "30");
  const DataType map_type = DataType::map(DataType::string(), DataType::integer());
  const Value map = Value::fromChildren(map_type, {str("a"), i32(1), str("b"), i32(2)});
  EXPECT_EQ(call("item", {map, str("b")}), "2");
  EXPECT_EQ(call("item", {map, str("z")}), "NULL");
  EXPECT_EQ(call("cardinality", {map}), "2");
  EXPECT_EQ(call("item", {i32(1), i32(1)}), "error: ITEM expects an ARRAY or MAP but got INT");
}

}  // namespace
}  // namespace caudal::sql
