// Keywords of the Flink SQL dialect: which words are reserved, and spelling suggestions.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace caudal::sql::ast {

/// Whether `word` (any case) is reserved: it cannot be a bare identifier and must be quoted
/// with backticks to name a column or table (`` `from` ``). Every other keyword (STATUS, VALUE,
/// KEY, TIMESTAMP, YEAR, COUNT, WINDOW, ...) is also usable as a bare identifier.
bool isReservedWord(std::string_view word);

/// `word` in upper case (ASCII letters only).
std::string toUpperAscii(std::string_view word);

/// The candidate closest to `word` (ignoring case) if it is a plausible misspelling of it
/// (edit distance at most 2, and less than half of the word's length), else empty.
std::string_view closestKeyword(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace caudal::sql::ast
