// The functions SQL can call, by name.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sql/function/aggregate_function.h"
#include "sql/function/scalar_function.h"

namespace caudal::sql {

/// Built-in scalar and aggregate functions, and casts. Names are case-insensitive. Immutable
/// after construction, so shared by every query and thread.
class FunctionRegistry {
 public:
  /// The registry of every built-in function.
  static const FunctionRegistry& builtins();

  /// Registers a scalar function under `name` (and any aliases, e.g. `substr` for
  /// `substring`).
  void addScalar(std::string_view name, ScalarResolver resolver);
  void addAggregate(std::string_view name, AggregateResolver resolver);

  /// The resolver for `name`, or null when there is no such scalar function.
  const ScalarResolver* findScalar(std::string_view name) const;
  /// The resolver for `name`, or null when there is no such aggregate function.
  const AggregateResolver* findAggregate(std::string_view name) const;
  /// Every function name, upper-case and sorted (SHOW FUNCTIONS).
  std::vector<std::string> names() const;

 private:
  std::map<std::string, ScalarResolver, std::less<>> scalars_;
  std::map<std::string, AggregateResolver, std::less<>> aggregates_;
};

/// The kernel converting `from` to `to`, or an error when SQL has no such cast
/// (`"cannot cast BOOLEAN to DATE"`). `try_cast` selects TRY_CAST's NULL-on-failure behaviour.
Result<CastKernel> resolveCast(const DataType& from, const DataType& to, bool try_cast);

/// True when `from` converts to `to` implicitly (the binder inserts the cast without being
/// asked), following Flink: numeric widening, CHAR/VARCHAR to STRING, DATE to TIMESTAMP, NULL
/// to anything.
bool canCastImplicitly(const DataType& from, const DataType& to);

}  // namespace caudal::sql
