// String functions: || and CONCAT, CONCAT_WS, UPPER, LOWER, TRIM, CHAR_LENGTH, SUBSTRING,
// REPLACE, POSITION/LOCATE/INSTR, SPLIT_INDEX, INITCAP, REVERSE, LPAD/RPAD, REPEAT, LEFT, RIGHT,
// LIKE. Lengths and positions count UTF-8 characters; case mapping is ASCII only.
#include <cstring>

#include "sql/function/function_helpers.h"
#include "sql/function/like_pattern.h"

namespace caudal::sql {

namespace {

using Strings = std::span<const Vector>;

// `count` bytes of the result's heap, for the string being built.
inline char* reserve(Vector& result, size_t count) {
  return count == 0 ? nullptr : result.heap().allocate(count);
}

// Resolves a function whose arguments are all strings, returning `return_type`.
Result<BoundScalarFunction> allStrings(std::string_view name, std::span<const DataType> args,
                                       size_t min, size_t max, const DataType& return_type,
                                       ScalarKernel kernel) {
  Status count = checkArgCount(name, args, min, max);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (const DataType& arg : args) {
    Result<DataType> type = stringArgument(name, arg);
    if (!type.isOk()) return type.status();
    types.push_back(type.value());
  }
  return makeFunction(upperName(name), std::move(types), nullableIfAny(return_type, args),
                      std::move(kernel));
}

// Resolves `name(string, int...)`: the first argument a string, the next `ints` integers.
Result<BoundScalarFunction> stringAndInts(std::string_view name, std::span<const DataType> args,
                                          size_t min, size_t max, const DataType& return_type,
                                          ScalarKernel kernel, bool nullable = false) {
  Status count = checkArgCount(name, args, min, max);
  if (!count.isOk()) return count;
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i) {
    Result<DataType> type = i == 0 ? stringArgument(name, args[i]) : integerArgument(name, args[i]);
    if (!type.isOk()) return type.status();
    types.push_back(type.value());
  }
  DataType type = nullableIfAny(return_type, args);
  if (nullable) type = type.withNullable(true);
  return makeFunction(upperName(name), std::move(types), type, std::move(kernel));
}

const DataType& stringType() {
  static const DataType type = DataType::string();
  return type;
}

// ---- CONCAT, ||, CONCAT_WS ----

ScalarKernel concatKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    executeVariadic<std::string_view>(
        v, rows, result, type, [&](uint32_t row, std::string_view& out) {
          size_t size = 0;
          for (const Vector& arg : v) size += arg.valueAt<std::string_view>(row).size();
          char* bytes = reserve(result, size);
          size_t pos = 0;
          for (const Vector& arg : v) {
            const std::string_view part = arg.valueAt<std::string_view>(row);
            if (!part.empty()) std::memcpy(bytes + pos, part.data(), part.size());
            pos += part.size();
          }
          out = std::string_view(bytes, size);
          return true;
        });
    return Status::ok();
  };
}

// CONCAT_WS(separator, s...): NULL only when the separator is; NULL strings are skipped.
ScalarKernel concatWsKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    const bool constant = allConstant(v);
    prepareResult(result, type, constant, flatCapacity(v, rows));
    const Rows active = constant ? Rows{nullptr, 1} : rows;
    std::string_view* out = result.values<std::string_view>();
    for (uint32_t i = 0; i < active.count; ++i) {
      const uint32_t row = active[i];
      if (v[0].isNull(row)) {
        result.setNull(row);
        continue;
      }
      const std::string_view separator = v[0].valueAt<std::string_view>(row);
      size_t size = 0;
      size_t parts = 0;
      for (size_t a = 1; a < v.size(); ++a) {
        if (v[a].isNull(row)) continue;
        size += v[a].valueAt<std::string_view>(row).size();
        ++parts;
      }
      if (parts > 1) size += separator.size() * (parts - 1);
      char* bytes = reserve(result, size);
      size_t pos = 0;
      bool first = true;
      for (size_t a = 1; a < v.size(); ++a) {
        if (v[a].isNull(row)) continue;
        if (!first && !separator.empty()) {
          std::memcpy(bytes + pos, separator.data(), separator.size());
          pos += separator.size();
        }
        first = false;
        const std::string_view part = v[a].valueAt<std::string_view>(row);
        if (!part.empty()) std::memcpy(bytes + pos, part.data(), part.size());
        pos += part.size();
      }
      out[row] = std::string_view(bytes, size);
    }
    return Status::ok();
  };
}

