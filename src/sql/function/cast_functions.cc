// CAST and TRY_CAST kernels (`resolveCast`) and the implicit-cast rule (`canCastImplicitly`).
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "sql/function/decimal_arithmetic.h"
#include "sql/function/function_helpers.h"
#include "sql/function/function_registry.h"
#include "sql/function/local_time.h"
#include "sql/types/decimal.h"
#include "sql/types/temporal.h"
#include "sql/types/value.h"

namespace caudal::sql {

namespace {

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                           text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The value a failed CAST names in its message: strings quoted, others as shown.
std::string shownValue(const Vector& input, uint32_t row) {
  const Value value = input.getValue(row);
  if (value.type().id() == TypeId::kString) return "'" + value.stringValue() + "'";
  return value.toString();
}

Status castError(const Vector& input, uint32_t row, const DataType& to) {
  return Status::error(std::string("cannot cast ")
                           .append(shownValue(input, row))
                           .append(" to ")
                           .append(typeName(to)));
}

// Runs `op(in, out) -> bool` over the rows; a false return is NULL under TRY_CAST and the error
// naming the first failing value under CAST.
template <class In, class Out, class Op>
Status castLoop(const Vector& input, Rows rows, Vector& result, const DataType& to, bool try_cast,
                Op&& op) {
  const In* failed = nullptr;
  executeUnaryNullable<In, Out>(input, rows, result, to, [&](const In& value, Out& out) {
    if (op(value, out)) return true;
    if (failed == nullptr) failed = &value;
    return false;
  });
  if (failed == nullptr || try_cast) return Status::ok();
  const uint32_t row = static_cast<uint32_t>(failed - input.values<In>());
  return castError(input, row, to);
}

template <class T>
constexpr bool kIsFloating = std::is_floating_point_v<T>;

// Integer or floating value to the integer type Out: truncation toward zero, range-checked.
template <class In, class Out>
bool numberToInteger(In value, Out& out) {
  if constexpr (kIsFloating<In>) {
    const double v = static_cast<double>(value);
    if (std::isnan(v)) return false;
    // Exact powers of two bound the range without rounding trouble.
    const double low = -std::ldexp(1.0, sizeof(Out) * 8 - 1);
    const double high = std::ldexp(1.0, sizeof(Out) * 8 - 1);
    if (!(v > low - 1) || !(v < high)) return false;
    out = static_cast<Out>(std::trunc(v));
    return true;
  } else {
    const int64_t v = static_cast<int64_t>(value);
    if (v < static_cast<int64_t>(std::numeric_limits<Out>::min()) ||
        v > static_cast<int64_t>(std::numeric_limits<Out>::max())) {
      return false;
    }
    out = static_cast<Out>(v);
    return true;
  }
}

// Appends the text of an integer to `result`'s heap.
template <class T>
std::string_view integerText(T value, Vector& result) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(value));
  (void)ec;
  return result.heap().add(std::string_view(buffer, static_cast<size_t>(end - buffer)));
}

std::string_view decimalText(int64_t unscaled, int scale, Vector& result) {
  char digits[24];
  const bool negative = unscaled < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, magnitude);
  (void)ec;
  size_t length = static_cast<size_t>(end - digits);
  char buffer[48];
  size_t pos = 0;
  if (negative) buffer[pos++] = '-';
  const size_t s = static_cast<size_t>(scale);
  if (s == 0) {
    std::memcpy(buffer + pos, digits, length);
    pos += length;
  } else if (length <= s) {
    buffer[pos++] = '0';
    buffer[pos++] = '.';
    for (size_t i = length; i < s; ++i) buffer[pos++] = '0';
    std::memcpy(buffer + pos, digits, length);
    pos += length;
  } else {
    std::memcpy(buffer + pos, digits, length - s);
    pos += length - s;
    buffer[pos++] = '.';
    std::memcpy(buffer + pos, digits + length - s, s);
    pos += s;
  }
  return result.heap().add(std::string_view(buffer, pos));
}

