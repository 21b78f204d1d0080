// Arithmetic operators: + - * / % (and MOD), unary negate, and date/time ± INTERVAL.
#include <cmath>
#include <type_traits>

#include "sql/function/decimal_arithmetic.h"
#include "sql/function/function_helpers.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

enum class ArithOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo };

const char* opSymbol(ArithOp op) {
  switch (op) {
    case ArithOp::kAdd:
      return "+";
    case ArithOp::kSubtract:
      return "-";
    case ArithOp::kMultiply:
      return "*";
    case ArithOp::kDivide:
      return "/";
    case ArithOp::kModulo:
      return "%";
  }
  return "?";
}

// Two's-complement wrap-around, as Java's int/long arithmetic.
template <class T>
T wrapAdd(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <class T>
T wrapSub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}
template <class T>
T wrapMul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
}

// Integer and floating kernels for one operator.
template <class T>
ScalarKernel numericKernel(ArithOp op, const DataType& type) {
  switch (op) {
    case ArithOp::kAdd:
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        if constexpr (std::is_floating_point_v<T>) {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type,
                                 [](T a, T b) { return a + b; });
        } else {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type, wrapAdd<T>);
        }
        return Status::ok();
      };
    case ArithOp::kSubtract:
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        if constexpr (std::is_floating_point_v<T>) {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type,
                                 [](T a, T b) { return a - b; });
        } else {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type, wrapSub<T>);
        }
        return Status::ok();
      };
    case ArithOp::kMultiply:
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        if constexpr (std::is_floating_point_v<T>) {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type,
                                 [](T a, T b) { return a * b; });
        } else {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type, wrapMul<T>);
        }
        return Status::ok();
      };
    case ArithOp::kDivide:
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        if constexpr (std::is_floating_point_v<T>) {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type,
                                 [](T a, T b) { return a / b; });
        } else {
          const Vector& divisor = args[1];
          // A constant divisor other than 0 and -1 needs no per-row checks.
          if (divisor.isConstant() && !divisor.isNull(0) && divisor.values<T>()[0] != 0 &&
              divisor.values<T>()[0] != -1) {
            executeBinary<T, T, T>(args[0], divisor, rows, result, type,
                                   [](T a, T b) { return static_cast<T>(a / b); });
          } else {
            executeBinaryNullable<T, T, T>(
                args[0], divisor, rows, result, type, [](T a, T b, T& out) {
                  if (b == 0) return false;
                  out = b == -1 ? wrapSub<T>(0, a) : static_cast<T>(a / b);
                  return true;
                });
          }
        }
        return Status::ok();
      };
    case ArithOp::kModulo:
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        if constexpr (std::is_floating_point_v<T>) {
          executeBinary<T, T, T>(args[0], args[1], rows, result, type,
                                 [](T a, T b) { return std::fmod(a, b); });
        } else {
          const Vector& divisor = args[1];
          if (divisor.isConstant() && !divisor.isNull(0) && divisor.values<T>()[0] != 0 &&
              divisor.values<T>()[0] != -1) {
            executeBinary<T, T, T>(args[0], divisor, rows, result, type,
                                   [](T a, T b) { return static_cast<T>(a % b); });
          } else {
            executeBinaryNullable<T, T, T>(args[0], divisor, rows, result, type,
                                           [](T a, T b, T& out) {
                                             if (b == 0) return false;
                                             out = b == -1 ? T{0} : static_cast<T>(a % b);
                                             return true;
                                           });
          }
        }
        return Status::ok();
      };
  }
  return nullptr;
}

// Whether |v| < limit (limit > 0), in one unsigned comparison: keeps the hot loops' registers
// free.
inline bool inRange(int64_t v, int64_t limit) {
  return static_cast<uint64_t>(v) + static_cast<uint64_t>(limit - 1) <= static_cast<uint64_t>(2 * (limit - 1));
}

