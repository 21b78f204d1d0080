// caudal::split follows Java's String.split with a one-character pattern, as Spark examples use.

#include "caudal/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caudal {
namespace {

using Fields = std::vector<std::string>;

TEST(Split, Fields) {
  EXPECT_EQ(split("a,b,c", ','), (Fields{"a", "b", "c"}));
  EXPECT_EQ(split("uno dos tres", ' '), (Fields{"uno", "dos", "tres"}));
  EXPECT_EQ(split("abc", ','), (Fields{"abc"}));
}

TEST(Split, EmptyTextIsOneEmptyField) {
  // Java: "".split(",") has length 1.
  EXPECT_EQ(split("", ','), (Fields{""}));
}

TEST(Split, InnerEmptyFieldsAreKeptTrailingOnesDropped) {
  EXPECT_EQ(split("a,,b,,", ','), (Fields{"a", "", "b"}));
  EXPECT_EQ(split("a,,b", ','), (Fields{"a", "", "b"}));
  EXPECT_EQ(split("a,", ','), (Fields{"a"}));
}

TEST(Split, LeadingSeparatorsGiveLeadingEmptyFields) {
  EXPECT_EQ(split(",a", ','), (Fields{"", "a"}));
  EXPECT_EQ(split(",,a,b", ','), (Fields{"", "", "a", "b"}));
  EXPECT_EQ(split(" hola mundo", ' '), (Fields{"", "hola", "mundo"}));
  EXPECT_EQ(split(",a,", ','), (Fields{"", "a"}));
}

TEST(Split, OnlySeparatorsGiveNoField) {
  // Java: ",".split(",") and ",,,".split(",") have length 0.
  EXPECT_EQ(split(",", ','), Fields{});
  EXPECT_EQ(split(",,,", ','), Fields{});
}

TEST(Split, WhitespaceOtherThanTheSeparatorIsKept) {
  EXPECT_EQ(split(" a\tb ", '\t'), (Fields{" a", "b "}));
  EXPECT_EQ(split("line\r", ' '), (Fields{"line\r"}));
}

TEST(Split, StringViewIntoALargerBuffer) {
  std::string buffer = "x,y;z";
  EXPECT_EQ(split(std::string_view(buffer).substr(0, 3), ','), (Fields{"x", "y"}));
}

}  // namespace
}  // namespace caudal
