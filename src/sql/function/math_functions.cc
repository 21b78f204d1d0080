// Math functions: ABS, CEIL, FLOOR, ROUND, TRUNCATE, SIGN, POWER, SQRT, EXP, LN, LOG10, LOG2,
// LOG, trigonometry, PI, E, RAND.
#include <cmath>
#include <random>

#include "sql/function/decimal_arithmetic.h"
#include "sql/function/function_helpers.h"
#include "sql/types/decimal.h"

namespace caudal::sql {

namespace {

using DoubleFn = double (*)(double);

Result<BoundScalarFunction> resolveUnaryDouble(std::string_view name, DoubleFn fn,
                                               std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 1, 1);
  if (!count.isOk()) return count;
  if (!args[0].isNumeric() && args[0].id() != TypeId::kNull) {
    return Status::error(upperName(name) + " expects a numeric argument but got " +
                         typeName(args[0]));
  }
  const DataType type = nullableIfAny(DataType::doubleType(), args);
  return makeFunction(upperName(name), {DataType::doubleType().withNullable(args[0].nullable())},
                      type, [type, fn](std::span<const Vector> v, Rows rows, Vector& result) {
                        executeUnary<double, double>(v[0], rows, result, type, fn);
                        return Status::ok();
                      });
}

bool isNumericOrNull(const DataType& type) {
  return type.isNumeric() || type.id() == TypeId::kNull;
}

Result<BoundScalarFunction> resolveAbs(std::span<const DataType> args) {
  Status count = checkArgCount("ABS", args, 1, 1);
  if (!count.isOk()) return count;
  if (!isNumericOrNull(args[0]))
    return Status::error("ABS expects a numeric argument but got " + typeName(args[0]));
  const DataType type = args[0].id() == TypeId::kNull ? DataType::integer() : args[0];
  ScalarKernel kernel;
  if (type.id() == TypeId::kDecimal128) {
    // |x| < 10^38: negating never overflows.
    kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<__int128, __int128>(v[0], rows, result, type,
                                       [](__int128 x) { return x < 0 ? -x : x; });
      return Status::ok();
    };
  }
  dispatchNumeric(type.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    kernel = [type](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<T, T>(v[0], rows, result, type, [](T x) {
        if constexpr (std::is_floating_point_v<T>) {
          return std::fabs(x);
        } else {
          using U = std::make_unsigned_t<T>;
          // Java's Math.abs: the minimum value stays negative.
          return x < 0 ? static_cast<T>(U{0} - static_cast<U>(x)) : x;
        }
      });
      return Status::ok();
    };
  });
  return makeFunction("ABS", {type}, type, kernel);
}

// CEIL (`ceil` true) and FLOOR.
Result<BoundScalarFunction> resolveCeilFloor(bool ceil, std::span<const DataType> args) {
  const char* name = ceil ? "CEIL" : "FLOOR";
  Status count = checkArgCount(name, args, 1, 1);
  if (!count.isOk()) return count;
  if (!isNumericOrNull(args[0]))
    return Status::error(std::string(name) + " expects a numeric argument but got " +
                         typeName(args[0]));
  const DataType& arg = args[0].id() == TypeId::kNull ? DataType::doubleType() : args[0];
  if (arg.isInteger()) {
    return makeFunction(name, {arg}, arg, [](std::span<const Vector> v, Rows, Vector& result) {
      result.reference(v[0]);
      return Status::ok();
    });
  }
  if (arg.isDecimal()) {
    const DataType type =
        DataType::decimal(
            std::min(DataType::kMaxDecimalPrecision, arg.precision() - arg.scale() + 1), 0)
            .withNullable(arg.nullable());
    const __int128 factor = powerOfTen128(arg.scale());
    ScalarKernel kernel;
    dispatchDecimal(arg.id(), [&](auto in_tag) {
      dispatchDecimal(type.id(), [&](auto out_tag) {
        using In = typename decltype(in_tag)::type;
        using Out = typename decltype(out_tag)::type;
        const In in_factor = static_cast<In>(factor);
        kernel = [type, in_factor, ceil](std::span<const Vector> v, Rows rows, Vector& result) {
          executeUnary<In, Out>(v[0], rows, result, type, [in_factor, ceil](In x) {
            const In q = x / in_factor;
            const In r = x % in_factor;
            if (r == 0) return static_cast<Out>(q);
            return static_cast<Out>(ceil ? (x > 0 ? q + 1 : q) : (x < 0 ? q - 1 : q));
          });
          return Status::ok();
        };
      });
    });
    return makeFunction(name, {arg}, type, kernel);
  }
  const DataType type = DataType::doubleType().withNullable(arg.nullable());
  return makeFunction(name, {type}, type,
                      [type, ceil](std::span<const Vector> v, Rows rows, Vector& result) {
                        executeUnary<double, double>(v[0], rows, result, type, [ceil](double x) {
                          return ceil ? std::ceil(x) : std::floor(x);
                        });
                        return Status::ok();
                      });
}

