// TEMPORARY: the aggregate half of FunctionRegistry, so aggregate tests link before
// function_registry.cc lands. Delete this file when merging function_registry.cc.
#include <cctype>

#include "sql/function/function_registry.h"

namespace caudal::sql {

namespace {

std::string upperCase(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

}  // namespace

void FunctionRegistry::addAggregate(std::string_view name, AggregateResolver resolver) {
  aggregates_[upperCase(name)] = std::move(resolver);
}

const AggregateResolver* FunctionRegistry::findAggregate(std::string_view name) const {
  const auto it = aggregates_.find(upperCase(name));
  return it == aggregates_.end() ? nullptr : &it->second;
}

}  // namespace caudal::sql
