// A compiled SQL LIKE pattern: `%` any run of characters, `_` one character, an optional escape
// character. Literal-only shapes (exact, prefix, suffix, contains) match without backtracking.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace caudal::sql {

class LikePattern {
 public:
  /// Compiles `pattern`; an error when the escape character ends the pattern or precedes a
  /// character other than `%`, `_` or itself.
  static Result<LikePattern> compile(std::string_view pattern, std::optional<char> escape);

  /// Whether `text` matches the whole pattern.
  bool matches(std::string_view text) const;

 private:
  enum class Shape : uint8_t { kExact, kPrefix, kSuffix, kContains, kGeneral };
  enum class Token : uint8_t { kLiteral, kAnyOne, kAnyRun };
  struct Step {
    Token token;
    char literal;
  };

  bool matchesGeneral(std::string_view text) const;

  Shape shape_ = Shape::kGeneral;
  std::string literal_;
  std::vector<Step> steps_;
};

}  // namespace caudal::sql
