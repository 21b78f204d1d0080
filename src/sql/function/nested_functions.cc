// ARRAY, MAP and ROW functions: the constructors the binder calls for ARRAY[..], MAP[..] and
// ROW(..), CARDINALITY, and subscripts (`item`, ELEMENT_AT).
#include "sql/function/function_helpers.h"

namespace caudal::sql {

namespace {

// The common type of `args[from], args[from + step], ...`.
std::optional<DataType> commonOf(std::span<const DataType> args, size_t from, size_t step) {
  std::optional<DataType> common;
  for (size_t i = from; i < args.size(); i += step) {
    common = common ? commonSuperType(*common, args[i]) : std::optional<DataType>(args[i]);
    if (!common) return std::nullopt;
  }
  if (common && common->id() == TypeId::kNull) return DataType::string();
  return common;
}

Result<BoundScalarFunction> resolveArray(std::span<const DataType> args) {
  Status count = checkArgCount("ARRAY", args, 1, SIZE_MAX);
  if (!count.isOk()) return count;
  std::optional<DataType> element = commonOf(args, 0, 1);
  if (!element) return Status::error("ARRAY elements must have one common type");
  const DataType type = DataType::array(*element).withNullable(false);
  std::vector<DataType> types;
  for (const DataType& arg : args) types.push_back(element->withNullable(arg.nullable()));
  return makeFunction("ARRAY", std::move(types), type,
                      [type](std::span<const Vector> v, Rows rows, Vector& result) {
                        const bool constant = allConstant(v);
                        prepareResult(result, type, constant, flatCapacity(v, rows));
                        const Rows active = constant ? Rows{nullptr, 1} : rows;
                        const uint32_t n = static_cast<uint32_t>(v.size());
                        for (const Vector& arg : v) result.children()[0].keepStringsOf(arg);
                        for (uint32_t i = 0; i < active.count; ++i) {
                          const uint32_t row = active[i];
                          const uint32_t offset = result.appendListElements(n);
                          Vector& elements = result.children()[0];
                          for (uint32_t a = 0; a < n; ++a)
                            copyValue(v[a], row, elements, offset + a);
                          result.values<ListEntry>()[row] = ListEntry{offset, n};
                        }
                        return Status::ok();
                      });
}

Result<BoundScalarFunction> resolveMap(std::span<const DataType> args) {
  if (args.empty() || args.size() % 2 != 0) return Status::error("MAP expects key and value pairs");
  std::optional<DataType> key = commonOf(args, 0, 2);
  std::optional<DataType> value = commonOf(args, 1, 2);
  if (!key || !value) return Status::error("MAP keys and values must each have one common type");
  const DataType type = DataType::map(*key, *value).withNullable(false);
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i)
    types.push_back((i % 2 == 0 ? *key : *value).withNullable(args[i].nullable()));
  return makeFunction("MAP", std::move(types), type,
                      [type](std::span<const Vector> v, Rows rows, Vector& result) {
                        const bool constant = allConstant(v);
                        prepareResult(result, type, constant, flatCapacity(v, rows));
                        const Rows active = constant ? Rows{nullptr, 1} : rows;
                        const uint32_t pairs = static_cast<uint32_t>(v.size() / 2);
                        for (size_t a = 0; a < v.size(); ++a)
                          result.children()[0].children()[a % 2].keepStringsOf(v[a]);
                        for (uint32_t i = 0; i < active.count; ++i) {
                          const uint32_t row = active[i];
                          const uint32_t offset = result.appendListElements(pairs);
                          Vector& entries = result.children()[0];
                          for (uint32_t p = 0; p < pairs; ++p) {
                            entries.setValid(offset + p);
                            copyValue(v[2 * p], row, entries.children()[0], offset + p);
                            copyValue(v[2 * p + 1], row, entries.children()[1], offset + p);
                          }
                          result.values<ListEntry>()[row] = ListEntry{offset, pairs};
                        }
                        return Status::ok();
                      });
}

Result<BoundScalarFunction> resolveRow(std::span<const DataType> args) {
  Status count = checkArgCount("ROW", args, 1, SIZE_MAX);
  if (!count.isOk()) return count;
  std::vector<Field> fields;
  std::vector<DataType> types;
  for (size_t i = 0; i < args.size(); ++i) {
    const DataType field_type = args[i].id() == TypeId::kNull ? DataType::string() : args[i];
    fields.push_back(Field{"EXPR$" + std::to_string(i), field_type});
    types.push_back(field_type);
  }
  const DataType type = DataType::row(std::move(fields)).withNullable(false);
  return makeFunction("ROW", std::move(types), type,
                      [type](std::span<const Vector> v, Rows rows, Vector& result) {
                        const bool constant = allConstant(v);
                        if (constant) {
                          std::vector<Value> values;
                          for (const Vector& arg : v) values.push_back(arg.getValue(0));
                          result = Vector::constant(Value::fromChildren(type, std::move(values)));
                          return Status::ok();
                        }
                        // Flat fields are shared as they are; constant ones are spread over the
                        // rows.
                        const uint32_t capacity = flatCapacity(v, rows);
                        result = Vector(type, capacity);
                        for (size_t i = 0; i < v.size(); ++i) {
                          if (v[i].isConstant()) {
                            Vector spread = v[i];
                            spread.flatten(capacity);
                            result.children()[i] = std::move(spread);
                          } else {
                            result.children()[i].reference(v[i]);
                          }
                        }
                        return Status::ok();
                      });
}

Result<BoundScalarFunction> resolveCardinality(std::span<const DataType> args) {
  Status count = checkArgCount("CARDINALITY", args, 1, 1);
  if (!count.isOk()) return count;
  if (args[0].id() != TypeId::kArray && args[0].id() != TypeId::kMap) {
    return Status::error("CARDINALITY expects an ARRAY or MAP argument but got " +
                         typeName(args[0]));
  }
  const DataType type = DataType::integer().withNullable(args[0].nullable());
  return makeFunction(
      "CARDINALITY", {args[0]}, type, [type](std::span<const Vector> v, Rows rows, Vector& result) {
        executeUnary<ListEntry, int32_t>(v[0], rows, result, type, [](const ListEntry& entry) {
          return static_cast<int32_t>(entry.length);
        });
        return Status::ok();
      });
}

// `item(array, index)` (1-based, NULL out of range) and `item(map, key)` (NULL when absent).
Result<BoundScalarFunction> resolveItem(std::string_view name, std::span<const DataType> args) {
  Status count = checkArgCount(name, args, 2, 2);
  if (!count.isOk()) return count;
  const DataType& container = args[0];
  if (container.id() == TypeId::kArray) {
    Result<DataType> index = integerArgument(name, args[1]);
    if (!index.isOk()) return index.status();
    const DataType type = container.elementType().withNullable(true);
    return makeFunction(upperName(name), {container, index.value()}, type,
                        [type](std::span<const Vector> v, Rows rows, Vector& result) {
                          const bool constant = allConstant(v);
                          prepareResult(result, type, constant, flatCapacity(v, rows));
                          const Rows active = constant ? Rows{nullptr, 1} : rows;
                          const Vector& elements = v[0].children()[0];
                          result.keepStringsOf(elements);
                          for (uint32_t i = 0; i < active.count; ++i) {
                            const uint32_t row = active[i];
                            if (v[0].isNull(row) || v[1].isNull(row)) {
                              result.setNull(row);
                              continue;
                            }
                            const ListEntry entry = v[0].valueAt<ListEntry>(row);
                            const int32_t index = v[1].valueAt<int32_t>(row);
                            if (index < 1 || static_cast<uint32_t>(index) > entry.length) {
                              result.setNull(row);
                            } else {
                              copyValue(elements, entry.offset + static_cast<uint32_t>(index) - 1,
                                        result, row);
                            }
                          }
                          return Status::ok();
                        });
  }
  if (container.id() == TypeId::kMap) {
    std::optional<DataType> key = commonSuperType(container.keyType(), args[1]);
    if (!key || !key->sameAs(container.keyType())) {
      return Status::error(upperName(name) + " expects a key of type " +
                           typeName(container.keyType()) + " but got " + typeName(args[1]));
    }
    const DataType type = container.valueType().withNullable(true);
    return makeFunction(upperName(name),
                        {container, container.keyType().withNullable(args[1].nullable())}, type,
                        [type](std::span<const Vector> v, Rows rows, Vector& result) {
                          const bool constant = allConstant(v);
                          prepareResult(result, type, constant, flatCapacity(v, rows));
                          const Rows active = constant ? Rows{nullptr, 1} : rows;
                          const Vector& keys = v[0].children()[0].children()[0];
                          const Vector& values = v[0].children()[0].children()[1];
                          result.keepStringsOf(values);
                          for (uint32_t i = 0; i < active.count; ++i) {
                            const uint32_t row = active[i];
                            result.setNull(row);
                            if (v[0].isNull(row) || v[1].isNull(row)) continue;
                            const ListEntry entry = v[0].valueAt<ListEntry>(row);
                            for (uint32_t e = entry.offset; e < entry.offset + entry.length; ++e) {
                              if (!keys.isNull(e) && valuesEqual(keys, e, v[1], row)) {
                                copyValue(values, e, result, row);
                                break;
                              }
                            }
                          }
                          return Status::ok();
                        });
  }
  return Status::error(upperName(name) + " expects an ARRAY or MAP but got " + typeName(container));
}

}  // namespace

void registerNestedFunctions(FunctionRegistry& registry) {
  registry.addScalar("array_constructor", resolveArray);
  registry.addScalar("map_constructor", resolveMap);
  registry.addScalar("row_constructor", resolveRow);
  registry.addScalar("cardinality", resolveCardinality);
  registry.addScalar("item",
                     [](std::span<const DataType> args) { return resolveItem("item", args); });
  registry.addScalar(
      "element_at", [](std::span<const DataType> args) { return resolveItem("element_at", args); });
}

}  // namespace caudal::sql
