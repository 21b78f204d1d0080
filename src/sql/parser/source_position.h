// SourcePosition: where a token or an AST node starts in the SQL text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caudal::sql {

/// A 1-based line and column in the SQL text. Columns count characters (UTF-8 code points;
/// a tab is one column), so an error can point at the text the user sees.
struct SourcePosition {
  uint32_t line = 1;
  uint32_t column = 1;

  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

/// The text of a syntax error at `position`: "line L, column C: <message>".
inline std::string formatSqlError(SourcePosition position, std::string_view message) {
  std::string text("line ");
  text.append(std::to_string(position.line))
      .append(", column ")
      .append(std::to_string(position.column))
      .append(": ")
      .append(message);
  return text;
}

}  // namespace caudal::sql
