// COUNT, SUM, SUM0, AVG (and MEAN), the registration of every built-in aggregate. MIN/MAX are in
// aggregate_min_max.cc, the DISTINCT forms in aggregate_distinct.cc.
#include <optional>
#include <string>
#include <utility>

#include "sql/function/aggregate_kernels.h"
#include "sql/function/builtin_functions.h"
#include "sql/function/decimal_arithmetic.h"
#include "sql/function/function_registry.h"
#include "sql/types/data_type.h"

namespace caudal::sql {

namespace {

namespace ad = aggregate_detail;

using UpdateFn = decltype(BoundAggregateFunction::update);

// 10^38: SUM and AVG of DECIMAL are DECIMAL(38, s), which overflow at it.
const __int128 kDecimalLimit = powerOfTen128(DataType::kMaxDecimalPrecision);

// Integer sums wrap around on overflow, as Java's long arithmetic (and Flink's BIGINT SUM) does.
inline int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int64_t wrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

struct IntSum {
  int64_t sum;
  int64_t count;  // non-NULL values added minus those retracted
};
struct DoubleSum {
  double sum;
  int64_t count;
};
struct DecimalSum {
  ad::Int128 sum;  // unscaled, at the argument's scale; 128 bits hold any sum of 64-bit values
  int64_t count;

  std::optional<__int128> value() const { return sum.get(); }
};
// The sum of DECIMAL(p > 18) values: 192 bits (a 128-bit low part and a signed 64-bit high
// part, two's complement), so that a sum past 2^127 is seen as an overflow rather than wrapping
// and retractions stay exact.
struct WideDecimalSum {
  ad::Int128 low;
  int64_t high;
  int64_t count;

  void add(__int128 v) {
    const auto before = static_cast<unsigned __int128>(low.get());
    const unsigned __int128 after = before + static_cast<unsigned __int128>(v);
    low.set(static_cast<__int128>(after));
    high += (after < before ? 1 : 0) + (v < 0 ? -1 : 0);
  }
  void subtract(__int128 v) {
    const auto before = static_cast<unsigned __int128>(low.get());
    const unsigned __int128 after = before - static_cast<unsigned __int128>(v);
    low.set(static_cast<__int128>(after));
    high -= (after > before ? 1 : 0) + (v < 0 ? -1 : 0);
  }
  // The sum when it fits in 128 bits.
  std::optional<__int128> value() const {
    const __int128 v = low.get();
    if (high != (v < 0 ? -1 : 0)) return std::nullopt;
    return v;
  }
};

template <class S>
void zeroState(uint8_t* state) {
  *ad::as<S>(state) = S{};
}

// ---- COUNT ---------------------------------------------------------------------------------

void countRows(Rows rows, uint8_t* const* states, const int8_t* signs) {
  if (signs == nullptr) {
    for (uint32_t i = 0; i < rows.count; ++i) ++*ad::as<int64_t>(states[i]);
  } else {
    for (uint32_t i = 0; i < rows.count; ++i) *ad::as<int64_t>(states[i]) += signs[i] < 0 ? -1 : 1;
  }
}

void finalizeCount(const uint8_t* const* states, uint32_t count, Vector& result) {
  int64_t* out = result.values<int64_t>();
  for (uint32_t i = 0; i < count; ++i) out[i] = *ad::as<int64_t>(states[i]);
}

BoundAggregateFunction countFunction(std::vector<DataType> args) {
  BoundAggregateFunction f;
  f.name = "COUNT";
  f.argument_types = std::move(args);
  f.return_type = DataType::bigInt().withNullable(false);
  f.state_size = sizeof(int64_t);
  f.initialize = zeroState<int64_t>;
  f.finalize = finalizeCount;
  if (f.argument_types.empty()) {
    f.update = [](std::span<const Vector>, Rows rows, uint8_t* const* states, const int8_t* signs) {
      countRows(rows, states, signs);
      return Status::ok();
    };
    return f;
  }
  f.update = [](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    bool all_valid = true;
    for (const Vector& arg : args) {
      if (arg.isConstant() ? arg.isNull(0) : false) return Status::ok();  // a NULL constant: no row counts
      all_valid = all_valid && arg.validity().allValid();
    }
    if (all_valid) {
      countRows(rows, states, signs);
      return Status::ok();
    }
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t r = rows[i];
      bool valid = true;
      for (const Vector& arg : args) valid = valid && !arg.isNull(r);
      if (valid) *ad::as<int64_t>(states[i]) += signs != nullptr && signs[i] < 0 ? -1 : 1;
    }
    return Status::ok();
  };
  return f;
}

// ---- SUM / SUM0 ----------------------------------------------------------------------------

template <class T, class Add, class Sub>
UpdateFn foldUpdate(Add add, Sub sub) {
  return [add, sub](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    ad::foldRows<T>(args[0], rows, states, signs, add, sub);
    return Status::ok();
  };
}

template <class T>
UpdateFn intSumUpdate() {
  return foldUpdate<T>(
      [](uint8_t* state, T v) {
        IntSum* s = ad::as<IntSum>(state);
        s->sum = wrapAdd(s->sum, static_cast<int64_t>(v));
        ++s->count;
      },
      [](uint8_t* state, T v) {
        IntSum* s = ad::as<IntSum>(state);
        s->sum = wrapSub(s->sum, static_cast<int64_t>(v));
        --s->count;
      });
}

template <class T>
UpdateFn doubleSumUpdate() {
  return foldUpdate<T>(
      [](uint8_t* state, T v) {
        DoubleSum* s = ad::as<DoubleSum>(state);
        s->sum += static_cast<double>(v);
        ++s->count;
      },
      [](uint8_t* state, T v) {
        DoubleSum* s = ad::as<DoubleSum>(state);
        s->sum -= static_cast<double>(v);
        --s->count;
      });
}

UpdateFn decimalSumUpdate() {
  return foldUpdate<int64_t>(
      [](uint8_t* state, int64_t v) {
        DecimalSum* s = ad::as<DecimalSum>(state);
        s->sum.set(s->sum.get() + v);
        ++s->count;
      },
      [](uint8_t* state, int64_t v) {
        DecimalSum* s = ad::as<DecimalSum>(state);
        s->sum.set(s->sum.get() - v);
        --s->count;
      });
}

UpdateFn wideDecimalSumUpdate() {
  return foldUpdate<__int128>(
      [](uint8_t* state, __int128 v) {
        WideDecimalSum* s = ad::as<WideDecimalSum>(state);
        s->add(v);
        ++s->count;
      },
      [](uint8_t* state, __int128 v) {
        WideDecimalSum* s = ad::as<WideDecimalSum>(state);
        s->subtract(v);
        --s->count;
      });
}

// Calls `f(T{})` for the integer argument types.
template <class F>
void visitInteger(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kTinyInt: f(int8_t{}); break;
    case TypeId::kSmallInt: f(int16_t{}); break;
    case TypeId::kInt: f(int32_t{}); break;
    default: f(int64_t{}); break;
  }
}

