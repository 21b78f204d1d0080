// Token: one lexical unit of SQL text, as the lexer produces it and the parser reads it.
#pragma once

#include <cstddef>
#include <string_view>

#include "sql/parser/source_position.h"

namespace caudal::sql::ast {

/// What a token is. Keywords are not told apart from identifiers here: every bare word is a
/// `kWord`, and the parser decides from context whether it is a keyword (see keywords.h).
enum class TokenKind {
  kEndOfInput,
  kWord,              ///< a bare word: a keyword or an unquoted identifier, e.g. `select`, `user_id`
  kQuotedIdentifier,  ///< a backtick-quoted identifier, e.g. `` `my col` ``
  kInteger,           ///< digits only, e.g. `42`
  kDecimal,           ///< an exact number with a point, e.g. `1.50`, `.5`
  kApproximate,       ///< a number with an exponent, e.g. `1e3`, `2.5E-2`
  kString,            ///< a character string, e.g. `'it''s'`
  kBinaryString,      ///< a byte string, e.g. `X'0AFF'`
  kLeftParen,         ///< (
  kRightParen,        ///< )
  kLeftBracket,       ///< [
  kRightBracket,      ///< ]
  kComma,             ///< ,
  kSemicolon,         ///< ;
  kDot,               ///< .
  kPlus,              ///< +
  kMinus,             ///< -
  kStar,              ///< *
  kSlash,             ///< /
  kPercent,           ///< %
  kConcat,            ///< ||
  kEquals,            ///< =
  kNotEquals,         ///< <> or !=
  kLess,              ///< <
  kLessEquals,        ///< <=
  kGreater,           ///< > (never merged into `>>`, so `ARRAY<MAP<INT, INT>>` closes twice)
  kGreaterEquals,     ///< >=
  kArrow,             ///< => (named function arguments)
};

/// One token. `text` views the raw source text of the token (quotes and escapes included), so
/// the source must outlive the token.
struct Token {
  TokenKind kind = TokenKind::kEndOfInput;
  std::string_view text;
  size_t offset = 0;  ///< byte offset of the first character in the source
  SourcePosition position;

  /// Byte offset just past the token.
  size_t endOffset() const { return offset + text.size(); }
  /// Whether this is a bare word equal to `upper_keyword` ignoring case (`upper_keyword` is
  /// given in upper case, e.g. "SELECT").
  bool isWord(std::string_view upper_keyword) const;
};

}  // namespace caudal::sql::ast