// `op(a, b, out)` over all rows when neither input has a NULL: one pass without a branch per
// row, false (with `result` to be discarded) when some row failed — the caller then runs the
// loop that makes those rows NULL.
template <class Op>
bool binaryWithoutNulls(const Vector& left, const Vector& right, Rows rows, Vector& result,
                        const DataType& type, Op&& op) {
  if (left.isConstant() == right.isConstant() || !left.validity().allValid() ||
      !right.validity().allValid() || !rows.isIdentity()) {
    return false;
  }
  prepareResult(result, type, false, left.isConstant() ? right.capacity() : left.capacity());
  int64_t* out = result.values<int64_t>();
  const int64_t* l = left.values<int64_t>();
  const int64_t* r = right.values<int64_t>();
  bool ok = true;
  if (left.isConstant()) {
    const int64_t lv = l[0];
    for (uint32_t i = 0; i < rows.count; ++i) ok &= op(lv, r[i], out[i]);
  } else {
    const int64_t rv = r[0];
    for (uint32_t i = 0; i < rows.count; ++i) ok &= op(l[i], rv, out[i]);
  }
  return ok;
}

// DECIMAL kernels: operands at their own scales, the result at `type`'s; NULL on overflow.
ScalarKernel decimalKernel(ArithOp op, const DataType& left, const DataType& right,
                           const DataType& type) {
  const int sa = left.scale();
  const int sb = right.scale();
  const int s = type.scale();
  const __int128 limit = powerOfTen128(type.precision());
  auto fits = [limit](__int128 v) { return v < limit && v > -limit; };
  switch (op) {
    case ArithOp::kAdd:
    case ArithOp::kSubtract: {
      const bool subtract = op == ArithOp::kSubtract;
      const int common = std::max(sa, sb);
      const __int128 fa = powerOfTen128(common - sa);
      const __int128 fb = powerOfTen128(common - sb);
      const __int128 down = powerOfTen128(common > s ? common - s : 0);
      if (sa == sb && common == s) {
        const int64_t limit64 = static_cast<int64_t>(limit);
        return [=](std::span<const Vector> args, Rows rows, Vector& result) {
          auto add = [=](int64_t a, int64_t b, int64_t& out) {
            // |a|, |b| < 10^18: no int64 overflow.
            out = subtract ? a - b : a + b;
            return inRange(out, limit64);
          };
          if (!binaryWithoutNulls(args[0], args[1], rows, result, type, add)) {
            executeBinaryNullable<int64_t, int64_t, int64_t>(args[0], args[1], rows, result, type, add);
          }
          return Status::ok();
        };
      }
      return [=](std::span<const Vector> args, Rows rows, Vector& result) {
        executeBinaryNullable<int64_t, int64_t, int64_t>(
            args[0], args[1], rows, result, type, [=](int64_t a, int64_t b, int64_t& out) {
              __int128 v = subtract ? a * fa - b * fb : a * fa + b * fb;
              if (down != 1) v = divideRoundHalfUp(v, down);
              if (!fits(v)) return false;
              out = static_cast<int64_t>(v);
              return true;
            });
        return Status::ok();
      };
    }
    case ArithOp::kMultiply: {
      if (sa + sb == s) {
        const int64_t limit64 = static_cast<int64_t>(limit);
        return [=](std::span<const Vector> args, Rows rows, Vector& result) {
          auto multiply = [=](int64_t a, int64_t b, int64_t& out) {
            const bool overflow = __builtin_mul_overflow(a, b, &out);
            return !overflow & inRange(out, limit64);
          };
          if (!binaryWithoutNulls(args[0], args[1], rows, result, type, multiply)) {
            executeBinaryNullable<int64_t, int64_t, int64_t>(args[0], args[1], rows, result, type, multiply);
          }
          return Status::ok();
        };
      }
      const __int128 down = powerOfTen128(sa + sb - s);
      return [=](std::span<const Vector> args, Rows rows, Vector& result) {
        executeBinaryNullable<int64_t, int64_t, int64_t>(
            args[0], args[1], rows, result, type, [=](int64_t a, int64_t b, int64_t& out) {
              const __int128 v = divideRoundHalfUp(static_cast<__int128>(a) * b, down);
              if (!fits(v)) return false;
              out = static_cast<int64_t>(v);
              return true;
            });
        return Status::ok();
      };
    }
    case ArithOp::kDivide: {
      // a / 10^sa / (b / 10^sb) * 10^s = a * 10^(s - sa + sb) / b.
      const int exponent = s - sa + sb;
      const __int128 up = powerOfTen128(exponent > 0 ? exponent : 0);
      const __int128 down = powerOfTen128(exponent < 0 ? -exponent : 0);
      return [=](std::span<const Vector> args, Rows rows, Vector& result) {
        executeBinaryNullable<int64_t, int64_t, int64_t>(
            args[0], args[1], rows, result, type, [=](int64_t a, int64_t b, int64_t& out) {
              if (b == 0) return false;
              const __int128 v =
                  divideRoundHalfUp(static_cast<__int128>(a) * up, static_cast<__int128>(b) * down);
              if (!fits(v)) return false;
              out = static_cast<int64_t>(v);
              return true;
            });
        return Status::ok();
      };
    }
    case ArithOp::kModulo: {
      const int common = std::max(sa, sb);
      const __int128 fa = powerOfTen128(common - sa);
      const __int128 fb = powerOfTen128(common - sb);
      const __int128 down = powerOfTen128(common > s ? common - s : 0);
      return [=](std::span<const Vector> args, Rows rows, Vector& result) {
        executeBinaryNullable<int64_t, int64_t, int64_t>(args[0], args[1], rows, result, type,
                                                         [=](int64_t a, int64_t b, int64_t& out) {
                                                           if (b == 0) return false;
                                                           __int128 v = (a * fa) % (b * fb);
                                                           if (down != 1)
                                                             v = divideRoundHalfUp(v, down);
                                                           if (!fits(v)) return false;
                                                           out = static_cast<int64_t>(v);
                                                           return true;
                                                         });
        return Status::ok();
      };
    }
  }
  return nullptr;
}

