#include "sql/planner/binder.h"

#include <absl/strings/ascii.h>

#include <algorithm>
#include <map>
#include <optional>

#include "common/closest_name.h"
#include "sql/expression/constant_evaluation.h"
#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"
#include "sql/types/decimal.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

using BoundPtr = std::unique_ptr<BoundExpr>;

Status errorAt(SourcePosition position, std::string_view message) {
  return Status::error(formatSqlError(position, message));
}

std::string quoted(std::string_view name) { return std::string("'").append(name).append("'"); }

bool sameName(const std::string& declared, const ast::Identifier& written) {
  return written.quoted ? declared == written.text : lowerCase(declared) == lowerCase(written.text);
}

// One column visible to expressions: which table (alias) it comes from and its name.
struct ScopeColumn {
  std::string table;  // lower-case alias; empty for derived columns without a table
  std::string name;
  DataType type;
  bool hidden = false;  // the right copy of a USING column: only reachable qualified
};

struct Scope {
  std::vector<ScopeColumn> columns;

  Schema toSchema() const {
    Schema schema;
    for (const ScopeColumn& column : columns) schema.columns.push_back({column.name, column.type});
    return schema;
  }
};

Scope scopeOf(const Schema& schema, const std::string& table) {
  Scope scope;
  for (const Field& field : schema.columns) scope.columns.push_back({table, field.name, field.type});
  return scope;
}

BoundPtr makeColumnRef(size_t index, const DataType& type, const std::string& name) {
  return BoundExpr::columnRef(index, type, name);
}

// The direction and NULL order of an ORDER BY item (NULLs are the smallest values, as in Flink:
// first ascending, last descending, unless the item says); `column` is left to the caller.
SortKey sortKeyOf(const ast::OrderItem& item) {
  SortKey key;
  key.descending = item.direction == ast::SortDirection::kDescending;
  key.nulls_first =
      item.nulls == ast::NullOrdering::kUnspecified ? !key.descending : item.nulls == ast::NullOrdering::kNullsFirst;
  return key;
}

BoundPtr makeNode(BoundExprKind kind, DataType type, std::vector<BoundPtr> children) {
  auto node = std::make_unique<BoundExpr>();
  node->kind = kind;
  node->type = std::move(type);
  node->children = std::move(children);
  return node;
}

bool anyNullable(const std::vector<BoundPtr>& children) {
  return std::any_of(children.begin(), children.end(), [](const BoundPtr& c) { return c->type.nullable(); });
}

// Splits `a AND b AND c` into its conjuncts.
void splitConjuncts(const ast::Expr& expr, std::vector<const ast::Expr*>& out) {
  if (expr.kind == ast::ExprKind::kBinary && expr.as<ast::Binary>().op == ast::BinaryOperator::kAnd) {
    splitConjuncts(*expr.as<ast::Binary>().left, out);
    splitConjuncts(*expr.as<ast::Binary>().right, out);
  } else {
    out.push_back(&expr);
  }
}

std::string defaultColumnName(const ast::Expr& expr, size_t index) {
  if (expr.kind == ast::ExprKind::kColumnRef) return expr.as<ast::ColumnRef>().names.back().text;
  if (expr.kind == ast::ExprKind::kFieldAccess) return expr.as<ast::FieldAccess>().field.text;
  return "EXPR$" + std::to_string(index);
}

}  // namespace

Result<DataType> bindDataType(const ast::DataType& type) {
  auto param = [&](size_t i, int64_t fallback) {
    return i < type.parameters.size() ? type.parameters[i] : fallback;
  };
  DataType result;
  switch (type.kind) {
    case ast::TypeKind::kBoolean: result = DataType::boolean(); break;
    case ast::TypeKind::kTinyInt: result = DataType::tinyInt(); break;
    case ast::TypeKind::kSmallInt: result = DataType::smallInt(); break;
    case ast::TypeKind::kInt: result = DataType::integer(); break;
    case ast::TypeKind::kBigInt: result = DataType::bigInt(); break;
    case ast::TypeKind::kFloat: result = DataType::floatType(); break;
    case ast::TypeKind::kDouble: result = DataType::doubleType(); break;
    case ast::TypeKind::kDecimal: {
      const int64_t precision = param(0, 10);
      const int64_t scale = param(1, 0);
      if (precision < 1 || precision > DataType::kMaxDecimalPrecision) {
        return errorAt(type.position, "DECIMAL precision " + std::to_string(precision) +
                                          " is outside the supported range 1 to " +
                                          std::to_string(DataType::kMaxDecimalPrecision));
      }
      if (scale < 0 || scale > precision) {
        return errorAt(type.position, "DECIMAL scale " + std::to_string(scale) + " must be between 0 and the precision " +
                                          std::to_string(precision));
      }
      result = DataType::decimal(static_cast<int>(precision), static_cast<int>(scale));
      break;
    }
    case ast::TypeKind::kChar: result = DataType::fixedChar(static_cast<int32_t>(param(0, 1))); break;
    case ast::TypeKind::kVarChar:
      result = DataType::varchar(static_cast<int32_t>(param(0, DataType::kMaxLength)));
      break;
    case ast::TypeKind::kString: result = DataType::string(); break;
    case ast::TypeKind::kBinary:
    case ast::TypeKind::kVarBinary:
    case ast::TypeKind::kBytes: result = DataType::bytes(); break;
    case ast::TypeKind::kDate: result = DataType::date(); break;
    case ast::TypeKind::kTime: result = DataType::time(static_cast<int>(std::min<int64_t>(param(0, 0), 3))); break;
    case ast::TypeKind::kTimestamp:
    case ast::TypeKind::kTimestampLtz: {
      const int64_t precision = param(0, 6);
      if (precision < 0 || precision > 9) {
        return errorAt(type.position, "TIMESTAMP precision must be between 0 and 9");
      }
      const int p = static_cast<int>(std::min<int64_t>(precision, 6));
      result = type.kind == ast::TypeKind::kTimestamp ? DataType::timestamp(p) : DataType::timestampLtz(p);
      break;
    }
    case ast::TypeKind::kInterval: {
      const ast::TimeUnit start = type.interval.start;
      result = (start == ast::TimeUnit::kYear || start == ast::TimeUnit::kMonth) ? DataType::intervalYearMonth()
                                                                                 : DataType::intervalDayTime();
      break;
    }
    case ast::TypeKind::kRow: {
      std::vector<Field> fields;
      for (const ast::RowField& field : type.fields) {
        CAUDAL_ASSIGN_OR_RETURN(DataType field_type, bindDataType(*field.type));
        fields.push_back({field.name.text, field_type});
      }
      result = DataType::row(std::move(fields));
      break;
    }
    case ast::TypeKind::kArray:
    case ast::TypeKind::kMultiset: {
      if (type.kind == ast::TypeKind::kMultiset) {
        return errorAt(type.position, "MULTISET is not supported; use ARRAY or MAP");
      }
      CAUDAL_ASSIGN_OR_RETURN(DataType element, bindDataType(*type.element_types.at(0)));
      result = DataType::array(element);
      break;
    }
    case ast::TypeKind::kMap: {
      CAUDAL_ASSIGN_OR_RETURN(DataType key, bindDataType(*type.element_types.at(0)));
      CAUDAL_ASSIGN_OR_RETURN(DataType value, bindDataType(*type.element_types.at(1)));
      result = DataType::map(key, value);
      break;
    }
  }
  return result.withNullable(!type.not_null);
}

// ---------------------------------------------------------------------------------------------

struct Binder::Impl {
  const Catalog& catalog;
  const FunctionRegistry& functions;
  // WITH clauses in scope, innermost last.
  std::vector<std::map<std::string, const ast::CommonTableExpr*>> ctes;
  int depth = 0;  // of views and CTEs being expanded, against cycles

  // The window function calls of one SELECT. They share one OVER clause, whose PARTITION BY and
  // ORDER BY expressions are bound like the select list. Each call is bound to a placeholder
  // column (`kWindowPlaceholder + i`), renumbered once the Window operator is built.
  struct WindowCalls {
    std::vector<BoundPtr> partition_by;
    std::vector<BoundPtr> order_by;
    std::vector<SortKey> order;  // the direction of each `order_by` expression
    std::string over;            // the bound OVER clause, to compare the calls'
    std::vector<WindowFunction> functions;
  };
  static constexpr size_t kWindowPlaceholder = size_t{1} << 40;

  // What expressions of one clause may refer to.
  struct ExprContext {
    const Scope* scope = nullptr;
    const char* clause = "";
    // Aggregate mode: expressions are bound over the aggregation's output (groups, then
    // aggregates); other column references must match a GROUP BY expression.
    bool aggregate_mode = false;
    const std::vector<BoundPtr>* groups = nullptr;
    std::vector<std::string>* group_keys = nullptr;
    std::vector<AggregateCall>* aggregates = nullptr;
    std::vector<std::string>* aggregate_keys = nullptr;
    bool probing = false;  // binding to compare with GROUP BY: no aggregates, no errors kept
    bool input_retracts = false;  // the aggregation's input carries -U/-D rows
    // Where window function calls go: set for the select list and ORDER BY only.
    WindowCalls* windows = nullptr;
  };

  // A relation being built: its plan and the names its columns are visible by.
  struct Relation {
    LogicalPlan plan;
    Scope scope;
  };

  // ----- expressions ------------------------------------------------------------------------

  Result<BoundPtr> castTo(BoundPtr expr, const DataType& type, SourcePosition position) {
    if (expr->type.sameAs(type)) return expr;
    if (expr->kind == BoundExprKind::kConstant && expr->value.isNull()) {
      return BoundExpr::constant(Value::null(type.withNullable(true)));
    }
    auto kernel = resolveCast(expr->type, type, false);
    if (!kernel.isOk()) return errorAt(position, kernel.status().message());
    auto node = std::make_unique<BoundExpr>();
    node->kind = BoundExprKind::kCast;
    node->type = type.withNullable(expr->type.nullable());
    node->cast = std::move(kernel.value());
    node->children.push_back(std::move(expr));
    return node;
  }

  Result<BoundPtr> callFunction(std::string_view name, std::vector<BoundPtr> args, SourcePosition position) {
    const ScalarResolver* resolver = functions.findScalar(name);
    if (resolver == nullptr) {
      std::string message = "unknown function '" + std::string(name) + "'";
      if (auto best = closestName(name, functions.names())) message += "; did you mean " + *best + "?";
      return errorAt(position, message);
    }
    std::vector<DataType> types;
    for (const BoundPtr& arg : args) types.push_back(arg->type);
    auto bound = (*resolver)(types);
    if (!bound.isOk()) return errorAt(position, bound.status().message());
    auto function = std::make_shared<const BoundScalarFunction>(std::move(bound.value()));
    for (size_t i = 0; i < args.size() && i < function->argument_types.size(); ++i) {
      CAUDAL_ASSIGN_OR_RETURN(args[i], castTo(std::move(args[i]), function->argument_types[i], position));
    }
    auto node = std::make_unique<BoundExpr>();
    node->kind = BoundExprKind::kFunction;
    node->type = function->return_type;
    node->function = std::move(function);
    node->children = std::move(args);
    return node;
  }

