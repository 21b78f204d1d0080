#include "sql/function/function_helpers.h"

#include <cctype>
#include <cstring>

namespace caudal::sql {

std::string upperName(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

Status checkArgCount(std::string_view name, std::span<const DataType> args, size_t min,
                     size_t max) {
  if (args.size() >= min && args.size() <= max) return Status::ok();
  std::string expected = std::to_string(min);
  if (max != min) {
    expected +=
        max == SIZE_MAX ? " or more" : (max == min + 1 ? " or " : " to ") + std::to_string(max);
  }
  return Status::error(upperName(name) + " expects " + expected +
                       (min == 1 && max == 1 ? " argument" : " arguments") + " but got " +
                       std::to_string(args.size()));
}

Result<DataType> stringArgument(std::string_view name, const DataType& arg) {
  if (arg.id() == TypeId::kString) return arg;
  if (arg.id() == TypeId::kNull) return DataType::string();
  return Status::error(upperName(name) + " expects a STRING argument but got " + typeName(arg));
}

Result<DataType> integerArgument(std::string_view name, const DataType& arg) {
  if (arg.isInteger() || arg.id() == TypeId::kNull)
    return DataType::integer().withNullable(arg.nullable());
  return Status::error(upperName(name) + " expects an INT argument but got " + typeName(arg));
}

BoundScalarFunction makeFunction(std::string_view name, std::vector<DataType> argument_types,
                                 DataType return_type, ScalarKernel kernel, bool deterministic) {
  BoundScalarFunction function;
  function.name = std::string(name);
  function.argument_types = std::move(argument_types);
  function.return_type = std::move(return_type);
  function.kernel = std::move(kernel);
  function.deterministic = deterministic;
  return function;
}

void copyValue(const Vector& source, uint32_t source_row, Vector& target, uint32_t target_row) {
  const uint32_t from = source.isConstant() ? 0 : source_row;
  if (source.isNull(from)) {
    target.setNull(target_row);
    if (target.type().id() == TypeId::kArray || target.type().id() == TypeId::kMap) {
      target.values<ListEntry>()[target_row] = ListEntry{0, 0};
    }
    return;
  }
  target.setValid(target_row);
  const TypeId id = source.type().id();
  if (id == TypeId::kRow || id == TypeId::kArray || id == TypeId::kMap) {
    // Nested values are rare on hot paths: go through Value.
    target.setValue(target_row, source.getValue(from));
    return;
  }
  const size_t width = physicalSize(id);
  std::memcpy(target.values<uint8_t>() + width * target_row,
              source.values<uint8_t>() + width * from, width);
}

bool valuesEqual(const Vector& a, uint32_t a_row, const Vector& b, uint32_t b_row) {
  const uint32_t ai = a.isConstant() ? 0 : a_row;
  const uint32_t bi = b.isConstant() ? 0 : b_row;
  bool equal = false;
  const TypeId id = a.type().id();
  if (id == TypeId::kRow || id == TypeId::kArray || id == TypeId::kMap) {
    return a.getValue(ai) == b.getValue(bi);
  }
  dispatchPhysical(id, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, ListEntry>) {
      equal = false;
    } else {
      equal = a.values<T>()[ai] == b.values<T>()[bi];
    }
  });
  return equal;
}

}  // namespace caudal::sql
