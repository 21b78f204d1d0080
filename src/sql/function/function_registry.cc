#include "sql/function/function_registry.h"

#include <absl/strings/ascii.h>

#include <algorithm>
#include <cctype>

#include "sql/function/builtin_functions.h"

namespace caudal::sql {

namespace {

std::string lowerName(std::string_view name) {
  std::string lower(name);
  absl::AsciiStrToLower(&lower);
  return lower;
}

}  // namespace

const FunctionRegistry& FunctionRegistry::builtins() {
  // Built once, on first use (thread-safe static initialization), then only read.
  static const FunctionRegistry* const registry = [] {
    auto* built = new FunctionRegistry();
    registerScalarFunctions(*built);
    registerAggregateFunctions(*built);
    return built;
  }();
  return *registry;
}

void FunctionRegistry::addScalar(std::string_view name, ScalarResolver resolver) {
  scalars_[lowerName(name)] = std::move(resolver);
}

void FunctionRegistry::addAggregate(std::string_view name, AggregateResolver resolver) {
  aggregates_[lowerName(name)] = std::move(resolver);
}

const ScalarResolver* FunctionRegistry::findScalar(std::string_view name) const {
  auto it = scalars_.find(lowerName(name));
  return it == scalars_.end() ? nullptr : &it->second;
}

const AggregateResolver* FunctionRegistry::findAggregate(std::string_view name) const {
  auto it = aggregates_.find(lowerName(name));
  return it == aggregates_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::vector<std::string> all;
  all.reserve(scalars_.size() + aggregates_.size());
  auto add = [&all](const std::string& name) {
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    all.push_back(std::move(upper));
  };
  for (const auto& [name, resolver] : scalars_) add(name);
  for (const auto& [name, resolver] : aggregates_) add(name);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace caudal::sql