Result<BoundAggregateFunction> sumFunction(const std::string& name, const DataType& arg, bool zero_if_empty) {
  BoundAggregateFunction f;
  f.name = name;
  f.argument_types = {arg};
  // SUM0 never returns NULL.
  const auto nullable = [&](DataType type) { return type.withNullable(!zero_if_empty); };
  if (arg.isInteger()) {
    f.return_type = nullable(DataType::bigInt());
    f.state_size = sizeof(IntSum);
    f.initialize = zeroState<IntSum>;
    visitInteger(arg.id(), [&](auto tag) { f.update = intSumUpdate<decltype(tag)>(); });
    f.finalize = [zero_if_empty](const uint8_t* const* states, uint32_t count, Vector& result) {
      int64_t* out = result.values<int64_t>();
      for (uint32_t i = 0; i < count; ++i) {
        const IntSum* s = ad::as<IntSum>(states[i]);
        if (s->count > 0) {
          out[i] = s->sum;
        } else if (zero_if_empty) {
          out[i] = 0;
        } else {
          result.setNull(i);
        }
      }
    };
  } else if (arg.isDecimal()) {
    // Flink: SUM(DECIMAL(p, s)) is DECIMAL(38, s), NULL when the sum overflows it.
    f.return_type = nullable(DataType::decimal(DataType::kMaxDecimalPrecision, arg.scale()));
    const bool wide = arg.id() == TypeId::kDecimal128;
    f.state_size = wide ? sizeof(WideDecimalSum) : sizeof(DecimalSum);
    f.initialize = wide ? zeroState<WideDecimalSum> : zeroState<DecimalSum>;
    f.update = wide ? wideDecimalSumUpdate() : decimalSumUpdate();
    auto finalize = [zero_if_empty](auto tag) {
      using S = decltype(tag);
      return [zero_if_empty](const uint8_t* const* states, uint32_t count, Vector& result) {
        __int128* out = result.values<__int128>();
        for (uint32_t i = 0; i < count; ++i) {
          const S* s = ad::as<S>(states[i]);
          const std::optional<__int128> sum = s->value();  // empty when past 128 bits
          if (s->count <= 0) {
            if (zero_if_empty) {
              out[i] = 0;
            } else {
              result.setNull(i);
            }
          } else if (!sum || *sum >= kDecimalLimit || *sum <= -kDecimalLimit) {
            result.setNull(i);  // overflows DECIMAL(38, s): NULL, as Flink's SUM on overflow
          } else {
            out[i] = *sum;
          }
        }
      };
    };
    if (wide) {
      f.finalize = finalize(WideDecimalSum{});
    } else {
      f.finalize = finalize(DecimalSum{});
    }
  } else if (arg.isApproximateNumeric()) {
    f.return_type = nullable(DataType::doubleType());
    f.state_size = sizeof(DoubleSum);
    f.initialize = zeroState<DoubleSum>;
    f.update = arg.id() == TypeId::kFloat ? doubleSumUpdate<float>() : doubleSumUpdate<double>();
    f.finalize = [zero_if_empty](const uint8_t* const* states, uint32_t count, Vector& result) {
      double* out = result.values<double>();
      for (uint32_t i = 0; i < count; ++i) {
        const DoubleSum* s = ad::as<DoubleSum>(states[i]);
        if (s->count > 0) {
          out[i] = s->sum;
        } else if (zero_if_empty) {
          out[i] = 0;
        } else {
          result.setNull(i);
        }
      }
    };
  } else {
    return Status::error(std::string(name).append(" expects a numeric argument but got ").append(arg.toString()));
  }
  return f;
}