// One DECIMAL operation where an operand or the result is DECIMAL(p > 18): operands at their
// own scales (`sa`, `sb`; a BIGINT operand at scale 0), the result at `s` below `limit`
// (10^precision). Exact: in 128 bits when the intermediate values fit, in `WideInt` when not.
struct WideDecimalOp {
  ArithOp op;
  int sa;
  int sb;
  int s;
  __int128 limit;

  std::optional<__int128> apply(__int128 a, __int128 b) const {
    switch (op) {
      case ArithOp::kAdd:
      case ArithOp::kSubtract: return addOrSubtract(a, op == ArithOp::kSubtract ? -b : b);
      case ArithOp::kMultiply: return multiply(a, b);
      case ArithOp::kDivide: return divide(a, b);
      case ArithOp::kModulo: return modulo(a, b);
    }
    return std::nullopt;
  }

  std::optional<__int128> fit(__int128 v) const {
    if (v >= limit || v <= -limit) return std::nullopt;
    return v;
  }

  // `v` (exact, at scale `from`) at the result's scale (which is never larger here).
  std::optional<__int128> finish(__int128 v, int from) const {
    if (from > s) v = divideRoundHalfUp(v, powerOfTen128(from - s));
    return fit(v);
  }
  std::optional<__int128> finishWide(const WideInt& v, int from) const {
    return wideToInt128Below(from > s ? wideScaleDownRoundHalfUp(v, from - s) : v, limit);
  }

  std::optional<__int128> addOrSubtract(__int128 a, __int128 b) const {
    const int common = std::max(sa, sb);
    __int128 x;
    __int128 y;
    __int128 v;
    if (!__builtin_mul_overflow(a, powerOfTen128(common - sa), &x) &&
        !__builtin_mul_overflow(b, powerOfTen128(common - sb), &y) && !__builtin_add_overflow(x, y, &v)) {
      return finish(v, common);
    }
    const WideInt sum = wideAdd(wideMultiply(a, powerOfTen128(common - sa)),
                                wideMultiply(b, powerOfTen128(common - sb)));
    return finishWide(sum, common);
  }