// ---- UPPER, LOWER, INITCAP, REVERSE ----

template <class Map>
ScalarKernel mapBytesKernel(Map map) {
  return [map](Strings v, Rows rows, Vector& result) {
    executeUnary<std::string_view, std::string_view>(v[0], rows, result, stringType(),
                                                     [&](std::string_view s) {
                                                       char* bytes = reserve(result, s.size());
                                                       for (size_t i = 0; i < s.size(); ++i)
                                                         bytes[i] = map(s[i]);
                                                       return std::string_view(bytes, s.size());
                                                     });
    return Status::ok();
  };
}

inline char asciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
inline char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

ScalarKernel initcapKernel() {
  return [](Strings v, Rows rows, Vector& result) {
    executeUnary<std::string_view, std::string_view>(
        v[0], rows, result, stringType(), [&](std::string_view s) {
          char* bytes = reserve(result, s.size());
          bool word_start = true;
          for (size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            bytes[i] = word_start ? asciiUpper(c) : asciiLower(c);
            word_start = !isAlnum(c);
          }
          return std::string_view(bytes, s.size());
        });
    return Status::ok();
  };
}

ScalarKernel reverseKernel() {
  return [](Strings v, Rows rows, Vector& result) {
    executeUnary<std::string_view, std::string_view>(
        v[0], rows, result, stringType(), [&](std::string_view s) {
          char* bytes = reserve(result, s.size());
          // Characters in reverse order, each keeping its bytes in order.
          size_t out = s.size();
          size_t i = 0;
          while (i < s.size()) {
            size_t end = i + 1;
            while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
            out -= end - i;
            std::memcpy(bytes + out, s.data() + i, end - i);
            i = end;
          }
          return std::string_view(bytes, s.size());
        });
    return Status::ok();
  };
}

// ---- TRIM, LTRIM, RTRIM ----

