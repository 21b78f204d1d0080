// The SQL lexer: turns SQL text into tokens, skipping white space and comments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/token.h"

namespace caudal::sql::ast {

/// Splits `sql` into tokens, ending with one `kEndOfInput` token placed just past the last
/// character. Skips white space, `-- line comments` and `/* block comments */`. The tokens view
/// `sql`, which must outlive them. Fails, with a message starting "line L, column C: ", on an
/// unterminated string, quoted identifier or comment, a malformed number or byte string, or a
/// character that cannot start a token. Runs in time linear in the length of `sql`.
Result<std::vector<Token>> tokenize(std::string_view sql);

/// The value of a `kString` token: the text between the quotes with `''` read as `'`.
std::string decodeStringLiteral(std::string_view token_text);

/// The name of a `kQuotedIdentifier` token: the text between the backticks with ``` `` ``` read
/// as one backtick.
std::string decodeQuotedIdentifier(std::string_view token_text);

}  // namespace caudal::sql::ast