  std::optional<__int128> multiply(__int128 a, __int128 b) const {
    __int128 v;
    if (!__builtin_mul_overflow(a, b, &v) && sa + sb - s <= DataType::kMaxDecimalPrecision) {
      return finish(v, sa + sb);
    }
    return finishWide(wideMultiply(a, b), sa + sb);
  }

  std::optional<__int128> divide(__int128 a, __int128 b) const {
    if (b == 0) return std::nullopt;
    // a / 10^sa / (b / 10^sb) * 10^s = a * 10^(s - sa + sb) / b; the exponent is never negative
    // for the types Flink derives (s >= sa - sb + 38 - pa after an adjustment, s > sa without).
    const int exponent = s - sa + sb;
    if (exponent < 0) return std::nullopt;
    __int128 scaled;
    if (exponent <= DataType::kMaxDecimalPrecision &&
        !__builtin_mul_overflow(a, powerOfTen128(exponent), &scaled)) {
      return fit(divideRoundHalfUp(scaled, b));
    }
    WideInt wide = wideFrom(a);
    // Past 2^255 the quotient by a divisor below 10^38 is far past any result precision.
    if (!wideScaleUp(wide, exponent)) return std::nullopt;
    return wideToInt128Below(wideDivideRoundHalfUp(wide, b), limit);
  }

  std::optional<__int128> modulo(__int128 a, __int128 b) const {
    if (b == 0) return std::nullopt;
    const int common = std::max(sa, sb);
    __int128 divisor;
    if (__builtin_mul_overflow(b, powerOfTen128(common - sb), &divisor)) {
      // Here sa > sb, so a is not scaled and |a| < 10^38 < |divisor|: a is the remainder.
      return finish(a, common);
    }
    __int128 dividend;
    if (!__builtin_mul_overflow(a, powerOfTen128(common - sa), &dividend)) {
      return finish(dividend % divisor, common);
    }
    return finish(wideRemainder(wideMultiply(a, powerOfTen128(common - sa)), divisor), common);
  }
};

// The kernel of a DECIMAL operation with an operand or the result in 128 bits. `A`, `B`: the
// operands' unscaled types (int64_t for DECIMAL(p <= 18) and BIGINT), `Out` the result's.
template <class A, class B, class Out>
ScalarKernel wideDecimalKernel(ArithOp op, const DataType& left, const DataType& right,
                               const DataType& type) {
  const WideDecimalOp wide{op, left.scale(), right.scale(), type.scale(),
                           powerOfTen128(type.precision())};
  const int common = std::max(left.scale(), right.scale());
  // Results that cannot overflow (the type was not narrowed to 38 digits, no digits dropped)
  // need no checks: the loops stay branch-free.
  const int pa = left.precision();
  const int pb = right.precision();
  const bool exact_sum = (op == ArithOp::kAdd || op == ArithOp::kSubtract) && type.scale() == common &&
                         type.precision() > std::max(pa - left.scale(), pb - right.scale()) + common;
  const bool exact_product =
      op == ArithOp::kMultiply && type.scale() == left.scale() + right.scale() && type.precision() >= pa + pb;
  if constexpr (std::is_same_v<Out, __int128>) {
    if (exact_sum) {
      const __int128 fa = powerOfTen128(common - left.scale());
      const __int128 fb = powerOfTen128(common - right.scale());
      const bool subtract = op == ArithOp::kSubtract;
      return [=](std::span<const Vector> args, Rows rows, Vector& result) {
        if (fa == 1 && fb == 1) {
          executeBinary<A, B, Out>(args[0], args[1], rows, result, type, [subtract](A a, B b) {
            return subtract ? static_cast<__int128>(a) - b : static_cast<__int128>(a) + b;
          });
        } else {
          executeBinary<A, B, Out>(args[0], args[1], rows, result, type, [=](A a, B b) {
            return subtract ? a * fa - b * fb : a * fa + b * fb;
          });
        }
        return Status::ok();
      };
    }
    if (exact_product) {
      return [type](std::span<const Vector> args, Rows rows, Vector& result) {
        executeBinary<A, B, Out>(args[0], args[1], rows, result, type,
                                 [](A a, B b) { return static_cast<__int128>(a) * b; });
        return Status::ok();
      };
    }
  }
  return [wide, type](std::span<const Vector> args, Rows rows, Vector& result) {
    executeBinaryNullable<A, B, Out>(args[0], args[1], rows, result, type, [&wide](A a, B b, Out& out) {
      const std::optional<__int128> v = wide.apply(a, b);
      if (!v) return false;
      out = static_cast<Out>(*v);
      return true;
    });
    return Status::ok();
  };
}