bool parseBoolean(std::string_view text, uint8_t& out) {
  text = trimSpaces(text);
  auto equals = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
    }
    return true;
  };
  if (equals("true")) {
    out = 1;
    return true;
  }
  if (equals("false")) {
    out = 0;
    return true;
  }
  return false;
}

template <class Out>
bool parseInteger(std::string_view text, Out& out) {
  text = trimSpaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  return numberToInteger<int64_t, Out>(value, out);
}

bool parseDouble(std::string_view text, double& out) {
  text = trimSpaces(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  // Java's names for the special values.
  if (text == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (text == "Infinity" || text == "-Infinity") {
    out = text.front() == '-' ? -std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::infinity();
    return true;
  }
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), out, std::chars_format::general);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  return std::isfinite(out);
}

// Flat or constant result of `to` where every row is NULL.
Status allNull(const Vector& /*input*/, Rows /*rows*/, Vector& result, const DataType& to) {
  result = Vector::constantNull(to);
  return Status::ok();
}

CastKernel referenceKernel() {
  return [](const Vector& input, Rows, Vector& result) {
    result.reference(input);
    return Status::ok();
  };
}

// Any type to STRING through `Value::toString` (slow: floats, temporal, nested values).
CastKernel viaValueToString(const DataType& to) {
  return [to](const Vector& input, Rows rows, Vector& result) {
    const bool ltz = input.type().id() == TypeId::kTimestampLtz;
    const int precision = input.type().precision();
    auto text = [&](uint32_t row) {
      if (ltz)
        return result.heap().add(
            formatTimestamp(utcToLocal(input.values<int64_t>()[row]), precision));
      return result.heap().add(input.getValue(row).toString());
    };
    if (prepareResult(result, to, input.isConstant(), input.capacity())) {
      if (input.isNull(0)) {
        result.setNull(0);
      } else {
        result.values<std::string_view>()[0] = text(0);
      }
      return Status::ok();
    }
    std::string_view* out = result.values<std::string_view>();
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t row = rows[i];
      if (input.isNull(row)) {
        result.setNull(row);
      } else {
        out[row] = text(row);
      }
    }
    return Status::ok();
  };
}

Result<CastKernel> castToString(const DataType& from, const DataType& to) {
  switch (from.id()) {
    case TypeId::kString:
      return referenceKernel();
    case TypeId::kBytes:
      return CastKernel([to](const Vector& input, Rows rows, Vector& result) {
        executeUnary<std::string_view, std::string_view>(input, rows, result, to,
                                                         [](std::string_view v) { return v; });
        result.keepStringsOf(input);
        return Status::ok();
      });
    case TypeId::kBoolean:
      return CastKernel([to](const Vector& input, Rows rows, Vector& result) {
        executeUnary<uint8_t, std::string_view>(input, rows, result, to, [](uint8_t v) {
          return v ? std::string_view("TRUE") : std::string_view("FALSE");
        });
        return Status::ok();
      });
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      CastKernel kernel;
      dispatchNumeric(from.id(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernel = [to](const Vector& input, Rows rows, Vector& result) {
          executeUnary<T, std::string_view>(input, rows, result, to,
                                            [&result](T v) { return integerText(v, result); });
          return Status::ok();
        };
      });
      return kernel;
    }
    case TypeId::kDecimal: {
      const int scale = from.scale();
      return CastKernel([to, scale](const Vector& input, Rows rows, Vector& result) {
        executeUnary<int64_t, std::string_view>(
            input, rows, result, to,
            [&result, scale](int64_t v) { return decimalText(v, scale, result); });
        return Status::ok();
      });
    }
    case TypeId::kDecimal128: {
      const int scale = from.scale();
      return CastKernel([to, scale](const Vector& input, Rows rows, Vector& result) {
        executeUnary<__int128, std::string_view>(
            input, rows, result, to,
            [&result, scale](__int128 v) { return result.heap().add(formatDecimal128(v, scale)); });
        return Status::ok();
      });
    }
    case TypeId::kNull:
      return CastKernel([to](const Vector& input, Rows rows, Vector& result) {
        return allNull(input, rows, result, to);
      });
    default:
      return viaValueToString(to);
  }
}