  // Casts every expression to their common type.
  Status unify(std::vector<BoundPtr>& exprs, SourcePosition position, const char* what) {
    DataType common = DataType::null();
    for (const BoundPtr& expr : exprs) {
      auto next = commonSuperType(common, expr->type);
      if (!next) {
        return errorAt(position, std::string("the ") + what + " have incompatible types " + common.toString() +
                                     " and " + expr->type.toString());
      }
      common = *next;
    }
    for (BoundPtr& expr : exprs) {
      CAUDAL_ASSIGN_OR_RETURN(expr, castTo(std::move(expr), common, position));
    }
    return Status::ok();
  }

  Result<BoundPtr> bindLiteral(const ast::Literal& literal) {
    switch (literal.literal_kind) {
      case ast::LiteralKind::kNull: return BoundExpr::constant(Value::null(DataType::null()));
      case ast::LiteralKind::kUnknown: return BoundExpr::constant(Value::null(DataType::boolean()));
      case ast::LiteralKind::kBoolean:
        return BoundExpr::constant(Value::fromInt(DataType::boolean().withNullable(false), literal.boolean_value));
      case ast::LiteralKind::kInteger: {
        const int64_t v = literal.integer_value;
        const bool fits_int = v >= INT32_MIN && v <= INT32_MAX;
        return BoundExpr::constant(
            Value::fromInt((fits_int ? DataType::integer() : DataType::bigInt()).withNullable(false), v));
      }
      case ast::LiteralKind::kDecimal: {
        const std::string& text = literal.text;
        const size_t point = text.find('.');
        const int scale = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
        int digits = 0;
        for (char c : text) digits += (c >= '0' && c <= '9') ? 1 : 0;
        const int precision = std::max(digits, scale + 1);
        if (precision > DataType::kMaxDecimalPrecision) {
          return BoundExpr::constant(Value::fromDouble(DataType::doubleType().withNullable(false), std::stod(text)));
        }
        auto value = parseDecimal128(text, precision, scale);
        if (!value) return errorAt(literal.position, "invalid number '" + text + "'");
        return BoundExpr::constant(Value::fromUnscaled(DataType::decimal(precision, scale).withNullable(false), *value));
      }
      case ast::LiteralKind::kApproximate:
        return BoundExpr::constant(Value::fromDouble(DataType::doubleType().withNullable(false), std::stod(literal.text)));
      case ast::LiteralKind::kString:
        return BoundExpr::constant(Value::fromString(DataType::string().withNullable(false), literal.text));
      case ast::LiteralKind::kBinary: {
        std::string bytes;
        for (size_t i = 0; i + 1 < literal.text.size(); i += 2) {
          bytes.push_back(static_cast<char>(std::stoi(literal.text.substr(i, 2), nullptr, 16)));
        }
        return BoundExpr::constant(Value::fromString(DataType::bytes().withNullable(false), std::move(bytes)));
      }
      case ast::LiteralKind::kDate: {
        auto days = parseDate(literal.text);
        if (!days) return errorAt(literal.position, "invalid DATE literal '" + literal.text + "'");
        return BoundExpr::constant(Value::fromInt(DataType::date().withNullable(false), *days));
      }
      case ast::LiteralKind::kTime: {
        auto millis = parseTime(literal.text);
        if (!millis) return errorAt(literal.position, "invalid TIME literal '" + literal.text + "'");
        return BoundExpr::constant(Value::fromInt(DataType::time(0).withNullable(false), *millis));
      }
      case ast::LiteralKind::kTimestamp:
      case ast::LiteralKind::kTimestampLtz: {
        auto micros = parseTimestamp(literal.text);
        if (!micros) return errorAt(literal.position, "invalid TIMESTAMP literal '" + literal.text + "'");
        const DataType type = literal.literal_kind == ast::LiteralKind::kTimestamp ? DataType::timestamp(3)
                                                                                    : DataType::timestampLtz(3);
        return BoundExpr::constant(Value::fromInt(type.withNullable(false), *micros));
      }
      case ast::LiteralKind::kInterval: return bindInterval(literal);
    }
    return errorAt(literal.position, "unsupported literal");
  }