// ROUND (`truncate` false, half up) and TRUNCATE (toward zero), with optional digits.
Result<BoundScalarFunction> resolveRound(bool truncate, std::span<const DataType> args) {
  const char* name = truncate ? "TRUNCATE" : "ROUND";
  Status count = checkArgCount(name, args, 1, 2);
  if (!count.isOk()) return count;
  if (!isNumericOrNull(args[0]))
    return Status::error(std::string(name) + " expects a numeric argument but got " +
                         typeName(args[0]));
  std::vector<DataType> arg_types;
  DataType arg = args[0].id() == TypeId::kNull ? DataType::doubleType() : args[0];
  arg_types.push_back(arg);
  if (args.size() == 2) {
    Result<DataType> digits = integerArgument(name, args[1]);
    if (!digits.isOk()) return digits.status();
    arg_types.push_back(digits.value());
  }
  const bool with_digits = args.size() == 2;
  DataType type = nullableIfAny(arg, args);
  if (arg.isDecimal() && !with_digits) {
    type = decimalRoundType(arg, 0).withNullable(true);
  } else if (arg.isDecimal()) {
    // The digits are only known when the kernel runs: the value is rounded, the type kept.
    type = arg.withNullable(true);
  }
  const int scale = arg.scale();
  const int result_scale = type.scale();
  // What the result's layout holds (as before 128-bit values, a value rounded up past the
  // type's precision is kept when the layout holds it).
  const __int128 limit = powerOfTen128(type.id() == TypeId::kDecimal128 ? DataType::kMaxDecimalPrecision
                                                                        : DataType::kMaxDecimal64Precision);
  // Rounds or truncates `x` (at `from_scale`) to `digits` decimals; the result at `to_scale`,
  // empty when the result's layout cannot hold it.
  auto decimalRound = [truncate, limit](__int128 x, int from_scale, int digits,
                                        int to_scale) -> std::optional<__int128> {
    if (digits >= from_scale) {
      auto rescaled = rescaleDecimal128(x, from_scale, to_scale, DataType::kMaxDecimalPrecision);
      if (!rescaled || *rescaled >= limit || *rescaled <= -limit) return std::nullopt;
      return rescaled;
    }
    const int drop = from_scale - digits;
    // |x| < 10^38: dropping more digits leaves nothing.
    if (drop > DataType::kMaxDecimalPrecision) return __int128{0};
    const __int128 factor = powerOfTen128(drop);
    __int128 v = truncate ? x / factor : divideRoundHalfUp(x, factor);
    // v is now at scale `digits`; bring it to `to_scale`.
    const int shift = to_scale - digits;
    if (shift >= 0) {
      if (shift > DataType::kMaxDecimalPrecision || __builtin_mul_overflow(v, powerOfTen128(shift), &v)) {
        return v == 0 ? std::optional<__int128>(0) : std::nullopt;
      }
    } else {
      v = -shift > DataType::kMaxDecimalPrecision ? 0 : v / powerOfTen128(-shift);
    }
    if (v >= limit || v <= -limit) return std::nullopt;
    return v;
  };
  ScalarKernel kernel;
  if (arg.isDecimal()) {
    dispatchDecimal(arg.id(), [&](auto in_tag) {
      dispatchDecimal(type.id(), [&](auto out_tag) {
        using In = typename decltype(in_tag)::type;
        using Out = typename decltype(out_tag)::type;
        kernel = [=](std::span<const Vector> v, Rows rows, Vector& result) {
          auto store = [](std::optional<__int128> rounded, Out& out) {
            if (!rounded) return false;
            out = static_cast<Out>(*rounded);
            return true;
          };
          if (!with_digits) {
            executeUnaryNullable<In, Out>(v[0], rows, result, type, [&](In x, Out& out) {
              return store(decimalRound(x, scale, 0, result_scale), out);
            });
          } else {
            executeBinaryNullable<In, int32_t, Out>(
                v[0], v[1], rows, result, type, [&](In x, int32_t d, Out& out) {
                  return store(decimalRound(x, scale, d, result_scale), out);
                });
          }
          return Status::ok();
        };
      });
    });
  } else if (arg.isApproximateNumeric()) {
    dispatchNumeric(arg.id(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_floating_point_v<T>) {
        auto apply = [truncate](T x, int32_t d) -> T {
          if (!truncate) return static_cast<T>(roundDoubleHalfUp(static_cast<double>(x), d));
          if (d > 15) return x;
          const double factor = std::pow(10.0, d);
          return static_cast<T>(std::trunc(static_cast<double>(x) * factor) / factor);
        };
        kernel = [=](std::span<const Vector> v, Rows rows, Vector& result) {
          if (!with_digits) {
            executeUnary<T, T>(v[0], rows, result, type, [&](T x) { return apply(x, 0); });
          } else {
            executeBinary<T, int32_t, T>(v[0], v[1], rows, result, type, apply);
          }
          return Status::ok();
        };
      }
    });
  } else {
    dispatchNumeric(arg.id(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_floating_point_v<T>) {
        kernel = [=](std::span<const Vector> v, Rows rows, Vector& result) {
          if (!with_digits) {
            result.reference(v[0]);
          } else {
            executeBinary<T, int32_t, T>(v[0], v[1], rows, result, type,
                                         [truncate](T x, int32_t d) {
                                           if (d >= 0) return x;
                                           if (d < -18) return T{0};
                                           const int64_t factor = powerOfTen(-d);
                                           const int64_t value = static_cast<int64_t>(x);
                                           const int64_t q = value / factor;
                                           const int64_t r = value % factor;
                                           int64_t rounded = q;
                                           if (!truncate && (r < 0 ? -r : r) * 2 >= factor)
                                             rounded += value < 0 ? -1 : 1;
                                           return static_cast<T>(rounded * factor);
                                         });
          }
          return Status::ok();
        };
      }
    });
  }
  return makeFunction(name, std::move(arg_types), type, kernel);
}