// STRING to the type `to`.
Result<CastKernel> castFromString(const DataType& to, bool try_cast) {
  switch (to.id()) {
    case TypeId::kBoolean:
      return CastKernel([to, try_cast](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, uint8_t>(input, rows, result, to, try_cast, parseBoolean);
      });
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: {
      CastKernel kernel;
      dispatchNumeric(to.id(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernel = [to, try_cast](const Vector& input, Rows rows, Vector& result) {
          return castLoop<std::string_view, T>(
              input, rows, result, to, try_cast,
              [](std::string_view v, T& out) { return parseInteger<T>(v, out); });
        };
      });
      return kernel;
    }
    case TypeId::kFloat:
      return CastKernel([to, try_cast](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, float>(input, rows, result, to, try_cast,
                                                 [](std::string_view v, float& out) {
                                                   double d = 0;
                                                   if (!parseDouble(v, d)) return false;
                                                   out = static_cast<float>(d);
                                                   return true;
                                                 });
      });
    case TypeId::kDouble:
      return CastKernel([to, try_cast](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, double>(input, rows, result, to, try_cast, parseDouble);
      });
    case TypeId::kDecimal:
    case TypeId::kDecimal128: {
      const int precision = to.precision();
      const int scale = to.scale();
      CastKernel kernel;
      dispatchDecimal(to.id(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernel = CastKernel([=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<std::string_view, T>(input, rows, result, to, try_cast, [=](std::string_view v, T& out) {
            // The precision bounds the value: it fits the layout `T`.
            auto parsed = parseDecimal128(trimSpaces(v), precision, scale);
            if (!parsed) return false;
            out = static_cast<T>(*parsed);
            return true;
          });
        });
      });
      return kernel;
    }
    case TypeId::kDate:
      return CastKernel([to, try_cast](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, int32_t>(input, rows, result, to, try_cast,
                                                   [](std::string_view v, int32_t& out) {
                                                     auto parsed = parseDate(trimSpaces(v));
                                                     if (!parsed) return false;
                                                     out = *parsed;
                                                     return true;
                                                   });
      });
    case TypeId::kTime:
      return CastKernel([to, try_cast](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, int32_t>(input, rows, result, to, try_cast,
                                                   [](std::string_view v, int32_t& out) {
                                                     auto parsed = parseTime(trimSpaces(v));
                                                     if (!parsed) return false;
                                                     out = *parsed;
                                                     return true;
                                                   });
      });
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      const bool ltz = to.id() == TypeId::kTimestampLtz;
      const int64_t unit = powerOfTen(6 - std::min(6, std::max(0, to.precision())));
      return CastKernel([to, try_cast, ltz, unit](const Vector& input, Rows rows, Vector& result) {
        return castLoop<std::string_view, int64_t>(
            input, rows, result, to, try_cast, [ltz, unit](std::string_view v, int64_t& out) {
              auto parsed = parseTimestamp(trimSpaces(v));
              if (!parsed) return false;
              const int64_t micros = *parsed - floorMod(*parsed, unit);
              out = ltz ? localToUtc(micros) : micros;
              return true;
            });
      });
    }
    case TypeId::kBytes:
      return CastKernel([to](const Vector& input, Rows rows, Vector& result) {
        executeUnary<std::string_view, std::string_view>(input, rows, result, to,
                                                         [](std::string_view v) { return v; });
        result.keepStringsOf(input);
        return Status::ok();
      });
    default:
      return Status::error("cannot cast STRING to " + typeName(to));
  }
}