// The kernel of a DECIMAL operation. `left`, `right`: the operands' DECIMAL types (BIGINT as
// DECIMAL(19, 0)); `wide_left`, `wide_right`: whether their values are 128-bit (a BIGINT
// operand is read as it is, 64-bit at scale 0).
ScalarKernel anyDecimalKernel(ArithOp op, const DataType& left, bool wide_left, const DataType& right,
                              bool wide_right, const DataType& type) {
  const bool wide_type = type.id() == TypeId::kDecimal128;
  // All in 64 bits: the kernels DECIMAL had before 128-bit values.
  if (!wide_left && !wide_right && !wide_type) return decimalKernel(op, left, right, type);
  // The unscaled type of each side, as `dispatchDecimal` names it.
  auto layout = [](bool wide) { return wide ? TypeId::kDecimal128 : TypeId::kDecimal; };
  ScalarKernel kernel;
  dispatchDecimal(layout(wide_left), [&](auto a_tag) {
    dispatchDecimal(layout(wide_right), [&](auto b_tag) {
      dispatchDecimal(layout(wide_type), [&](auto out_tag) {
        kernel = wideDecimalKernel<typename decltype(a_tag)::type, typename decltype(b_tag)::type,
                                   typename decltype(out_tag)::type>(op, left, right, type);
      });
    });
  });
  return kernel;
}

// TIMESTAMP/DATE plus or minus months, clamping the day to the month's end.
int32_t addMonthsToDays(int32_t days, int32_t months) {
  const CivilDate date = civilFromDays(days);
  const int64_t total = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  const int32_t year = static_cast<int32_t>(floorDiv(total, 12));
  const int32_t month = static_cast<int32_t>(floorMod(total, 12)) + 1;
  int32_t day = date.day;
  while (day > 28 && !isValidDate(year, month, day)) --day;
  return daysFromCivil({year, month, day});
}

int64_t addMonthsToMicros(int64_t micros, int32_t months) {
  const int64_t days = floorDiv(micros, kMicrosPerDay);
  const int64_t of_day = floorMod(micros, kMicrosPerDay);
  return static_cast<int64_t>(addMonthsToDays(static_cast<int32_t>(days), months)) * kMicrosPerDay +
         of_day;
}