Result<BoundScalarFunction> resolveSign(std::span<const DataType> args) {
  Status count = checkArgCount("SIGN", args, 1, 1);
  if (!count.isOk()) return count;
  if (!isNumericOrNull(args[0]))
    return Status::error("SIGN expects a numeric argument but got " + typeName(args[0]));
  const DataType type = args[0].id() == TypeId::kNull ? DataType::integer() : args[0];
  const int64_t one = type.id() == TypeId::kDecimal ? powerOfTen(type.scale()) : 1;
  ScalarKernel kernel;
  if (type.id() == TypeId::kDecimal128) {
    const __int128 unit = powerOfTen128(type.scale());
    kernel = [type, unit](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<__int128, __int128>(v[0], rows, result, type, [unit](__int128 x) {
        return x > 0 ? unit : (x < 0 ? -unit : __int128{0});
      });
      return Status::ok();
    };
  }
  dispatchNumeric(type.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    kernel = [type, one](std::span<const Vector> v, Rows rows, Vector& result) {
      executeUnary<T, T>(v[0], rows, result, type, [one](T x) {
        return x > 0 ? static_cast<T>(one) : (x < 0 ? static_cast<T>(-one) : T{0});
      });
      return Status::ok();
    };
  });
  return makeFunction("SIGN", {type}, type, kernel);
}

Result<BoundScalarFunction> resolveBinaryDouble(std::string_view name, double (*fn)(double, double),
                                                std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 2, 2);
  if (!count.isOk()) return count;
  for (const DataType& arg : args) {
    if (!isNumericOrNull(arg))
      return Status::error(upperName(name) + " expects numeric arguments but got " + typeName(arg));
  }
  const DataType type = nullableIfAny(DataType::doubleType(), args);
  return makeFunction(upperName(name),
                      {DataType::doubleType().withNullable(args[0].nullable()),
                       DataType::doubleType().withNullable(args[1].nullable())},
                      type, [type, fn](std::span<const Vector> v, Rows rows, Vector& result) {
                        executeBinary<double, double, double>(v[0], v[1], rows, result, type, fn);
                        return Status::ok();
                      });
}

