// Comparison operators (= <> < <= > >=), IS [NOT] DISTINCT FROM, GREATEST and LEAST.
#include "sql/function/comparison.h"
#include "sql/function/function_helpers.h"

namespace caudal::sql {

std::optional<CompareOp> compareOpFromSymbol(std::string_view symbol) {
  if (symbol == "=") return CompareOp::kEqual;
  if (symbol == "<>" || symbol == "!=") return CompareOp::kNotEqual;
  if (symbol == "<") return CompareOp::kLess;
  if (symbol == "<=") return CompareOp::kLessEqual;
  if (symbol == ">") return CompareOp::kGreater;
  if (symbol == ">=") return CompareOp::kGreaterEqual;
  return std::nullopt;
}

CompareOp flipCompareOp(CompareOp op) {
  switch (op) {
    case CompareOp::kLess:
      return CompareOp::kGreater;
    case CompareOp::kLessEqual:
      return CompareOp::kGreaterEqual;
    case CompareOp::kGreater:
      return CompareOp::kLess;
    case CompareOp::kGreaterEqual:
      return CompareOp::kLessEqual;
    default:
      return op;
  }
}

const char* compareOpSymbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual:
      return "=";
    case CompareOp::kNotEqual:
      return "<>";
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
  }
  return "?";
}

