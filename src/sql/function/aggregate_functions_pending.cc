// Temporary: an empty registerAggregateFunctions so the scalar functions link on their own.
// Deleted when the aggregate functions are merged.
#include "sql/function/builtin_functions.h"

namespace caudal::sql {

void registerAggregateFunctions(FunctionRegistry& /*registry*/) {}

}  // namespace caudal::sql
