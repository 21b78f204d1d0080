// DECIMAL text forms and rescaling in both layouts: 64-bit (precision <= 18) and 128-bit (19 to
// 38), with expected values written out by hand.
#include "sql/types/decimal.h"

#include <gtest/gtest.h>

#include "sql/types/data_type.h"
#include "sql/types/value.h"

namespace caudal::sql {
namespace {

// 10^38 - 1, the largest DECIMAL(38, 0).
__int128 thirtyEightNines() {
  __int128 v = 0;
  for (int i = 0; i < 38; ++i) v = v * 10 + 9;
  return v;
}

TEST(Decimal128Test, TypesPickTheirLayoutByPrecision) {
  EXPECT_EQ(DataType::decimal(18, 2).id(), TypeId::kDecimal);
  EXPECT_EQ(DataType::decimal(19, 0).id(), TypeId::kDecimal128);
  EXPECT_EQ(DataType::decimal(38, 10).id(), TypeId::kDecimal128);
  EXPECT_TRUE(DataType::decimal(38, 10).isDecimal());
  EXPECT_TRUE(DataType::decimal(38, 10).isExactNumeric());
  EXPECT_EQ(DataType::decimal(23, 3).toString(), "DECIMAL(23, 3)");
  EXPECT_EQ(physicalSize(TypeId::kDecimal128), 16u);
  EXPECT_EQ(powerOfTen128(38), thirtyEightNines() + 1);
}

TEST(Decimal128Test, ParsesAndFormatsRoundTrips) {
  // 19, 23 and 38 digits.
  for (const char* text : {"1234567890123456789", "-12345678901234567890.123", "1234567890123456789012345678.9012345678",
                           "99999999999999999999999999999999999999", "-99999999999999999999999999999999999999",
                           "0.00000000000000000000000000000000000001"}) {
    std::string digits(text);
    const size_t point = digits.find('.');
    const int scale = point == std::string::npos ? 0 : static_cast<int>(digits.size() - point - 1);
    auto parsed = parseDecimal128(text, 38, scale);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(formatDecimal128(*parsed, scale), text);
  }
  EXPECT_EQ(parseDecimal128("99999999999999999999999999999999999999", 38, 0), thirtyEightNines());
  EXPECT_EQ(parseDecimal128("-99999999999999999999999999999999999999", 38, 0), -thirtyEightNines());
  EXPECT_EQ(formatDecimal128(-5, 2), "-0.05");
  EXPECT_EQ(formatDecimal128(0, 3), "0.000");
}

TEST(Decimal128Test, ParseRoundsHalfUpAndRejectsOverflow) {
  // 10^38 needs 39 digits.
  EXPECT_FALSE(parseDecimal128("100000000000000000000000000000000000000", 38, 0).has_value());
  EXPECT_FALSE(parseDecimal128("12345678901234567890.5", 20, 1).has_value());
  EXPECT_EQ(formatDecimal128(*parseDecimal128("12345678901234567890.5", 21, 1), 1), "12345678901234567890.5");
  EXPECT_EQ(formatDecimal128(*parseDecimal128("12345678901234567890.45", 22, 1), 1), "12345678901234567890.5");
  EXPECT_EQ(formatDecimal128(*parseDecimal128("-12345678901234567890.45", 22, 1), 1), "-12345678901234567890.5");
  // Rounding up past the precision: 9.99...95 at scale 0 in 38 digits is 10^38.
  EXPECT_FALSE(parseDecimal128("99999999999999999999999999999999999999.5", 38, 0).has_value());
  EXPECT_EQ(formatDecimal128(*parseDecimal128("1.5e20", 25, 2), 2), "150000000000000000000.00");
  EXPECT_FALSE(parseDecimal128("12a", 30, 0).has_value());
  // The 64-bit parse keeps its limit of 18 digits.
  EXPECT_EQ(parseDecimal("999999999999999999", 18, 0), 999999999999999999);
  EXPECT_FALSE(parseDecimal("1000000000000000000", 18, 0).has_value());
}

TEST(Decimal128Test, RescalesWithHalfUpAndOverflow) {
  const __int128 big = *parseDecimal128("12345678901234567890.125", 23, 3);
  EXPECT_EQ(formatDecimal128(*rescaleDecimal128(big, 3, 2, 22), 2), "12345678901234567890.13");
  EXPECT_EQ(formatDecimal128(*rescaleDecimal128(-big, 3, 2, 22), 2), "-12345678901234567890.13");
  EXPECT_EQ(formatDecimal128(*rescaleDecimal128(big, 3, 10, 30), 10), "12345678901234567890.1250000000");
  EXPECT_FALSE(rescaleDecimal128(big, 3, 10, 29).has_value());
  EXPECT_FALSE(rescaleDecimal128(thirtyEightNines(), 0, 1, 38).has_value());
  EXPECT_EQ(rescaleDecimal128(thirtyEightNines(), 38, 0, 1), 1);
  EXPECT_EQ(rescaleDecimal128(7, 0, 0, 1), 7);
}

TEST(Decimal128Test, ConvertsToTheNearestDouble) {
  EXPECT_EQ(decimal128ToDouble(1250, 2), 12.5);
  EXPECT_EQ(decimal128ToDouble(-1, 1), -0.1);
  EXPECT_EQ(decimal128ToDouble(*parseDecimal128("12345678901234567890.123", 23, 3), 3), 12345678901234567890.123);
  EXPECT_EQ(decimal128ToDouble(thirtyEightNines(), 0), 1e38);
}

TEST(Decimal128Test, ValuesCompareAcrossLayoutsAndScales) {
  const Value wide = Value::fromUnscaled(DataType::decimal(30, 2), *parseDecimal128("12345678901234567890.50", 30, 2));
  const Value narrow = Value::fromInt(DataType::decimal(5, 1), 125);  // 12.5
  EXPECT_EQ(wide.toString(), "12345678901234567890.50");
  EXPECT_EQ(wide.toSqlLiteral(), "12345678901234567890.50");
  EXPECT_GT(wide.compare(narrow), 0);
  EXPECT_LT(narrow.compare(wide), 0);
  const Value same = Value::fromUnscaled(DataType::decimal(25, 1), *parseDecimal128("12345678901234567890.5", 25, 1));
  EXPECT_EQ(wide, same);
  EXPECT_EQ(Value::fromUnscaled(DataType::decimal(20, 0), 12), Value::fromInt(DataType::decimal(4, 2), 1200));
  EXPECT_EQ(Value::fromUnscaled(DataType::decimal(20, 0), 12), Value::bigInt(12));
  // Scales 0 and 38: the difference only shows in the fraction.
  const Value tiny = Value::fromUnscaled(DataType::decimal(38, 38), 1);
  EXPECT_GT(tiny.compare(Value::fromUnscaled(DataType::decimal(38, 0), 0)), 0);
  EXPECT_LT(tiny.compare(Value::fromUnscaled(DataType::decimal(38, 0), 1)), 0);
  EXPECT_LT(Value::fromUnscaled(DataType::decimal(38, 0), -thirtyEightNines()).compare(tiny), 0);
}

}  // namespace
}  // namespace caudal::sql