// DECIMAL to DECIMAL with a 128-bit side (`In`, `Out`: the unscaled types): no checks when
// `to` holds every value of `from`, a range check when only the precision shrinks, rounding half
// up when the scale does.
template <class In, class Out>
CastKernel decimalRescaleKernel(const DataType& from, const DataType& to, bool try_cast) {
  const int from_scale = from.scale();
  const int scale = to.scale();
  const __int128 limit = powerOfTen128(to.precision());
  if (scale >= from_scale && to.precision() - scale >= from.precision() - from.scale()) {
    const __int128 factor = powerOfTen128(scale - from_scale);
    return [=](const Vector& input, Rows rows, Vector& result) {
      executeUnary<In, Out>(input, rows, result, to, [factor](In v) { return static_cast<Out>(v * factor); });
      return Status::ok();
    };
  }
  if (scale == from_scale) {
    return [=](const Vector& input, Rows rows, Vector& result) {
      if constexpr (std::is_same_v<In, Out>) {
        // Same layout and scale: when every value fits (the usual case, e.g. an INSERT of a
        // DECIMAL(24, 3) product into DECIMAL(23, 3)) the input is the result, as other casts
        // that change nothing in the values share their input.
        const In* values = input.values<In>();
        bool all_fit = true;
        if (input.isConstant()) {
          all_fit = values[0] < limit && values[0] > -limit;
        } else if (rows.isIdentity()) {
          for (uint32_t i = 0; i < rows.count; ++i) all_fit &= (values[i] < limit) & (values[i] > -limit);
        } else {
          for (uint32_t i = 0; i < rows.count; ++i) {
            all_fit &= (values[rows.sel[i]] < limit) & (values[rows.sel[i]] > -limit);
          }
        }
        if (all_fit) {
          result.reference(input);
          return Status::ok();
        }
      }
      return castLoop<In, Out>(input, rows, result, to, try_cast, [limit](In v, Out& out) {
        if (v >= limit || v <= -limit) return false;
        out = static_cast<Out>(v);
        return true;
      });
    };
  }
  return [=](const Vector& input, Rows rows, Vector& result) {
    return castLoop<In, Out>(input, rows, result, to, try_cast, [=](In v, Out& out) {
      const std::optional<__int128> rescaled = rescaleDecimal128(v, from_scale, scale, to.precision());
      if (!rescaled) return false;
      out = static_cast<Out>(*rescaled);
      return true;
    });
  };
}

// Between DECIMAL(p > 18) and the other numeric types, BOOLEAN and DECIMAL of either layout.
// Conversions that do not fit give NULL under TRY_CAST, an error under CAST.
Result<CastKernel> castWideDecimal(const DataType& from, const DataType& to, bool try_cast) {
  CastKernel kernel;
  auto dispatch = [](const DataType& type, auto&& f) {
    if (type.id() == TypeId::kBoolean) {
      f(TypeTag<uint8_t>{});
      return true;
    }
    if (dispatchDecimal(type.id(), f)) return true;
    return dispatchNumeric(type.id(), f);
  };
  auto make = [&](auto in_tag, auto out_tag) {
    using In = typename decltype(in_tag)::type;
    using Out = typename decltype(out_tag)::type;
    if (to.id() == TypeId::kDecimal128) {
      const int precision = to.precision();
      const int scale = to.scale();
      if (from.id() == TypeId::kBoolean) {
        const __int128 one = powerOfTen128(scale);
        kernel = [to, one](const Vector& input, Rows rows, Vector& result) {
          executeUnary<uint8_t, __int128>(input, rows, result, to,
                                          [one](uint8_t v) { return v ? one : __int128{0}; });
          return Status::ok();
        };
      } else if (from.isDecimal()) {
        kernel = decimalRescaleKernel<In, __int128>(from, to, try_cast);
      } else if constexpr (kIsFloating<In>) {
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<In, __int128>(input, rows, result, to, try_cast, [=](In v, __int128& out) {
            auto converted = doubleToDecimal(static_cast<double>(v), scale, precision);
            if (!converted) return false;
            out = *converted;
            return true;
          });
        };
      } else {
        const __int128 factor = powerOfTen128(scale);
        const __int128 limit = powerOfTen128(precision);
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<In, __int128>(input, rows, result, to, try_cast, [=](In v, __int128& out) {
            __int128 scaled;
            if (__builtin_mul_overflow(static_cast<__int128>(v), factor, &scaled)) return false;
            if (scaled >= limit || scaled <= -limit) return false;
            out = scaled;
            return true;
          });
        };
      }
      return;
    }
    // From DECIMAL(p > 18) to a narrower type.
    const int from_scale = from.scale();
    if (to.id() == TypeId::kBoolean) {
      kernel = [to](const Vector& input, Rows rows, Vector& result) {
        executeUnary<__int128, uint8_t>(input, rows, result, to,
                                        [](__int128 v) { return static_cast<uint8_t>(v != 0); });
        return Status::ok();
      };
    } else if (to.id() == TypeId::kDecimal) {
      kernel = decimalRescaleKernel<__int128, int64_t>(from, to, try_cast);
    } else if constexpr (kIsFloating<Out>) {
      kernel = [=](const Vector& input, Rows rows, Vector& result) {
        executeUnary<__int128, Out>(input, rows, result, to, [=](__int128 v) {
          return static_cast<Out>(decimal128ToDouble(v, from_scale));
        });
        return Status::ok();
      };
    } else if constexpr (std::is_integral_v<Out>) {
      const __int128 divisor = powerOfTen128(from_scale);
      kernel = [=](const Vector& input, Rows rows, Vector& result) {
        return castLoop<__int128, Out>(input, rows, result, to, try_cast, [=](__int128 v, Out& out) {
          // Truncation toward zero, as Flink's DECIMAL to integer.
          const __int128 whole = v / divisor;
          if (whole < std::numeric_limits<Out>::min() || whole > std::numeric_limits<Out>::max()) return false;
          out = static_cast<Out>(whole);
          return true;
        });
      };
    }
  };
  dispatch(from, [&](auto in_tag) { dispatch(to, [&](auto out_tag) { make(in_tag, out_tag); }); });
  if (!kernel) return Status::error("cannot cast " + typeName(from) + " to " + typeName(to));
  return kernel;
}

