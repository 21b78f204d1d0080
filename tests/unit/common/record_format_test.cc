// formatRecord writes records as Spark's print()/saveAsTextFiles do (Scala's toString).

#include "caudal/record_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace caudal {
namespace {

struct Point {
  int x;
  int y;
};

std::ostream& operator<<(std::ostream& os, const Point& p) { return os << "Point(" << p.x << "," << p.y << ")"; }

TEST(FormatRecord, Integers) {
  EXPECT_EQ(formatRecord(42), "42");
  EXPECT_EQ(formatRecord(-7), "-7");
  EXPECT_EQ(formatRecord(0), "0");
  EXPECT_EQ(formatRecord(int64_t{1999}), "1999");
  EXPECT_EQ(formatRecord(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(formatRecord(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(formatRecord(size_t{5}), "5");
  EXPECT_EQ(formatRecord(int8_t{-3}), "-3");  // a number, not a character
}

TEST(FormatRecord, DoublesKeepAPointAsJava) {
  EXPECT_EQ(formatRecord(3.0), "3.0");
  EXPECT_EQ(formatRecord(0.5), "0.5");
  EXPECT_EQ(formatRecord(-2.0), "-2.0");
  EXPECT_EQ(formatRecord(0.0), "0.0");
  EXPECT_EQ(formatRecord(0.1), "0.1");
  EXPECT_EQ(formatRecord(4.25), "4.25");
  EXPECT_EQ(formatRecord(1.0 / 3.0), "0.3333333333333333");  // shortest exact form
}

TEST(FormatRecord, LargeSmallAndSpecialDoublesAsJava) {
  // Java's Double.toString switches to "computerized scientific notation" outside [1e-3, 1e7).
  EXPECT_EQ(formatRecord(1e7), "1.0E7");
  EXPECT_EQ(formatRecord(9999999.0), "9999999.0");
  EXPECT_EQ(formatRecord(123456789.0), "1.23456789E8");
  EXPECT_EQ(formatRecord(0.001), "0.001");
  EXPECT_EQ(formatRecord(1.5e-5), "1.5E-5");
  EXPECT_EQ(formatRecord(-2.5e-10), "-2.5E-10");
  EXPECT_EQ(formatRecord(1e300), "1.0E300");
  EXPECT_EQ(formatRecord(-0.0), "-0.0");
  EXPECT_EQ(formatRecord(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(formatRecord(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(formatRecord(-std::numeric_limits<float>::infinity()), "-Infinity");
  EXPECT_EQ(formatRecord(1e10f), "1.0E10");
}

TEST(FormatRecord, FloatsInTheirOwnShortestForm) {
  // Scala's 0.1f.toString is "0.1", not the digits of the double nearest to the float.
  EXPECT_EQ(formatRecord(0.5f), "0.5");
  EXPECT_EQ(formatRecord(2.0f), "2.0");
  EXPECT_EQ(formatRecord(0.1f), "0.1");
  EXPECT_EQ(formatRecord(3.7f), "3.7");
}

TEST(FormatRecord, Booleans) {
  EXPECT_EQ(formatRecord(true), "true");
  EXPECT_EQ(formatRecord(false), "false");
}

TEST(FormatRecord, StringsAsTheyAre) {
  EXPECT_EQ(formatRecord(std::string("hola mundo")), "hola mundo");
  EXPECT_EQ(formatRecord(std::string()), "");
  EXPECT_EQ(formatRecord(std::string_view("vista")), "vista");
  EXPECT_EQ(formatRecord("literal"), "literal");
  EXPECT_EQ(formatRecord('c'), "c");
}

TEST(FormatRecord, PairsAndTuplesAsScalaTuples) {
  EXPECT_EQ(formatRecord(std::pair<std::string, int>("a", 1)), "(a,1)");
  EXPECT_EQ(formatRecord(std::pair<int, double>(1999, 10.0)), "(1999,10.0)");
  // A join's output: (key,(left,right)).
  EXPECT_EQ(formatRecord(std::pair<std::string, std::pair<int, std::string>>("a", {1, "x"})), "(a,(1,x))");
  EXPECT_EQ(formatRecord(std::make_tuple(1, std::string("dos"), 3.5, true)), "(1,dos,3.5,true)");
}

TEST(FormatRecord, SequencesAsLists) {
  EXPECT_EQ(formatRecord(std::vector<int>{1, 2}), "[1, 2]");
  EXPECT_EQ(formatRecord(std::vector<int>{}), "[]");
  EXPECT_EQ(formatRecord(std::vector<std::string>{"uno", "dos", "tres"}), "[uno, dos, tres]");
  // groupByKey's output.
  EXPECT_EQ(formatRecord(std::pair<std::string, std::vector<int>>("a", {1, 3})), "(a,[1, 3])");
  EXPECT_EQ(formatRecord(std::vector<std::vector<int>>{{1}, {}, {2, 3}}), "[[1], [], [2, 3]]");
  EXPECT_EQ(formatRecord(std::map<std::string, int>{{"a", 1}, {"b", 2}}), "[(a,1), (b,2)]");
}

TEST(FormatRecord, OptionalsAsScalaOptions) {
  EXPECT_EQ(formatRecord(std::optional<int>(1)), "Some(1)");
  EXPECT_EQ(formatRecord(std::optional<int>()), "None");
  // A leftOuterJoin's output.
  using Joined = std::pair<std::string, std::pair<int, std::optional<std::string>>>;
  EXPECT_EQ(formatRecord(Joined("a", {1, std::string("x")})), "(a,(1,Some(x)))");
  EXPECT_EQ(formatRecord(Joined("b", {2, std::nullopt})), "(b,(2,None))");
}

TEST(FormatRecord, TypesWithStreamOperator) {
  EXPECT_EQ(formatRecord(Point{1, 2}), "Point(1,2)");
  EXPECT_EQ(formatRecord(std::vector<Point>{{1, 2}, {3, 4}}), "[Point(1,2), Point(3,4)]");
  EXPECT_EQ(formatRecord(std::pair<std::string, Point>("p", {0, -1})), "(p,Point(0,-1))");
}

TEST(AppendRecord, AppendsToWhatIsThere) {
  std::string out = "x=";
  appendRecord(out, std::pair<int, int>(1, 2));
  out += ';';
  appendRecord(out, 2.0);
  EXPECT_EQ(out, "x=(1,2);2.0");
}

}  // namespace
}  // namespace caudal