// Date/time ± INTERVAL (and INTERVAL + date/time, INTERVAL ± INTERVAL); empty when the types
// are not such a pair.
std::optional<BoundScalarFunction> resolveTemporal(ArithOp op, std::span<const DataType> args) {
  if (op != ArithOp::kAdd && op != ArithOp::kSubtract) return std::nullopt;
  const bool subtract = op == ArithOp::kSubtract;
  const char* name = opSymbol(op);
  DataType a = args[0];
  DataType b = args[1];
  const auto isInterval = [](const DataType& t) {
    return t.id() == TypeId::kIntervalDayTime || t.id() == TypeId::kIntervalYearMonth;
  };
  const auto isPoint = [](const DataType& t) {
    return t.id() == TypeId::kTimestamp || t.id() == TypeId::kTimestampLtz ||
           t.id() == TypeId::kDate || t.id() == TypeId::kTime;
  };
  if (isInterval(a) && isInterval(b) && a.id() == b.id()) {
    const DataType type = nullableIfAny(a, args);
    ScalarKernel kernel;
    if (a.id() == TypeId::kIntervalDayTime) {
      kernel = numericKernel<int64_t>(op, type);
    } else {
      kernel = numericKernel<int32_t>(op, type);
    }
    return makeFunction(name, {a, b}, type, kernel);
  }
  bool swapped = false;
  if (!subtract && isInterval(a) && isPoint(b)) {
    std::swap(a, b);
    swapped = true;
  }
  if (!isPoint(a) || !isInterval(b)) return std::nullopt;
  const DataType type = nullableIfAny(a, args);
  const int64_t sign = subtract ? -1 : 1;
  const bool months = b.id() == TypeId::kIntervalYearMonth;
  const size_t point_index = swapped ? 1 : 0;
  const size_t interval_index = swapped ? 0 : 1;
  ScalarKernel kernel;
  auto run = [point_index, interval_index](auto point_tag, auto interval_tag, auto op_fn,
                                           const DataType& type) {
    using P = typename decltype(point_tag)::type;
    using I = typename decltype(interval_tag)::type;
    return ScalarKernel([=](std::span<const Vector> vectors, Rows rows, Vector& result) {
      executeBinary<P, I, P>(vectors[point_index], vectors[interval_index], rows, result, type,
                             op_fn);
      return Status::ok();
    });
  };
  switch (a.id()) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
      if (months) {
        kernel = run(
            TypeTag<int64_t>{}, TypeTag<int32_t>{},
            [sign](int64_t t, int32_t m) {
              return addMonthsToMicros(t, static_cast<int32_t>(sign * m));
            },
            type);
      } else {
        kernel = run(
            TypeTag<int64_t>{}, TypeTag<int64_t>{},
            [sign](int64_t t, int64_t ms) { return t + sign * ms * kMicrosPerMilli; }, type);
      }
      break;
    case TypeId::kDate:
      if (months) {
        kernel = run(
            TypeTag<int32_t>{}, TypeTag<int32_t>{},
            [sign](int32_t d, int32_t m) {
              return addMonthsToDays(d, static_cast<int32_t>(sign * m));
            },
            type);
      } else {
        kernel = run(
            TypeTag<int32_t>{}, TypeTag<int64_t>{},
            [sign](int32_t d, int64_t ms) {
              return static_cast<int32_t>(d + floorDiv(sign * ms, kMillisPerDay));
            },
            type);
      }
      break;
    case TypeId::kTime:
      if (months) return std::nullopt;
      kernel = run(
          TypeTag<int32_t>{}, TypeTag<int64_t>{},
          [sign](int32_t t, int64_t ms) {
            return static_cast<int32_t>(floorMod(t + sign * ms, kMillisPerDay));
          },
          type);
      break;
    default:
      return std::nullopt;
  }
  return makeFunction(name, {args[0], args[1]}, type, kernel);
}