// Between numeric types (integers, FLOAT, DOUBLE, DECIMAL) and BOOLEAN.
Result<CastKernel> castNumeric(const DataType& from, const DataType& to, bool try_cast) {
  if (from.id() == TypeId::kDecimal128 || to.id() == TypeId::kDecimal128) {
    return castWideDecimal(from, to, try_cast);
  }
  const bool from_decimal = from.id() == TypeId::kDecimal;
  const bool to_decimal = to.id() == TypeId::kDecimal;
  const int from_scale = from_decimal ? from.scale() : 0;
  CastKernel kernel;
  auto make = [&](auto in_tag, auto out_tag) {
    using In = typename decltype(in_tag)::type;
    using Out = typename decltype(out_tag)::type;
    if (from.id() == TypeId::kBoolean || to.id() == TypeId::kBoolean) {
      if (to.id() == TypeId::kBoolean) {
        kernel = [to](const Vector& input, Rows rows, Vector& result) {
          executeUnary<In, uint8_t>(input, rows, result, to,
                                    [](In v) { return static_cast<uint8_t>(v != 0); });
          return Status::ok();
        };
      } else {
        const int64_t one = to_decimal ? powerOfTen(to.scale()) : 1;
        kernel = [to, one](const Vector& input, Rows rows, Vector& result) {
          executeUnary<uint8_t, Out>(input, rows, result, to,
                                     [one](uint8_t v) { return static_cast<Out>(v ? one : 0); });
          return Status::ok();
        };
      }
      return;
    }
    if (to_decimal) {
      const int precision = to.precision();
      const int scale = to.scale();
      if (from_decimal) {
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<int64_t, int64_t>(
              input, rows, result, to, try_cast, [=](int64_t v, int64_t& out) {
                auto rescaled = rescaleDecimal(v, from_scale, scale, precision);
                if (!rescaled) return false;
                out = *rescaled;
                return true;
              });
        };
      } else if constexpr (kIsFloating<In>) {
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<In, int64_t>(input, rows, result, to, try_cast, [=](In v, int64_t& out) {
            auto converted = doubleToDecimal(static_cast<double>(v), scale, precision);
            if (!converted) return false;
            out = static_cast<int64_t>(*converted);
            return true;
          });
        };
      } else {
        const int64_t factor = powerOfTen(scale);
        const int64_t limit = powerOfTen(precision);
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<In, int64_t>(input, rows, result, to, try_cast, [=](In v, int64_t& out) {
            int64_t scaled = 0;
            if (__builtin_mul_overflow(static_cast<int64_t>(v), factor, &scaled)) return false;
            if (scaled >= limit || scaled <= -limit) return false;
            out = scaled;
            return true;
          });
        };
      }
      return;
    }
    if (from_decimal) {
      const int64_t divisor = powerOfTen(from_scale);
      if constexpr (kIsFloating<Out>) {
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          executeUnary<int64_t, Out>(input, rows, result, to, [=](int64_t v) {
            return static_cast<Out>(static_cast<double>(v) / static_cast<double>(divisor));
          });
          return Status::ok();
        };
      } else {
        kernel = [=](const Vector& input, Rows rows, Vector& result) {
          return castLoop<int64_t, Out>(
              input, rows, result, to, try_cast,
              [=](int64_t v, Out& out) { return numberToInteger<int64_t, Out>(v / divisor, out); });
        };
      }
      return;
    }
    if constexpr (kIsFloating<Out>) {
      kernel = [to](const Vector& input, Rows rows, Vector& result) {
        executeUnary<In, Out>(input, rows, result, to, [](In v) { return static_cast<Out>(v); });
        return Status::ok();
      };
    } else {
      kernel = [=](const Vector& input, Rows rows, Vector& result) {
        return castLoop<In, Out>(input, rows, result, to, try_cast,
                                 [](In v, Out& out) { return numberToInteger<In, Out>(v, out); });
      };
    }
  };
  auto dispatch = [](TypeId id, auto&& f) {
    if (id == TypeId::kBoolean) {
      f(TypeTag<uint8_t>{});
      return true;
    }
    return dispatchNumeric(id, f);
  };
  dispatch(from.id(),
           [&](auto in_tag) { dispatch(to.id(), [&](auto out_tag) { make(in_tag, out_tag); }); });
  if (!kernel) return Status::error("cannot cast " + typeName(from) + " to " + typeName(to));
  return kernel;
}

