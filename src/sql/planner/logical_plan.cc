#include "sql/planner/logical_plan.h"

#include "sql/catalog/catalog.h"

namespace caudal::sql {

const char* joinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "INNER";
    case JoinType::kLeft: return "LEFT";
    case JoinType::kRight: return "RIGHT";
    case JoinType::kFull: return "FULL";
    case JoinType::kSemi: return "SEMI";
    case JoinType::kAnti: return "ANTI";
  }
  return "?";
}

const char* joinBuildSideName(JoinBuildSide side) {
  switch (side) {
    case JoinBuildSide::kNone: return "none";
    case JoinBuildSide::kLeft: return "left";
    case JoinBuildSide::kRight: return "right";
  }
  return "?";
}

const char* windowFunctionName(WindowFunction function) {
  switch (function) {
    case WindowFunction::kRowNumber: return "ROW_NUMBER";
    case WindowFunction::kRank: return "RANK";
    case WindowFunction::kDenseRank: return "DENSE_RANK";
  }
  return "?";
}

std::string AggregateCall::toString() const {
  std::string text = function->name;
  const bool shows_distinct = distinct && text.find("DISTINCT") == std::string::npos;
  text += "(";
  if (shows_distinct) text += "DISTINCT ";
  if (arguments.empty()) text += "*";
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (i > 0) text += ", ";
    text += arguments[i]->toString();
  }
  return text + ")";
}

bool LogicalNode::appendOnly() const {
  switch (kind) {
    case LogicalKind::kScan:
    case LogicalKind::kValues: return true;
    case LogicalKind::kAggregate:
    case LogicalKind::kSort:
    case LogicalKind::kWindow: return false;
    case LogicalKind::kJoin:
      if (join_type != JoinType::kInner && join_type != JoinType::kSemi) return false;
      [[fallthrough]];
    default:
      for (const auto& input : inputs) {
        if (!input->appendOnly()) return false;
      }
      return true;
  }
}

namespace {

std::string orderList(const LogicalNode& input, const std::vector<SortKey>& order) {
  std::string text;
  for (const SortKey& key : order) {
    if (!text.empty()) text += ", ";
    text += input.schema.columns[key.column].name + (key.descending ? " DESC" : " ASC");
  }
  return text;
}

std::string columnList(const Schema& schema) {
  std::string text;
  for (const Field& field : schema.columns) {
    if (!text.empty()) text += ", ";
    text += field.name;
  }
  return text;
}

void explainNode(const LogicalNode& node, int depth, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  switch (node.kind) {
    case LogicalKind::kScan: {
      out += "Scan(table=[" + (node.table ? node.table->name : std::string("?")) + "], fields=[" +
             columnList(node.schema) + "]";
      if (!node.read_all_columns) {
        std::string read;
        for (const auto& path : node.required_columns) {
          if (!read.empty()) read += ", ";
          const Field* field = &node.schema.columns[path[0]];
          std::string name = field->name;
          DataType type = field->type;
          for (size_t i = 1; i < path.size(); ++i) {
            name += "." + type.children()[path[i]].name;
            type = type.children()[path[i]].type;
          }
          read += name;
        }
        out += ", reads=[" + read + "]";
      }
      out += ")";
      break;
    }
    case LogicalKind::kValues: out += "Values(rows=" + std::to_string(node.rows.size()) + ")"; break;
    case LogicalKind::kFilter: out += "Filter(condition=[" + node.predicate->toString() + "])"; break;
    case LogicalKind::kProject: {
      out += "Project(";
      for (size_t i = 0; i < node.expressions.size(); ++i) {
        if (i > 0) out += ", ";
        const std::string expr = node.expressions[i]->toString();
        out += expr;
        if (expr != node.schema.columns[i].name) out += " AS " + node.schema.columns[i].name;
      }
      out += ")";
      break;
    }
    case LogicalKind::kAggregate: {
      out += "Aggregate(groupBy=[";
      for (size_t i = 0; i < node.groups.size(); ++i) out += (i > 0 ? ", " : "") + node.groups[i]->toString();
      out += "], select=[";
      for (size_t i = 0; i < node.aggregates.size(); ++i) out += (i > 0 ? ", " : "") + node.aggregates[i].toString();
      out += "])";
      break;
    }
    case LogicalKind::kJoin:
      out += std::string("Join(type=[") + joinTypeName(node.join_type) + "], condition=[" +
             (node.predicate ? node.predicate->toString() : std::string("true")) + "]";
      if (node.build_side != JoinBuildSide::kNone) {
        out += std::string(", build=[") + joinBuildSideName(node.build_side) + "]";
      }
      out += ")";
      break;
    case LogicalKind::kUnion: out += "Union(all=[true])"; break;
    case LogicalKind::kSort: {
      out += "Sort(orderBy=[" + orderList(*node.inputs[0], node.order) + "]";
      if (node.limit >= 0) out += ", limit=" + std::to_string(node.limit);
      if (node.offset > 0) out += ", offset=" + std::to_string(node.offset);
      out += ")";
      break;
    }
    case LogicalKind::kWindow: {
      const LogicalNode& input = *node.inputs[0];
      out += "Window(partitionBy=[";
      for (size_t i = 0; i < node.partition_keys.size(); ++i) {
        out += (i > 0 ? ", " : "") + input.schema.columns[node.partition_keys[i]].name;
      }
      out += "], orderBy=[" + orderList(input, node.order) + "], select=[";
      const size_t first = input.schema.size();
      for (size_t i = 0; i < node.window_functions.size(); ++i) {
        out += std::string(i > 0 ? ", " : "") + windowFunctionName(node.window_functions[i]) + "() AS " +
               node.schema.columns[first + i].name;
      }
      out += "]";
      if (node.rank_limit >= 0) {
        out += ", rankLimit=[" + node.schema.columns[first + node.rank_limit_function].name +
               " <= " + std::to_string(node.rank_limit) + "]";
      }
      out += ")";
      break;
    }
  }
  out += "\n";
  for (const auto& input : node.inputs) explainNode(*input, depth + 1, out);
}

}  // namespace

std::string LogicalNode::explain() const {
  std::string out;
  explainNode(*this, 0, out);
  return out;
}

}  // namespace caudal::sql
