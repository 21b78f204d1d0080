// The AST printer: syntax trees back to canonical SQL text, for EXPLAIN output, error messages
// and round-trip tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser/ast.h"

namespace caudal::sql::ast {

// Canonical text: keywords in upper case, names as written (quoted ones in backticks), one
// space between tokens, aliases always with AS, parentheses exactly where precedence needs
// them. Parsing the text back gives an equal tree (positions aside), so printing that tree
// gives the same text again. The text is one line (string literals may hold line breaks).

/// A statement, without a trailing `;`.
std::string toSql(const Statement& statement);
/// A script: each statement followed by ";\n".
std::string toSql(const std::vector<StatementPtr>& statements);
std::string toSql(const Query& query);
std::string toSql(const Expr& expr);
std::string toSql(const TableRef& table);
std::string toSql(const DataType& type);

/// A name as SQL: bare if written bare (and usable bare), else in backticks with inner
/// backticks doubled.
std::string toSql(const Identifier& identifier);

/// A string literal: in single quotes with inner quotes doubled.
std::string quoteString(std::string_view value);

}  // namespace caudal::sql::ast
