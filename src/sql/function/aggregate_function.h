// Aggregate functions as hash aggregation runs them: a fixed-size state per group, updated a
// vector at a time, with retraction for changelog input.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/types/data_type.h"
#include "sql/vector/vector.h"

namespace caudal::sql {

/// An aggregate function resolved for its argument types.
///
/// The aggregation operator keeps one state of `state_size` bytes (8-byte aligned) per group
/// and per aggregate, in memory it owns. `initialize` runs once on a new state; `update` folds
/// rows into states; `finalize` reads states out; `destroy` (when set) frees what a state owns.
struct BoundAggregateFunction {
  /// Name shown in plans: `COUNT`, `SUM`, `COUNT(DISTINCT)`.
  std::string name;
  /// The argument types `update` expects (the binder casts to them). Empty for COUNT(*).
  std::vector<DataType> argument_types;
  DataType return_type;
  uint32_t state_size = 0;

  std::function<void(uint8_t* state)> initialize;
  /// For each i below `rows.count`: folds the arguments at row `rows[i]` into `states[i]`,
  /// adding when `signs` is null or `signs[i] > 0`, retracting when `signs[i] < 0`. Several
  /// i may share one state. NULL arguments are skipped (as SQL aggregates do), except by
  /// COUNT(*).
  std::function<Status(std::span<const Vector> args, Rows rows, uint8_t* const* states,
                       const int8_t* signs)>
      update;
  /// Writes the value of `states[i]` to row i of `result` (a flat vector of `return_type` with
  /// room for `count` rows), for i below `count`. SUM/MIN/MAX/AVG of no (non-NULL) rows is NULL;
  /// COUNT is 0.
  std::function<void(const uint8_t* const* states, uint32_t count, Vector& result)> finalize;
  /// Frees what a state owns (hash sets of COUNT(DISTINCT), value multisets of retractable
  /// MIN/MAX); null when states are plain bytes.
  std::function<void(uint8_t* state)> destroy;
};

/// Resolves an aggregate for its argument types. `distinct` is set for `f(DISTINCT x)`;
/// `retracting` says the input carries retractions (-U/-D), which MIN and MAX must then keep
/// every value for. Errors say why (`"SUM expects a numeric argument but got STRING"`).
using AggregateResolver = std::function<Result<BoundAggregateFunction>(
    std::span<const DataType> args, bool distinct, bool retracting)>;

}  // namespace caudal::sql
