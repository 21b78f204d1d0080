#include "sql/planner/optimizer.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "sql/catalog/catalog.h"
#include "sql/expression/constant_evaluation.h"

namespace caudal::sql {

namespace {

using BoundPtr = std::unique_ptr<BoundExpr>;

// ----- constant folding -----------------------------------------------------------------------

Status foldExpression(BoundPtr& expr) {
  for (BoundPtr& child : expr->children) CAUDAL_RETURN_IF_ERROR(foldExpression(child));
  if (expr->kind == BoundExprKind::kConstant || !expr->isConstant()) return Status::ok();
  auto value = evaluateConstant(*expr);
  // A constant that fails (CAST('x' AS INT)) fails when it runs, not when it is planned.
  if (!value.isOk()) return Status::ok();
  Value folded = std::move(value.value());
  const DataType type = expr->type;
  expr = BoundExpr::constant(folded.isNull() ? Value::null(type) : std::move(folded));
  expr->type = type;
  return Status::ok();
}

Status foldConstants(LogicalNode& node) {
  for (auto& input : node.inputs) CAUDAL_RETURN_IF_ERROR(foldConstants(*input));
  if (node.predicate) CAUDAL_RETURN_IF_ERROR(foldExpression(node.predicate));
  for (BoundPtr& expr : node.expressions) CAUDAL_RETURN_IF_ERROR(foldExpression(expr));
  for (BoundPtr& expr : node.groups) CAUDAL_RETURN_IF_ERROR(foldExpression(expr));
  for (AggregateCall& call : node.aggregates) {
    for (BoundPtr& arg : call.arguments) CAUDAL_RETURN_IF_ERROR(foldExpression(arg));
    if (call.filter) CAUDAL_RETURN_IF_ERROR(foldExpression(call.filter));
  }
  return Status::ok();
}

// ----- predicate push-down ----------------------------------------------------------------------

void splitAnd(BoundPtr expr, std::vector<BoundPtr>& out) {
  if (expr->kind == BoundExprKind::kAnd) {
    for (BoundPtr& child : expr->children) splitAnd(std::move(child), out);
  } else {
    out.push_back(std::move(expr));
  }
}

BoundPtr joinAnd(std::vector<BoundPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  auto node = std::make_unique<BoundExpr>();
  node->kind = BoundExprKind::kAnd;
  bool nullable = false;
  for (const BoundPtr& c : conjuncts) nullable = nullable || c->type.nullable();
  node->type = DataType::boolean().withNullable(nullable);
  node->children = std::move(conjuncts);
  return node;
}

bool deterministic(const BoundExpr& expr) {
  if (expr.kind == BoundExprKind::kFunction && !expr.function->deterministic) return false;
  for (const auto& child : expr.children) {
    if (!deterministic(*child)) return false;
  }
  return true;
}

void columnsOf(const BoundExpr& expr, std::set<size_t>& out) {
  if (expr.kind == BoundExprKind::kColumnRef) out.insert(expr.column_index);
  for (const auto& child : expr.children) columnsOf(*child, out);
}

// Replaces column references by the expressions they name (`replacements[i]` for column i).
BoundPtr substitute(const BoundExpr& expr, const std::vector<const BoundExpr*>& replacements) {
  if (expr.kind == BoundExprKind::kColumnRef) return replacements[expr.column_index]->clone();
  BoundPtr copy = std::make_unique<BoundExpr>();
  copy->kind = expr.kind;
  copy->type = expr.type;
  copy->column_index = expr.column_index;
  copy->name = expr.name;
  copy->value = expr.value;
  copy->function = expr.function;
  copy->cast = expr.cast;
  copy->try_cast = expr.try_cast;
  for (const auto& child : expr.children) copy->children.push_back(substitute(*child, replacements));
  return copy;
}

void shift(BoundExpr& expr, size_t by) {
  if (expr.kind == BoundExprKind::kColumnRef) expr.column_index -= by;
  for (auto& child : expr.children) shift(*child, by);
}

// True when `conjunct` is deterministic and reads only key columns (`is_key`) of an operator
// with `key_count` keys: it keeps or drops whole groups or partitions, so it may run below.
template <class IsKey>
bool testsOnlyKeys(const BoundExpr& conjunct, size_t key_count, IsKey is_key) {
  if (key_count == 0 || !deterministic(conjunct)) return false;
  std::set<size_t> columns;
  columnsOf(conjunct, columns);
  return std::all_of(columns.begin(), columns.end(), is_key);
}

// When `conjunct` keeps only rows whose ranking function `f` (output column `first + f` of a
// Window with `count` functions) is at most some N (`rn <= N`, `rn < N + 1`, `rn = N`, and the
// same written the other way round), {f, N}.
std::optional<std::pair<size_t, int64_t>> rankBound(const BoundExpr& conjunct, size_t first, size_t count) {
  if (conjunct.kind != BoundExprKind::kFunction || conjunct.children.size() != 2) return std::nullopt;
  std::string_view op = conjunct.function->name;
  const BoundExpr* column = conjunct.children[0].get();
  const BoundExpr* constant = conjunct.children[1].get();
  if (column->kind != BoundExprKind::kColumnRef) {
    std::swap(column, constant);
    if (op == ">=") op = "<=";
    else if (op == ">") op = "<";
    else if (op != "=") return std::nullopt;
  }
  if (column->kind != BoundExprKind::kColumnRef || column->column_index < first ||
      column->column_index >= first + count || constant->kind != BoundExprKind::kConstant ||
      constant->value.isNull() || !constant->value.type().isInteger()) {
    return std::nullopt;
  }
  const int64_t value = constant->value.intValue();
  int64_t limit = -1;
  if (op == "<=" || op == "=") limit = value;
  if (op == "<") limit = value - 1;
  if (limit < 0) return std::nullopt;
  return std::make_pair(column->column_index - first, limit);
}

std::unique_ptr<LogicalNode> makeFilter(std::unique_ptr<LogicalNode> input, std::vector<BoundPtr> conjuncts) {
  if (conjuncts.empty()) return input;
  auto filter = std::make_unique<LogicalNode>();
  filter->kind = LogicalKind::kFilter;
  filter->schema = input->schema;
  filter->predicate = joinAnd(std::move(conjuncts));
  filter->inputs.push_back(std::move(input));
  return filter;
}

// Pushes `conjuncts` (over `node`'s output) as far down into `node` as they may go; returns the
// new subtree.
std::unique_ptr<LogicalNode> pushDown(std::unique_ptr<LogicalNode> node, std::vector<BoundPtr> conjuncts);

std::unique_ptr<LogicalNode> pushDownChildren(std::unique_ptr<LogicalNode> node) {
  if (node->kind == LogicalKind::kFilter) {
    std::vector<BoundPtr> conjuncts;
    splitAnd(std::move(node->predicate), conjuncts);
    return pushDown(std::move(node->inputs[0]), std::move(conjuncts));
  }
  for (auto& input : node->inputs) input = pushDownChildren(std::move(input));
  return node;
}

std::unique_ptr<LogicalNode> pushDown(std::unique_ptr<LogicalNode> node, std::vector<BoundPtr> conjuncts) {
  switch (node->kind) {
    case LogicalKind::kFilter: {
      splitAnd(std::move(node->predicate), conjuncts);
      return pushDown(std::move(node->inputs[0]), std::move(conjuncts));
    }
    case LogicalKind::kProject: {
      std::vector<const BoundExpr*> replacements;
      bool all_deterministic = true;
      for (const BoundPtr& expr : node->expressions) {
        replacements.push_back(expr.get());
        all_deterministic = all_deterministic && deterministic(*expr);
      }
      std::vector<BoundPtr> below;
      std::vector<BoundPtr> kept;
      for (BoundPtr& conjunct : conjuncts) {
        if (all_deterministic) {
          below.push_back(substitute(*conjunct, replacements));
        } else {
          kept.push_back(std::move(conjunct));
        }
      }
      node->inputs[0] = pushDown(std::move(node->inputs[0]), std::move(below));
      return makeFilter(std::move(node), std::move(kept));
    }
    case LogicalKind::kJoin: {
      const size_t left_width = node->inputs[0]->schema.size();
      const JoinType type = node->join_type;
      std::vector<BoundPtr> left;
      std::vector<BoundPtr> right;
      std::vector<BoundPtr> kept;
      for (BoundPtr& conjunct : conjuncts) {
        std::set<size_t> columns;
        columnsOf(*conjunct, columns);
        const bool only_left = columns.empty() || *columns.rbegin() < left_width;
        const bool only_right = !columns.empty() && *columns.begin() >= left_width;
        const bool left_ok = type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kSemi ||
                             type == JoinType::kAnti;
        if (only_left && left_ok && deterministic(*conjunct)) {
          left.push_back(std::move(conjunct));
        } else if (only_right && (type == JoinType::kInner || type == JoinType::kRight) && deterministic(*conjunct)) {
          shift(*conjunct, left_width);
          right.push_back(std::move(conjunct));
        } else {
          kept.push_back(std::move(conjunct));
        }
      }
      // Inner join: conditions on one side in ON also go down that side.
      if (type == JoinType::kInner && node->predicate != nullptr) {
        std::vector<BoundPtr> on;
        splitAnd(std::move(node->predicate), on);
        std::vector<BoundPtr> on_kept;
        for (BoundPtr& conjunct : on) {
          std::set<size_t> columns;
          columnsOf(*conjunct, columns);
          if (!columns.empty() && *columns.rbegin() < left_width && deterministic(*conjunct)) {
            left.push_back(std::move(conjunct));
          } else if (!columns.empty() && *columns.begin() >= left_width && deterministic(*conjunct)) {
            shift(*conjunct, left_width);
            right.push_back(std::move(conjunct));
          } else {
            on_kept.push_back(std::move(conjunct));
          }
        }
        node->predicate = joinAnd(std::move(on_kept));
      }
      node->inputs[0] = pushDown(std::move(node->inputs[0]), std::move(left));
      node->inputs[1] = pushDown(std::move(node->inputs[1]), std::move(right));
      return makeFilter(std::move(node), std::move(kept));
    }
    case LogicalKind::kUnion: {
      for (auto& input : node->inputs) {
        std::vector<BoundPtr> copies;
        for (const BoundPtr& conjunct : conjuncts) copies.push_back(conjunct->clone());
        input = pushDown(std::move(input), std::move(copies));
      }
      return node;
    }
    case LogicalKind::kAggregate: {
      const size_t groups = node->groups.size();
      std::vector<const BoundExpr*> replacements;
      for (const BoundPtr& group : node->groups) replacements.push_back(group.get());
      std::vector<BoundPtr> below;
      std::vector<BoundPtr> kept;
      for (BoundPtr& conjunct : conjuncts) {
        if (testsOnlyKeys(*conjunct, groups, [&](size_t column) { return column < groups; })) {
          below.push_back(substitute(*conjunct, replacements));
        } else {
          kept.push_back(std::move(conjunct));
        }
      }
      node->inputs[0] = pushDown(std::move(node->inputs[0]), std::move(below));
      return makeFilter(std::move(node), std::move(kept));
    }
    case LogicalKind::kWindow: {
      // A filter on partition keys drops whole partitions: it goes below. One that bounds a
      // ranking function (`rn <= 10`) stays above and tells the operator how far to rank.
      const size_t width = node->inputs[0]->schema.size();
      const std::set<size_t> keys(node->partition_keys.begin(), node->partition_keys.end());
      std::vector<BoundPtr> below;
      std::vector<BoundPtr> kept;
      for (BoundPtr& conjunct : conjuncts) {
        if (testsOnlyKeys(*conjunct, keys.size(), [&](size_t column) { return keys.count(column) > 0; })) {
          below.push_back(std::move(conjunct));
          continue;
        }
        if (auto bound = rankBound(*conjunct, width, node->window_functions.size())) {
          if (node->rank_limit < 0 || bound->second < node->rank_limit) {
            node->rank_limit_function = bound->first;
            node->rank_limit = bound->second;
          }
        }
        kept.push_back(std::move(conjunct));
      }
      node->inputs[0] = pushDown(std::move(node->inputs[0]), std::move(below));
      return makeFilter(std::move(node), std::move(kept));
    }
    default: {
      for (auto& input : node->inputs) input = pushDownChildren(std::move(input));
      return makeFilter(std::move(node), std::move(conjuncts));
    }
  }
}

// ----- projection push-down -------------------------------------------------------------------

// Which columns (as field paths) of each node's output its parents read.
using Paths = std::set<std::vector<size_t>>;

// The field path an expression reads, if it is a column or a chain of ROW field accesses.
bool pathOf(const BoundExpr& expr, std::vector<size_t>& path) {
  if (expr.kind == BoundExprKind::kColumnRef) {
    path.push_back(expr.column_index);
    return true;
  }
  if (expr.kind == BoundExprKind::kFieldAccess) {
    if (!pathOf(*expr.children[0], path)) return false;
    path.push_back(expr.column_index);
    return true;
  }
  return false;
}

void pathsOf(const BoundExpr& expr, Paths& out) {
  std::vector<size_t> path;
  if (pathOf(expr, path)) {
    out.insert(path);
    return;
  }
  for (const auto& child : expr.children) pathsOf(*child, out);
}

Paths allColumns(const LogicalNode& node) {
  Paths paths;
  for (size_t c = 0; c < node.schema.size(); ++c) paths.insert({c});
  return paths;
}

void pushProjection(LogicalNode& node, const Paths& needed) {
  switch (node.kind) {
    case LogicalKind::kScan: {
      // Keep the shortest paths: reading a whole column covers reading its fields.
      std::vector<std::vector<size_t>> paths;
      for (const auto& path : needed) {
        bool covered = false;
        for (const auto& kept : paths) {
          covered = covered || (kept.size() <= path.size() && std::equal(kept.begin(), kept.end(), path.begin()));
        }
        if (!covered) paths.push_back(path);
      }
      node.required_columns = paths;
      node.read_all_columns = false;
      return;
    }
    case LogicalKind::kProject: {
      Paths below;
      for (const auto& path : needed) {
        if (path[0] >= node.expressions.size()) continue;
        const BoundExpr& expr = *node.expressions[path[0]];
        std::vector<size_t> source;
        if (pathOf(expr, source)) {
          source.insert(source.end(), path.begin() + 1, path.end());
          below.insert(source);
        } else {
          pathsOf(expr, below);
        }
      }
      pushProjection(*node.inputs[0], below);
      return;
    }
    case LogicalKind::kFilter: {
      Paths below = needed;
      pathsOf(*node.predicate, below);
      pushProjection(*node.inputs[0], below);
      return;
    }
    case LogicalKind::kAggregate: {
      Paths below;
      for (const auto& group : node.groups) pathsOf(*group, below);
      for (const auto& call : node.aggregates) {
        for (const auto& arg : call.arguments) pathsOf(*arg, below);
        if (call.filter) pathsOf(*call.filter, below);
      }
      pushProjection(*node.inputs[0], below);
      return;
    }
    case LogicalKind::kJoin: {
      const size_t left_width = node.inputs[0]->schema.size();
      Paths all = needed;
      if (node.join_type == JoinType::kSemi || node.join_type == JoinType::kAnti) all.clear(), all = needed;
      if (node.predicate) pathsOf(*node.predicate, all);
      Paths left;
      Paths right;
      for (auto path : all) {
        if (path[0] < left_width) {
          left.insert(path);
        } else {
          path[0] -= left_width;
          right.insert(path);
        }
      }
      pushProjection(*node.inputs[0], left);
      pushProjection(*node.inputs[1], right);
      return;
    }
    case LogicalKind::kUnion:
      for (auto& input : node.inputs) pushProjection(*input, needed);
      return;
    case LogicalKind::kSort: {
      Paths below = needed;
      for (const SortKey& key : node.order) below.insert({key.column});
      pushProjection(*node.inputs[0], below);
      return;
    }
    case LogicalKind::kWindow: {
      const size_t width = node.inputs[0]->schema.size();
      Paths below;
      for (const auto& path : needed) {
        if (path[0] < width) below.insert(path);
      }
      for (size_t key : node.partition_keys) below.insert({key});
      for (const SortKey& key : node.order) below.insert({key.column});
      pushProjection(*node.inputs[0], below);
      return;
    }
    case LogicalKind::kValues: return;
  }
}

// ----- join build side -------------------------------------------------------------------------

// What is known of a subtree's output: whether it ends, and about how many rows it has.
struct SizeEstimate {
  bool bounded = false;
  std::optional<double> rows;  // bounded subtrees only; unset when unknown
};

// The share of its input a filter is taken to keep, and a grouped aggregation to have groups
// for, when nothing better is known.
constexpr double kFilterSelectivity = 0.5;
constexpr double kGroupsPerRow = 0.5;

std::optional<double> scaled(const std::optional<double>& rows, double factor) {
  if (!rows) return std::nullopt;
  return *rows * factor;
}

JoinBuildSide chooseBuildSide(const SizeEstimate& left, const SizeEstimate& right) {
  if (left.bounded && !right.bounded) return JoinBuildSide::kLeft;
  if (!left.bounded && right.bounded) return JoinBuildSide::kRight;
  if (!left.bounded) return JoinBuildSide::kNone;
  if (left.rows && right.rows && *left.rows < *right.rows) return JoinBuildSide::kLeft;
  return JoinBuildSide::kRight;
}

// Estimates `node`'s output, choosing the build side of every join on the way up.
SizeEstimate chooseBuildSides(LogicalNode& node, const OptimizerContext& context) {
  std::vector<SizeEstimate> inputs;
  for (auto& input : node.inputs) inputs.push_back(chooseBuildSides(*input, context));
  SizeEstimate out;
  switch (node.kind) {
    case LogicalKind::kScan: {
      if (!context.statistics || node.table == nullptr) return out;
      const SourceStatistics statistics = context.statistics(*node.table);
      out.bounded = statistics.bounded;
      if (out.bounded) out.rows = statistics.rows;
      return out;
    }
    case LogicalKind::kValues:
      out.bounded = true;
      out.rows = static_cast<double>(node.rows.size());
      return out;
    case LogicalKind::kFilter:
      out.bounded = inputs[0].bounded;
      out.rows = scaled(inputs[0].rows, kFilterSelectivity);
      return out;
    case LogicalKind::kProject: return inputs[0];
    case LogicalKind::kAggregate:
      out.bounded = inputs[0].bounded;
      out.rows = node.groups.empty() ? std::optional<double>(1) : scaled(inputs[0].rows, kGroupsPerRow);
      return out;
    case LogicalKind::kUnion: {
      out.bounded = true;
      double rows = 0;
      bool known = true;
      for (const SizeEstimate& input : inputs) {
        out.bounded = out.bounded && input.bounded;
        known = known && input.rows.has_value();
        if (input.rows) rows += *input.rows;
      }
      if (known && out.bounded) out.rows = rows;
      return out;
    }
    case LogicalKind::kJoin: {
      const SizeEstimate& left = inputs[0];
      const SizeEstimate& right = inputs[1];
      node.build_side = chooseBuildSide(left, right);
      out.bounded = left.bounded && right.bounded;
      if (!out.bounded) return out;
      if (node.join_type == JoinType::kSemi || node.join_type == JoinType::kAnti) {
        out.rows = left.rows;
      } else if (!left.rows || !right.rows) {
        return out;
      } else if (node.predicate == nullptr) {
        out.rows = *left.rows * *right.rows;
      } else {
        out.rows = std::max(*left.rows, *right.rows);
      }
      return out;
    }
    case LogicalKind::kWindow:
      out = inputs[0];
      if (out.rows && node.rank_limit >= 0 && node.partition_keys.empty()) {
        out.rows = std::min(*out.rows, static_cast<double>(node.rank_limit));
      }
      return out;
    case LogicalKind::kSort:
      out = inputs[0];
      if (out.rows && node.limit >= 0) out.rows = std::min(*out.rows, static_cast<double>(node.limit));
      return out;
  }
  return out;
}

}  // namespace

Status optimize(LogicalNode& plan, const OptimizerContext& context) {
  CAUDAL_RETURN_IF_ERROR(foldConstants(plan));
  // Push-down rebuilds subtrees: work on a moved-out copy of the root, then move it back.
  auto root = std::make_unique<LogicalNode>(std::move(plan));
  root = pushDownChildren(std::move(root));
  plan = std::move(*root);
  pushProjection(plan, allColumns(plan));
  chooseBuildSides(plan, context);
  return Status::ok();
}

}  // namespace caudal::sql
