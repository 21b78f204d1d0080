#include "sql/expression/bound_expression.h"

#include <cctype>

namespace caudal::sql {

namespace {

bool isInfixName(const std::string& name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0]))) return true;
  return name == "LIKE" || name == "IS DISTINCT FROM" || name == "IS NOT DISTINCT FROM";
}

// Whether `expr` prints as an infix form that needs parentheses inside another one.
bool needsParentheses(const BoundExpr& expr) {
  switch (expr.kind) {
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr:
    case BoundExprKind::kNot:
    case BoundExprKind::kIsNull:
    case BoundExprKind::kIsNotNull:
    case BoundExprKind::kInList:
      return true;
    case BoundExprKind::kFunction:
      return expr.function != nullptr && isInfixName(expr.function->name) &&
             expr.children.size() >= 2;
    default:
      return false;
  }
}

std::string operand(const BoundExpr& expr) {
  std::string text = expr.toString();
  return needsParentheses(expr) ? std::string("(").append(text).append(")") : text;
}

std::string joined(const std::vector<std::unique_ptr<BoundExpr>>& children, size_t from,
                   const char* separator) {
  std::string text;
  for (size_t i = from; i < children.size(); ++i) {
    if (i > from) text += separator;
    text += children[i]->toString();
  }
  return text;
}

}  // namespace

std::string BoundExpr::toString() const {
  switch (kind) {
    case BoundExprKind::kColumnRef:
      return name.empty() ? std::string("#").append(std::to_string(column_index)) : name;
    case BoundExprKind::kConstant:
      return value.toSqlLiteral();
    case BoundExprKind::kFunction: {
      const std::string fn = function ? function->name : "?";
      if (isInfixName(fn) && children.size() == 2) {
        return operand(*children[0]) + " " + fn + " " + operand(*children[1]);
      }
      if (fn == "LIKE" && children.size() == 3) {
        return operand(*children[0]) + " LIKE " + operand(*children[1]) + " ESCAPE " +
               operand(*children[2]);
      }
      if (fn == "-" && children.size() == 1) return std::string("-").append(operand(*children[0]));
      return fn + "(" + joined(children, 0, ", ") + ")";
    }
    case BoundExprKind::kCast:
      return std::string(try_cast ? "TRY_CAST(" : "CAST(") +
             (children.empty() ? "?" : children[0]->toString()) + " AS " +
             type.withNullable(true).toString() + ")";
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr: {
      std::string text;
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) text += kind == BoundExprKind::kAnd ? " AND " : " OR ";
        text += operand(*children[i]);
      }
      return text;
    }
    case BoundExprKind::kNot:
      return std::string("NOT ").append(operand(*children[0]));
    case BoundExprKind::kIsNull:
      return operand(*children[0]) + " IS NULL";
    case BoundExprKind::kIsNotNull:
      return operand(*children[0]) + " IS NOT NULL";
    case BoundExprKind::kCase: {
      std::string text = "CASE";
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        text.append(" WHEN ")
            .append(children[i]->toString())
            .append(" THEN ")
            .append(children[i + 1]->toString());
      }
      if (!children.empty()) text.append(" ELSE ").append(children.back()->toString());
      return text + " END";
    }
    case BoundExprKind::kCoalesce:
      return std::string("COALESCE(").append(joined(children, 0, ", ")).append(")");
    case BoundExprKind::kInList:
      return operand(*children[0]) + " IN (" + joined(children, 1, ", ") + ")";
    case BoundExprKind::kFieldAccess: {
      const auto& fields = children[0]->type.children();
      const std::string field = column_index < fields.size()
                                    ? fields[column_index].name
                                    : std::string("#").append(std::to_string(column_index));
      return operand(*children[0]) + "." + field;
    }
  }
  return "?";
}

std::unique_ptr<BoundExpr> BoundExpr::clone() const {
  auto copy = std::make_unique<BoundExpr>();
  copy->kind = kind;
  copy->type = type;
  copy->column_index = column_index;
  copy->name = name;
  copy->value = value;
  copy->function = function;
  copy->cast = cast;
  copy->try_cast = try_cast;
  copy->children.reserve(children.size());
  for (const auto& child : children) copy->children.push_back(child->clone());
  return copy;
}

bool BoundExpr::isConstant() const {
  if (kind == BoundExprKind::kColumnRef) return false;
  if (kind == BoundExprKind::kFunction && (function == nullptr || !function->deterministic))
    return false;
  for (const auto& child : children) {
    if (!child->isConstant()) return false;
  }
  return true;
}

std::unique_ptr<BoundExpr> BoundExpr::columnRef(size_t index, DataType type, std::string name) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kColumnRef;
  expr->type = std::move(type);
  expr->column_index = index;
  expr->name = std::move(name);
  return expr;
}

std::unique_ptr<BoundExpr> BoundExpr::constant(Value value) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kConstant;
  // A non-NULL literal can never be NULL.
  expr->type = value.isNull() ? value.type() : value.type().withNullable(false);
  expr->value = std::move(value);
  return expr;
}

}  // namespace caudal::sql