std::string_view trimChars(std::string_view s, std::string_view chars, bool left, bool right) {
  if (left) {
    while (!s.empty() && chars.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  }
  if (right) {
    while (!s.empty() && chars.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  }
  return s;
}

ScalarKernel trimKernel(bool left, bool right) {
  return [left, right](Strings v, Rows rows, Vector& result) {
    if (v.size() == 1) {
      executeUnary<std::string_view, std::string_view>(
          v[0], rows, result, stringType(),
          [&](std::string_view s) { return trimChars(s, " ", left, right); });
    } else {
      executeBinary<std::string_view, std::string_view, std::string_view>(
          v[0], v[1], rows, result, stringType(), [&](std::string_view s, std::string_view chars) {
            return trimChars(s, chars, left, right);
          });
    }
    // The results are views into the input.
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

// ---- CHAR_LENGTH, SUBSTRING, LEFT, RIGHT ----

ScalarKernel lengthKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    executeUnary<std::string_view, int32_t>(v[0], rows, result, type, [](std::string_view s) {
      return static_cast<int32_t>(utf8Length(s));
    });
    return Status::ok();
  };
}

// SUBSTRING(s, start[, length]) with Flink's rules: positions from 1, a negative start counts
// from the end, start 0 is 1; a negative length gives NULL.
bool substring(std::string_view s, int64_t start, int64_t length, std::string_view& out) {
  if (length < 0) return false;
  const int64_t chars = utf8Length(s);
  int64_t from = start > 0 ? start - 1 : (start < 0 ? chars + start : 0);
  int64_t to = length == INT64_MAX ? chars : from + length;
  from = std::max<int64_t>(from, 0);
  to = std::min(to, chars);
  if (from >= to) {
    out = std::string_view();
    return true;
  }
  const size_t begin = utf8Offset(s, from);
  const size_t end = begin + utf8Offset(s.substr(begin), to - from);
  out = s.substr(begin, end - begin);
  return true;
}

ScalarKernel substringKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    if (v.size() == 2) {
      executeBinaryNullable<std::string_view, int32_t, std::string_view>(
          v[0], v[1], rows, result, type,
          [](std::string_view s, int32_t start, std::string_view& out) {
            return substring(s, start, INT64_MAX, out);
          });
    } else {
      executeTernaryNullable<std::string_view, int32_t, int32_t, std::string_view>(
          v[0], v[1], v[2], rows, result, type,
          [](std::string_view s, int32_t start, int32_t length, std::string_view& out) {
            return substring(s, start, length, out);
          });
    }
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

ScalarKernel leftRightKernel(bool left, const DataType& type) {
  return [left, type](Strings v, Rows rows, Vector& result) {
    executeBinary<std::string_view, int32_t, std::string_view>(
        v[0], v[1], rows, result, type, [left](std::string_view s, int32_t n) {
          if (n <= 0) return std::string_view();
          const int64_t chars = utf8Length(s);
          if (n >= chars) return s;
          const size_t cut = utf8Offset(s, left ? n : chars - n);
          return left ? s.substr(0, cut) : s.substr(cut);
        });
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

// ---- REPLACE, POSITION, SPLIT_INDEX ----

ScalarKernel replaceKernel() {
  return [](Strings v, Rows rows, Vector& result) {
    executeTernary<std::string_view, std::string_view, std::string_view, std::string_view>(
        v[0], v[1], v[2], rows, result, stringType(),
        [&](std::string_view s, std::string_view search, std::string_view replacement) {
          if (search.empty()) return s;
          size_t matches = 0;
          for (size_t pos = s.find(search); pos != std::string_view::npos;
               pos = s.find(search, pos + search.size())) {
            ++matches;
          }
          if (matches == 0) return s;
          const size_t size = s.size() + matches * replacement.size() - matches * search.size();
          char* bytes = reserve(result, size);
          size_t out = 0;
          size_t from = 0;
          for (size_t pos = s.find(search); pos != std::string_view::npos;
               pos = s.find(search, from)) {
            std::memcpy(bytes + out, s.data() + from, pos - from);
            out += pos - from;
            if (!replacement.empty())
              std::memcpy(bytes + out, replacement.data(), replacement.size());
            out += replacement.size();
            from = pos + search.size();
          }
          std::memcpy(bytes + out, s.data() + from, s.size() - from);
          return std::string_view(bytes, size);
        });
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

// 1-based character position of `needle` in `haystack` from character `start` (1-based), 0
// when absent.
int32_t locate(std::string_view needle, std::string_view haystack, int64_t start) {
  if (start < 1) return 0;
  const size_t from = utf8Offset(haystack, start - 1);
  if (from > haystack.size() || (from == haystack.size() && start - 1 > utf8Length(haystack)))
    return 0;
  const size_t pos = haystack.find(needle, from);
  if (pos == std::string_view::npos) return 0;
  return static_cast<int32_t>(utf8Length(haystack.substr(0, pos)) + 1);
}

ScalarKernel positionKernel(bool needle_first, const DataType& type) {
  return [needle_first, type](Strings v, Rows rows, Vector& result) {
    const Vector& needle = needle_first ? v[0] : v[1];
    const Vector& haystack = needle_first ? v[1] : v[0];
    if (v.size() == 2) {
      executeBinary<std::string_view, std::string_view, int32_t>(
          needle, haystack, rows, result, type,
          [](std::string_view n, std::string_view h) { return locate(n, h, 1); });
    } else {
      executeTernary<std::string_view, std::string_view, int32_t, int32_t>(
          needle, haystack, v[2], rows, result, type,
          [](std::string_view n, std::string_view h, int32_t start) {
            return locate(n, h, start);
          });
    }
    return Status::ok();
  };
}

ScalarKernel splitIndexKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    executeTernaryNullable<std::string_view, std::string_view, int32_t, std::string_view>(
        v[0], v[1], v[2], rows, result, type,
        [](std::string_view s, std::string_view separator, int32_t index, std::string_view& out) {
          if (index < 0 || s.empty()) return false;
          if (separator.empty()) {
            if (index != 0) return false;
            out = s;
            return true;
          }
          size_t from = 0;
          for (int32_t i = 0; i < index; ++i) {
            const size_t pos = s.find(separator, from);
            if (pos == std::string_view::npos) return false;
            from = pos + separator.size();
          }
          const size_t end = s.find(separator, from);
          out = s.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
          return true;
        });
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

// ---- LPAD, RPAD, REPEAT ----

// Flink's LPAD/RPAD: the result has exactly `length` characters — the string cut to it, or
// padded with repetitions of `pad`; NULL for a negative length or an empty pad.
ScalarKernel padKernel(bool left, const DataType& type) {
  return [left, type](Strings v, Rows rows, Vector& result) {
    executeTernaryNullable<std::string_view, int32_t, std::string_view, std::string_view>(
        v[0], v[1], v[2], rows, result, type,
        [&](std::string_view s, int32_t length, std::string_view pad, std::string_view& out) {
          if (length < 0 || pad.empty()) return false;
          const int64_t chars = utf8Length(s);
          if (length <= chars) {
            out = s.substr(0, utf8Offset(s, length));
            return true;
          }
          const int64_t pad_chars = utf8Length(pad);
          const int64_t missing = length - chars;
          // Bytes of `missing` characters of the repeated pad.
          const int64_t whole = missing / pad_chars;
          const size_t tail = utf8Offset(pad, missing % pad_chars);
          const size_t pad_bytes = static_cast<size_t>(whole) * pad.size() + tail;
          const size_t size = s.size() + pad_bytes;
          char* bytes = reserve(result, size);
          char* padding = left ? bytes : bytes + s.size();
          for (int64_t i = 0; i < whole; ++i)
            std::memcpy(padding + i * pad.size(), pad.data(), pad.size());
          std::memcpy(padding + whole * pad.size(), pad.data(), tail);
          if (!s.empty()) std::memcpy(left ? bytes + pad_bytes : bytes, s.data(), s.size());
          out = std::string_view(bytes, size);
          return true;
        });
    result.keepStringsOf(v[0]);
    return Status::ok();
  };
}

ScalarKernel repeatKernel(const DataType& type) {
  return [type](Strings v, Rows rows, Vector& result) {
    executeBinary<std::string_view, int32_t, std::string_view>(
        v[0], v[1], rows, result, type, [&](std::string_view s, int32_t n) {
          if (n <= 0 || s.empty()) return std::string_view();
          const size_t size = s.size() * static_cast<size_t>(n);
          char* bytes = reserve(result, size);
          for (int32_t i = 0; i < n; ++i) {
            std::memcpy(bytes + i * s.size(), s.data(), s.size());
          }
          return std::string_view(bytes, size);
        });
    return Status::ok();
  };
}

// ---- LIKE ----

Result<BoundScalarFunction> resolveLike(std::span<const DataType> args) {
  const DataType type = nullableIfAny(DataType::boolean(), args);
  return allStrings(
      "LIKE", args, 2, 3, DataType::boolean(),
      [type](Strings v, Rows rows, Vector& result) -> Status {
        const bool has_escape = v.size() == 3;
        // The escape of a row: none, or one character (an error otherwise).
        auto escapeAt = [&](uint32_t row, std::optional<char>& escape) -> Status {
          if (!has_escape) return Status::ok();
          const std::string_view e = v[2].valueAt<std::string_view>(row);
          if (e.size() != 1)
            return Status::error("LIKE's ESCAPE must be one character but got '" + std::string(e) +
                                 "'");
          escape = e[0];
          return Status::ok();
        };
        if (v[1].isConstant() && (!has_escape || v[2].isConstant())) {
          // One compiled pattern for the whole vector.
          if (v[1].isNull(0) || (has_escape && v[2].isNull(0))) {
            result = Vector::constantNull(type);
            return Status::ok();
          }
          std::optional<char> escape;
          Status escape_status = escapeAt(0, escape);
          if (!escape_status.isOk()) return escape_status;
          Result<LikePattern> pattern =
              LikePattern::compile(v[1].values<std::string_view>()[0], escape);
          if (!pattern.isOk()) return pattern.status();
          const LikePattern& compiled = pattern.value();
          executeUnary<std::string_view, uint8_t>(
              v[0], rows, result, type,
              [&](std::string_view s) { return static_cast<uint8_t>(compiled.matches(s)); });
          return Status::ok();
        }
        // A pattern per row.
        Status failure = Status::ok();
        executeVariadic<uint8_t>(v, rows, result, type, [&](uint32_t row, uint8_t& out) {
          std::optional<char> escape;
          Status escape_status = escapeAt(row, escape);
          Result<LikePattern> pattern =
              escape_status.isOk()
                  ? LikePattern::compile(v[1].valueAt<std::string_view>(row), escape)
                  : Result<LikePattern>(escape_status);
          if (!pattern.isOk()) {
            if (failure.isOk()) failure = pattern.status();
            return false;
          }
          out = pattern.value().matches(v[0].valueAt<std::string_view>(row));
          return true;
        });
        return failure;
      });
}

}  // namespace

void registerStringFunctions(FunctionRegistry& registry) {
  for (const char* name : {"||", "concat"}) {
    registry.addScalar(name, [name](std::span<const DataType> args) {
      const DataType type = nullableIfAny(DataType::string(), args);
      return allStrings(name, args, std::string_view(name) == "||" ? 2 : 1,
                        std::string_view(name) == "||" ? 2 : SIZE_MAX, type, concatKernel(type));
    });
  }
  registry.addScalar(
      "concat_ws", [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
        const DataType type = DataType::string().withNullable(args.empty() || args[0].nullable());
        Result<BoundScalarFunction> bound =
            allStrings("concat_ws", args, 2, SIZE_MAX, type, concatWsKernel(type));
        if (bound.isOk()) bound.value().return_type = type;
        return bound;
      });
  for (const char* name : {"upper", "ucase"}) {
    registry.addScalar(name, [](std::span<const DataType> args) {
      return allStrings("upper", args, 1, 1, DataType::string(), mapBytesKernel(asciiUpper));
    });
  }
  for (const char* name : {"lower", "lcase"}) {
    registry.addScalar(name, [](std::span<const DataType> args) {
      return allStrings("lower", args, 1, 1, DataType::string(), mapBytesKernel(asciiLower));
    });
  }
  registry.addScalar("initcap", [](std::span<const DataType> args) {
    return allStrings("initcap", args, 1, 1, DataType::string(), initcapKernel());
  });
  registry.addScalar("reverse", [](std::span<const DataType> args) {
    return allStrings("reverse", args, 1, 1, DataType::string(), reverseKernel());
  });
  const std::pair<const char*, std::pair<bool, bool>> trims[] = {{"trim", {true, true}},
                                                                 {"btrim", {true, true}},
                                                                 {"ltrim", {true, false}},
                                                                 {"rtrim", {false, true}}};
  for (const auto& [name, sides] : trims) {
    registry.addScalar(name,
                       [name = std::string(name), sides = sides](std::span<const DataType> args) {
                         return allStrings(name, args, 1, 2, DataType::string(),
                                           trimKernel(sides.first, sides.second));
                       });
  }
  for (const char* name : {"char_length", "character_length", "length"}) {
    registry.addScalar(name, [name](std::span<const DataType> args) {
      const DataType type = nullableIfAny(DataType::integer(), args);
      return allStrings(name, args, 1, 1, type, lengthKernel(type));
    });
  }
  for (const char* name : {"substring", "substr"}) {
    registry.addScalar(name, [](std::span<const DataType> args) {
      const DataType type = DataType::string();
      return stringAndInts("substring", args, 2, 3, type, substringKernel(type.withNullable(true)),
                           true);
    });
  }
  registry.addScalar("left", [](std::span<const DataType> args) {
    const DataType type = nullableIfAny(DataType::string(), args);
    return stringAndInts("left", args, 2, 2, type, leftRightKernel(true, type));
  });
  registry.addScalar("right", [](std::span<const DataType> args) {
    const DataType type = nullableIfAny(DataType::string(), args);
    return stringAndInts("right", args, 2, 2, type, leftRightKernel(false, type));
  });
  registry.addScalar("repeat", [](std::span<const DataType> args) {
    const DataType type = nullableIfAny(DataType::string(), args);
    return stringAndInts("repeat", args, 2, 2, type, repeatKernel(type));
  });
  registry.addScalar("replace", [](std::span<const DataType> args) {
    return allStrings("replace", args, 3, 3, DataType::string(), replaceKernel());
  });
  // POSITION(needle IN haystack) arrives as position(needle, haystack); LOCATE has the same
  // order plus an optional start; INSTR (Spark) is instr(haystack, needle).
  registry.addScalar("position", [](std::span<const DataType> args) {
    const DataType type = nullableIfAny(DataType::integer(), args);
    return allStrings("position", args, 2, 2, type, positionKernel(true, type));
  });
  registry.addScalar("instr", [](std::span<const DataType> args) {
    const DataType type = nullableIfAny(DataType::integer(), args);
    return allStrings("instr", args, 2, 2, type, positionKernel(false, type));
  });
  registry.addScalar("locate", [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
    Status count = checkArgCount("LOCATE", args, 2, 3);
    if (!count.isOk()) return count;
    std::vector<DataType> types;
    for (size_t i = 0; i < args.size(); ++i) {
      Result<DataType> type =
          i < 2 ? stringArgument("locate", args[i]) : integerArgument("locate", args[i]);
      if (!type.isOk()) return type.status();
      types.push_back(type.value());
    }
    const DataType type = nullableIfAny(DataType::integer(), args);
    return makeFunction("LOCATE", std::move(types), type, positionKernel(true, type));
  });
  registry.addScalar(
      "split_index", [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
        Status count = checkArgCount("SPLIT_INDEX", args, 3, 3);
        if (!count.isOk()) return count;
        Result<DataType> s = stringArgument("split_index", args[0]);
        Result<DataType> separator = stringArgument("split_index", args[1]);
        Result<DataType> index = integerArgument("split_index", args[2]);
        if (!s.isOk()) return s.status();
        if (!separator.isOk()) return separator.status();
        if (!index.isOk()) return index.status();
        const DataType type = DataType::string();
        return makeFunction("SPLIT_INDEX", {s.value(), separator.value(), index.value()}, type,
                            splitIndexKernel(type));
      });
  for (bool left : {true, false}) {
    registry.addScalar(left ? "lpad" : "rpad",
                       [left](std::span<const DataType> args) -> Result<BoundScalarFunction> {
                         const char* name = left ? "LPAD" : "RPAD";
                         Status count = checkArgCount(name, args, 3, 3);
                         if (!count.isOk()) return count;
                         Result<DataType> s = stringArgument(name, args[0]);
                         Result<DataType> length = integerArgument(name, args[1]);
                         Result<DataType> pad = stringArgument(name, args[2]);
                         if (!s.isOk()) return s.status();
                         if (!length.isOk()) return length.status();
                         if (!pad.isOk()) return pad.status();
                         const DataType type = DataType::string();
                         return makeFunction(name, {s.value(), length.value(), pad.value()}, type,
                                             padKernel(left, type));
                       });
  }
  registry.addScalar("like", resolveLike);
}

}  // namespace caudal::sql