Result<BoundScalarFunction> resolveArithmetic(ArithOp op, std::string_view name,
                                              std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 2, 2);
  if (!count.isOk()) return count;
  if (auto temporal = resolveTemporal(op, args)) return std::move(*temporal);
  const DataType& a = args[0];
  const DataType& b = args[1];
  const bool a_ok = a.isNumeric() || a.id() == TypeId::kNull;
  const bool b_ok = b.isNumeric() || b.id() == TypeId::kNull;
  if (!a_ok || !b_ok) {
    return Status::error(std::string("cannot apply '")
                             .append(name)
                             .append("' to arguments of type ")
                             .append(typeName(a))
                             .append(" and ")
                             .append(typeName(b)));
  }
  std::optional<DataType> common = commonSuperType(a, b);
  DataType common_type = common && common->id() != TypeId::kNull ? *common : DataType::integer();
  const bool may_fail = op == ArithOp::kDivide || op == ArithOp::kModulo;
  if (common_type.isDecimal()) {
    const DataType da = a.id() == TypeId::kNull ? common_type : asDecimal(a);
    const DataType db = b.id() == TypeId::kNull ? common_type : asDecimal(b);
    DataType type;
    switch (op) {
      case ArithOp::kAdd:
      case ArithOp::kSubtract:
        type = decimalSumType(da, db);
        break;
      case ArithOp::kMultiply:
        type = decimalProductType(da, db);
        break;
      case ArithOp::kDivide:
        type = decimalQuotientType(da, db);
        break;
      case ArithOp::kModulo:
        type = decimalModType(da, db);
        break;
    }
    // Overflow gives NULL, so the result is always nullable.
    type = type.withNullable(true);
    // A BIGINT operand is read as it is (DECIMAL(19, 0) would take 128 bits per value).
    const DataType arg_a = a.id() == TypeId::kBigInt ? a : da.withNullable(a.nullable());
    const DataType arg_b = b.id() == TypeId::kBigInt ? b : db.withNullable(b.nullable());
    ScalarKernel kernel = anyDecimalKernel(op, da, da.id() == TypeId::kDecimal128 && a.id() != TypeId::kBigInt,
                                           db, db.id() == TypeId::kDecimal128 && b.id() != TypeId::kBigInt, type);
    return makeFunction(name, {arg_a, arg_b}, type, kernel);
  }
  const DataType type = common_type.withNullable(common_type.nullable() ||
                                                 (may_fail && !common_type.isApproximateNumeric()));
  const DataType arg_type = common_type;
  ScalarKernel kernel;
  dispatchNumeric(common_type.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    kernel = numericKernel<T>(op, type);
  });
  return makeFunction(name,
                      {arg_type.withNullable(a.nullable()), arg_type.withNullable(b.nullable())},
                      type, kernel);
}

Result<BoundScalarFunction> resolveNegate(std::span<const DataType> args) {
  Status count = checkArgCount("negate", args, 1, 1);
  if (!count.isOk()) return count;
  DataType type = args[0].id() == TypeId::kNull ? DataType::integer() : args[0];
  ScalarKernel kernel;
  if (type.id() == TypeId::kIntervalDayTime) {
    kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<int64_t, int64_t>(v[0], rows, result, type,
                                     [](int64_t x) { return wrapSub<int64_t>(0, x); });
      return Status::ok();
    };
  } else if (type.id() == TypeId::kIntervalYearMonth) {
    kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<int32_t, int32_t>(v[0], rows, result, type,
                                     [](int32_t x) { return wrapSub<int32_t>(0, x); });
      return Status::ok();
    };
  } else if (type.id() == TypeId::kDecimal128) {
    kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<__int128, __int128>(v[0], rows, result, type, [](__int128 x) { return -x; });
      return Status::ok();
    };
  } else {
    dispatchNumeric(type.id(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
        executeUnary<T, T>(v[0], rows, result, type, [](T x) {
          if constexpr (std::is_floating_point_v<T>) {
            return -x;
          } else {
            return wrapSub<T>(0, x);
          }
        });
        return Status::ok();
      };
    });
  }
  if (!kernel) return Status::error("cannot negate a value of type " + typeName(args[0]));
  return makeFunction("-", {type}, type, kernel);
}

}  // namespace

void registerArithmeticFunctions(FunctionRegistry& registry) {
  const std::pair<const char*, ArithOp> ops[] = {
      {"+", ArithOp::kAdd},    {"-", ArithOp::kSubtract}, {"*", ArithOp::kMultiply},
      {"/", ArithOp::kDivide}, {"%", ArithOp::kModulo},   {"mod", ArithOp::kModulo}};
  for (const auto& [name, op] : ops) {
    const std::string shown = std::string(name) == "mod" ? "MOD" : name;
    registry.addScalar(name, [op = op, shown](std::span<const DataType> args) {
      return resolveArithmetic(op, shown, args);
    });
  }
  registry.addScalar("negate", resolveNegate);
}

}  // namespace caudal::sql