// ---- AVG -----------------------------------------------------------------------------------

Result<BoundAggregateFunction> avgFunction(const std::string& name, const DataType& arg) {
  BoundAggregateFunction f;
  f.name = name;
  f.argument_types = {arg};
  if (arg.isInteger()) {
    // Flink: the average of integers is of the argument's type, the sum divided by the count
    // truncating toward zero.
    f.return_type = arg.withNullable(true);
    f.state_size = sizeof(IntSum);
    f.initialize = zeroState<IntSum>;
    visitInteger(arg.id(), [&](auto tag) {
      using T = decltype(tag);
      f.update = intSumUpdate<T>();
      f.finalize = [](const uint8_t* const* states, uint32_t count, Vector& result) {
        T* out = result.values<T>();
        for (uint32_t i = 0; i < count; ++i) {
          const IntSum* s = ad::as<IntSum>(states[i]);
          if (s->count > 0) {
            out[i] = static_cast<T>(s->sum / s->count);
          } else {
            result.setNull(i);
          }
        }
      };
    });
  } else if (arg.isDecimal()) {
    // Flink: DECIMAL(38, max(6, s)) (LogicalTypeMerging.findAvgAggType), the sum divided by the
    // count rounding half up.
    const int scale = arg.scale();
    const int result_scale = std::max(6, scale);
    f.return_type = DataType::decimal(DataType::kMaxDecimalPrecision, result_scale);
    const bool wide = arg.id() == TypeId::kDecimal128;
    f.state_size = wide ? sizeof(WideDecimalSum) : sizeof(DecimalSum);
    f.initialize = wide ? zeroState<WideDecimalSum> : zeroState<DecimalSum>;
    f.update = wide ? wideDecimalSumUpdate() : decimalSumUpdate();
    const int up = result_scale - scale;
    auto finalize = [up](auto tag) {
      using S = decltype(tag);
      return [up](const uint8_t* const* states, uint32_t count, Vector& result) {
        __int128* out = result.values<__int128>();
        for (uint32_t i = 0; i < count; ++i) {
          const S* s = ad::as<S>(states[i]);
          const std::optional<__int128> sum = s->value();  // empty when past 128 bits
          if (s->count <= 0 || !sum) {
            result.setNull(i);
            continue;
          }
          // sum * 10^up / count, exact when the scaled sum outgrows 128 bits.
          WideInt scaled = wideFrom(*sum);
          std::optional<__int128> average;
          if (wideScaleUp(scaled, up)) average = wideToInt128Below(wideDivideRoundHalfUp(scaled, s->count), kDecimalLimit);
          if (!average) {
            result.setNull(i);
          } else {
            out[i] = *average;
          }
        }
      };
    };
    if (wide) {
      f.finalize = finalize(WideDecimalSum{});
    } else {
      f.finalize = finalize(DecimalSum{});
    }
  } else if (arg.isApproximateNumeric()) {
    // Flink: of the argument's type (FLOAT stays FLOAT), summed in double.
    f.return_type = arg.withNullable(true);
    f.state_size = sizeof(DoubleSum);
    f.initialize = zeroState<DoubleSum>;
    const auto finalize_as = [](auto tag) {
      using T = decltype(tag);
      return [](const uint8_t* const* states, uint32_t count, Vector& result) {
        T* out = result.values<T>();
        for (uint32_t i = 0; i < count; ++i) {
          const DoubleSum* s = ad::as<DoubleSum>(states[i]);
          if (s->count > 0) {
            out[i] = static_cast<T>(s->sum / static_cast<double>(s->count));
          } else {
            result.setNull(i);
          }
        }
      };
    };
    if (arg.id() == TypeId::kFloat) {
      f.update = doubleSumUpdate<float>();
      f.finalize = finalize_as(float{});
    } else {
      f.update = doubleSumUpdate<double>();
      f.finalize = finalize_as(double{});
    }
  } else {
    return Status::error(std::string(name).append(" expects a numeric argument but got ").append(arg.toString()));
  }
  return f;
}

