// Test helpers: build bound expressions the way the binder does (functions resolved from the
// registry, arguments cast to the declared types).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sql/expression/bound_expression.h"
#include "sql/function/function_registry.h"

namespace caudal::sql::testing {

using ExprPtr = std::unique_ptr<BoundExpr>;

inline ExprPtr col(size_t index, DataType type, std::string name) {
  return BoundExpr::columnRef(index, std::move(type), std::move(name));
}

inline ExprPtr lit(Value value) { return BoundExpr::constant(std::move(value)); }

inline ExprPtr castExpr(ExprPtr child, const DataType& to, bool try_cast = false) {
  Result<CastKernel> kernel = resolveCast(child->type, to, try_cast);
  EXPECT_TRUE(kernel.isOk()) << (kernel.isOk() ? "" : kernel.status().message());
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kCast;
  expr->type = to.withNullable(child->type.nullable() || try_cast);
  expr->cast = kernel.isOk() ? kernel.value() : CastKernel();
  expr->try_cast = try_cast;
  expr->children.push_back(std::move(child));
  return expr;
}

/// `name(children...)` resolved from the built-in registry; children are cast to the declared
/// argument types.
inline ExprPtr fn(const std::string& name, std::vector<ExprPtr> children) {
  const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar(name);
  EXPECT_NE(resolver, nullptr) << name;
  std::vector<DataType> types;
  for (const auto& child : children) types.push_back(child->type);
  Result<BoundScalarFunction> bound = (*resolver)(types);
  EXPECT_TRUE(bound.isOk()) << name << ": " << (bound.isOk() ? "" : bound.status().message());
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kFunction;
  expr->type = bound.value().return_type;
  for (size_t i = 0; i < children.size(); ++i) {
    const DataType& want = bound.value().argument_types[i];
    if (!children[i]->type.sameAs(want)) children[i] = castExpr(std::move(children[i]), want);
    expr->children.push_back(std::move(children[i]));
  }
  expr->function = std::make_shared<BoundScalarFunction>(bound.value());
  return expr;
}

template <class... Children>
ExprPtr fn(const std::string& name, Children... children) {
  std::vector<ExprPtr> list;
  (list.push_back(std::move(children)), ...);
  return fn(name, std::move(list));
}

inline ExprPtr node(BoundExprKind kind, DataType type, std::vector<ExprPtr> children) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = kind;
  expr->type = std::move(type);
  expr->children = std::move(children);
  return expr;
}

template <class... Children>
ExprPtr node(BoundExprKind kind, DataType type, Children... children) {
  std::vector<ExprPtr> list;
  (list.push_back(std::move(children)), ...);
  return node(kind, std::move(type), std::move(list));
}

}  // namespace caudal::sql::testing
