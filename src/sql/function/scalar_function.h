// Scalar functions as the binder resolves them and the expression evaluator runs them.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/types/data_type.h"
#include "sql/vector/vector.h"

namespace caudal::sql {

/// Computes a function for `rows` of its evaluated arguments (each aligned with the chunk:
/// row r of the result comes from row r of every argument) into `result`, which the kernel
/// (re)creates, e.g. with `prepareResult`. Returns an error only for failures the query must
/// stop on (CAST of a malformed string); NULL-producing cases (division by zero) return NULL.
/// Must be thread-safe: one kernel runs on many workers at once.
using ScalarKernel = std::function<Status(std::span<const Vector> args, Rows rows, Vector& result)>;

/// A function resolved for given argument types.
struct BoundScalarFunction {
  /// Name shown in plans, e.g. `UPPER` or `+`.
  std::string name;
  /// The types the arguments must have when the kernel runs; the binder casts them first.
  std::vector<DataType> argument_types;
  DataType return_type;
  ScalarKernel kernel;
  /// False for functions whose value changes between calls (RAND, CURRENT_TIMESTAMP): never
  /// folded into a constant at plan time.
  bool deterministic = true;
};

/// Resolves a function name for the argument types it is called with, or says why it cannot
/// (`"UPPER expects a STRING argument but got INT"`). The binder adds the SQL position.
using ScalarResolver = std::function<Result<BoundScalarFunction>(std::span<const DataType> args)>;

/// Converts `input` (type `from`) to type `to` for `rows`. When the value cannot be converted
/// (`'abc'` to INT), TRY_CAST (`try_cast` true) gives NULL and CAST fails with a message
/// naming the value and the types.
using CastKernel = std::function<Status(const Vector& input, Rows rows, Vector& result)>;

}  // namespace caudal::sql
