#include <gtest/gtest.h>

#include "unit/sql/function/function_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

const Value kNullString = Value::null(DataType::string());

TEST(StringFunctionsTest, Concatenation) {
  EXPECT_EQ(call("||", {str("ab"), str("cd")}), "abcd");
  EXPECT_EQ(call("concat", {str("AA"), str("BB"), str("CC")}), "AABBCC");
  EXPECT_EQ(call("concat", {str("AA"), kNullString}), "NULL");
  EXPECT_EQ(call("||", {str("a"), kNullString}), "NULL");
  EXPECT_EQ(call("concat_ws", {str("~"), str("AA"), kNullString, str("BB"), str(""), str("CC")}),
            "AA~BB~~CC");
  EXPECT_EQ(call("concat_ws", {kNullString, str("AA")}), "NULL");
  EXPECT_EQ(call("concat", {i32(1)}), "error: CONCAT expects a STRING argument but got INT");
}

TEST(StringFunctionsTest, CaseTrimAndLength) {
  EXPECT_EQ(call("upper", {str("hello, World")}), "HELLO, WORLD");
  EXPECT_EQ(call("lcase", {str("HeLLo")}), "hello");
  EXPECT_EQ(call("initcap", {str("hello wORLD-foo")}), "Hello World-Foo");
  EXPECT_EQ(call("trim", {str("  hi  ")}), "hi");
  EXPECT_EQ(call("ltrim", {str("  hi  ")}), "hi  ");
  EXPECT_EQ(call("rtrim", {str("  hi  ")}), "  hi");
  EXPECT_EQ(call("trim", {str("xxhixyx"), str("xy")}), "hi");
  EXPECT_EQ(call("ltrim", {str("xxhix"), str("x")}), "hix");
  EXPECT_EQ(call("char_length", {str("héllo")}), "5");
  EXPECT_EQ(call("length", {str("")}), "0");
  EXPECT_EQ(call("character_length", {kNullString}), "NULL");
  EXPECT_EQ(call("reverse", {str("abç")}), "çba");
}

TEST(StringFunctionsTest, Substrings) {
  EXPECT_EQ(call("substring", {str("hello world"), i32(7)}), "world");
  EXPECT_EQ(call("substr", {str("hello world"), i32(1), i32(5)}), "hello");
  EXPECT_EQ(call("substring", {str("hello"), i32(0), i32(2)}), "he");
  EXPECT_EQ(call("substring", {str("hello"), i32(-3)}), "llo");
  EXPECT_EQ(call("substring", {str("hello"), i32(-3), i32(2)}), "ll");
  EXPECT_EQ(call("substring", {str("hello"), i32(10)}), "");
  EXPECT_EQ(call("substring", {str("hello"), i32(2), i32(-1)}), "NULL");
  EXPECT_EQ(call("substring", {str("héllo"), i32(2), i32(2)}), "él");
  EXPECT_EQ(call("left", {str("héllo"), i32(2)}), "hé");
  EXPECT_EQ(call("right", {str("héllo"), i32(3)}), "llo");
  EXPECT_EQ(call("left", {str("abc"), i32(-1)}), "");
  EXPECT_EQ(call("right", {str("abc"), i32(5)}), "abc");
}

TEST(StringFunctionsTest, SearchAndReplace) {
  EXPECT_EQ(call("replace", {str("hello world"), str("o"), str("0")}), "hell0 w0rld");
  EXPECT_EQ(call("replace", {str("aaa"), str("aa"), str("b")}), "ba");
  EXPECT_EQ(call("replace", {str("abc"), str(""), str("x")}), "abc");
  EXPECT_EQ(call("position", {str("lo"), str("hello")}), "4");
  EXPECT_EQ(call("position", {str("z"), str("hello")}), "0");
  EXPECT_EQ(call("position", {str("l"), str("héllo")}), "3");
  EXPECT_EQ(call("locate", {str("l"), str("hello"), i32(4)}), "4");
  EXPECT_EQ(call("locate", {str("l"), str("hello"), i32(5)}), "0");
  EXPECT_EQ(call("instr", {str("hello"), str("ll")}), "3");
  EXPECT_EQ(call("split_index", {str("Jack,John,Mary"), str(","), i32(2)}), "Mary");
  EXPECT_EQ(call("split_index", {str("Jack,John,Mary"), str(","), i32(3)}), "NULL");
  EXPECT_EQ(call("split_index", {str("a,,b"), str(","), i32(1)}), "");
  EXPECT_EQ(call("split_index", {str("a::b"), str("::"), i32(1)}), "b");
  EXPECT_EQ(call("split_index", {str("a,b"), str(","), i32(-1)}), "NULL");
}