Result<CastKernel> castTemporal(const DataType& from, const DataType& to) {
  const TypeId f = from.id();
  const TypeId t = to.id();
  const int64_t unit = powerOfTen(6 - std::min(6, std::max(0, to.precision())));
  auto int64Kernel = [&to](auto op) -> CastKernel {
    return [to, op](const Vector& input, Rows rows, Vector& result) {
      executeUnary<int64_t, int64_t>(input, rows, result, to, op);
      return Status::ok();
    };
  };
  if (f == TypeId::kDate && (t == TypeId::kTimestamp || t == TypeId::kTimestampLtz)) {
    const bool ltz = t == TypeId::kTimestampLtz;
    return CastKernel([to, ltz](const Vector& input, Rows rows, Vector& result) {
      executeUnary<int32_t, int64_t>(input, rows, result, to, [ltz](int32_t days) {
        const int64_t local = static_cast<int64_t>(days) * kMicrosPerDay;
        return ltz ? localToUtc(local) : local;
      });
      return Status::ok();
    });
  }
  if ((f == TypeId::kTimestamp || f == TypeId::kTimestampLtz) &&
      (t == TypeId::kDate || t == TypeId::kTime)) {
    const bool ltz = f == TypeId::kTimestampLtz;
    const bool date = t == TypeId::kDate;
    return CastKernel([to, ltz, date](const Vector& input, Rows rows, Vector& result) {
      executeUnary<int64_t, int32_t>(input, rows, result, to, [ltz, date](int64_t micros) {
        const int64_t local = ltz ? utcToLocal(micros) : micros;
        return date ? static_cast<int32_t>(floorDiv(local, kMicrosPerDay))
                    : static_cast<int32_t>(floorMod(local, kMicrosPerDay) / kMicrosPerMilli);
      });
      return Status::ok();
    });
  }
  if (f == TypeId::kTimestamp && t == TypeId::kTimestampLtz) {
    return int64Kernel([unit](int64_t v) { return localToUtc(v - floorMod(v, unit)); });
  }
  if (f == TypeId::kTimestampLtz && t == TypeId::kTimestamp) {
    return int64Kernel([unit](int64_t v) {
      const int64_t local = utcToLocal(v);
      return local - floorMod(local, unit);
    });
  }
  if (f == t && (f == TypeId::kTimestamp || f == TypeId::kTimestampLtz)) {
    if (to.precision() >= from.precision()) return referenceKernel();
    return int64Kernel([unit](int64_t v) { return v - floorMod(v, unit); });
  }
  if (f == TypeId::kTime && t == TypeId::kTime) return referenceKernel();
  return Status::error("cannot cast " + typeName(from) + " to " + typeName(to));
}

}  // namespace

