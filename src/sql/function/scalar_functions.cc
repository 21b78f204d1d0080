// registerScalarFunctions: every built-in scalar function family.
#include "sql/function/builtin_functions.h"
#include "sql/function/function_helpers.h"

namespace caudal::sql {

void registerScalarFunctions(FunctionRegistry& registry) {
  registerArithmeticFunctions(registry);
  registerComparisonFunctions(registry);
  registerMathFunctions(registry);
  registerStringFunctions(registry);
  registerRegexFunctions(registry);
  registerTimeFunctions(registry);
  registerConditionalFunctions(registry);
  registerNestedFunctions(registry);
}

}  // namespace caudal::sql
