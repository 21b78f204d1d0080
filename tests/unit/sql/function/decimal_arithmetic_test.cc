// DECIMAL result types as Flink's LogicalTypeMerging derives them (maximum precision 38), and
// the exact arithmetic past 128 bits; expected values written out by hand.
#include "sql/function/decimal_arithmetic.h"

#include <gtest/gtest.h>

#include <string>

#include "sql/types/decimal.h"

namespace caudal::sql {
namespace {

std::string shownType(const DataType& type) { return type.toString(); }

DataType decimalOf(int precision, int scale) { return DataType::decimal(precision, scale); }

// The text of a WideInt that fits in 128 bits, or "overflow".
std::string wideText(const WideInt& value) {
  auto narrow = wideToInt128Below(value, powerOfTen128(38));
  return narrow ? formatDecimal128(*narrow, 0) : "overflow";
}

TEST(DecimalTypeDerivationTest, FollowsFlinksTable) {
  // Integers as Flink uses them in DECIMAL arithmetic.
  EXPECT_EQ(shownType(asDecimal(DataType::tinyInt())), "DECIMAL(3, 0)");
  EXPECT_EQ(shownType(asDecimal(DataType::smallInt())), "DECIMAL(5, 0)");
  EXPECT_EQ(shownType(asDecimal(DataType::integer())), "DECIMAL(10, 0)");
  EXPECT_EQ(shownType(asDecimal(DataType::bigInt())), "DECIMAL(19, 0)");
  // +, -: max(s1, s2) + max(p1 - s1, p2 - s2) + 1, scale max(s1, s2).
  EXPECT_EQ(shownType(decimalSumType(decimalOf(10, 2), decimalOf(5, 3))), "DECIMAL(12, 3)");
  EXPECT_EQ(shownType(decimalSumType(decimalOf(38, 8), decimalOf(32, 8))), "DECIMAL(38, 7)");
  EXPECT_EQ(shownType(decimalSumType(decimalOf(18, 0), decimalOf(18, 0))), "DECIMAL(19, 0)");
  // *: p1 + p2 + 1, scale s1 + s2.
  EXPECT_EQ(shownType(decimalProductType(decimalOf(19, 0), decimalOf(3, 3))), "DECIMAL(23, 3)");
  EXPECT_EQ(shownType(decimalProductType(decimalOf(19, 0), decimalOf(4, 3))), "DECIMAL(24, 3)");
  EXPECT_EQ(shownType(decimalProductType(decimalOf(10, 2), decimalOf(3, 3))), "DECIMAL(14, 5)");
  EXPECT_EQ(shownType(decimalProductType(decimalOf(38, 19), decimalOf(38, 19))), "DECIMAL(38, 6)");
  EXPECT_EQ(shownType(decimalProductType(decimalOf(38, 38), decimalOf(38, 38))), "DECIMAL(38, 37)");
  // /: scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale.
  EXPECT_EQ(shownType(decimalQuotientType(decimalOf(10, 2), decimalOf(5, 1))), "DECIMAL(17, 8)");
  EXPECT_EQ(shownType(decimalQuotientType(decimalOf(38, 10), decimalOf(38, 10))), "DECIMAL(38, 6)");
  EXPECT_EQ(shownType(decimalQuotientType(decimalOf(20, 2), decimalOf(3, 0))), "DECIMAL(24, 6)");
  // %: min(p1 - s1, p2 - s2) + max(s1, s2), scale max(s1, s2).
  EXPECT_EQ(shownType(decimalModType(decimalOf(30, 2), decimalOf(5, 1))), "DECIMAL(6, 2)");
  EXPECT_EQ(shownType(decimalModType(decimalOf(38, 0), decimalOf(38, 38))), "DECIMAL(38, 38)");
  // ROUND(x, r).
  EXPECT_EQ(shownType(decimalRoundType(decimalOf(30, 4), 0)), "DECIMAL(27, 0)");
  EXPECT_EQ(shownType(decimalRoundType(decimalOf(38, 4), 2)), "DECIMAL(37, 2)");
  EXPECT_EQ(shownType(decimalRoundType(decimalOf(38, 0), -1)), "DECIMAL(38, 0)");
}

TEST(DecimalTypeDerivationTest, DoublesConvertAsBigDecimalValueOf) {
  EXPECT_EQ(formatDecimal128(*doubleToDecimal(1.005, 2, 25), 2), "1.01");
  EXPECT_EQ(formatDecimal128(*doubleToDecimal(1e20, 3, 25), 3), "100000000000000000000.000");
  EXPECT_EQ(formatDecimal128(*doubleToDecimal(-1.2345678901234566e25, 0, 30), 0), "-12345678901234566000000000");
  EXPECT_FALSE(doubleToDecimal(1e25, 0, 25).has_value());
  EXPECT_FALSE(doubleToDecimal(1.0 / 0.0, 0, 38).has_value());
}

TEST(WideIntTest, MultipliesAddsAndDividesExactly) {
  const __int128 big = *parseDecimal128("12345678901234567890123456789012345678", 38, 0);
  // big * big has 76 digits; divided by 10^38 (rounded half up) it is back in range.
  const WideInt square = wideMultiply(big, big);
  EXPECT_EQ(wideText(square), "overflow");
  EXPECT_EQ(wideText(wideScaleDownRoundHalfUp(square, 38)), "1524157875323883675049535156256668194");
  EXPECT_EQ(wideText(wideScaleDownRoundHalfUp(wideMultiply(-big, big), 38)), "-1524157875323883675049535156256668194");
  // Sums and differences past 2^127.
  const __int128 nines = *parseDecimal128("99999999999999999999999999999999999999", 38, 0);
  const WideInt twice_nines = wideAdd(wideFrom(nines), wideFrom(nines));
  EXPECT_EQ(wideText(twice_nines), "overflow");
  EXPECT_EQ(wideText(wideSubtract(twice_nines, wideFrom(nines))), "99999999999999999999999999999999999999");
  EXPECT_EQ(wideText(wideSubtract(wideFrom(-nines), wideFrom(nines))), "overflow");
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(wideSubtract(wideFrom(-nines), wideFrom(nines)), 2)),
            "-99999999999999999999999999999999999999");
  const WideInt doubled = wideAdd(wideFrom(big), wideFrom(big));
  EXPECT_EQ(wideText(doubled), "24691357802469135780246913578024691356");
  EXPECT_EQ(wideText(wideAdd(wideFrom(big), wideFrom(-big))), "0");
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(doubled, 4)), "6172839450617283945061728394506172839");
  EXPECT_EQ(wideRemainder(doubled, 7), 4);
  EXPECT_EQ(wideRemainder(wideFrom(-big), 7), -2);
  // Half up, away from zero.
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(wideFrom(25), 10)), "3");
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(wideFrom(-25), 10)), "-3");
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(wideFrom(24), -10)), "-2");
  // A divisor past 64 bits.
  EXPECT_EQ(wideText(wideDivideRoundHalfUp(square, big)), "12345678901234567890123456789012345678");
  // Scaling up past 2^255 fails.
  WideInt scaled = wideFrom(big);
  EXPECT_TRUE(wideScaleUp(scaled, 38));
  EXPECT_FALSE(wideScaleUp(scaled, 2));
}

}  // namespace
}  // namespace caudal::sql