Result<CastKernel> resolveCast(const DataType& from, const DataType& to, bool try_cast) {
  if (from.id() == TypeId::kNull) {
    return CastKernel([to](const Vector& input, Rows rows, Vector& result) {
      return allNull(input, rows, result, to);
    });
  }
  if (to.id() == TypeId::kString) return castToString(from, to);
  if (from.sameAs(to)) return referenceKernel();
  if (from.id() == TypeId::kString) return castFromString(to, try_cast);
  if (from.id() == TypeId::kBytes && to.id() == TypeId::kBytes) return referenceKernel();
  const bool from_number = from.isNumeric() || from.id() == TypeId::kBoolean;
  const bool to_number = to.isNumeric() || to.id() == TypeId::kBoolean;
  if (from_number && to_number) return castNumeric(from, to, try_cast);
  if (from.isTemporal() && to.isTemporal()) return castTemporal(from, to);
  return Status::error("cannot cast " + typeName(from) + " to " + typeName(to));
}

namespace {

int implicitRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
      return 1;
    case TypeId::kSmallInt:
      return 2;
    case TypeId::kInt:
      return 3;
    case TypeId::kBigInt:
      return 4;
    case TypeId::kDecimal:
    case TypeId::kDecimal128:
      return 5;
    case TypeId::kFloat:
      return 6;
    case TypeId::kDouble:
      return 7;
    default:
      return 0;
  }
}

int integerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt:
      return 3;
    case TypeId::kSmallInt:
      return 5;
    case TypeId::kInt:
      return 10;
    default:
      return 19;
  }
}

}  // namespace

bool canCastImplicitly(const DataType& from, const DataType& to) {
  if (from.id() == TypeId::kNull) return true;
  if (from.sameAs(to)) return true;
  const int from_rank = implicitRank(from.id());
  const int to_rank = implicitRank(to.id());
  if (from_rank != 0 && to_rank != 0) {
    if (to.isDecimal()) {
      if (from.isDecimal()) {
        return to.scale() >= from.scale() &&
               to.precision() - to.scale() >= from.precision() - from.scale();
      }
      return from.isInteger() && to.precision() - to.scale() >= integerDigits(from.id());
    }
    return from_rank <= to_rank;
  }
  switch (to.id()) {
    case TypeId::kString:
      // CHAR/VARCHAR widen to a longer VARCHAR or STRING.
      return from.id() == TypeId::kString && (to.precision() >= from.precision());
    case TypeId::kTimestamp:
      return from.id() == TypeId::kDate ||
             (from.id() == TypeId::kTimestamp && to.precision() >= from.precision());
    case TypeId::kTimestampLtz:
      return from.id() == TypeId::kTimestampLtz && to.precision() >= from.precision();
    case TypeId::kTime:
      return from.id() == TypeId::kTime;
    case TypeId::kArray:
      return from.id() == TypeId::kArray &&
             canCastImplicitly(from.elementType(), to.elementType()) &&
             from.elementType().sameAs(to.elementType());
    default:
      return false;
  }
}

}  // namespace caudal::sql