  Result<BoundPtr> bindInterval(const ast::Literal& literal) {
    std::string text = literal.text;
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
      negative = text[0] == '-';
      text.erase(0, 1);
    }
    const ast::TimeUnit start = literal.interval.start;
    const ast::TimeUnit end = literal.interval.end.value_or(start);
    auto invalid = [&] {
      return errorAt(literal.position, "invalid INTERVAL literal '" + literal.text + "' for " +
                                           std::string(ast::timeUnitName(start)) +
                                           (literal.interval.end ? " TO " + std::string(ast::timeUnitName(end)) : ""));
    };
    // Split the text into its numeric fields: `1 02:03:04.5` → 1, 2, 3, 4.5.
    std::vector<double> fields;
    std::string current;
    for (char c : text + " ") {
      if ((c >= '0' && c <= '9') || c == '.') {
        current += c;
      } else if (c == ' ' || c == ':' || c == '-') {
        if (!current.empty()) fields.push_back(std::stod(current));
        current.clear();
      } else {
        return invalid();
      }
    }
    if (fields.empty()) return invalid();
    if (start == ast::TimeUnit::kYear || start == ast::TimeUnit::kMonth) {
      int64_t months = 0;
      if (start == ast::TimeUnit::kYear && end == ast::TimeUnit::kMonth) {
        if (fields.size() != 2) return invalid();
        months = static_cast<int64_t>(fields[0]) * 12 + static_cast<int64_t>(fields[1]);
      } else if (fields.size() == 1) {
        months = static_cast<int64_t>(fields[0]) * (start == ast::TimeUnit::kYear ? 12 : 1);
      } else {
        return invalid();
      }
      return BoundExpr::constant(
          Value::fromInt(DataType::intervalYearMonth().withNullable(false), negative ? -months : months));
    }
    auto unitMillis = [](ast::TimeUnit unit) -> double {
      switch (unit) {
        case ast::TimeUnit::kWeek: return 7.0 * kMillisPerDay;
        case ast::TimeUnit::kDay: return kMillisPerDay;
        case ast::TimeUnit::kHour: return 3600000.0;
        case ast::TimeUnit::kMinute: return 60000.0;
        case ast::TimeUnit::kSecond: return 1000.0;
        case ast::TimeUnit::kMillisecond: return 1.0;
        default: return 0;
      }
    };
    static const ast::TimeUnit kOrder[] = {ast::TimeUnit::kDay, ast::TimeUnit::kHour, ast::TimeUnit::kMinute,
                                           ast::TimeUnit::kSecond};
    double millis = 0;
    if (!literal.interval.end) {
      if (fields.size() != 1 || unitMillis(start) == 0) return invalid();
      millis = fields[0] * unitMillis(start);
    } else {
      size_t first = 0;
      size_t last = 0;
      for (size_t i = 0; i < 4; ++i) {
        if (kOrder[i] == start) first = i;
        if (kOrder[i] == end) last = i;
      }
      if (last < first || fields.size() != last - first + 1) return invalid();
      for (size_t i = first; i <= last; ++i) millis += fields[i - first] * unitMillis(kOrder[i]);
    }
    const auto value = static_cast<int64_t>(millis + 0.5);
    return BoundExpr::constant(Value::fromInt(DataType::intervalDayTime().withNullable(false), negative ? -value : value));
  }

  // Resolves a dotted name against the scope: `col`, `t.col`, `col.field...`, `t.col.field...`.
  Result<BoundPtr> bindColumnRef(const ast::ColumnRef& ref, const ExprContext& context) {
    const Scope& scope = *context.scope;
    const auto& names = ref.names;
    auto find = [&](const ast::Identifier* table, const ast::Identifier& column, int& found) -> Status {
      found = -1;
      for (size_t i = 0; i < scope.columns.size(); ++i) {
        const ScopeColumn& candidate = scope.columns[i];
        if (table != nullptr) {
          if (!sameName(candidate.table, *table) || !sameName(candidate.name, column)) continue;
        } else if (candidate.hidden || !sameName(candidate.name, column)) {
          continue;
        }
        if (found >= 0) {
          return errorAt(column.position, "column " + quoted(column.text) + " is ambiguous; qualify it with its table");
        }
        found = static_cast<int>(i);
      }
      return Status::ok();
    };
    int index = -1;
    size_t consumed = 0;
    if (names.size() >= 2) {
      CAUDAL_RETURN_IF_ERROR(find(&names[0], names[1], index));
      consumed = 2;
    }
    if (index < 0) {
      CAUDAL_RETURN_IF_ERROR(find(nullptr, names[0], index));
      consumed = 1;
    }
    if (index < 0) {
      std::string message = "column " + quoted(names.size() >= 2 && names.size() <= 2 ? names[0].text + "." + names[1].text
                                                                                         : names[0].text) +
                            " not found";
      std::vector<std::string_view> visible;
      for (const ScopeColumn& column : scope.columns) {
        if (!column.hidden) visible.push_back(column.name);
      }
      if (auto best = closestName(names.back().text, visible)) {
        message += "; did you mean " + quoted(*best) + "?";
      } else if (scope.columns.empty()) {
        message += " (the query has no FROM clause)";
      }
      return errorAt(ref.position, message);
    }
    const ScopeColumn& column = scope.columns[static_cast<size_t>(index)];
    BoundPtr expr = makeColumnRef(static_cast<size_t>(index), column.type, column.name);
    for (size_t i = consumed; i < names.size(); ++i) {
      CAUDAL_ASSIGN_OR_RETURN(expr, fieldAccess(std::move(expr), names[i]));
    }
    return expr;
  }

  Result<BoundPtr> fieldAccess(BoundPtr base, const ast::Identifier& field) {
    if (base->type.id() != TypeId::kRow) {
      return errorAt(field.position, "cannot access field " + quoted(field.text) + " of a value of type " +
                                         base->type.toString());
    }
    const auto& fields = base->type.children();
    for (size_t f = 0; f < fields.size(); ++f) {
      if (sameName(fields[f].name, field)) {
        auto node = std::make_unique<BoundExpr>();
        node->kind = BoundExprKind::kFieldAccess;
        node->type = fields[f].type.withNullable(fields[f].type.nullable() || base->type.nullable());
        node->column_index = f;
        node->name = fields[f].name;
        node->children.push_back(std::move(base));
        return node;
      }
    }
    return errorAt(field.position, "field " + quoted(field.text) + " not found in " + base->type.toString());
  }

  Result<std::vector<BoundPtr>> bindAll(const std::vector<ast::ExprPtr>& exprs, const ExprContext& context) {
    std::vector<BoundPtr> bound;
    for (const ast::ExprPtr& expr : exprs) {
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr b, bindExpr(*expr, context));
      bound.push_back(std::move(b));
    }
    return bound;
  }

  Result<BoundPtr> bindBoolean(const ast::Expr& expr, const ExprContext& context, const char* what) {
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(expr, context));
    if (bound->type.id() == TypeId::kNull) return castTo(std::move(bound), DataType::boolean(), expr.position);
    if (bound->type.id() != TypeId::kBoolean) {
      return errorAt(expr.position, std::string(what) + " must be a BOOLEAN condition but has type " +
                                        bound->type.toString());
    }
    return bound;
  }

  bool isAggregateCall(const ast::Expr& expr) const {
    if (expr.kind != ast::ExprKind::kFunctionCall) return false;
    const auto& call = expr.as<ast::FunctionCall>();
    return call.over == nullptr && call.name.size() == 1 && functions.findAggregate(call.name[0].text) != nullptr;
  }

  static bool containsAggregate(const Impl& self, const ast::Expr& expr);

  Result<BoundPtr> bindExpr(const ast::Expr& expr, const ExprContext& context) {
    if (context.aggregate_mode && !context.probing && !isAggregateCall(expr)) {
      // An expression equal to a GROUP BY expression is that group column.
      ExprContext probe = context;
      probe.aggregate_mode = false;
      probe.probing = true;
      probe.windows = nullptr;
      auto attempt = bindExpr(expr, probe);
      if (attempt.isOk()) {
        const std::string key = attempt.value()->toString();
        for (size_t g = 0; g < context.group_keys->size(); ++g) {
          if ((*context.group_keys)[g] == key) {
            const BoundExpr& group = *(*context.groups)[g];
            return makeColumnRef(g, group.type, group.kind == BoundExprKind::kColumnRef ? group.name : key);
          }
        }
      }
      if (expr.kind == ast::ExprKind::kColumnRef) {
        if (!attempt.isOk()) return attempt.status();
        return errorAt(expr.position, "column " + quoted(toSql(expr)) + " must appear in GROUP BY or be used in an "
                                      "aggregate function");
      }
    }
    switch (expr.kind) {
      case ast::ExprKind::kLiteral: return bindLiteral(expr.as<ast::Literal>());
      case ast::ExprKind::kColumnRef: return bindColumnRef(expr.as<ast::ColumnRef>(), context);
      case ast::ExprKind::kStar:
        return errorAt(expr.position, "'*' is only allowed in a select list or in COUNT(*)");
      case ast::ExprKind::kUnary: {
        const auto& unary = expr.as<ast::Unary>();
        if (unary.op == ast::UnaryOperator::kNot) {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindBoolean(*unary.operand, context, "the operand of NOT"));
          const DataType type = operand->type;
          std::vector<BoundPtr> children;
          children.push_back(std::move(operand));
          return makeNode(BoundExprKind::kNot, type, std::move(children));
        }
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*unary.operand, context));
        if (unary.op == ast::UnaryOperator::kPlus) return operand;
        std::vector<BoundPtr> args;
        args.push_back(std::move(operand));
        return callFunction("negate", std::move(args), expr.position);
      }
      case ast::ExprKind::kBinary: return bindBinary(expr.as<ast::Binary>(), context);
      case ast::ExprKind::kIsTest: {
        const auto& test = expr.as<ast::IsTest>();
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*test.operand, context));
        std::vector<BoundPtr> children;
        if (test.condition == ast::IsCondition::kNull || test.condition == ast::IsCondition::kUnknown) {
          children.push_back(std::move(operand));
          return makeNode(test.negated ? BoundExprKind::kIsNotNull : BoundExprKind::kIsNull,
                          DataType::boolean().withNullable(false), std::move(children));
        }
        if (operand->type.id() != TypeId::kBoolean) {
          return errorAt(test.position, "IS TRUE / IS FALSE needs a BOOLEAN operand but got " + operand->type.toString());
        }
        // x IS TRUE = COALESCE(x, FALSE); x IS FALSE = COALESCE(NOT x, FALSE).
        if (test.condition == ast::IsCondition::kFalse) {
          std::vector<BoundPtr> not_children;
          not_children.push_back(std::move(operand));
          operand = makeNode(BoundExprKind::kNot, DataType::boolean(), std::move(not_children));
        }
        children.push_back(std::move(operand));
        children.push_back(BoundExpr::constant(Value::boolean(false)));
        BoundPtr result = makeNode(BoundExprKind::kCoalesce, DataType::boolean().withNullable(false), std::move(children));
        if (test.negated) {
          std::vector<BoundPtr> not_children;
          not_children.push_back(std::move(result));
          result = makeNode(BoundExprKind::kNot, DataType::boolean().withNullable(false), std::move(not_children));
        }
        return result;
      }
      case ast::ExprKind::kBetween: {
        const auto& between = expr.as<ast::Between>();
        auto range = [&](const ast::Expr& low, const ast::Expr& high) -> Result<BoundPtr> {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr value_for_low, bindExpr(*between.operand, context));
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr value_for_high, bindExpr(*between.operand, context));
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr low_bound, bindExpr(low, context));
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr high_bound, bindExpr(high, context));
          std::vector<BoundPtr> ge;
          ge.push_back(std::move(value_for_low));
          ge.push_back(std::move(low_bound));
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr lower, callFunction(">=", std::move(ge), between.position));
          std::vector<BoundPtr> le;
          le.push_back(std::move(value_for_high));
          le.push_back(std::move(high_bound));
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr upper, callFunction("<=", std::move(le), between.position));
          std::vector<BoundPtr> both;
          both.push_back(std::move(lower));
          both.push_back(std::move(upper));
          const bool nullable = anyNullable(both);
          return makeNode(BoundExprKind::kAnd, DataType::boolean().withNullable(nullable), std::move(both));
        };
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr result, range(*between.low, *between.high));
        if (between.symmetric) {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr swapped, range(*between.high, *between.low));
          std::vector<BoundPtr> either;
          either.push_back(std::move(result));
          either.push_back(std::move(swapped));
          const bool nullable = anyNullable(either);
          result = makeNode(BoundExprKind::kOr, DataType::boolean().withNullable(nullable), std::move(either));
        }
        if (between.negated) {
          const DataType type = result->type;
          std::vector<BoundPtr> children;
          children.push_back(std::move(result));
          result = makeNode(BoundExprKind::kNot, type, std::move(children));
        }
        return result;
      }
      case ast::ExprKind::kLike: {
        const auto& like = expr.as<ast::Like>();
        if (like.similar) return errorAt(like.position, "SIMILAR TO is not supported; use REGEXP or LIKE");
        std::vector<BoundPtr> args;
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*like.operand, context));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr pattern, bindExpr(*like.pattern, context));
        args.push_back(std::move(operand));
        args.push_back(std::move(pattern));
        if (like.escape != nullptr) {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr escape, bindExpr(*like.escape, context));
          args.push_back(std::move(escape));
        }
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr result, callFunction("like", std::move(args), like.position));
        if (like.negated) {
          const DataType type = result->type;
          std::vector<BoundPtr> children;
          children.push_back(std::move(result));
          result = makeNode(BoundExprKind::kNot, type, std::move(children));
        }
        return result;
      }
      case ast::ExprKind::kInList: {
        const auto& in = expr.as<ast::InList>();
        std::vector<BoundPtr> children;
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*in.operand, context));
        children.push_back(std::move(operand));
        CAUDAL_ASSIGN_OR_RETURN(std::vector<BoundPtr> list, bindAll(in.list, context));
        for (BoundPtr& item : list) children.push_back(std::move(item));
        CAUDAL_RETURN_IF_ERROR(unify(children, in.position, "values of IN"));
        const bool nullable = anyNullable(children);
        BoundPtr result = makeNode(BoundExprKind::kInList, DataType::boolean().withNullable(nullable), std::move(children));
        if (in.negated) {
          std::vector<BoundPtr> not_children;
          not_children.push_back(std::move(result));
          result = makeNode(BoundExprKind::kNot, DataType::boolean().withNullable(nullable), std::move(not_children));
        }
        return result;
      }
      case ast::ExprKind::kInSubquery:
      case ast::ExprKind::kExists:
      case ast::ExprKind::kScalarSubquery:
        return errorAt(expr.position, "a subquery here is not supported; IN (SELECT ...) and EXISTS (SELECT ...) "
                                      "are supported as conditions of WHERE joined with AND");
      case ast::ExprKind::kCase: return bindCase(expr.as<ast::Case>(), context);
      case ast::ExprKind::kCast: {
        const auto& cast = expr.as<ast::Cast>();
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*cast.operand, context));
        CAUDAL_ASSIGN_OR_RETURN(DataType target, bindDataType(*cast.type));
        if (operand->kind == BoundExprKind::kConstant && operand->value.isNull()) {
          return BoundExpr::constant(Value::null(target.withNullable(true)));
        }
        auto kernel = resolveCast(operand->type, target, cast.try_cast);
        if (!kernel.isOk()) return errorAt(cast.position, kernel.status().message());
        auto node = std::make_unique<BoundExpr>();
        node->kind = BoundExprKind::kCast;
        node->type = target.withNullable(operand->type.nullable() || cast.try_cast);
        node->cast = std::move(kernel.value());
        node->try_cast = cast.try_cast;
        node->children.push_back(std::move(operand));
        return node;
      }
      case ast::ExprKind::kFunctionCall: return bindCall(expr.as<ast::FunctionCall>(), context);
      case ast::ExprKind::kExtract: {
        const auto& extract = expr.as<ast::Extract>();
        std::vector<BoundPtr> args;
        args.push_back(BoundExpr::constant(Value::string(std::string(ast::timeUnitName(extract.unit)))));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*extract.operand, context));
        args.push_back(std::move(operand));
        return callFunction("extract", std::move(args), extract.position);
      }
      case ast::ExprKind::kTrim: {
        const auto& trim = expr.as<ast::Trim>();
        std::vector<BoundPtr> args;
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*trim.operand, context));
        args.push_back(std::move(operand));
        if (trim.characters != nullptr) {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr characters, bindExpr(*trim.characters, context));
          args.push_back(std::move(characters));
        }
        const char* name = trim.mode == ast::TrimMode::kLeading ? "ltrim"
                           : trim.mode == ast::TrimMode::kTrailing ? "rtrim"
                                                                   : "trim";
        return callFunction(name, std::move(args), trim.position);
      }
      case ast::ExprKind::kConstructor: {
        const auto& constructor = expr.as<ast::Constructor>();
        CAUDAL_ASSIGN_OR_RETURN(std::vector<BoundPtr> args, bindAll(constructor.elements, context));
        const char* name = constructor.constructor == ast::ConstructorKind::kArray ? "array_constructor"
                           : constructor.constructor == ast::ConstructorKind::kMap ? "map_constructor"
                                                                                   : "row_constructor";
        return callFunction(name, std::move(args), constructor.position);
      }
      case ast::ExprKind::kSubscript: {
        const auto& subscript = expr.as<ast::Subscript>();
        std::vector<BoundPtr> args;
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr base, bindExpr(*subscript.base, context));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr index, bindExpr(*subscript.index, context));
        args.push_back(std::move(base));
        args.push_back(std::move(index));
        return callFunction("item", std::move(args), subscript.position);
      }
      case ast::ExprKind::kFieldAccess: {
        const auto& access = expr.as<ast::FieldAccess>();
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr base, bindExpr(*access.base, context));
        return fieldAccess(std::move(base), access.field);
      }
      case ast::ExprKind::kNamedArgument:
      case ast::ExprKind::kTableArgument:
      case ast::ExprKind::kDescriptor:
        return errorAt(expr.position, "this argument is only allowed in a table function call");
      case ast::ExprKind::kGroupingSets:
        return errorAt(expr.position, "GROUPING SETS, ROLLUP and CUBE are not supported yet");
    }
    return errorAt(expr.position, "unsupported expression");
  }

  Result<BoundPtr> bindBinary(const ast::Binary& binary, const ExprContext& context) {
    if (binary.op == ast::BinaryOperator::kAnd || binary.op == ast::BinaryOperator::kOr) {
      const bool is_and = binary.op == ast::BinaryOperator::kAnd;
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr left, bindBoolean(*binary.left, context, is_and ? "an operand of AND" : "an operand of OR"));
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr right, bindBoolean(*binary.right, context, is_and ? "an operand of AND" : "an operand of OR"));
      const BoundExprKind kind = is_and ? BoundExprKind::kAnd : BoundExprKind::kOr;
      std::vector<BoundPtr> children;
      for (BoundPtr* side : {&left, &right}) {
        if ((*side)->kind == kind) {
          for (BoundPtr& grandchild : (*side)->children) children.push_back(std::move(grandchild));
        } else {
          children.push_back(std::move(*side));
        }
      }
      const bool nullable = anyNullable(children);
      return makeNode(kind, DataType::boolean().withNullable(nullable), std::move(children));
    }
    std::vector<BoundPtr> args;
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr left, bindExpr(*binary.left, context));
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr right, bindExpr(*binary.right, context));
    args.push_back(std::move(left));
    args.push_back(std::move(right));
    std::string name;
    switch (binary.op) {
      case ast::BinaryOperator::kIsDistinctFrom: name = "is_distinct_from"; break;
      case ast::BinaryOperator::kIsNotDistinctFrom: name = "is_not_distinct_from"; break;
      case ast::BinaryOperator::kNotEquals: name = "<>"; break;
      default: name = std::string(ast::binaryOperatorName(binary.op)); break;
    }
    return callFunction(name, std::move(args), binary.position);
  }

  Result<BoundPtr> bindCase(const ast::Case& case_expr, const ExprContext& context) {
    std::vector<BoundPtr> conditions;
    std::vector<BoundPtr> results;
    for (const ast::WhenClause& when : case_expr.whens) {
      if (case_expr.operand != nullptr) {
        std::vector<BoundPtr> args;
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*case_expr.operand, context));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr value, bindExpr(*when.when, context));
        args.push_back(std::move(operand));
        args.push_back(std::move(value));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr condition, callFunction("=", std::move(args), when.when->position));
        conditions.push_back(std::move(condition));
      } else {
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr condition, bindBoolean(*when.when, context, "a WHEN condition"));
        conditions.push_back(std::move(condition));
      }
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr result, bindExpr(*when.then, context));
      results.push_back(std::move(result));
    }
    if (case_expr.else_result != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr result, bindExpr(*case_expr.else_result, context));
      results.push_back(std::move(result));
    } else {
      results.push_back(BoundExpr::constant(Value::null(DataType::null())));
    }
    CAUDAL_RETURN_IF_ERROR(unify(results, case_expr.position, "results of CASE"));
    const bool nullable = anyNullable(results);
    const DataType type = results[0]->type.withNullable(nullable);
    std::vector<BoundPtr> children;
    for (size_t i = 0; i < conditions.size(); ++i) {
      children.push_back(std::move(conditions[i]));
      children.push_back(std::move(results[i]));
    }
    children.push_back(std::move(results.back()));
    return makeNode(BoundExprKind::kCase, type, std::move(children));
  }

  Result<BoundPtr> bindCall(const ast::FunctionCall& call, const ExprContext& context) {
    if (call.name.size() != 1) {
      return errorAt(call.position, "unknown function " + quoted(toSql(call)));
    }
    const std::string name = lowerCase(call.name[0].text);
    if (call.over != nullptr) return bindWindowCall(call, name, context);
    if (const AggregateResolver* resolver = functions.findAggregate(name)) {
      if (!context.aggregate_mode || context.aggregates == nullptr) {
        return errorAt(call.position, "aggregate function " + lowerCase(name) + "() is not allowed in " +
                                          (context.clause[0] != '\0' ? context.clause : "this place"));
      }
      return bindAggregate(call, *resolver, context);
    }
    if (call.distinct || call.filter != nullptr) {
      return errorAt(call.position, "DISTINCT and FILTER apply only to aggregate functions");
    }
    if (name == "coalesce") {
      CAUDAL_ASSIGN_OR_RETURN(std::vector<BoundPtr> args, bindAll(call.args, context));
      if (args.empty()) return errorAt(call.position, "COALESCE needs at least one argument");
      CAUDAL_RETURN_IF_ERROR(unify(args, call.position, "arguments of COALESCE"));
      const bool nullable = std::all_of(args.begin(), args.end(), [](const BoundPtr& a) { return a->type.nullable(); });
      const DataType type = args[0]->type.withNullable(nullable);
      return makeNode(BoundExprKind::kCoalesce, type, std::move(args));
    }
    for (const ast::ExprPtr& arg : call.args) {
      if (arg->kind == ast::ExprKind::kStar) {
        return errorAt(arg->position, "'*' is only allowed in COUNT(*)");
      }
    }
    CAUDAL_ASSIGN_OR_RETURN(std::vector<BoundPtr> args, bindAll(call.args, context));
    return callFunction(name, std::move(args), call.position);
  }

  // `ROW_NUMBER() | RANK() | DENSE_RANK() OVER ([PARTITION BY ..] [ORDER BY ..])`: a placeholder
  // column for the call's value (see WindowCalls).
  Result<BoundPtr> bindWindowCall(const ast::FunctionCall& call, const std::string& name, const ExprContext& context) {
    if (context.windows == nullptr) {
      return errorAt(call.position, std::string("window functions (OVER) are only allowed in the select list, not in ") +
                                        (context.clause[0] != '\0' ? context.clause : "this place"));
    }
    std::optional<WindowFunction> function;
    if (name == "row_number") function = WindowFunction::kRowNumber;
    if (name == "rank") function = WindowFunction::kRank;
    if (name == "dense_rank") function = WindowFunction::kDenseRank;
    if (!function) {
      if (functions.findAggregate(name) != nullptr) {
        return errorAt(call.position, "aggregate functions over a window (" + absl::AsciiStrToUpper(name) +
                                          "(...) OVER) are not supported yet; ROW_NUMBER, RANK and DENSE_RANK are");
      }
      return errorAt(call.position,
                     "unknown window function '" + name + "'; ROW_NUMBER, RANK and DENSE_RANK are supported");
    }
    if (!call.args.empty() || call.distinct || call.filter != nullptr) {
      return errorAt(call.position, absl::AsciiStrToUpper(name) + "() takes no arguments");
    }
    // The frame, if written, does not change a ranking function's value (as in the standard).
    ExprContext inner = context;
    inner.windows = nullptr;
    inner.clause = "an OVER clause";
    WindowCalls spec;
    std::string over = "PARTITION BY";
    for (const ast::ExprPtr& expr : call.over->partition_by) {
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(*expr, inner));
      over.append(" ").append(bound->toString());
      spec.partition_by.push_back(std::move(bound));
    }
    over += " ORDER BY";
    for (const ast::OrderItem& item : call.over->order_by) {
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(*item.expr, inner));
      const SortKey key = sortKeyOf(item);
      over.append(" ").append(bound->toString()).append(key.descending ? " DESC" : " ASC");
      over.append(key.nulls_first ? " NULLS FIRST" : " NULLS LAST");
      spec.order_by.push_back(std::move(bound));
      spec.order.push_back(key);
    }
    WindowCalls& windows = *context.windows;
    if (windows.functions.empty()) {
      spec.over = std::move(over);
      windows = std::move(spec);
    } else if (over != windows.over) {
      return errorAt(call.over->partition_by.empty() ? call.position : call.over->partition_by[0]->position,
                     "window functions of one SELECT with different OVER clauses are not supported yet");
    }
    windows.functions.push_back(*function);
    const size_t index = windows.functions.size() - 1;
    return makeColumnRef(kWindowPlaceholder + index, DataType::bigInt().withNullable(false),
                         "$rank" + std::to_string(index));
  }

  // Puts the Window operator of `windows` on `plan` and points the placeholder columns in
  // `outputs` at its function columns. PARTITION BY and ORDER BY expressions that are not
  // columns become extra columns of a projection below it.
  LogicalPlan addWindow(LogicalPlan plan, WindowCalls& windows, std::vector<BoundPtr>& outputs) {
    const size_t width = plan->schema.size();
    std::unique_ptr<LogicalNode> extend;
    auto columnOf = [&](BoundPtr& expr) -> size_t {
      if (expr->kind == BoundExprKind::kColumnRef) return expr->column_index;
      if (extend == nullptr) {
        extend = std::make_unique<LogicalNode>();
        extend->kind = LogicalKind::kProject;
        for (size_t c = 0; c < width; ++c) {
          const Field& field = plan->schema.columns[c];
          extend->expressions.push_back(makeColumnRef(c, field.type, field.name));
          extend->schema.columns.push_back(field);
        }
      }
      extend->schema.columns.push_back({"$over" + std::to_string(extend->expressions.size() - width), expr->type});
      extend->expressions.push_back(std::move(expr));
      return extend->expressions.size() - 1;
    };
    auto window = std::make_unique<LogicalNode>();
    window->kind = LogicalKind::kWindow;
    for (BoundPtr& expr : windows.partition_by) window->partition_keys.push_back(columnOf(expr));
    for (size_t i = 0; i < windows.order_by.size(); ++i) {
      SortKey key = windows.order[i];
      key.column = columnOf(windows.order_by[i]);
      window->order.push_back(key);
    }
    if (extend != nullptr) {
      extend->inputs.push_back(std::move(plan));
      plan = std::move(extend);
    }
    window->schema = plan->schema;
    const size_t first = window->schema.size();
    for (size_t i = 0; i < windows.functions.size(); ++i) {
      window->schema.columns.push_back({"$rank" + std::to_string(i), DataType::bigInt().withNullable(false)});
    }
    window->window_functions = windows.functions;
    window->inputs.push_back(std::move(plan));
    for (BoundPtr& output : outputs) renumberWindowColumns(*output, first);
    return window;
  }

  static void renumberWindowColumns(BoundExpr& expr, size_t first) {
    if (expr.kind == BoundExprKind::kColumnRef && expr.column_index >= kWindowPlaceholder) {
      expr.column_index = expr.column_index - kWindowPlaceholder + first;
    }
    for (auto& child : expr.children) renumberWindowColumns(*child, first);
  }

  Result<BoundPtr> bindAggregate(const ast::FunctionCall& call, const AggregateResolver& resolver,
                                 const ExprContext& context) {
    // Arguments are bound against the aggregation's input, where aggregates may not nest.
    ExprContext input_context;
    input_context.scope = context.scope;
    input_context.clause = "the argument of an aggregate function";
    std::vector<BoundPtr> args;
    const bool star = call.args.size() == 1 && call.args[0]->kind == ast::ExprKind::kStar;
    if (!star) {
      CAUDAL_ASSIGN_OR_RETURN(args, bindAll(call.args, input_context));
    }
    BoundPtr filter;
    if (call.filter != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(filter, bindBoolean(*call.filter, input_context, "FILTER (WHERE ...)"));
    }
    std::vector<DataType> types;
    for (const BoundPtr& arg : args) types.push_back(arg->type);
    auto bound = resolver(types, call.distinct, context.input_retracts);
    if (!bound.isOk()) return errorAt(call.position, bound.status().message());
    auto function = std::make_shared<const BoundAggregateFunction>(std::move(bound.value()));
    for (size_t i = 0; i < args.size() && i < function->argument_types.size(); ++i) {
      CAUDAL_ASSIGN_OR_RETURN(args[i], castTo(std::move(args[i]), function->argument_types[i], call.position));
    }
    AggregateCall aggregate;
    aggregate.function = function;
    aggregate.arguments = std::move(args);
    aggregate.filter = std::move(filter);
    aggregate.distinct = call.distinct;
    std::string key = aggregate.toString();
    if (aggregate.filter) key += " FILTER " + aggregate.filter->toString();
    const DataType type = function->return_type;
    const size_t group_count = context.groups->size();
    for (size_t a = 0; a < context.aggregate_keys->size(); ++a) {
      if ((*context.aggregate_keys)[a] == key) return makeColumnRef(group_count + a, type, key);
    }
    context.aggregate_keys->push_back(key);
    context.aggregates->push_back(std::move(aggregate));
    return makeColumnRef(group_count + context.aggregates->size() - 1, type, key);
  }

  // ----- relations --------------------------------------------------------------------------

  Result<Relation> bindTableRef(const ast::TableRef& ref) {
    Relation relation;
    std::string alias;
    switch (ref.kind) {
      case ast::TableRefKind::kNamedTable: {
        const auto& named = ref.as<ast::NamedTableRef>();
        if (named.system_time != nullptr) {
          return errorAt(named.position, "FOR SYSTEM_TIME AS OF (temporal joins) is not supported yet");
        }
        CAUDAL_ASSIGN_OR_RETURN(relation, bindNamedTable(named));
        alias = lowerCase(named.name.back().text);
        break;
      }
      case ast::TableRefKind::kSubquery: {
        const auto& subquery = ref.as<ast::SubqueryRef>();
        if (subquery.lateral) return errorAt(subquery.position, "LATERAL subqueries are not supported");
        CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, bindQueryNode(*subquery.query, false));
        relation.scope = scopeOf(plan->schema, "");
        relation.plan = std::move(plan);
        break;
      }
      case ast::TableRefKind::kTableFunction:
        return errorAt(ref.position, "table functions (TUMBLE, HOP, CUMULATE, SESSION) need event time, which is "
                                     "not supported yet");
      case ast::TableRefKind::kJoin: return bindJoin(ref.as<ast::JoinRef>());
    }
    if (ref.alias) alias = ref.alias->quoted ? ref.alias->text : lowerCase(ref.alias->text);
    if (!ref.column_aliases.empty()) {
      if (ref.column_aliases.size() != relation.scope.columns.size()) {
        return errorAt(ref.position, "the alias lists " + std::to_string(ref.column_aliases.size()) +
                                         " columns but the table has " + std::to_string(relation.scope.columns.size()));
      }
      for (size_t i = 0; i < ref.column_aliases.size(); ++i) {
        relation.scope.columns[i].name = ref.column_aliases[i].text;
      }
    }
    for (ScopeColumn& column : relation.scope.columns) column.table = alias;
    return relation;
  }

  Result<Relation> bindNamedTable(const ast::NamedTableRef& named) {
    const std::string name = named.name.back().text;
    for (auto level = ctes.rbegin(); level != ctes.rend(); ++level) {
      auto found = level->find(lowerCase(name));
      if (found == level->end()) continue;
      const ast::CommonTableExpr& cte = *found->second;
      if (++depth > 32) return errorAt(named.position, "WITH query " + quoted(name) + " refers to itself");
      auto plan = bindQueryNode(*cte.query, false);
      --depth;
      if (!plan.isOk()) return plan.status();
      Relation relation;
      relation.scope = scopeOf(plan.value()->schema, "");
      if (!cte.columns.empty()) {
        if (cte.columns.size() != relation.scope.columns.size()) {
          return errorAt(cte.name.position, "WITH query " + quoted(name) + " names " + std::to_string(cte.columns.size()) +
                                                " columns but returns " + std::to_string(relation.scope.columns.size()));
        }
        for (size_t i = 0; i < cte.columns.size(); ++i) relation.scope.columns[i].name = cte.columns[i].text;
        for (size_t i = 0; i < cte.columns.size(); ++i) plan.value()->schema.columns[i].name = cte.columns[i].text;
      }
      relation.plan = std::move(plan.value());
      return relation;
    }
    std::shared_ptr<const CatalogTable> table = catalog.find(name);
    if (table == nullptr) {
      std::string message = "table or view " + quoted(name) + " not found";
      if (auto hint = catalog.closestName(name)) message += "; did you mean " + quoted(*hint) + "?";
      return errorAt(named.position, message);
    }
    if (table->is_view) return bindView(*table, named.position);
    Relation relation;
    auto scan = std::make_unique<LogicalNode>();
    scan->kind = LogicalKind::kScan;
    scan->table = table;
    scan->schema = table->physical_schema;
    LogicalPlan plan = std::move(scan);
    const bool has_computed = table->schema.size() != table->physical_schema.size();
    if (has_computed) {
      // Computed columns: a projection over the physical ones, in declaration order.
      auto project = std::make_unique<LogicalNode>();
      project->kind = LogicalKind::kProject;
      Scope physical = scopeOf(table->physical_schema, "");
      ExprContext context;
      context.scope = &physical;
      context.clause = "a computed column";
      for (size_t c = 0; c < table->schema.size(); ++c) {
        const Field& field = table->schema.columns[c];
        if (table->physical_index[c] >= 0) {
          project->expressions.push_back(
              makeColumnRef(static_cast<size_t>(table->physical_index[c]), field.type, field.name));
        } else {
          auto parsed = ast::parseExpression(table->computed_sql[c]);
          if (!parsed.isOk()) return parsed.status();
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(*parsed.value(), context));
          project->expressions.push_back(std::move(bound));
        }
        project->schema.columns.push_back({field.name, project->expressions.back()->type});
      }
      project->inputs.push_back(std::move(plan));
      plan = std::move(project);
    }
    relation.scope = scopeOf(plan->schema, "");
    relation.plan = std::move(plan);
    return relation;
  }

  Result<Relation> bindView(const CatalogTable& view, SourcePosition position) {
    if (++depth > 32) return errorAt(position, "view " + quoted(view.name) + " refers to itself");
    auto parsed = ast::parseStatement(view.view_sql);
    if (!parsed.isOk()) {
      --depth;
      return errorAt(position, "view " + quoted(view.name) + ": " + parsed.status().message());
    }
    const ast::Statement& statement = *parsed.value();
    auto plan = bindQueryNode(*statement.as<ast::QueryStatement>().query, false);
    --depth;
    if (!plan.isOk()) return errorAt(position, "view " + quoted(view.name) + ": " + plan.status().message());
    for (size_t i = 0; i < view.schema.size() && i < plan.value()->schema.size(); ++i) {
      plan.value()->schema.columns[i].name = view.schema.columns[i].name;
    }
    Relation relation;
    relation.scope = scopeOf(plan.value()->schema, "");
    relation.plan = std::move(plan.value());
    return relation;
  }

  Result<Relation> bindJoin(const ast::JoinRef& join) {
    CAUDAL_ASSIGN_OR_RETURN(Relation left, bindTableRef(*join.left));
    CAUDAL_ASSIGN_OR_RETURN(Relation right, bindTableRef(*join.right));
    JoinType type = JoinType::kInner;
    switch (join.join_type) {
      case ast::JoinType::kLeft: type = JoinType::kLeft; break;
      case ast::JoinType::kRight: type = JoinType::kRight; break;
      case ast::JoinType::kFull: type = JoinType::kFull; break;
      default: type = JoinType::kInner; break;
    }
    Relation joined;
    const size_t left_width = left.scope.columns.size();
    for (ScopeColumn column : left.scope.columns) {
      if (type == JoinType::kRight || type == JoinType::kFull) column.type = column.type.withNullable(true);
      joined.scope.columns.push_back(std::move(column));
    }
    for (ScopeColumn column : right.scope.columns) {
      if (type == JoinType::kLeft || type == JoinType::kFull) column.type = column.type.withNullable(true);
      joined.scope.columns.push_back(std::move(column));
    }
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kJoin;
    node->join_type = type;
    node->schema = joined.scope.toSchema();
    // USING (a, b) and NATURAL: equality on the named columns; the right copies are hidden.
    std::vector<std::string> using_columns;
    for (const ast::Identifier& column : join.using_columns) using_columns.push_back(column.text);
    if (join.natural) {
      for (const ScopeColumn& l : left.scope.columns) {
        for (const ScopeColumn& r : right.scope.columns) {
          if (lowerCase(l.name) == lowerCase(r.name)) using_columns.push_back(l.name);
        }
      }
    }
    std::vector<BoundPtr> conjuncts;
    for (const std::string& name : using_columns) {
      int l_index = -1;
      int r_index = -1;
      for (size_t i = 0; i < left_width; ++i) {
        if (lowerCase(left.scope.columns[i].name) == lowerCase(name)) l_index = static_cast<int>(i);
      }
      for (size_t i = 0; i < right.scope.columns.size(); ++i) {
        if (lowerCase(right.scope.columns[i].name) == lowerCase(name)) r_index = static_cast<int>(i);
      }
      if (l_index < 0 || r_index < 0) {
        return errorAt(join.position, "USING column " + quoted(name) + " is not in both tables");
      }
      const size_t r_position = left_width + static_cast<size_t>(r_index);
      joined.scope.columns[r_position].hidden = true;
      std::vector<BoundPtr> args;
      args.push_back(makeColumnRef(static_cast<size_t>(l_index), joined.scope.columns[l_index].type, name));
      args.push_back(makeColumnRef(r_position, joined.scope.columns[r_position].type, name));
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr equal, callFunction("=", std::move(args), join.position));
      conjuncts.push_back(std::move(equal));
    }
    if (join.condition != nullptr) {
      ExprContext context;
      context.scope = &joined.scope;
      context.clause = "a join condition";
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr condition, bindBoolean(*join.condition, context, "the join condition"));
      conjuncts.push_back(std::move(condition));
    } else if (type != JoinType::kInner && conjuncts.empty()) {
      return errorAt(join.position, std::string(joinTypeName(type)) + " JOIN needs an ON or USING condition");
    }
    if (conjuncts.size() == 1) {
      node->predicate = std::move(conjuncts[0]);
    } else if (conjuncts.size() > 1) {
      const bool nullable = anyNullable(conjuncts);
      node->predicate = makeNode(BoundExprKind::kAnd, DataType::boolean().withNullable(nullable), std::move(conjuncts));
    }
    node->inputs.push_back(std::move(left.plan));
    node->inputs.push_back(std::move(right.plan));
    joined.plan = std::move(node);
    return joined;
  }

  // ----- queries ----------------------------------------------------------------------------

  // Binds a query; `outermost` allows a final ORDER BY / LIMIT.
  Result<LogicalPlan> bindQueryNode(const ast::Query& query, bool outermost) {
    if (!query.with.empty()) {
      std::map<std::string, const ast::CommonTableExpr*> level;
      for (const ast::CommonTableExpr& cte : query.with) level[lowerCase(cte.name.text)] = &cte;
      ctes.push_back(std::move(level));
    }
    auto plan = bindQueryBody(query, outermost);
    if (!query.with.empty()) ctes.pop_back();
    return plan;
  }

  Result<LogicalPlan> bindQueryBody(const ast::Query& query, bool outermost) {
    const bool has_sort = !query.order_by.empty() || query.limit != nullptr || query.offset != nullptr;
    if (has_sort && !outermost) {
      return errorAt(query.position, "ORDER BY and LIMIT are only supported on the outermost query");
    }
    switch (query.kind) {
      case ast::QueryKind::kSelect: return bindSelect(query.as<ast::SelectQuery>(), outermost);
      case ast::QueryKind::kValues: {
        CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, bindValues(query.as<ast::ValuesQuery>()));
        return addSort(std::move(plan), query, nullptr);
      }
      case ast::QueryKind::kSetOperation: {
        CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, bindSetOperation(query.as<ast::SetOperation>()));
        return addSort(std::move(plan), query, nullptr);
      }
    }
    return errorAt(query.position, "unsupported query");
  }

  Result<LogicalPlan> bindValues(const ast::ValuesQuery& values) {
    Scope empty;
    ExprContext context;
    context.scope = &empty;
    context.clause = "VALUES";
    const size_t width = values.rows[0].size();
    std::vector<std::vector<BoundPtr>> rows;
    for (const auto& row : values.rows) {
      if (row.size() != width) {
        return errorAt(row[0]->position, "every row of VALUES must have " + std::to_string(width) + " values");
      }
      CAUDAL_ASSIGN_OR_RETURN(std::vector<BoundPtr> bound, bindAll(row, context));
      rows.push_back(std::move(bound));
    }
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kValues;
    for (size_t c = 0; c < width; ++c) {
      std::vector<BoundPtr> column;
      for (auto& row : rows) column.push_back(std::move(row[c]));
      CAUDAL_RETURN_IF_ERROR(unify(column, values.position, "values of a VALUES column"));
      for (size_t r = 0; r < rows.size(); ++r) rows[r][c] = std::move(column[r]);
      node->schema.columns.push_back({"EXPR$" + std::to_string(c), rows[0][c]->type});
    }
    for (auto& row : rows) {
      std::vector<Value> constants;
      for (size_t c = 0; c < width; ++c) {
        if (!row[c]->isConstant()) return errorAt(values.position, "VALUES may hold only constant expressions");
        CAUDAL_ASSIGN_OR_RETURN(Value value, evaluateConstant(*row[c]));
        constants.push_back(std::move(value));
      }
      node->rows.push_back(std::move(constants));
    }
    return LogicalPlan(std::move(node));
  }

  Result<LogicalPlan> bindSetOperation(const ast::SetOperation& set) {
    CAUDAL_ASSIGN_OR_RETURN(LogicalPlan left, bindQueryNode(*set.left, false));
    CAUDAL_ASSIGN_OR_RETURN(LogicalPlan right, bindQueryNode(*set.right, false));
    if (left->schema.size() != right->schema.size()) {
      return errorAt(set.position, "the two sides of " + std::string(set.op == ast::SetOperator::kUnion ? "UNION"
                                                                     : set.op == ast::SetOperator::kIntersect ? "INTERSECT"
                                                                                                              : "EXCEPT") +
                                       " have " + std::to_string(left->schema.size()) + " and " +
                                       std::to_string(right->schema.size()) + " columns");
    }
    // Bring both sides to the common column types.
    Schema schema;
    for (size_t c = 0; c < left->schema.size(); ++c) {
      auto common = commonSuperType(left->schema.columns[c].type, right->schema.columns[c].type);
      if (!common) {
        return errorAt(set.position, "column " + std::to_string(c + 1) + " has type " +
                                         left->schema.columns[c].type.toString() + " on the left but " +
                                         right->schema.columns[c].type.toString() + " on the right");
      }
      schema.columns.push_back({left->schema.columns[c].name, *common});
    }
    CAUDAL_ASSIGN_OR_RETURN(left, castPlan(std::move(left), schema, set.position));
    CAUDAL_ASSIGN_OR_RETURN(right, castPlan(std::move(right), schema, set.position));
    if (set.op != ast::SetOperator::kUnion) {
      // INTERSECT / EXCEPT: a semi / anti join on every column (NULLs equal), then DISTINCT
      // unless ALL (ALL keeps duplicates of the left only where they exist: not supported).
      if (set.all) return errorAt(set.position, "INTERSECT ALL and EXCEPT ALL are not supported; use the DISTINCT forms");
      auto join = std::make_unique<LogicalNode>();
      join->kind = LogicalKind::kJoin;
      join->join_type = set.op == ast::SetOperator::kIntersect ? JoinType::kSemi : JoinType::kAnti;
      join->schema = schema;
      std::vector<BoundPtr> conjuncts;
      const size_t width = schema.size();
      for (size_t c = 0; c < width; ++c) {
        std::vector<BoundPtr> args;
        args.push_back(makeColumnRef(c, schema.columns[c].type, schema.columns[c].name));
        args.push_back(makeColumnRef(width + c, schema.columns[c].type, schema.columns[c].name));
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr equal, callFunction("is_not_distinct_from", std::move(args), set.position));
        conjuncts.push_back(std::move(equal));
      }
      join->predicate = conjuncts.size() == 1 ? std::move(conjuncts[0])
                                              : makeNode(BoundExprKind::kAnd, DataType::boolean(), std::move(conjuncts));
      join->inputs.push_back(std::move(left));
      join->inputs.push_back(std::move(right));
      return distinctOf(std::move(join));
    }
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kUnion;
    node->schema = schema;
    node->inputs.push_back(std::move(left));
    node->inputs.push_back(std::move(right));
    LogicalPlan plan = std::move(node);
    if (!set.all) return distinctOf(std::move(plan));
    return plan;
  }

  // A projection casting `plan`'s columns to `schema`'s types (the plan itself when they match).
  Result<LogicalPlan> castPlan(LogicalPlan plan, const Schema& schema, SourcePosition position) {
    bool same = true;
    for (size_t c = 0; c < schema.size(); ++c) same = same && plan->schema.columns[c].type.sameAs(schema.columns[c].type);
    if (same) return plan;
    auto project = std::make_unique<LogicalNode>();
    project->kind = LogicalKind::kProject;
    for (size_t c = 0; c < schema.size(); ++c) {
      const Field& field = plan->schema.columns[c];
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr cast,
                              castTo(makeColumnRef(c, field.type, field.name), schema.columns[c].type, position));
      project->schema.columns.push_back({field.name, cast->type});
      project->expressions.push_back(std::move(cast));
    }
    project->inputs.push_back(std::move(plan));
    return LogicalPlan(std::move(project));
  }

  static LogicalPlan distinctOf(LogicalPlan plan) {
    auto aggregate = std::make_unique<LogicalNode>();
    aggregate->kind = LogicalKind::kAggregate;
    aggregate->schema = plan->schema;
    for (size_t c = 0; c < plan->schema.size(); ++c) {
      const Field& field = plan->schema.columns[c];
      aggregate->groups.push_back(makeColumnRef(c, field.type, field.name));
    }
    aggregate->inputs.push_back(std::move(plan));
    return aggregate;
  }

  Result<LogicalPlan> bindSelect(const ast::SelectQuery& select, bool outermost) {
    Relation from;
    if (select.from != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(from, bindTableRef(*select.from));
    } else {
      auto values = std::make_unique<LogicalNode>();
      values->kind = LogicalKind::kValues;
      values->rows.push_back({});
      from.plan = std::move(values);
    }
    if (select.where != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(from.plan, bindWhere(*select.where, std::move(from.plan), from.scope));
    }
    // Is this an aggregation?
    bool aggregating = !select.group_by.empty() || select.having != nullptr;
    for (const ast::SelectItem& item : select.items) aggregating = aggregating || containsAggregate(*this, *item.expr);
    for (const ast::OrderItem& item : select.order_by) aggregating = aggregating || containsAggregate(*this, *item.expr);

    std::vector<BoundPtr> groups;
    std::vector<std::string> group_keys;
    std::vector<AggregateCall> aggregates;
    std::vector<std::string> aggregate_keys;
    ExprContext context;
    context.scope = &from.scope;
    context.clause = "the select list";
    LogicalPlan plan = std::move(from.plan);
    Scope aggregate_scope;
    if (aggregating) {
      ExprContext group_context;
      group_context.scope = &from.scope;
      group_context.clause = "GROUP BY";
      for (const ast::ExprPtr& group : select.group_by) {
        // GROUP BY may name a select-list alias (as Spark and Flink allow) or position.
        const ast::Expr* target = group.get();
        if (group->kind == ast::ExprKind::kLiteral && group->as<ast::Literal>().literal_kind == ast::LiteralKind::kInteger) {
          const int64_t position = group->as<ast::Literal>().integer_value;
          if (position < 1 || position > static_cast<int64_t>(select.items.size())) {
            return errorAt(group->position, "GROUP BY position " + std::to_string(position) + " is not in the select list");
          }
          target = select.items[static_cast<size_t>(position - 1)].expr.get();
        }
        auto bound = bindExpr(*target, group_context);
        if (!bound.isOk() && group->kind == ast::ExprKind::kColumnRef && group->as<ast::ColumnRef>().names.size() == 1) {
          for (const ast::SelectItem& item : select.items) {
            if (item.alias && sameName(item.alias->text, group->as<ast::ColumnRef>().names[0])) {
              bound = bindExpr(*item.expr, group_context);
              break;
            }
          }
        }
        if (!bound.isOk()) return bound.status();
        const std::string key = bound.value()->toString();
        if (std::find(group_keys.begin(), group_keys.end(), key) != group_keys.end()) continue;
        group_keys.push_back(key);
        groups.push_back(std::move(bound.value()));
      }
      context.aggregate_mode = true;
      context.input_retracts = !plan->appendOnly();
      context.groups = &groups;
      context.group_keys = &group_keys;
      context.aggregates = &aggregates;
      context.aggregate_keys = &aggregate_keys;
    }
    WindowCalls windows;
    context.windows = &windows;
    // The select list (stars expanded).
    std::vector<BoundPtr> outputs;
    Schema output_schema;
    size_t index = 0;
    for (const ast::SelectItem& item : select.items) {
      if (item.expr->kind == ast::ExprKind::kStar) {
        if (aggregating) return errorAt(item.expr->position, "'*' cannot be used with GROUP BY or aggregates");
        const auto& star = item.expr->as<ast::Star>();
        bool any = false;
        for (size_t c = 0; c < from.scope.columns.size(); ++c) {
          const ScopeColumn& column = from.scope.columns[c];
          if (column.hidden) continue;
          if (!star.qualifier.empty() && !sameName(column.table, star.qualifier.back())) continue;
          outputs.push_back(makeColumnRef(c, column.type, column.name));
          output_schema.columns.push_back({column.name, column.type});
          any = true;
        }
        if (!any) {
          return errorAt(item.expr->position, star.qualifier.empty() ? "'*' with no FROM clause"
                                                                    : "table " + quoted(star.qualifier.back().text) +
                                                                          " not found in FROM");
        }
        index += 1;
        continue;
      }
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(*item.expr, context));
      const std::string name = item.alias ? item.alias->text : defaultColumnName(*item.expr, index);
      output_schema.columns.push_back({name, bound->type});
      outputs.push_back(std::move(bound));
      ++index;
    }
    BoundPtr having;
    if (select.having != nullptr) {
      ExprContext having_context = context;
      having_context.clause = "HAVING";
      having_context.windows = nullptr;
      CAUDAL_ASSIGN_OR_RETURN(having, bindBoolean(*select.having, having_context, "HAVING"));
    }
    // ORDER BY keys that are not output columns become hidden outputs.
    std::vector<SortKey> order;
    const size_t visible = outputs.size();
    if (outermost) {
      context.clause = "ORDER BY";
      for (const ast::OrderItem& item : select.order_by) {
        SortKey key = sortKeyOf(item);
        int found = -1;
        if (item.expr->kind == ast::ExprKind::kLiteral &&
            item.expr->as<ast::Literal>().literal_kind == ast::LiteralKind::kInteger) {
          const int64_t position = item.expr->as<ast::Literal>().integer_value;
          if (position < 1 || position > static_cast<int64_t>(visible)) {
            return errorAt(item.expr->position, "ORDER BY position " + std::to_string(position) + " is not in the select list");
          }
          found = static_cast<int>(position - 1);
        } else if (item.expr->kind == ast::ExprKind::kColumnRef && item.expr->as<ast::ColumnRef>().names.size() == 1) {
          for (size_t c = 0; c < visible; ++c) {
            if (sameName(output_schema.columns[c].name, item.expr->as<ast::ColumnRef>().names[0])) {
              found = static_cast<int>(c);
              break;
            }
          }
        }
        if (found < 0) {
          CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(*item.expr, context));
          const std::string key_text = bound->toString();
          for (size_t c = 0; c < outputs.size() && found < 0; ++c) {
            if (outputs[c]->toString() == key_text) found = static_cast<int>(c);
          }
          if (found < 0) {
            if (select.distinct) {
              return errorAt(item.expr->position, "with SELECT DISTINCT, ORDER BY expressions must appear in the select list");
            }
            output_schema.columns.push_back({"$order" + std::to_string(outputs.size()), bound->type});
            outputs.push_back(std::move(bound));
            found = static_cast<int>(outputs.size() - 1);
          }
        }
        key.column = static_cast<size_t>(found);
        order.push_back(key);
      }
    }
    if (aggregating) {
      auto aggregate = std::make_unique<LogicalNode>();
      aggregate->kind = LogicalKind::kAggregate;
      for (size_t g = 0; g < groups.size(); ++g) {
        const BoundExpr& group = *groups[g];
        aggregate->schema.columns.push_back(
            {group.kind == BoundExprKind::kColumnRef ? group.name : group_keys[g], group.type});
      }
      for (size_t a = 0; a < aggregates.size(); ++a) {
        aggregate->schema.columns.push_back({aggregate_keys[a], aggregates[a].function->return_type});
      }
      aggregate->groups = std::move(groups);
      aggregate->aggregates = std::move(aggregates);
      aggregate->inputs.push_back(std::move(plan));
      plan = std::move(aggregate);
      if (having != nullptr) {
        auto filter = std::make_unique<LogicalNode>();
        filter->kind = LogicalKind::kFilter;
        filter->schema = plan->schema;
        filter->predicate = std::move(having);
        filter->inputs.push_back(std::move(plan));
        plan = std::move(filter);
      }
    }
    if (!windows.functions.empty()) plan = addWindow(std::move(plan), windows, outputs);
    auto project = std::make_unique<LogicalNode>();
    project->kind = LogicalKind::kProject;
    project->schema = output_schema;
    project->expressions = std::move(outputs);
    project->inputs.push_back(std::move(plan));
    plan = std::move(project);
    if (select.distinct) {
      plan = distinctOf(std::move(plan));
    }
    if (outermost && (!order.empty() || select.limit != nullptr || select.offset != nullptr)) {
      CAUDAL_ASSIGN_OR_RETURN(plan, addSort(std::move(plan), select, &order));
      if (plan->schema.size() > visible) {
        // Drop the hidden ORDER BY columns after sorting.
        auto trim = std::make_unique<LogicalNode>();
        trim->kind = LogicalKind::kProject;
        for (size_t c = 0; c < visible; ++c) {
          const Field& field = plan->schema.columns[c];
          trim->expressions.push_back(makeColumnRef(c, field.type, field.name));
          trim->schema.columns.push_back(field);
        }
        trim->inputs.push_back(std::move(plan));
        plan = std::move(trim);
      }
    }
    return plan;
  }

  Result<int64_t> bindCount(const ast::Expr& expr, const char* what) {
    Scope empty;
    ExprContext context;
    context.scope = &empty;
    context.clause = what;
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindExpr(expr, context));
    if (!bound->type.isInteger() || bound->kind != BoundExprKind::kConstant || bound->value.isNull() ||
        bound->value.intValue() < 0) {
      return errorAt(expr.position, std::string(what) + " must be a non-negative integer constant");
    }
    return bound->value.intValue();
  }

  // Adds a final Sort for ORDER BY / LIMIT / OFFSET. `order` holds keys already resolved
  // against a SELECT's outputs; for VALUES and set operations they are resolved here.
  Result<LogicalPlan> addSort(LogicalPlan plan, const ast::Query& query, const std::vector<SortKey>* order) {
    if (query.order_by.empty() && query.limit == nullptr && query.offset == nullptr) return plan;
    auto sort = std::make_unique<LogicalNode>();
    sort->kind = LogicalKind::kSort;
    sort->schema = plan->schema;
    if (order != nullptr) {
      sort->order = *order;
    } else {
      for (const ast::OrderItem& item : query.order_by) {
        SortKey key = sortKeyOf(item);
        int found = -1;
        if (item.expr->kind == ast::ExprKind::kLiteral &&
            item.expr->as<ast::Literal>().literal_kind == ast::LiteralKind::kInteger) {
          found = static_cast<int>(item.expr->as<ast::Literal>().integer_value) - 1;
        } else if (item.expr->kind == ast::ExprKind::kColumnRef) {
          for (size_t c = 0; c < plan->schema.size(); ++c) {
            if (sameName(plan->schema.columns[c].name, item.expr->as<ast::ColumnRef>().names.back())) {
              found = static_cast<int>(c);
            }
          }
        }
        if (found < 0 || found >= static_cast<int>(plan->schema.size())) {
          return errorAt(item.expr->position, "ORDER BY of a set operation or VALUES must name an output column");
        }
        key.column = static_cast<size_t>(found);
        sort->order.push_back(key);
      }
    }
    if (query.limit != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(sort->limit, bindCount(*query.limit, "LIMIT"));
    }
    if (query.offset != nullptr) {
      CAUDAL_ASSIGN_OR_RETURN(sort->offset, bindCount(*query.offset, "OFFSET"));
    }
    sort->inputs.push_back(std::move(plan));
    return LogicalPlan(std::move(sort));
  }

  // WHERE: ordinary conjuncts filter; `x [NOT] IN (SELECT ...)` and `[NOT] EXISTS (SELECT ...)`
  // conjuncts become semi / anti joins with the subquery.
  Result<LogicalPlan> bindWhere(const ast::Expr& where, LogicalPlan plan, const Scope& scope) {
    std::vector<const ast::Expr*> conjuncts;
    splitConjuncts(where, conjuncts);
    ExprContext context;
    context.scope = &scope;
    context.clause = "WHERE";
    std::vector<BoundPtr> filters;
    for (const ast::Expr* conjunct : conjuncts) {
      const ast::Expr* inner = conjunct;
      bool negated = false;
      if (inner->kind == ast::ExprKind::kUnary && inner->as<ast::Unary>().op == ast::UnaryOperator::kNot &&
          inner->as<ast::Unary>().operand->kind == ast::ExprKind::kExists) {
        negated = true;
        inner = inner->as<ast::Unary>().operand.get();
      }
      if (inner->kind == ast::ExprKind::kInSubquery) {
        CAUDAL_ASSIGN_OR_RETURN(plan, bindInSubquery(inner->as<ast::InSubquery>(), std::move(plan), scope));
      } else if (inner->kind == ast::ExprKind::kExists) {
        CAUDAL_ASSIGN_OR_RETURN(plan, bindExists(inner->as<ast::Exists>(), negated, std::move(plan), scope));
      } else {
        CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindBoolean(*conjunct, context, "WHERE"));
        filters.push_back(std::move(bound));
      }
    }
    if (!filters.empty()) {
      auto filter = std::make_unique<LogicalNode>();
      filter->kind = LogicalKind::kFilter;
      filter->schema = plan->schema;
      if (filters.size() == 1) {
        filter->predicate = std::move(filters[0]);
      } else {
        const bool nullable = anyNullable(filters);
        filter->predicate = makeNode(BoundExprKind::kAnd, DataType::boolean().withNullable(nullable), std::move(filters));
      }
      filter->inputs.push_back(std::move(plan));
      plan = std::move(filter);
    }
    return plan;
  }

  Result<LogicalPlan> bindInSubquery(const ast::InSubquery& in, LogicalPlan plan, const Scope& scope) {
    CAUDAL_ASSIGN_OR_RETURN(LogicalPlan subquery, bindQueryNode(*in.query, false));
    if (subquery->schema.size() != 1) {
      return errorAt(in.position, "the subquery of IN must return one column but returns " +
                                      std::to_string(subquery->schema.size()));
    }
    ExprContext context;
    context.scope = &scope;
    context.clause = "WHERE";
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr operand, bindExpr(*in.operand, context));
    const size_t width = plan->schema.size();
    const Field& column = subquery->schema.columns[0];
    std::vector<BoundPtr> args;
    args.push_back(std::move(operand));
    args.push_back(makeColumnRef(width, column.type, column.name));
    CAUDAL_ASSIGN_OR_RETURN(BoundPtr equal, callFunction("=", std::move(args), in.position));
    BoundPtr condition = std::move(equal);
    if (in.negated) {
      // NOT IN is false as soon as either side is NULL: an anti join on `x = y OR x IS NULL OR
      // y IS NULL` drops exactly those rows.
      std::vector<BoundPtr> either;
      either.push_back(std::move(condition));
      for (size_t side = 0; side < 2; ++side) {
        std::vector<BoundPtr> children;
        children.push_back(either[0]->children[side]->clone());
        either.push_back(makeNode(BoundExprKind::kIsNull, DataType::boolean().withNullable(false), std::move(children)));
      }
      condition = makeNode(BoundExprKind::kOr, DataType::boolean(), std::move(either));
    }
    auto join = std::make_unique<LogicalNode>();
    join->kind = LogicalKind::kJoin;
    join->join_type = in.negated ? JoinType::kAnti : JoinType::kSemi;
    join->schema = plan->schema;
    join->predicate = std::move(condition);
    join->inputs.push_back(std::move(plan));
    join->inputs.push_back(std::move(subquery));
    return LogicalPlan(std::move(join));
  }

  // EXISTS (SELECT ... FROM t WHERE <conditions on t and the outer query>): a semi (anti) join
  // whose condition is the subquery's WHERE, bound over the outer columns then the subquery's.
  Result<LogicalPlan> bindExists(const ast::Exists& exists, bool negated, LogicalPlan plan, const Scope& scope) {
    if (exists.query->kind != ast::QueryKind::kSelect || exists.query->hasClauses()) {
      return errorAt(exists.position, "EXISTS supports a plain SELECT ... FROM ... [WHERE ...] subquery");
    }
    const auto& select = exists.query->as<ast::SelectQuery>();
    if (!select.group_by.empty() || select.having != nullptr || select.from == nullptr) {
      return errorAt(exists.position, "EXISTS supports a plain SELECT ... FROM ... [WHERE ...] subquery");
    }
    CAUDAL_ASSIGN_OR_RETURN(Relation inner, bindTableRef(*select.from));
    Scope combined;
    for (const ScopeColumn& column : scope.columns) combined.columns.push_back(column);
    for (ScopeColumn column : inner.scope.columns) combined.columns.push_back(std::move(column));
    // Inner names shadow outer ones: look them up first by binding in the inner scope.
    BoundPtr condition;
    if (select.where != nullptr) {
      ExprContext context;
      context.scope = &combined;
      context.clause = "WHERE";
      // Prefer inner columns for unqualified names by listing them first when ambiguous.
      Scope inner_first;
      for (const ScopeColumn& column : inner.scope.columns) inner_first.columns.push_back(column);
      for (ScopeColumn column : scope.columns) {
        bool shadowed = false;
        for (const ScopeColumn& inner_column : inner.scope.columns) {
          shadowed = shadowed || lowerCase(inner_column.name) == lowerCase(column.name);
        }
        column.hidden = shadowed;
        inner_first.columns.push_back(std::move(column));
      }
      context.scope = &inner_first;
      CAUDAL_ASSIGN_OR_RETURN(BoundPtr bound, bindBoolean(*select.where, context, "WHERE"));
      // Re-map positions from (inner, outer) to (outer, inner).
      remap(*bound, inner.scope.columns.size(), scope.columns.size());
      condition = std::move(bound);
    } else {
      condition = BoundExpr::constant(Value::boolean(true));
    }
    auto join = std::make_unique<LogicalNode>();
    join->kind = LogicalKind::kJoin;
    join->join_type = negated ? JoinType::kAnti : JoinType::kSemi;
    join->schema = plan->schema;
    join->predicate = std::move(condition);
    join->inputs.push_back(std::move(plan));
    join->inputs.push_back(std::move(inner.plan));
    return LogicalPlan(std::move(join));
  }

  // Column positions [0, inner) → [outer, outer + inner); [inner, inner + outer) → [0, outer).
  static void remap(BoundExpr& expr, size_t inner, size_t outer) {
    if (expr.kind == BoundExprKind::kColumnRef) {
      expr.column_index = expr.column_index < inner ? expr.column_index + outer : expr.column_index - inner;
    }
    for (auto& child : expr.children) remap(*child, inner, outer);
  }
};

