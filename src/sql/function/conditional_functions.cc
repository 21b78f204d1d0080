// IF(cond, a, b), NULLIF(a, b), IFNULL(a, b) as functions (CASE and COALESCE are evaluator
// nodes, evaluated lazily).
#include "sql/function/function_helpers.h"

namespace caudal::sql {

namespace {

// Copies row r from `choose(r)` (a vector index into `args`, or -1 for NULL) for each row.
template <class Choose>
void pickRows(std::span<const Vector> args, Rows rows, Vector& result, const DataType& type,
              Choose&& choose) {
  const bool constant = allConstant(args);
  prepareResult(result, type, constant, flatCapacity(args, rows));
  const Rows active = constant ? Rows{nullptr, 1} : rows;
  for (uint32_t i = 0; i < active.count; ++i) {
    const uint32_t row = active[i];
    const int source = choose(row);
    if (source < 0) {
      result.setNull(row);
    } else {
      copyValue(args[static_cast<size_t>(source)], row, result, row);
    }
  }
  for (const Vector& arg : args) result.keepStringsOf(arg);
}

Result<DataType> commonOf(std::string_view name, const DataType& a, const DataType& b) {
  std::optional<DataType> common = commonSuperType(a, b);
  if (!common) {
    return Status::error(upperName(name) + " expects arguments of one type but got " + typeName(a) +
                         " and " + typeName(b));
  }
  return common->id() == TypeId::kNull ? DataType::string() : *common;
}

Result<BoundScalarFunction> resolveIf(std::span<const DataType> args) {
  Status count = checkArgCount("IF", args, 3, 3);
  if (!count.isOk()) return count;
  if (args[0].id() != TypeId::kBoolean && args[0].id() != TypeId::kNull) {
    return Status::error("IF expects a BOOLEAN condition but got " + typeName(args[0]));
  }
  Result<DataType> common = commonOf("IF", args[1], args[2]);
  if (!common.isOk()) return common.status();
  const DataType type = common.value().withNullable(args[1].nullable() || args[2].nullable());
  return makeFunction("IF", {DataType::boolean().withNullable(args[0].nullable()), type, type},
                      type, [type](std::span<const Vector> v, Rows rows, Vector& result) {
                        pickRows(v, rows, result, type, [&](uint32_t row) {
                          const bool yes = !v[0].isNull(row) && v[0].valueAt<uint8_t>(row) != 0;
                          return yes ? 1 : 2;
                        });
                        return Status::ok();
                      });
}

Result<BoundScalarFunction> resolveNullIf(std::span<const DataType> args) {
  Status count = checkArgCount("NULLIF", args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> common = commonOf("NULLIF", args[0], args[1]);
  if (!common.isOk()) return common.status();
  const DataType arg_type = common.value();
  const DataType type = arg_type.withNullable(true);
  return makeFunction(
      "NULLIF",
      {arg_type.withNullable(args[0].nullable()), arg_type.withNullable(args[1].nullable())}, type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) {
        pickRows(v, rows, result, type, [&](uint32_t row) {
          if (v[0].isNull(row)) return -1;
          if (!v[1].isNull(row) && valuesEqual(v[0], row, v[1], row)) return -1;
          return 0;
        });
        return Status::ok();
      });
}

Result<BoundScalarFunction> resolveIfNull(std::span<const DataType> args) {
  Status count = checkArgCount("IFNULL", args, 2, 2);
  if (!count.isOk()) return count;
  Result<DataType> common = commonOf("IFNULL", args[0], args[1]);
  if (!common.isOk()) return common.status();
  const DataType arg_type = common.value();
  const DataType type = arg_type.withNullable(args[1].nullable());
  return makeFunction(
      "IFNULL",
      {arg_type.withNullable(args[0].nullable()), arg_type.withNullable(args[1].nullable())}, type,
      [type](std::span<const Vector> v, Rows rows, Vector& result) {
        pickRows(v, rows, result, type, [&](uint32_t row) {
          if (!v[0].isNull(row)) return 0;
          return v[1].isNull(row) ? -1 : 1;
        });
        return Status::ok();
      });
}

}  // namespace

void registerConditionalFunctions(FunctionRegistry& registry) {
  registry.addScalar("if", resolveIf);
  registry.addScalar("nullif", resolveNullIf);
  registry.addScalar("ifnull", resolveIfNull);
}

}  // namespace caudal::sql
