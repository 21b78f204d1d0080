#include "sql/function/like_pattern.h"

namespace caudal::sql {

namespace {

// Bytes of the UTF-8 character starting with `lead`.
inline size_t charBytes(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

Result<LikePattern> LikePattern::compile(std::string_view pattern, std::optional<char> escape) {
  LikePattern compiled;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (escape && c == *escape) {
      if (i + 1 >= pattern.size())
        return Status::error("LIKE pattern '" + std::string(pattern) +
                             "' ends with its escape character");
      const char next = pattern[i + 1];
      if (next != '%' && next != '_' && next != *escape) {
        return Status::error("invalid escape sequence in LIKE pattern '" + std::string(pattern) +
                             "'");
      }
      compiled.steps_.push_back({Token::kLiteral, next});
      ++i;
    } else if (c == '%') {
      // Consecutive runs are one run.
      if (compiled.steps_.empty() || compiled.steps_.back().token != Token::kAnyRun) {
        compiled.steps_.push_back({Token::kAnyRun, 0});
      }
    } else if (c == '_') {
      compiled.steps_.push_back({Token::kAnyOne, 0});
    } else {
      compiled.steps_.push_back({Token::kLiteral, c});
    }
  }
  // Recognize the literal-only shapes.
  const auto& steps = compiled.steps_;
  size_t first = 0;
  size_t last = steps.size();
  const bool leading_run = !steps.empty() && steps.front().token == Token::kAnyRun;
  const bool trailing_run =
      steps.size() > (leading_run ? 1u : 0u) && steps.back().token == Token::kAnyRun;
  if (leading_run) ++first;
  if (trailing_run) --last;
  bool literal_only = true;
  for (size_t i = first; i < last; ++i) {
    if (steps[i].token != Token::kLiteral) {
      literal_only = false;
      break;
    }
    compiled.literal_.push_back(steps[i].literal);
  }
  if (literal_only) {
    if (leading_run && trailing_run) {
      compiled.shape_ = Shape::kContains;
    } else if (leading_run) {
      compiled.shape_ = Shape::kSuffix;
    } else if (trailing_run) {
      compiled.shape_ = Shape::kPrefix;
    } else {
      compiled.shape_ = Shape::kExact;
    }
  } else {
    compiled.literal_.clear();
  }
  return compiled;
}

bool LikePattern::matches(std::string_view text) const {
  switch (shape_) {
    case Shape::kExact:
      return text == literal_;
    case Shape::kPrefix:
      return text.starts_with(literal_);
    case Shape::kSuffix:
      return text.ends_with(literal_);
    case Shape::kContains:
      return text.find(literal_) != std::string_view::npos;
    case Shape::kGeneral:
      return matchesGeneral(text);
  }
  return false;
}

bool LikePattern::matchesGeneral(std::string_view text) const {
  // Greedy matching that backtracks to the last `%` only: linear for most patterns.
  size_t t = 0;
  size_t s = 0;
  size_t star_step = SIZE_MAX;
  size_t star_text = 0;
  const size_t n = steps_.size();
  while (t < text.size()) {
    if (s < n && steps_[s].token == Token::kAnyOne) {
      t += charBytes(static_cast<unsigned char>(text[t]));
      ++s;
    } else if (s < n && steps_[s].token == Token::kLiteral && steps_[s].literal == text[t]) {
      ++t;
      ++s;
    } else if (s < n && steps_[s].token == Token::kAnyRun) {
      star_step = s++;
      star_text = t;
    } else if (star_step != SIZE_MAX) {
      s = star_step + 1;
      star_text += charBytes(static_cast<unsigned char>(text[star_text]));
      t = star_text;
    } else {
      return false;
    }
  }
  while (s < n && steps_[s].token == Token::kAnyRun) ++s;
  return s == n;
}

}  // namespace caudal::sql
