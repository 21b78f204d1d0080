// Test helpers: call built-in functions and casts on values, as the binder and evaluator would.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/function/function_registry.h"
#include "sql/types/decimal.h"
#include "sql/types/value.h"
#include "sql/vector/vector.h"

namespace caudal::sql::testing {

/// A flat vector holding `values` (all of `type`), one per row.
inline Vector flatVector(const DataType& type, const std::vector<Value>& values) {
  Vector vector(type, static_cast<uint32_t>(std::max<size_t>(values.size(), 1)));
  for (uint32_t i = 0; i < values.size(); ++i) vector.setValue(i, values[i]);
  return vector;
}

/// The value's text, `NULL` for NULL.
inline std::string shown(const Value& value) { return value.toString(); }

/// Converts `input` to `to` as the binder would (a no-op when the types are the same).
inline Result<Vector> castTo(const Vector& input, const DataType& to, Rows rows) {
  if (input.type().sameAs(to)) return input;
  Result<CastKernel> kernel = resolveCast(input.type(), to, false);
  if (!kernel.isOk()) return kernel.status();
  Vector result;
  Status status = kernel.value()(input, rows, result);
  if (!status.isOk()) return status;
  return result;
}

/// Resolves `name` for the arguments' types and runs it on `args` (vectors of `count` rows or
/// constants), casting the arguments to the declared types first. Returns each row's value.
inline Result<std::vector<Value>> callVectors(std::string_view name,
                                              const std::vector<Vector>& args, uint32_t count,
                                              DataType* return_type = nullptr) {
  const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar(name);
  if (resolver == nullptr) return Status::error("no function " + std::string(name));
  std::vector<DataType> types;
  for (const Vector& arg : args) types.push_back(arg.type());
  Result<BoundScalarFunction> bound = (*resolver)(types);
  if (!bound.isOk()) return bound.status();
  const BoundScalarFunction& function = bound.value();
  if (return_type != nullptr) *return_type = function.return_type;
  std::vector<Vector> cast_args;
  const Rows rows{nullptr, count};
  for (size_t i = 0; i < args.size(); ++i) {
    Result<Vector> cast = castTo(args[i], function.argument_types.at(i), rows);
    if (!cast.isOk()) return cast.status();
    cast_args.push_back(cast.value());
  }
  Vector result;
  Status status = function.kernel(cast_args, rows, result);
  if (!status.isOk()) return status;
  EXPECT_TRUE(result.type().sameAs(function.return_type))
      << name << ": result " << result.type().toString() << " vs declared "
      << function.return_type.toString();
  std::vector<Value> values;
  for (uint32_t i = 0; i < count; ++i) values.push_back(result.getValue(i));
  return values;
}

/// Calls `name` on one row of `args`, twice — as constants and as one-row flat vectors — checks
/// both give the same, and returns the value's text (`NULL` for NULL) or `error: <message>`.
inline std::string call(std::string_view name, const std::vector<Value>& args) {
  std::vector<Vector> constants;
  std::vector<Vector> flats;
  for (const Value& arg : args) {
    constants.push_back(Vector::constant(arg));
    flats.push_back(flatVector(arg.type(), {arg}));
  }
  Result<std::vector<Value>> constant = callVectors(name, constants, 1);
  Result<std::vector<Value>> flat = callVectors(name, flats, 1);
  if (!constant.isOk()) {
    EXPECT_FALSE(flat.isOk()) << name;
    return "error: " + constant.status().message();
  }
  EXPECT_TRUE(flat.isOk()) << name;
  if (!flat.isOk()) return "error: " + flat.status().message();
  const std::string text = shown(constant.value()[0]);
  EXPECT_EQ(text, shown(flat.value()[0])) << name << " constant vs flat";
  return text;
}

/// CAST (or TRY_CAST) of one value, as text or `error: <message>`.
inline std::string castValue(const Value& value, const DataType& to, bool try_cast = false) {
  Result<CastKernel> kernel = resolveCast(value.type(), to, try_cast);
  if (!kernel.isOk()) return "error: " + kernel.status().message();
  std::string texts[2];
  for (int flat = 0; flat < 2; ++flat) {
    const Vector input = flat ? flatVector(value.type(), {value}) : Vector::constant(value);
    Vector result;
    Status status = kernel.value()(input, Rows{nullptr, 1}, result);
    texts[flat] = status.isOk() ? shown(result.getValue(0)) : "error: " + status.message();
  }
  EXPECT_EQ(texts[0], texts[1]) << "constant vs flat cast of " << value.toString();
  return texts[0];
}

inline Value dec(int64_t unscaled, int precision, int scale) {
  return Value::fromInt(DataType::decimal(precision, scale), unscaled);
}
/// A DECIMAL(precision, scale) of either layout from its text (which must fit).
inline Value decText(const std::string& text, int precision, int scale) {
  const std::optional<__int128> unscaled = parseDecimal128(text, precision, scale);
  EXPECT_TRUE(unscaled.has_value()) << text;
  return Value::fromUnscaled(DataType::decimal(precision, scale), unscaled.value_or(0));
}
inline Value str(std::string s) { return Value::string(std::move(s)); }
inline Value i32(int32_t v) { return Value::integer(v); }
inline Value i64(int64_t v) { return Value::bigInt(v); }
inline Value f64(double v) { return Value::doubleValue(v); }
inline Value boolean(bool v) { return Value::boolean(v); }
inline Value nullOf(DataType type) { return Value::null(std::move(type)); }

}  // namespace caudal::sql::testing