// ---- Resolvers -----------------------------------------------------------------------------

Status expectOneArgument(const std::string& name, std::span<const DataType> args) {
  if (args.size() == 1) return Status::ok();
  return Status::error(std::string(name).append(" takes one argument but got ").append(std::to_string(args.size())));
}

Result<BoundAggregateFunction> withDistinct(Result<BoundAggregateFunction> resolved, bool distinct) {
  if (!resolved.isOk() || !distinct) return resolved;
  return ad::makeDistinct(std::move(resolved.value()));
}

AggregateResolver countResolver(std::string name) {
  return [name](std::span<const DataType> args, bool distinct, bool) -> Result<BoundAggregateFunction> {
    if (distinct) {
      if (Status status = expectOneArgument(std::string(name).append("(DISTINCT)"), args); !status.isOk()) {
        return status;
      }
      return ad::makeCountDistinct(args[0]);
    }
    return countFunction(std::vector<DataType>(args.begin(), args.end()));
  };
}

AggregateResolver sumResolver(std::string name, bool zero_if_empty) {
  return [name, zero_if_empty](std::span<const DataType> args, bool distinct,
                               bool) -> Result<BoundAggregateFunction> {
    if (Status status = expectOneArgument(name, args); !status.isOk()) return status;
    return withDistinct(sumFunction(name, args[0], zero_if_empty), distinct);
  };
}

AggregateResolver avgResolver(std::string name) {
  return [name](std::span<const DataType> args, bool distinct, bool) -> Result<BoundAggregateFunction> {
    if (Status status = expectOneArgument(name, args); !status.isOk()) return status;
    return withDistinct(avgFunction(name, args[0]), distinct);
  };
}

AggregateResolver minMaxResolver(std::string name, bool is_max) {
  return [name, is_max](std::span<const DataType> args, bool, bool retracting) -> Result<BoundAggregateFunction> {
    if (Status status = expectOneArgument(name, args); !status.isOk()) return status;
    // DISTINCT does not change a minimum or a maximum.
    return ad::makeMinMax(args[0], is_max, retracting);
  };
}

}  // namespace

void registerAggregateFunctions(FunctionRegistry& registry) {
  registry.addAggregate("COUNT", countResolver("COUNT"));
  // Exact: a distinct count is a valid approximation of itself.
  registry.addAggregate("APPROX_COUNT_DISTINCT",
                        [](std::span<const DataType> args, bool, bool retracting) -> Result<BoundAggregateFunction> {
                          return countResolver("APPROX_COUNT_DISTINCT")(args, true, retracting);
                        });
  registry.addAggregate("SUM", sumResolver("SUM", false));
  registry.addAggregate("SUM0", sumResolver("SUM0", true));
  registry.addAggregate("AVG", avgResolver("AVG"));
  registry.addAggregate("MEAN", avgResolver("MEAN"));
  registry.addAggregate("MIN", minMaxResolver("MIN", false));
  registry.addAggregate("MAX", minMaxResolver("MAX", true));
}

}  // namespace caudal::sql
