#include "sql/parser/lexer.h"

#include <cstdint>

namespace caudal::sql::ast {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Bytes of multi-byte UTF-8 characters may appear in identifiers.
bool isWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool isWordPart(char c) { return isWordStart(c) || isDigit(c) || c == '$'; }

// A printable rendering of one source character for an error message.
std::string describeCharacter(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'").append(1, c).append("'");
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x").append(1, kHex[byte >> 4]).append(1, kHex[byte & 0xf]);
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    for (;;) {
      if (!skipSpaceAndComments()) return Status::error(std::move(error_));
      if (at_ >= sql_.size()) break;
      size_t start = at_;
      SourcePosition position = position_;
      TokenKind kind = TokenKind::kEndOfInput;
      if (!lexOne(kind)) return Status::error(std::move(error_));
      tokens.push_back(Token{kind, sql_.substr(start, at_ - start), start, position});
    }
    tokens.push_back(Token{TokenKind::kEndOfInput, {}, sql_.size(), position_});
    return tokens;
  }

 private:
  char peekChar(size_t ahead = 0) const {
    return at_ + ahead < sql_.size() ? sql_[at_ + ahead] : '\0';
  }
  bool atEnd(size_t ahead = 0) const { return at_ + ahead >= sql_.size(); }

  // Consumes one byte, keeping the line and column up to date. Continuation bytes of a UTF-8
  // character do not start a new column.
  void bump() {
    char c = sql_[at_++];
    if (c == '\n') {
      ++position_.line;
      position_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++position_.column;
    }
  }
  void bump(size_t n) {
    for (size_t i = 0; i < n; ++i) bump();
  }

  bool fail(SourcePosition at, std::string message) {
    error_ = formatSqlError(at, message);
    return false;
  }