TEST(StringFunctionsTest, Padding) {
  EXPECT_EQ(call("lpad", {str("hi"), i32(4), str("??")}), "??hi");
  EXPECT_EQ(call("lpad", {str("hi"), i32(1), str("??")}), "h");
  EXPECT_EQ(call("rpad", {str("hi"), i32(5), str("xy")}), "hixyx");
  EXPECT_EQ(call("lpad", {str("hi"), i32(5), str("xy")}), "xyxhi");
  EXPECT_EQ(call("rpad", {str("hi"), i32(-1), str("x")}), "NULL");
  EXPECT_EQ(call("rpad", {str("hi"), i32(3), str("")}), "NULL");
  EXPECT_EQ(call("repeat", {str("ab"), i32(3)}), "ababab");
  EXPECT_EQ(call("repeat", {str("ab"), i32(0)}), "");
}

TEST(StringFunctionsTest, Like) {
  EXPECT_EQ(call("like", {str("hello"), str("hel%")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("%llo")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("%ell%")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("hello")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("hell")}), "false");
  EXPECT_EQ(call("like", {str("hello"), str("h_llo")}), "true");
  EXPECT_EQ(call("like", {str("héllo"), str("h_llo")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("h%l_")}), "true");
  EXPECT_EQ(call("like", {str("hello"), str("h%x%")}), "false");
  EXPECT_EQ(call("like", {str("abcabd"), str("%ab_")}), "true");
  EXPECT_EQ(call("like", {str(""), str("%")}), "true");
  EXPECT_EQ(call("like", {str("a"), str("")}), "false");
  EXPECT_EQ(call("like", {str("100%"), str("100!%"), str("!")}), "true");
  EXPECT_EQ(call("like", {str("1000"), str("100!%"), str("!")}), "false");
  EXPECT_EQ(call("like", {str("a_b"), str("a\\_b"), str("\\")}), "true");
  EXPECT_EQ(call("like", {str("axb"), str("a\\_b"), str("\\")}), "false");
  EXPECT_EQ(call("like", {str("a"), str("a!"), str("!")}),
            "error: LIKE pattern 'a!' ends with its escape character");
  EXPECT_EQ(call("like", {kNullString, str("%")}), "NULL");
  EXPECT_EQ(call("like", {str("x"), kNullString}), "NULL");
  // A pattern per row.
  Vector text = flatVector(DataType::string(), {str("apple"), str("banana"), str("cherry")});
  Vector pattern = flatVector(DataType::string(), {str("a%"), str("%nan_"), str("c_x%")});
  Result<std::vector<Value>> r = callVectors("like", {text, pattern}, 3);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r.value()[0].toString(), "true");
  EXPECT_EQ(r.value()[1].toString(), "true");
  EXPECT_EQ(r.value()[2].toString(), "false");
}

TEST(StringFunctionsTest, RegularExpressions) {
  EXPECT_EQ(call("regexp", {str("abc123"), str("[0-9]+")}), "true");
  EXPECT_EQ(call("regexp", {str("abc"), str("^b")}), "false");
  EXPECT_EQ(call("regexp", {str("abc"), str("(")}), "NULL");
  EXPECT_EQ(call("regexp_extract", {str("foothebar"), str("foo(.*?)(bar)"), i32(2)}), "bar");
  EXPECT_EQ(call("regexp_extract", {str("foothebar"), str("foo(.*?)(bar)"), i32(1)}), "the");
  EXPECT_EQ(call("regexp_extract", {str("foothebar"), str("foo(.*?)(bar)")}), "foothebar");
  EXPECT_EQ(call("regexp_extract", {str("foothebar"), str("foo(.*?)(bar)"), i32(3)}), "NULL");
  EXPECT_EQ(call("regexp_extract", {str("xyz"), str("a(b)")}), "NULL");
  EXPECT_EQ(call("regexp_replace", {str("foobar"), str("oo|ar"), str("")}), "fb");
  EXPECT_EQ(
      call("regexp_replace", {str("2024-01-15"), str("(\\d+)-(\\d+)-(\\d+)"), str("$3/$2/$1")}),
      "15/01/2024");
  EXPECT_EQ(call("regexp_replace", {str("a.b.c"), str("\\."), str("\\$")}), "a$b$c");
  EXPECT_EQ(call("regexp_replace", {str("abc"), str("x*"), str("-")}), "-a-b-c-");
  EXPECT_EQ(call("regexp_replace", {str("abc"), str("b"), kNullString}), "NULL");
}

}  // namespace
}  // namespace caudal::sql
