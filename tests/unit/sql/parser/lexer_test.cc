// The SQL lexer: token kinds, raw text, positions (1-based, tabs and UTF-8 characters count one
// column), comments, and its errors.

#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caudal::sql::ast {
namespace {

std::vector<Token> lex(std::string_view sql) {
  Result<std::vector<Token>> tokens = tokenize(sql);
  EXPECT_TRUE(tokens.isOk()) << tokens.status().message();
  if (!tokens.isOk()) return {};
  return std::move(tokens.value());
}

std::string lexError(std::string_view sql) {
  Result<std::vector<Token>> tokens = tokenize(sql);
  if (tokens.isOk()) return "OK";
  return tokens.status().message();
}

std::vector<TokenKind> kinds(std::string_view sql) {
  std::vector<TokenKind> result;
  for (const Token& token : lex(sql)) result.push_back(token.kind);
  return result;
}

TEST(Lexer, WordsNumbersStringsAndPunctuation) {
  std::vector<Token> tokens = lex("SELECT a1, `my col`, 42, 1.50, .5, 1e3, 2.5E-2, 'it''s', X'0aFF'");
  ASSERT_EQ(tokens.size(), 19u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[0].text, "SELECT");
  EXPECT_EQ(tokens[1].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[1].text, "a1");
  EXPECT_EQ(tokens[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[3].text, "`my col`");
  EXPECT_EQ(tokens[5].kind, TokenKind::kInteger);
  EXPECT_EQ(tokens[7].kind, TokenKind::kDecimal);
  EXPECT_EQ(tokens[7].text, "1.50");
  EXPECT_EQ(tokens[9].kind, TokenKind::kDecimal);
  EXPECT_EQ(tokens[9].text, ".5");
  EXPECT_EQ(tokens[11].kind, TokenKind::kApproximate);
  EXPECT_EQ(tokens[13].kind, TokenKind::kApproximate);
  EXPECT_EQ(tokens[13].text, "2.5E-2");
  EXPECT_EQ(tokens[15].kind, TokenKind::kString);
  EXPECT_EQ(tokens[15].text, "'it''s'");
  EXPECT_EQ(tokens[17].kind, TokenKind::kBinaryString);
  EXPECT_EQ(tokens[18].kind, TokenKind::kEndOfInput);
}

TEST(Lexer, Operators) {
  EXPECT_EQ(kinds("( ) [ ] , ; . + - * / % || = <> != < <= > >= =>"),
            (std::vector<TokenKind>{
                TokenKind::kLeftParen, TokenKind::kRightParen, TokenKind::kLeftBracket,
                TokenKind::kRightBracket, TokenKind::kComma, TokenKind::kSemicolon,
                TokenKind::kDot, TokenKind::kPlus, TokenKind::kMinus, TokenKind::kStar,
                TokenKind::kSlash, TokenKind::kPercent, TokenKind::kConcat, TokenKind::kEquals,
                TokenKind::kNotEquals, TokenKind::kNotEquals, TokenKind::kLess,
                TokenKind::kLessEquals, TokenKind::kGreater, TokenKind::kGreaterEquals,
                TokenKind::kArrow, TokenKind::kEndOfInput}));
}

TEST(Lexer, NestedTypeClosersStaySeparate) {
  // MAP<STRING, ARRAY<INT>> must close twice.
  std::vector<Token> tokens = lex("ARRAY<INT>>");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[3].kind, TokenKind::kGreater);
  EXPECT_EQ(tokens[4].kind, TokenKind::kGreater);
}

TEST(Lexer, CommentsAreSkipped) {
  std::vector<Token> tokens = lex("SELECT -- a comment\n  1 /* block\n comment */ + 2 -- end");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[1].text, "1");
  EXPECT_EQ(tokens[2].kind, TokenKind::kPlus);
  EXPECT_EQ(tokens[2].position, (SourcePosition{3, 13}));
  EXPECT_EQ(tokens[3].text, "2");
}

TEST(Lexer, PositionsCountTabsAndUtf8CharactersAsOneColumn) {
  std::vector<Token> tokens = lex("\tSELECT\n  `é` ,\n\nx");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].position, (SourcePosition{1, 2}));
  EXPECT_EQ(tokens[1].position, (SourcePosition{2, 3}));
  EXPECT_EQ(tokens[2].position, (SourcePosition{2, 7}));
  EXPECT_EQ(tokens[3].position, (SourcePosition{4, 1}));
  EXPECT_EQ(tokens[4].position, (SourcePosition{4, 2}));  // end of input, just past x
  EXPECT_EQ(tokens[1].offset, 10u);
  EXPECT_EQ(tokens[1].endOffset(), 14u);
}

TEST(Lexer, EmptyInputIsJustTheEnd) {
  std::vector<Token> tokens = lex("  -- nothing\n");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kEndOfInput);
  EXPECT_EQ(tokens[0].position, (SourcePosition{2, 1}));
}

TEST(Lexer, KeywordMatchingIgnoresCase) {
  std::vector<Token> tokens = lex("sElEcT `select`");
  EXPECT_TRUE(tokens[0].isWord("SELECT"));
  EXPECT_FALSE(tokens[0].isWord("SELEC"));
  EXPECT_FALSE(tokens[1].isWord("SELECT"));  // quoted: an identifier, never a keyword
}

TEST(Lexer, DecodesStringsAndQuotedIdentifiers) {
  EXPECT_EQ(decodeStringLiteral("'it''s'"), "it's");
  EXPECT_EQ(decodeStringLiteral("''"), "");
  EXPECT_EQ(decodeStringLiteral("''''"), "'");
  EXPECT_EQ(decodeQuotedIdentifier("`a``b`"), "a`b");
  EXPECT_EQ(decodeQuotedIdentifier("`dateTime`"), "dateTime");
}

TEST(Lexer, StringsMaySpanLinesAndHoldCommentMarkers) {
  std::vector<Token> tokens = lex("'a\n-- b /* c'  d");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(decodeStringLiteral(tokens[0].text), "a\n-- b /* c");
  EXPECT_EQ(tokens[1].position, (SourcePosition{2, 13}));
}

TEST(Lexer, Errors) {
  EXPECT_EQ(lexError("SELECT 'abc"), "line 1, column 8: unterminated string literal");
  EXPECT_EQ(lexError("SELECT\n  `abc"), "line 2, column 3: unterminated quoted identifier");
  EXPECT_EQ(lexError("x /* y"),
            "line 1, column 3: unterminated comment: '/*' is never closed by '*/'");
  EXPECT_EQ(lexError("X'ABC'"),
            "line 1, column 1: invalid byte string literal: it needs an even number of "
            "hexadecimal digits");
  EXPECT_EQ(lexError("x'0G'"),
            "line 1, column 1: invalid byte string literal: 'G' is not a hexadecimal digit");
  EXPECT_EQ(lexError("1e+"), "line 1, column 1: invalid number: the exponent after 'E' needs digits");
  EXPECT_EQ(lexError("3x"),
            "line 1, column 1: invalid number: a number must not be followed directly by a "
            "letter");
  EXPECT_EQ(lexError("a ? b"), "line 1, column 3: unexpected character '?'");
  EXPECT_EQ(lexError(std::string_view("a \0", 3)), "line 1, column 3: unexpected character byte 0x00");
  EXPECT_EQ(lexError("``"), "line 1, column 1: empty quoted identifier ``");
  EXPECT_EQ(lexError("a # b"), "line 1, column 3: unexpected character '#'");
}

}  // namespace
}  // namespace caudal::sql::ast
