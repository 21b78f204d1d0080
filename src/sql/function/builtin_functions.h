// Registration of the built-in functions, one entry point per family.
#pragma once

namespace caudal::sql {

class FunctionRegistry;

/// Operators (+ - * / %, comparisons, ||, LIKE, IS DISTINCT FROM), math, string, time and
/// conversion functions.
void registerScalarFunctions(FunctionRegistry& registry);
/// COUNT, COUNT(DISTINCT), SUM, AVG, MIN, MAX and their Spark-style aliases.
void registerAggregateFunctions(FunctionRegistry& registry);

}  // namespace caudal::sql
