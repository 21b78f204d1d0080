// Regular-expression functions with RE2: REGEXP (a match anywhere), REGEXP_EXTRACT,
// REGEXP_REPLACE. A pattern is compiled once per kernel call when it is constant (and again only
// when it changes from row to row otherwise). An invalid pattern gives NULL, as Flink's
// functions do when Java's Pattern rejects it.
#include <re2/re2.h>

#include <cstring>
#include <memory>

#include "sql/function/function_helpers.h"

namespace caudal::sql {

namespace {

// The last compiled pattern of one kernel call.
class RegexCache {
 public:
  /// The compiled `pattern`, or null when it is not a valid regular expression.
  const RE2* get(std::string_view pattern) {
    if (regex_ == nullptr || pattern != text_) {
      text_.assign(pattern.data(), pattern.size());
      RE2::Options options;
      options.set_log_errors(false);
      regex_ = std::make_unique<RE2>(text_, options);
    }
    return regex_->ok() ? regex_.get() : nullptr;
  }

 private:
  std::string text_;
  std::unique_ptr<RE2> regex_;
};

// A Java replacement string (`$n` for group n, `\x` for a literal x) split into parts.
struct Replacement {
  struct Part {
    std::string literal;
    int group = -1;  // >= 0: the text of that group
  };
  std::vector<Part> parts;
  std::string source;
  bool valid = true;

  void parse(std::string_view text, int groups) {
    if (!parts.empty() && text == source) return;
    source.assign(text.data(), text.size());
    parts.clear();
    valid = true;
    std::string literal;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\\' && i + 1 < text.size()) {
        literal.push_back(text[++i]);
      } else if (c == '$' && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
        int group = text[++i] - '0';
        // Java takes further digits while the group number stays valid.
        while (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9' &&
               group * 10 + (text[i + 1] - '0') <= groups) {
          group = group * 10 + (text[++i] - '0');
        }
        if (group > groups) valid = false;
        parts.push_back({literal, -1});
        literal.clear();
        parts.push_back({"", group});
      } else if (c == '$' || c == '\\') {
        valid = false;
        literal.push_back(c);
      } else {
        literal.push_back(c);
      }
    }
    parts.push_back({literal, -1});
  }
};

Result<BoundScalarFunction> resolveRegexp(std::span<const DataType> args) {
  Status count = checkArgCount("REGEXP", args, 2, 2);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (const DataType& arg : args) {
    Result<DataType> type = stringArgument("REGEXP", arg);
    if (!type.isOk()) return type.status();
    types.push_back(type.value());
  }
  const DataType type = DataType::boolean();
  return makeFunction("REGEXP", std::move(types), type,
                      [type](std::span<const Vector> v, Rows rows, Vector& result) {
                        RegexCache cache;
                        executeBinaryNullable<std::string_view, std::string_view, uint8_t>(
                            v[0], v[1], rows, result, type,
                            [&](std::string_view s, std::string_view pattern, uint8_t& out) {
                              const RE2* regex = cache.get(pattern);
                              if (regex == nullptr) return false;
                              out = RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *regex);
                              return true;
                            });
                        return Status::ok();
                      });
}

// The text of group `group` of the first match of `regex` in `s`; false when there is none.
bool extract(const RE2& regex, std::string_view s, int group, std::vector<re2::StringPiece>& groups,
             std::string_view& out) {
  if (group < 0 || group > regex.NumberOfCapturingGroups()) return false;
  groups.resize(static_cast<size_t>(group) + 1);
  if (!regex.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED,
                   groups.data(), group + 1)) {
    return false;
  }
  const re2::StringPiece& piece = groups[static_cast<size_t>(group)];
  if (piece.data() == nullptr) return false;  // the group took no part in the match
  out = std::string_view(piece.data(), piece.size());
  return true;
}

