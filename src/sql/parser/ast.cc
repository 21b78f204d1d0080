#include "sql/parser/ast.h"

namespace caudal::sql::ast {

std::string_view timeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kYear: return "YEAR";
    case TimeUnit::kQuarter: return "QUARTER";
    case TimeUnit::kMonth: return "MONTH";
    case TimeUnit::kWeek: return "WEEK";
    case TimeUnit::kDay: return "DAY";
    case TimeUnit::kHour: return "HOUR";
    case TimeUnit::kMinute: return "MINUTE";
    case TimeUnit::kSecond: return "SECOND";
    case TimeUnit::kMillisecond: return "MILLISECOND";
    case TimeUnit::kMicrosecond: return "MICROSECOND";
    case TimeUnit::kNanosecond: return "NANOSECOND";
    case TimeUnit::kDayOfWeek: return "DOW";
    case TimeUnit::kDayOfYear: return "DOY";
    case TimeUnit::kIsoDayOfWeek: return "ISODOW";
    case TimeUnit::kIsoYear: return "ISOYEAR";
    case TimeUnit::kEpoch: return "EPOCH";
    case TimeUnit::kDecade: return "DECADE";
    case TimeUnit::kCentury: return "CENTURY";
    case TimeUnit::kMillennium: return "MILLENNIUM";
  }
  return "?";
}

std::string_view binaryOperatorName(BinaryOperator op) {
  switch (op) {
    case BinaryOperator::kOr: return "OR";
    case BinaryOperator::kAnd: return "AND";
    case BinaryOperator::kEquals: return "=";
    case BinaryOperator::kNotEquals: return "<>";
    case BinaryOperator::kLess: return "<";
    case BinaryOperator::kLessEquals: return "<=";
    case BinaryOperator::kGreater: return ">";
    case BinaryOperator::kGreaterEquals: return ">=";
    case BinaryOperator::kIsDistinctFrom: return "IS DISTINCT FROM";
    case BinaryOperator::kIsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case BinaryOperator::kAdd: return "+";
    case BinaryOperator::kSubtract: return "-";
    case BinaryOperator::kConcat: return "||";
    case BinaryOperator::kMultiply: return "*";
    case BinaryOperator::kDivide: return "/";
    case BinaryOperator::kModulo: return "%";
  }
  return "?";
}

}  // namespace caudal::sql::ast
