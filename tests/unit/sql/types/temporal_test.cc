#include "sql/types/temporal.h"

#include <gtest/gtest.h>

#include "sql/types/decimal.h"

namespace caudal::sql {
namespace {

TEST(TemporalTest, DaysRoundTripThroughTheCalendar) {
  EXPECT_EQ(daysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(daysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(daysFromCivil({1969, 12, 31}), -1);
  for (int32_t days = -800000; days < 800000; days += 997) {
    const CivilDate date = civilFromDays(days);
    EXPECT_EQ(daysFromCivil(date), days);
    EXPECT_TRUE(isValidDate(date.year, date.month, date.day));
  }
}

TEST(TemporalTest, ParsesAndFormatsDatesTimesAndTimestamps) {
  EXPECT_EQ(parseDate("2024-02-29"), daysFromCivil({2024, 2, 29}));
  EXPECT_FALSE(parseDate("2023-02-29").has_value());
  EXPECT_FALSE(parseDate("2023-13-01").has_value());
  EXPECT_FALSE(parseDate("20x3-01-01").has_value());
  EXPECT_EQ(formatDate(daysFromCivil({2024, 2, 29})), "2024-02-29");
  EXPECT_EQ(parseTime("12:34:56.789"), ((12 * 60 + 34) * 60 + 56) * 1000 + 789);
  EXPECT_EQ(formatTime(*parseTime("01:02:03.004"), 3), "01:02:03.004");
  const auto ts = parseTimestamp("2024-01-02 03:04:05.123");
  ASSERT_TRUE(ts.has_value());
  EXPECT_EQ(formatTimestamp(*ts, 3), "2024-01-02 03:04:05.123");
  EXPECT_EQ(formatTimestamp(*ts, 0), "2024-01-02 03:04:05");
  EXPECT_EQ(parseTimestamp("2024-01-02T03:04:05Z"), parseTimestamp("2024-01-02 03:04:05"));
  EXPECT_EQ(formatTimestamp(-1, 6), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(parseTimestamp("2024-01-02"), int64_t{daysFromCivil({2024, 1, 2})} * kMicrosPerDay);
  EXPECT_FALSE(parseTimestamp("2024-01-02 25:00:00").has_value());
}

TEST(TemporalTest, FormatsIntervalsAsFlinkDoes) {
  EXPECT_EQ(formatIntervalDayTime(((26 * 60 + 3) * 60 + 4) * 1000LL), "+1 02:03:04.000");
  EXPECT_EQ(formatIntervalDayTime(-1500), "-0 00:00:01.500");
  EXPECT_EQ(formatIntervalYearMonth(14), "+1-02");
}

TEST(DecimalTest, ParsesRoundsAndFormats) {
  EXPECT_EQ(parseDecimal("12.5", 10, 2), 1250);
  EXPECT_EQ(parseDecimal("-0.005", 10, 2), -1);
  EXPECT_EQ(parseDecimal("1e3", 10, 0), 1000);
  EXPECT_EQ(parseDecimal("0.994", 3, 2), 99);
  EXPECT_FALSE(parseDecimal("123.4", 4, 2).has_value());
  EXPECT_FALSE(parseDecimal("1.2.3", 10, 2).has_value());
  EXPECT_EQ(formatDecimal(1250, 2), "12.50");
  EXPECT_EQ(formatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(formatDecimal(7, 0), "7");
  EXPECT_EQ(rescaleDecimal(1255, 2, 1, 10), 126);
  EXPECT_EQ(rescaleDecimal(-1255, 2, 1, 10), -126);
  EXPECT_FALSE(rescaleDecimal(999, 0, 2, 4).has_value());
}

}  // namespace
}  // namespace caudal::sql
