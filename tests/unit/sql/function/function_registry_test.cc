#include "sql/function/function_registry.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace caudal::sql {
namespace {

TEST(FunctionRegistryTest, FindsFunctionsCaseInsensitively) {
  const FunctionRegistry& registry = FunctionRegistry::builtins();
  EXPECT_NE(registry.findScalar("upper"), nullptr);
  EXPECT_NE(registry.findScalar("UPPER"), nullptr);
  EXPECT_NE(registry.findScalar("Substr"), nullptr);
  EXPECT_NE(registry.findScalar("+"), nullptr);
  EXPECT_EQ(registry.findScalar("no_such_function"), nullptr);
  EXPECT_EQ(registry.findAggregate("no_such_function"), nullptr);
  EXPECT_EQ(&FunctionRegistry::builtins(), &registry);
}

TEST(FunctionRegistryTest, NamesAreUpperCaseSortedAndUnique) {
  FunctionRegistry registry;
  registry.addScalar("lower", nullptr);
  registry.addScalar("Abs", nullptr);
  registry.addAggregate("count", nullptr);
  registry.addAggregate("ABS", nullptr);
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"ABS", "COUNT", "LOWER"}));
  EXPECT_NE(registry.findScalar("ABS"), nullptr);
  EXPECT_NE(registry.findAggregate("Count"), nullptr);
  const auto names = FunctionRegistry::builtins().names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "CONCAT_WS"), names.end());
}

TEST(FunctionRegistryTest, ImplicitCastsFollowFlink) {
  EXPECT_TRUE(canCastImplicitly(DataType::integer(), DataType::bigInt()));
  EXPECT_TRUE(canCastImplicitly(DataType::tinyInt(), DataType::doubleType()));
  EXPECT_TRUE(canCastImplicitly(DataType::integer(), DataType::decimal(10, 0)));
  EXPECT_FALSE(canCastImplicitly(DataType::integer(), DataType::decimal(5, 0)));
  EXPECT_TRUE(canCastImplicitly(DataType::decimal(5, 2), DataType::decimal(10, 3)));
  EXPECT_FALSE(canCastImplicitly(DataType::decimal(10, 3), DataType::decimal(10, 2)));
  EXPECT_TRUE(canCastImplicitly(DataType::decimal(10, 2), DataType::doubleType()));
  EXPECT_FALSE(canCastImplicitly(DataType::bigInt(), DataType::integer()));
  EXPECT_FALSE(canCastImplicitly(DataType::doubleType(), DataType::bigInt()));
  EXPECT_TRUE(canCastImplicitly(DataType::varchar(10), DataType::string()));
  EXPECT_TRUE(canCastImplicitly(DataType::fixedChar(3), DataType::string()));
  EXPECT_FALSE(canCastImplicitly(DataType::string(), DataType::integer()));
  EXPECT_FALSE(canCastImplicitly(DataType::integer(), DataType::string()));
  EXPECT_TRUE(canCastImplicitly(DataType::date(), DataType::timestamp(3)));
  EXPECT_FALSE(canCastImplicitly(DataType::timestamp(3), DataType::date()));
  EXPECT_TRUE(canCastImplicitly(DataType::null(), DataType::date()));
  EXPECT_TRUE(canCastImplicitly(DataType::integer().withNullable(false), DataType::integer()));
  EXPECT_FALSE(canCastImplicitly(DataType::boolean(), DataType::integer()));
}

}  // namespace
}  // namespace caudal::sql