bool Binder::Impl::containsAggregate(const Impl& self, const ast::Expr& expr) {
  if (self.isAggregateCall(expr)) return true;
  switch (expr.kind) {
    case ast::ExprKind::kUnary: return containsAggregate(self, *expr.as<ast::Unary>().operand);
    case ast::ExprKind::kBinary:
      return containsAggregate(self, *expr.as<ast::Binary>().left) || containsAggregate(self, *expr.as<ast::Binary>().right);
    case ast::ExprKind::kIsTest: return containsAggregate(self, *expr.as<ast::IsTest>().operand);
    case ast::ExprKind::kBetween: {
      const auto& b = expr.as<ast::Between>();
      return containsAggregate(self, *b.operand) || containsAggregate(self, *b.low) || containsAggregate(self, *b.high);
    }
    case ast::ExprKind::kLike: return containsAggregate(self, *expr.as<ast::Like>().operand);
    case ast::ExprKind::kInList: {
      const auto& in = expr.as<ast::InList>();
      if (containsAggregate(self, *in.operand)) return true;
      for (const auto& item : in.list) {
        if (containsAggregate(self, *item)) return true;
      }
      return false;
    }
    case ast::ExprKind::kCase: {
      const auto& c = expr.as<ast::Case>();
      if (c.operand && containsAggregate(self, *c.operand)) return true;
      for (const auto& when : c.whens) {
        if (containsAggregate(self, *when.when) || containsAggregate(self, *when.then)) return true;
      }
      return c.else_result && containsAggregate(self, *c.else_result);
    }
    case ast::ExprKind::kCast: return containsAggregate(self, *expr.as<ast::Cast>().operand);
    case ast::ExprKind::kFunctionCall: {
      const auto& call = expr.as<ast::FunctionCall>();
      for (const auto& arg : call.args) {
        if (containsAggregate(self, *arg)) return true;
      }
      if (call.over != nullptr) {
        // `RANK() OVER (ORDER BY SUM(v))` ranks the groups of an aggregation.
        for (const auto& key : call.over->partition_by) {
          if (containsAggregate(self, *key)) return true;
        }
        for (const auto& item : call.over->order_by) {
          if (containsAggregate(self, *item.expr)) return true;
        }
      }
      return false;
    }
    case ast::ExprKind::kExtract: return containsAggregate(self, *expr.as<ast::Extract>().operand);
    case ast::ExprKind::kTrim: return containsAggregate(self, *expr.as<ast::Trim>().operand);
    case ast::ExprKind::kFieldAccess: return containsAggregate(self, *expr.as<ast::FieldAccess>().base);
    case ast::ExprKind::kSubscript: return containsAggregate(self, *expr.as<ast::Subscript>().base);
    case ast::ExprKind::kConstructor:
      for (const auto& element : expr.as<ast::Constructor>().elements) {
        if (containsAggregate(self, *element)) return true;
      }
      return false;
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------

Binder::Binder(const Catalog& catalog, const FunctionRegistry& functions) : catalog_(catalog), functions_(functions) {}

Result<LogicalPlan> Binder::bindQuery(const ast::Query& query) {
  Impl impl{catalog_, functions_, {}, 0};
  return impl.bindQueryNode(query, true);
}

Result<PlannedQuery> Binder::bindInsert(const ast::Insert& insert) {
  Impl impl{catalog_, functions_, {}, 0};
  const std::string name = insert.table.back().text;
  std::shared_ptr<const CatalogTable> table = catalog_.find(name);
  if (table == nullptr) {
    std::string message = "table " + quoted(name) + " not found";
    if (auto hint = catalog_.closestName(name)) message += "; did you mean " + quoted(*hint) + "?";
    return errorAt(insert.table.back().position, message);
  }
  if (table->is_view) return errorAt(insert.table.back().position, quoted(name) + " is a view; INSERT needs a table");
  CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, impl.bindQueryNode(*insert.query, true));
  // The target columns: all physical ones in order, or the listed ones.
  const Schema& target = table->physical_schema;
  std::vector<int> source_of(target.size(), -1);
  if (insert.columns.empty()) {
    if (plan->schema.size() != target.size()) {
      return errorAt(insert.position, "the query returns " + std::to_string(plan->schema.size()) + " columns but table " +
                                          quoted(table->name) + " has " + std::to_string(target.size()) + " (" +
                                          target.toString() + ")");
    }
    for (size_t c = 0; c < target.size(); ++c) source_of[c] = static_cast<int>(c);
  } else {
    if (plan->schema.size() != insert.columns.size()) {
      return errorAt(insert.position, "the query returns " + std::to_string(plan->schema.size()) + " columns but " +
                                          std::to_string(insert.columns.size()) + " are listed");
    }
    for (size_t i = 0; i < insert.columns.size(); ++i) {
      int found = -1;
      for (size_t c = 0; c < target.size(); ++c) {
        if (sameName(target.columns[c].name, insert.columns[i])) found = static_cast<int>(c);
      }
      if (found < 0) {
        return errorAt(insert.columns[i].position, "table " + quoted(table->name) + " has no column " +
                                                       quoted(insert.columns[i].text));
      }
      source_of[static_cast<size_t>(found)] = static_cast<int>(i);
    }
  }
  auto project = std::make_unique<LogicalNode>();
  project->kind = LogicalKind::kProject;
  for (size_t c = 0; c < target.size(); ++c) {
    const Field& column = target.columns[c];
    BoundPtr value;
    if (source_of[c] < 0) {
      value = BoundExpr::constant(Value::null(column.type.withNullable(true)));
    } else {
      const Field& produced = plan->schema.columns[static_cast<size_t>(source_of[c])];
      value = makeColumnRef(static_cast<size_t>(source_of[c]), produced.type, produced.name);
      if (!produced.type.sameAs(column.type) && column.type.isDecimal() && produced.type.isExactNumeric() &&
          !canCastImplicitly(produced.type, column.type)) {
        // As Flink, an exact number goes into a DECIMAL column of any precision and scale (e.g.
        // Nexmark q1's DECIMAL(24, 3) product into DECIMAL(23, 3)): rounded half up to the
        // column's scale, NULL when it does not fit.
        auto kernel = resolveCast(produced.type, column.type, /*try_cast=*/true);
        if (!kernel.isOk()) return errorAt(insert.position, kernel.status().message());
        auto node = std::make_unique<BoundExpr>();
        node->kind = BoundExprKind::kCast;
        node->type = column.type.withNullable(true);
        node->cast = std::move(kernel.value());
        node->try_cast = true;
        node->children.push_back(std::move(value));
        value = std::move(node);
      } else if (!produced.type.sameAs(column.type)) {
        if (!canCastImplicitly(produced.type, column.type)) {
          return errorAt(insert.position, "column " + quoted(column.name) + " of table " + quoted(table->name) +
                                              " has type " + column.type.toString() + " but the query gives " +
                                              produced.type.toString() + "; use CAST");
        }
        CAUDAL_ASSIGN_OR_RETURN(value, impl.castTo(std::move(value), column.type, insert.position));
      }
    }
    project->schema.columns.push_back({column.name, value->type});
    project->expressions.push_back(std::move(value));
  }
  project->inputs.push_back(std::move(plan));
  PlannedQuery planned;
  planned.plan = std::move(project);
  planned.sink_table = table;
  planned.upsert_key = upsertKeyOf(*planned.plan);
  return planned;
}

Result<std::unique_ptr<BoundExpr>> Binder::bindExpression(const ast::Expr& expr, const Schema& schema) {
  Impl impl{catalog_, functions_, {}, 0};
  Scope scope = scopeOf(schema, "");
  Impl::ExprContext context;
  context.scope = &scope;
  context.clause = "this expression";
  return impl.bindExpr(expr, context);
}

std::vector<size_t> upsertKeyOf(const LogicalNode& plan) {
  // Follow projections down to an aggregation, mapping its group columns to output columns.
  std::vector<int> output_of_input;  // for the node under the projections: input column → output column
  const LogicalNode* node = &plan;
  std::vector<int> mapping(plan.schema.size());
  for (size_t c = 0; c < mapping.size(); ++c) mapping[c] = static_cast<int>(c);
  // mapping[i] = output column that shows column i of `node` (-1 if none).
  while (node->kind == LogicalKind::kProject || node->kind == LogicalKind::kFilter) {
    const LogicalNode& input = *node->inputs[0];
    std::vector<int> next(input.schema.size(), -1);
    for (size_t c = 0; c < node->schema.size(); ++c) {
      if (mapping[c] < 0) continue;
      if (node->kind == LogicalKind::kFilter) {
        next[c] = mapping[c];
      } else if (node->expressions[c]->kind == BoundExprKind::kColumnRef) {
        const size_t source = node->expressions[c]->column_index;
        if (next[source] < 0) next[source] = mapping[c];
      }
    }
    mapping = std::move(next);
    node = &input;
  }
  std::vector<size_t> key;
  auto add = [&](size_t column) {
    if (mapping[column] < 0) return false;
    key.push_back(static_cast<size_t>(mapping[column]));
    return true;
  };
  if (node->kind == LogicalKind::kWindow) {
    // A row number is unique within its partition: the partition keys and the number are a key.
    const size_t width = node->inputs[0]->schema.size();
    for (size_t f = 0; f < node->window_functions.size(); ++f) {
      if (node->window_functions[f] != WindowFunction::kRowNumber) continue;
      key.clear();
      bool shown = add(width + f);
      for (size_t column : node->partition_keys) shown = shown && add(column);
      if (shown) return key;
    }
    return {};
  }
  if (node->kind != LogicalKind::kAggregate) return {};
  for (size_t g = 0; g < node->groups.size(); ++g) {
    if (!add(g)) return {};
  }
  return key;
}

}  // namespace caudal::sql