namespace {

bool isOrderable(const DataType& type) { return !type.isNested() && type.id() != TypeId::kNull; }

// The common type both operands are compared as; an error when there is none.
Result<DataType> comparisonType(std::string_view name, std::span<const DataType> args) {
  std::optional<DataType> common = commonSuperType(args[0], args[1]);
  if (!common) {
    return Status::error(std::string("cannot compare ")
                             .append(typeName(args[0]))
                             .append(" with ")
                             .append(typeName(args[1]))
                             .append(" (")
                             .append(name)
                             .append(")"));
  }
  DataType type = common->id() == TypeId::kNull ? DataType::boolean() : *common;
  return type;
}

Result<BoundScalarFunction> resolveComparison(CompareOp op, std::span<const DataType> args) {
  const char* name = compareOpSymbol(op);
  Status count = checkArgCount(name, args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> common = comparisonType(name, args);
  if (!common.isOk()) return common.status();
  const DataType type = common.value();
  const DataType result_type = nullableIfAny(DataType::boolean(), args);
  ScalarKernel kernel;
  if (type.isNested()) {
    if (op != CompareOp::kEqual && op != CompareOp::kNotEqual) {
      return Status::error(std::string("cannot order values of type ").append(typeName(type)));
    }
    const bool want_equal = op == CompareOp::kEqual;
    kernel = [result_type, want_equal](std::span<const Vector> v, Rows rows, Vector& result) {
      const bool constant = v[0].isConstant() && v[1].isConstant();
      prepareResult(result, result_type, constant, flatCapacity(v, rows));
      const Rows active = constant ? Rows{nullptr, 1} : rows;
      for (uint32_t i = 0; i < active.count; ++i) {
        const uint32_t row = active[i];
        if (v[0].isNull(row) || v[1].isNull(row)) {
          result.setNull(row);
        } else {
          result.values<uint8_t>()[row] = valuesEqual(v[0], row, v[1], row) == want_equal;
        }
      }
      return Status::ok();
    };
  } else {
    dispatchPhysical(type.id(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, ListEntry>) {
        dispatchCompareOp(op, [&](auto op_constant) {
          constexpr CompareOp kOp = decltype(op_constant)::value;
          kernel = [result_type](std::span<const Vector> v, Rows rows, Vector& result) {
            executeBinary<T, T, uint8_t>(v[0], v[1], rows, result, result_type,
                                         [](const T& a, const T& b) {
                                           return static_cast<uint8_t>(compareValues<kOp>(a, b));
                                         });
            return Status::ok();
          };
        });
      }
    });
  }
  if (!kernel)
    return Status::error(std::string("cannot compare values of type ").append(typeName(type)));
  return makeFunction(
      name, {type.withNullable(args[0].nullable()), type.withNullable(args[1].nullable())},
      result_type, kernel);
}

// IS DISTINCT FROM (`distinct` true) and IS NOT DISTINCT FROM: NULL-safe, never NULL.
Result<BoundScalarFunction> resolveDistinct(bool distinct, std::span<const DataType> args) {
  const char* name = distinct ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM";
  Status count = checkArgCount(name, args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> common = comparisonType(name, args);
  if (!common.isOk()) return common.status();
  const DataType type = common.value();
  const DataType result_type = DataType::boolean().withNullable(false);
  ScalarKernel kernel = [result_type, distinct](std::span<const Vector> v, Rows rows,
                                                Vector& result) {
    const bool constant = v[0].isConstant() && v[1].isConstant();
    prepareResult(result, result_type, constant, flatCapacity(v, rows));
    const Rows active = constant ? Rows{nullptr, 1} : rows;
    uint8_t* out = result.values<uint8_t>();
    for (uint32_t i = 0; i < active.count; ++i) {
      const uint32_t row = active[i];
      const bool a_null = v[0].isNull(row);
      const bool b_null = v[1].isNull(row);
      bool same;
      if (a_null || b_null) {
        same = a_null && b_null;
      } else {
        same = valuesEqual(v[0], row, v[1], row);
      }
      out[row] = static_cast<uint8_t>(same != distinct);
    }
    return Status::ok();
  };
  return makeFunction(
      name, {type.withNullable(args[0].nullable()), type.withNullable(args[1].nullable())},
      result_type, kernel);
}

// GREATEST / LEAST: NULL when any argument is NULL (as Flink).
Result<BoundScalarFunction> resolveExtreme(bool greatest, std::span<const DataType> args) {
  const char* name = greatest ? "GREATEST" : "LEAST";
  Status count = checkArgCount(name, args, 1, SIZE_MAX);
  if (!count.isOk()) return count;
  std::optional<DataType> common = args[0];
  for (size_t i = 1; i < args.size() && common; ++i) common = commonSuperType(*common, args[i]);
  if (!common || !isOrderable(*common)) {
    return Status::error(std::string(name) + " expects arguments of one comparable type");
  }
  const DataType type = nullableIfAny(*common, args);
  ScalarKernel kernel;
  dispatchPhysical(type.id(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, ListEntry>) {
      kernel = [type, greatest](std::span<const Vector> v, Rows rows, Vector& result) {
        executeVariadic<T>(v, rows, result, type, [&](uint32_t row, T& out) {
          T best = v[0].valueAt<T>(row);
          for (size_t i = 1; i < v.size(); ++i) {
            const T& candidate = v[i].valueAt<T>(row);
            if (greatest ? candidate > best : candidate < best) best = candidate;
          }
          out = best;
          return true;
        });
        for (const Vector& arg : v) result.keepStringsOf(arg);
        return Status::ok();
      };
    }
  });
  std::vector<DataType> arg_types;
  for (const DataType& arg : args) arg_types.push_back(common->withNullable(arg.nullable()));
  return makeFunction(name, std::move(arg_types), type, kernel);
}

}  // namespace

void registerComparisonFunctions(FunctionRegistry& registry) {
  for (CompareOp op : {CompareOp::kEqual, CompareOp::kNotEqual, CompareOp::kLess,
                       CompareOp::kLessEqual, CompareOp::kGreater, CompareOp::kGreaterEqual}) {
    registry.addScalar(compareOpSymbol(op), [op](std::span<const DataType> args) {
      return resolveComparison(op, args);
    });
  }
  registry.addScalar("!=", [](std::span<const DataType> args) {
    return resolveComparison(CompareOp::kNotEqual, args);
  });
  registry.addScalar("is_distinct_from",
                     [](std::span<const DataType> args) { return resolveDistinct(true, args); });
  registry.addScalar("is_not_distinct_from",
                     [](std::span<const DataType> args) { return resolveDistinct(false, args); });
  registry.addScalar("greatest",
                     [](std::span<const DataType> args) { return resolveExtreme(true, args); });
  registry.addScalar("least",
                     [](std::span<const DataType> args) { return resolveExtreme(false, args); });
}

}  // namespace caudal::sql
