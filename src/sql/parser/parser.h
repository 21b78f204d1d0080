// The SQL parser: Flink SQL text to syntax trees (ast.h).
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/parser/ast.h"

namespace caudal::sql::ast {

/// The deepest nesting of parentheses, subqueries, types and prefix operators the parser
/// accepts; deeper input is a syntax error rather than a risk to the stack.
inline constexpr int kMaxNestingDepth = 256;

/// Parses a script: statements separated by `;` (a trailing `;` is optional; empty statements
/// are skipped). `BEGIN STATEMENT SET; INSERT ..; ... END;` becomes one StatementSet. Each
/// statement records its byte range in `sql` (statementText()). On a syntax error returns a
/// Status whose message starts "line L, column C: " and says what was expected and found.
/// Takes time linear in the length of `sql`; never throws. Thread-safe (no shared state).
Result<std::vector<StatementPtr>> parseScript(std::string_view sql);

/// Parses exactly one statement (optionally followed by `;`).
Result<StatementPtr> parseStatement(std::string_view sql);

/// Parses exactly one expression, e.g. "a + 1" or "price > 10 AND channel = 'apple'".
Result<ExprPtr> parseExpression(std::string_view sql);

}  // namespace caudal::sql::ast