  bool skipSpaceAndComments() {
    while (!atEnd()) {
      char c = peekChar();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        bump();
      } else if (c == '-' && peekChar(1) == '-') {
        while (!atEnd() && peekChar() != '\n') bump();
      } else if (c == '/' && peekChar(1) == '*') {
        SourcePosition start = position_;
        bump(2);
        for (;;) {
          if (atEnd()) return fail(start, "unterminated comment: '/*' is never closed by '*/'");
          if (peekChar() == '*' && peekChar(1) == '/') {
            bump(2);
            break;
          }
          bump();
        }
      } else {
        break;
      }
    }
    return true;
  }

  bool lexOne(TokenKind& kind) {
    char c = peekChar();
    SourcePosition start = position_;
    size_t token_start = at_;
    if ((c == 'x' || c == 'X') && peekChar(1) == '\'') {
      kind = TokenKind::kBinaryString;
      bump();
      return lexQuoted('\'', start, "unterminated byte string literal") &&
             checkHexDigits(token_start, start);
    }
    if (isWordStart(c)) {
      kind = TokenKind::kWord;
      while (!atEnd() && isWordPart(peekChar())) bump();
      return true;
    }
    if (isDigit(c) || (c == '.' && isDigit(peekChar(1)))) return lexNumber(kind);
    switch (c) {
      case '\'':
        kind = TokenKind::kString;
        return lexQuoted('\'', start, "unterminated string literal");
      case '`':
        kind = TokenKind::kQuotedIdentifier;
        if (!lexQuoted('`', start, "unterminated quoted identifier")) return false;
        if (at_ - token_start == 2) return fail(start, "empty quoted identifier ``");
        return true;
      case '(': return single(kind, TokenKind::kLeftParen);
      case ')': return single(kind, TokenKind::kRightParen);
      case '[': return single(kind, TokenKind::kLeftBracket);
      case ']': return single(kind, TokenKind::kRightBracket);
      case ',': return single(kind, TokenKind::kComma);
      case ';': return single(kind, TokenKind::kSemicolon);
      case '.': return single(kind, TokenKind::kDot);
      case '+': return single(kind, TokenKind::kPlus);
      case '-': return single(kind, TokenKind::kMinus);
      case '*': return single(kind, TokenKind::kStar);
      case '/': return single(kind, TokenKind::kSlash);
      case '%': return single(kind, TokenKind::kPercent);
      case '|':
        if (peekChar(1) == '|') return pair(kind, TokenKind::kConcat);
        return fail(start, "unexpected character '|' (the concatenation operator is '||')");
      case '=':
        if (peekChar(1) == '>') return pair(kind, TokenKind::kArrow);
        return single(kind, TokenKind::kEquals);
      case '!':
        if (peekChar(1) == '=') return pair(kind, TokenKind::kNotEquals);
        return fail(start, "unexpected character '!' (not equal is '<>' or '!=')");
      case '<':
        if (peekChar(1) == '>') return pair(kind, TokenKind::kNotEquals);
        if (peekChar(1) == '=') return pair(kind, TokenKind::kLessEquals);
        return single(kind, TokenKind::kLess);
      case '>':
        if (peekChar(1) == '=') return pair(kind, TokenKind::kGreaterEquals);
        return single(kind, TokenKind::kGreater);
      case '"':
        return fail(start,
                    "unexpected character '\"': string literals use single quotes ('text') "
                    "and quoted identifiers use backticks (`name`)");
      default:
        return fail(start, std::string("unexpected character ").append(describeCharacter(c)));
    }
  }

  bool single(TokenKind& kind, TokenKind value) {
    kind = value;
    bump();
    return true;
  }
  bool pair(TokenKind& kind, TokenKind value) {
    kind = value;
    bump(2);
    return true;
  }

  // Consumes a quoted run starting at the opening quote; a doubled quote is an escape.
  bool lexQuoted(char quote, SourcePosition start, const char* unterminated) {
    bump();  // the opening quote
    for (;;) {
      if (atEnd()) return fail(start, unterminated);
      if (peekChar() == quote) {
        if (peekChar(1) == quote) {
          bump(2);
          continue;
        }
        bump();
        return true;
      }
      bump();
    }
  }

  // Validates the digits of the byte string X'...' lexed from `token_start` to here.
  bool checkHexDigits(size_t token_start, SourcePosition start) {
    std::string_view digits = sql_.substr(token_start + 2, at_ - token_start - 3);
    for (char c : digits) {
      if (!isHexDigit(c)) {
        return fail(start, std::string("invalid byte string literal: ")
                               .append(describeCharacter(c))
                               .append(" is not a hexadecimal digit"));
      }
    }
    if (digits.size() % 2 != 0) {
      return fail(start,
                  "invalid byte string literal: it needs an even number of hexadecimal digits");
    }
    return true;
  }

  bool lexNumber(TokenKind& kind) {
    SourcePosition start = position_;
    kind = TokenKind::kInteger;
    while (isDigit(peekChar())) bump();
    if (peekChar() == '.') {
      kind = TokenKind::kDecimal;
      bump();
      while (isDigit(peekChar())) bump();
    }
    if (peekChar() == 'e' || peekChar() == 'E') {
      size_t digits_at = 1;
      if (peekChar(1) == '+' || peekChar(1) == '-') digits_at = 2;
      if (!isDigit(peekChar(digits_at))) {
        return fail(start, "invalid number: the exponent after 'E' needs digits");
      }
      kind = TokenKind::kApproximate;
      bump(digits_at);
      while (isDigit(peekChar())) bump();
    }
    if (isWordStart(peekChar())) {
      return fail(start, "invalid number: a number must not be followed directly by a letter");
    }
    return true;
  }

  std::string_view sql_;
  size_t at_ = 0;
  SourcePosition position_;
  std::string error_;
};

std::string decodeQuoted(std::string_view token_text, char quote, size_t prefix) {
  std::string value;
  if (token_text.size() < prefix + 2) return value;
  std::string_view inner = token_text.substr(prefix + 1, token_text.size() - prefix - 2);
  value.reserve(inner.size());
  for (size_t i = 0; i < inner.size(); ++i) {
    value.push_back(inner[i]);
    if (inner[i] == quote) ++i;  // the second quote of an escaped pair
  }
  return value;
}

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view sql) { return Lexer(sql).run(); }

std::string decodeStringLiteral(std::string_view token_text) {
  return decodeQuoted(token_text, '\'', 0);
}

std::string decodeQuotedIdentifier(std::string_view token_text) {
  return decodeQuoted(token_text, '`', 0);
}

}  // namespace caudal::sql::ast