Result<BoundScalarFunction> resolveRegexpExtract(std::span<const DataType> args) {
  Status count = checkArgCount("REGEXP_EXTRACT", args, 2, 3);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i) {
    Result<DataType> type = i < 2 ? stringArgument("REGEXP_EXTRACT", args[i])
                                  : integerArgument("REGEXP_EXTRACT", args[i]);
    if (!type.isOk()) return type.status();
    types.push_back(type.value());
  }
  const DataType type = DataType::string();
  return makeFunction(
      "REGEXP_EXTRACT", std::move(types), type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) {
        RegexCache cache;
        std::vector<re2::StringPiece> groups;
        if (v.size() == 2) {
          executeBinaryNullable<std::string_view, std::string_view, std::string_view>(
              v[0], v[1], rows, result, type,
              [&](std::string_view s, std::string_view pattern, std::string_view& out) {
                const RE2* regex = cache.get(pattern);
                return regex != nullptr && extract(*regex, s, 0, groups, out);
              });
        } else {
          executeTernaryNullable<std::string_view, std::string_view, int32_t, std::string_view>(
              v[0], v[1], v[2], rows, result, type,
              [&](std::string_view s, std::string_view pattern, int32_t group,
                  std::string_view& out) {
                const RE2* regex = cache.get(pattern);
                return regex != nullptr && extract(*regex, s, group, groups, out);
              });
        }
        result.keepStringsOf(v[0]);
        return Status::ok();
      });
}

Result<BoundScalarFunction> resolveRegexpReplace(std::span<const DataType> args) {
  Status count = checkArgCount("REGEXP_REPLACE", args, 3, 3);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (const DataType& arg : args) {
    Result<DataType> type = stringArgument("REGEXP_REPLACE", arg);
    if (!type.isOk()) return type.status();
    types.push_back(type.value());
  }
  const DataType type = DataType::string();
  return makeFunction(
      "REGEXP_REPLACE", std::move(types), type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) {
        RegexCache cache;
        Replacement replacement;
        std::vector<re2::StringPiece> groups;
        std::string buffer;
        executeTernaryNullable<std::string_view, std::string_view, std::string_view,
                               std::string_view>(
            v[0], v[1], v[2], rows, result, type,
            [&](std::string_view s, std::string_view pattern, std::string_view with,
                std::string_view& out) {
              const RE2* regex = cache.get(pattern);
              if (regex == nullptr) return false;
              const int group_count = regex->NumberOfCapturingGroups();
              replacement.parse(with, group_count);
              if (!replacement.valid) return false;
              groups.resize(static_cast<size_t>(group_count) + 1);
              buffer.clear();
              const re2::StringPiece text(s.data(), s.size());
              size_t pos = 0;
              size_t copied = 0;
              while (pos <= s.size() && regex->Match(text, pos, s.size(), RE2::UNANCHORED,
                                                     groups.data(), group_count + 1)) {
                const size_t start = static_cast<size_t>(groups[0].data() - s.data());
                const size_t end = start + groups[0].size();
                buffer.append(s.data() + copied, start - copied);
                for (const Replacement::Part& part : replacement.parts) {
                  if (part.group >= 0) {
                    const re2::StringPiece& g = groups[static_cast<size_t>(part.group)];
                    if (g.data() != nullptr) buffer.append(g.data(), g.size());
                  } else {
                    buffer += part.literal;
                  }
                }
                copied = end;
                if (end == start) {
                  // An empty match: keep the next character and move past it.
                  if (end >= s.size()) break;
                  size_t next = end + 1;
                  while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80)
                    ++next;
                  buffer.append(s.data() + end, next - end);
                  copied = next;
                  pos = next;
                } else {
                  pos = end;
                }
              }
              if (copied < s.size()) buffer.append(s.data() + copied, s.size() - copied);
              out = result.heap().add(buffer);
              return true;
            });
        return Status::ok();
      });
}

}  // namespace

void registerRegexFunctions(FunctionRegistry& registry) {
  registry.addScalar("regexp", resolveRegexp);
  registry.addScalar("regexp_extract", resolveRegexpExtract);
  registry.addScalar("regexp_replace", resolveRegexpReplace);
}

}  // namespace caudal::sql