// The per-thread generator RAND draws from (kernels run on many threads at once).
double nextRandom() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

Result<BoundScalarFunction> resolveConstantDouble(std::string_view name, double value,
                                                  std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 0, 0);
  if (!count.isOk()) return count;
  const DataType type = DataType::doubleType().withNullable(false);
  return makeFunction(upperName(name), {}, type,
                      [type, value](std::span<const Vector>, Rows, Vector& result) {
                        prepareResult(result, type, true, 1);
                        result.values<double>()[0] = value;
                        return Status::ok();
                      });
}

}  // namespace

void registerMathFunctions(FunctionRegistry& registry) {
  registry.addScalar("abs", resolveAbs);
  for (const char* name : {"ceil", "ceiling"}) {
    registry.addScalar(name,
                       [](std::span<const DataType> args) { return resolveCeilFloor(true, args); });
  }
  registry.addScalar("floor",
                     [](std::span<const DataType> args) { return resolveCeilFloor(false, args); });
  registry.addScalar("round",
                     [](std::span<const DataType> args) { return resolveRound(false, args); });
  registry.addScalar("truncate",
                     [](std::span<const DataType> args) { return resolveRound(true, args); });
  registry.addScalar("sign", resolveSign);
  const std::pair<const char*, DoubleFn> unary[] = {
      {"sqrt", [](double x) { return std::sqrt(x); }},
      {"exp", [](double x) { return std::exp(x); }},
      {"ln", [](double x) { return std::log(x); }},
      {"log10", [](double x) { return std::log10(x); }},
      {"log2", [](double x) { return std::log2(x); }},
      {"sin", [](double x) { return std::sin(x); }},
      {"cos", [](double x) { return std::cos(x); }},
      {"tan", [](double x) { return std::tan(x); }},
      {"asin", [](double x) { return std::asin(x); }},
      {"acos", [](double x) { return std::acos(x); }},
      {"atan", [](double x) { return std::atan(x); }},
      {"degrees", [](double x) { return x * 180.0 / M_PI; }},
      {"radians", [](double x) { return x * M_PI / 180.0; }},
      {"cot", [](double x) { return 1.0 / std::tan(x); }},
  };
  for (const auto& [name, fn] : unary) {
    registry.addScalar(name, [name = std::string(name), fn = fn](std::span<const DataType> args) {
      return resolveUnaryDouble(name, fn, args);
    });
  }
  for (const char* name : {"power", "pow"}) {
    registry.addScalar(name, [](std::span<const DataType> args) {
      return resolveBinaryDouble(
          "POWER", [](double a, double b) { return std::pow(a, b); }, args);
    });
  }
  registry.addScalar("atan2", [](std::span<const DataType> args) {
    return resolveBinaryDouble(
        "ATAN2", [](double a, double b) { return std::atan2(a, b); }, args);
  });
  registry.addScalar("log", [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
    // LOG(x) is the natural logarithm; LOG(base, x) as Flink.
    if (args.size() == 1)
      return resolveUnaryDouble(
          "LOG", [](double x) { return std::log(x); }, args);
    return resolveBinaryDouble(
        "LOG", [](double base, double x) { return std::log(x) / std::log(base); }, args);
  });
  registry.addScalar(
      "pi", [](std::span<const DataType> args) { return resolveConstantDouble("PI", M_PI, args); });
  registry.addScalar(
      "e", [](std::span<const DataType> args) { return resolveConstantDouble("E", M_E, args); });
  registry.addScalar("rand", [](std::span<const DataType> args) -> Result<BoundScalarFunction> {
    Status count = checkArgCount("RAND", args, 0, 0);
    if (!count.isOk()) return count;
    const DataType type = DataType::doubleType().withNullable(false);
    return makeFunction(
        "RAND", {}, type,
        [type](std::span<const Vector>, Rows rows, Vector& result) {
          result = Vector(type, std::max<uint32_t>(rowsEnd(rows), 1));
          double* out = result.values<double>();
          for (uint32_t i = 0; i < rows.count; ++i) out[rows[i]] = nextRandom();
          return Status::ok();
        },
        /*deterministic=*/false);
  });
}

}  // namespace caudal::sql
