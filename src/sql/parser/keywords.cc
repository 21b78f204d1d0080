#include "sql/parser/keywords.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "common/closest_name.h"

namespace caudal::sql::ast {
namespace {

// Words that may follow an expression or a table reference, or that start one specially, so
// that reading them as an alias or a column would be ambiguous. Upper case.
constexpr std::string_view kReservedWords[] = {
    "ALL",          "AND",         "ARRAY",     "AS",           "BETWEEN",
    "BY",           "CASE",        "CAST",      "CREATE",       "CROSS",
    "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DESCRIPTOR", "DISTINCT",
    "DROP",         "ELSE",        "END",       "ESCAPE",       "EXCEPT",
    "EXISTS",       "FALSE",       "FETCH",     "FILTER",       "FOR",
    "FROM",         "FULL",        "GROUP",     "HAVING",       "IN",
    "INNER",        "INSERT",      "INTERSECT", "INTERVAL",     "INTO",
    "IS",           "JOIN",        "LATERAL",   "LEFT",         "LIKE",
    "LIMIT",        "LOCALTIME",   "LOCALTIMESTAMP", "MINUS",   "NATURAL",
    "NOT",          "NULL",        "OFFSET",    "ON",           "OR",
    "ORDER",        "OUTER",       "OVER",      "RIGHT",        "SELECT",
    "SIMILAR",      "TABLE",       "THEN",      "TRUE",         "TRY_CAST",
    "UNION",        "UNKNOWN",     "USING",     "VALUES",       "WHEN",
    "WHERE",        "WITH",        "MAP",
};

}  // namespace

std::string toUpperAscii(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

bool isReservedWord(std::string_view word) {
  if (word.size() > 20) return false;
  std::string upper = toUpperAscii(word);
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), upper) !=
         std::end(kReservedWords);
}

std::string_view closestKeyword(std::string_view word,
                                std::span<const std::string_view> candidates) {
  if (word.size() > 40) return {};
  std::string upper = toUpperAscii(word);
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view candidate : candidates) {
    const size_t distance = editDistanceIgnoringCase(upper, candidate);
    if (distance < best_distance && distance * 2 < upper.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace caudal::sql::ast
