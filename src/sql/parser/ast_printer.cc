#include "sql/parser/ast_printer.h"

#include "sql/parser/keywords.h"

namespace caudal::sql::ast {
namespace {

// Binding strength of an expression's outermost operator; an operand weaker than its context
// needs parentheses. Mirrors the parser's levels.
enum Precedence : int {
  kOrLevel = 1,
  kAndLevel = 2,
  kNotLevel = 3,
  kComparisonLevel = 4,  // = <> < IS BETWEEN LIKE IN
  kAdditiveLevel = 5,    // + - ||
  kMultiplicativeLevel = 6,
  kUnaryLevel = 7,  // prefix + -
  kPrimaryLevel = 8,
};

int precedenceOf(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kBinary:
      switch (expr.as<Binary>().op) {
        case BinaryOperator::kOr: return kOrLevel;
        case BinaryOperator::kAnd: return kAndLevel;
        case BinaryOperator::kAdd:
        case BinaryOperator::kSubtract:
        case BinaryOperator::kConcat: return kAdditiveLevel;
        case BinaryOperator::kMultiply:
        case BinaryOperator::kDivide:
        case BinaryOperator::kModulo: return kMultiplicativeLevel;
        default: return kComparisonLevel;
      }
    case ExprKind::kUnary:
      return expr.as<Unary>().op == UnaryOperator::kNot ? kNotLevel : kUnaryLevel;
    case ExprKind::kIsTest:
    case ExprKind::kBetween:
    case ExprKind::kLike:
    case ExprKind::kInList:
    case ExprKind::kInSubquery:
      return kComparisonLevel;
    default:
      return kPrimaryLevel;
  }
}

bool isBareIdentifier(std::string_view text) {
  if (text.empty() || isReservedWord(text)) return false;
  auto start = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  if (!start(text[0])) return false;
  for (char c : text) {
    if (!start(c) && !(c >= '0' && c <= '9') && c != '$') return false;
  }
  // X'..' would lex as a byte string only with a quote after it; a bare X is fine.
  return true;
}

int setPrecedence(const Query& query) {
  if (query.kind != QueryKind::kSetOperation) return 3;
  return query.as<SetOperation>().op == SetOperator::kIntersect ? 2 : 1;
}

class Printer {
 public:
  std::string take() { return std::move(out_); }

  void identifier(const Identifier& id) {
    if (!id.quoted && isBareIdentifier(id.text)) {
      out_.append(id.text);
      return;
    }
    out_.push_back('`');
    for (char c : id.text) {
      if (c == '`') out_.push_back('`');
      out_.push_back(c);
    }
    out_.push_back('`');
  }

  void name(const QualifiedName& name) {
    for (size_t i = 0; i < name.size(); ++i) {
      if (i > 0) out_.push_back('.');
      identifier(name[i]);
    }
  }

  void identifierList(const std::vector<Identifier>& list) {
    out_.push_back('(');
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_.append(", ");
      identifier(list[i]);
    }
    out_.push_back(')');
  }

  void string(std::string_view value) {
    out_.push_back('\'');
    for (char c : value) {
      if (c == '\'') out_.push_back('\'');
      out_.push_back(c);
    }
    out_.push_back('\'');
  }

  // --- Types --------------------------------------------------------------------------------

  void interval(const IntervalQualifier& qualifier) {
    out_.append(timeUnitName(qualifier.start));
    if (qualifier.start_precision) {
      out_.push_back('(');
      out_.append(std::to_string(*qualifier.start_precision));
      if (!qualifier.end && qualifier.fractional_precision) {
        out_.append(", ").append(std::to_string(*qualifier.fractional_precision));
      }
      out_.push_back(')');
    }
    if (qualifier.end) {
      out_.append(" TO ").append(timeUnitName(*qualifier.end));
      if (qualifier.fractional_precision) {
        out_.push_back('(');
        out_.append(std::to_string(*qualifier.fractional_precision));
        out_.push_back(')');
      }
    }
  }

  void parameters(const DataType& type) {
    if (type.parameters.empty()) return;
    out_.push_back('(');
    for (size_t i = 0; i < type.parameters.size(); ++i) {
      if (i > 0) out_.append(", ");
      out_.append(std::to_string(type.parameters[i]));
    }
    out_.push_back(')');
  }

  void dataType(const DataType& type) {
    switch (type.kind) {
      case TypeKind::kBoolean: out_.append("BOOLEAN"); break;
      case TypeKind::kTinyInt: out_.append("TINYINT"); break;
      case TypeKind::kSmallInt: out_.append("SMALLINT"); break;
      case TypeKind::kInt: out_.append("INT"); break;
      case TypeKind::kBigInt: out_.append("BIGINT"); break;
      case TypeKind::kFloat: out_.append("FLOAT"); break;
      case TypeKind::kDouble: out_.append("DOUBLE"); break;
      case TypeKind::kDecimal: out_.append("DECIMAL"); break;
      case TypeKind::kChar: out_.append("CHAR"); break;
      case TypeKind::kVarChar: out_.append("VARCHAR"); break;
      case TypeKind::kString: out_.append("STRING"); break;
      case TypeKind::kBinary: out_.append("BINARY"); break;
      case TypeKind::kVarBinary: out_.append("VARBINARY"); break;
      case TypeKind::kBytes: out_.append("BYTES"); break;
      case TypeKind::kDate: out_.append("DATE"); break;
      case TypeKind::kTime: out_.append("TIME"); break;
      case TypeKind::kTimestamp: out_.append("TIMESTAMP"); break;
      case TypeKind::kTimestampLtz: out_.append("TIMESTAMP_LTZ"); break;
      case TypeKind::kInterval:
        out_.append("INTERVAL ");
        interval(type.interval);
        break;
      case TypeKind::kRow:
        out_.append("ROW<");
        for (size_t i = 0; i < type.fields.size(); ++i) {
          if (i > 0) out_.append(", ");
          identifier(type.fields[i].name);
          out_.push_back(' ');
          dataType(*type.fields[i].type);
          if (type.fields[i].description) {
            out_.push_back(' ');
            string(*type.fields[i].description);
          }
        }
        out_.push_back('>');
        break;
      case TypeKind::kArray:
      case TypeKind::kMultiset:
      case TypeKind::kMap:
        out_.append(type.kind == TypeKind::kArray      ? "ARRAY<"
                    : type.kind == TypeKind::kMultiset ? "MULTISET<"
                                                       : "MAP<");
        for (size_t i = 0; i < type.element_types.size(); ++i) {
          if (i > 0) out_.append(", ");
          dataType(*type.element_types[i]);
        }
        out_.push_back('>');
        break;
    }
    parameters(type);
    if (type.not_null) out_.append(" NOT NULL");
  }

  // --- Expressions --------------------------------------------------------------------------

  // `expr`, parenthesized when it binds weaker than `context`.
  void expr(const Expr& e, int context = 0) {
    bool parens = precedenceOf(e) < context;
    if (parens) out_.push_back('(');
    exprBody(e);
    if (parens) out_.push_back(')');
  }

  void exprList(const std::vector<ExprPtr>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_.append(", ");
      expr(*list[i]);
    }
  }

  void literal(const Literal& literal) {
    switch (literal.literal_kind) {
      case LiteralKind::kNull: out_.append("NULL"); break;
      case LiteralKind::kBoolean: out_.append(literal.boolean_value ? "TRUE" : "FALSE"); break;
      case LiteralKind::kUnknown: out_.append("UNKNOWN"); break;
      case LiteralKind::kInteger:
      case LiteralKind::kDecimal:
      case LiteralKind::kApproximate: out_.append(literal.text); break;
      case LiteralKind::kString: string(literal.text); break;
      case LiteralKind::kBinary:
        out_.append("X'").append(literal.text).push_back('\'');
        break;
      case LiteralKind::kDate:
        out_.append("DATE ");
        string(literal.text);
        break;
      case LiteralKind::kTime:
        out_.append("TIME ");
        string(literal.text);
        break;
      case LiteralKind::kTimestamp:
        out_.append("TIMESTAMP ");
        string(literal.text);
        break;
      case LiteralKind::kTimestampLtz:
        out_.append("TIMESTAMP_LTZ ");
        string(literal.text);
        break;
      case LiteralKind::kInterval:
        out_.append("INTERVAL ");
        string(literal.text);
        out_.push_back(' ');
        interval(literal.interval);
        break;
    }
  }

  void orderItems(const std::vector<OrderItem>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out_.append(", ");
      expr(*items[i].expr);
      if (items[i].direction == SortDirection::kAscending) out_.append(" ASC");
      if (items[i].direction == SortDirection::kDescending) out_.append(" DESC");
      if (items[i].nulls == NullOrdering::kNullsFirst) out_.append(" NULLS FIRST");
      if (items[i].nulls == NullOrdering::kNullsLast) out_.append(" NULLS LAST");
    }
  }

  void frameBound(const FrameBound& bound) {
    switch (bound.kind) {
      case FrameBoundKind::kUnboundedPreceding: out_.append("UNBOUNDED PRECEDING"); break;
      case FrameBoundKind::kUnboundedFollowing: out_.append("UNBOUNDED FOLLOWING"); break;
      case FrameBoundKind::kCurrentRow: out_.append("CURRENT ROW"); break;
      case FrameBoundKind::kPreceding:
      case FrameBoundKind::kFollowing:
        expr(*bound.offset, kAdditiveLevel);
        out_.append(bound.kind == FrameBoundKind::kPreceding ? " PRECEDING" : " FOLLOWING");
        break;
    }
  }

  void windowSpec(const WindowSpec& spec) {
    out_.push_back('(');
    bool space = false;
    if (!spec.partition_by.empty()) {
      out_.append("PARTITION BY ");
      exprList(spec.partition_by);
      space = true;
    }
    if (!spec.order_by.empty()) {
      if (space) out_.push_back(' ');
      out_.append("ORDER BY ");
      orderItems(spec.order_by);
      space = true;
    }
    if (spec.frame) {
      if (space) out_.push_back(' ');
      out_.append(spec.frame->unit == FrameUnit::kRows ? "ROWS " : "RANGE ");
      if (spec.frame->end) {
        out_.append("BETWEEN ");
        frameBound(spec.frame->start);
        out_.append(" AND ");
        frameBound(*spec.frame->end);
      } else {
        frameBound(spec.frame->start);
      }
    }
    out_.push_back(')');
  }

  void functionCall(const FunctionCall& call) {
    if (call.syntax == CallSyntax::kNiladic) {
      // CURRENT_TIMESTAMP and friends are reserved words: never quote them.
      out_.append(toUpperAscii(call.name.back().text));
      return;
    }
    name(call.name);
    out_.push_back('(');
    if (call.syntax == CallSyntax::kKeywords) {
      std::string upper = toUpperAscii(call.name.back().text);
      if (upper == "POSITION" && call.args.size() == 2) {
        expr(*call.args[0], kAdditiveLevel);
        out_.append(" IN ");
        expr(*call.args[1]);
      } else if (upper == "OVERLAY" && call.args.size() >= 3) {
        expr(*call.args[0]);
        out_.append(" PLACING ");
        expr(*call.args[1]);
        out_.append(" FROM ");
        expr(*call.args[2]);
        if (call.args.size() > 3) {
          out_.append(" FOR ");
          expr(*call.args[3]);
        }
      } else if (call.args.size() >= 2) {  // SUBSTRING
        expr(*call.args[0]);
        out_.append(" FROM ");
        expr(*call.args[1]);
        if (call.args.size() > 2) {
          out_.append(" FOR ");
          expr(*call.args[2]);
        }
      } else {
        exprList(call.args);
      }
    } else {
      if (call.distinct) out_.append("DISTINCT ");
      exprList(call.args);
    }
    out_.push_back(')');
    if (call.filter) {
      out_.append(" FILTER (WHERE ");
      expr(*call.filter);
      out_.push_back(')');
    }
    if (call.over) {
      out_.append(" OVER ");
      windowSpec(*call.over);
    }
  }

  void exprBody(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        literal(e.as<Literal>());
        break;
      case ExprKind::kColumnRef:
        name(e.as<ColumnRef>().names);
        break;
      case ExprKind::kStar: {
        const auto& star = e.as<Star>();
        for (const Identifier& part : star.qualifier) {
          identifier(part);
          out_.push_back('.');
        }
        out_.push_back('*');
        break;
      }
      case ExprKind::kUnary: {
        const auto& unary = e.as<Unary>();
        if (unary.op == UnaryOperator::kNot) {
          out_.append("NOT ");
          expr(*unary.operand, kNotLevel);
        } else {
          out_.push_back(unary.op == UnaryOperator::kNegate ? '-' : '+');
          // `- -x` must not become the comment `--x`; a space (not parentheses, which would
          // nest deeper than the input did) keeps the signs apart.
          if (unary.operand->kind == ExprKind::kUnary) out_.push_back(' ');
          expr(*unary.operand, kUnaryLevel);
        }
        break;
      }
      case ExprKind::kBinary: {
        const auto& binary = e.as<Binary>();
        int level = precedenceOf(e);
        expr(*binary.left, level);
        out_.push_back(' ');
        out_.append(binaryOperatorName(binary.op));
        out_.push_back(' ');
        expr(*binary.right, level == kComparisonLevel ? kAdditiveLevel : level + 1);
        break;
      }
      case ExprKind::kIsTest: {
        const auto& test = e.as<IsTest>();
        expr(*test.operand, kComparisonLevel);
        out_.append(test.negated ? " IS NOT " : " IS ");
        switch (test.condition) {
          case IsCondition::kNull: out_.append("NULL"); break;
          case IsCondition::kTrue: out_.append("TRUE"); break;
          case IsCondition::kFalse: out_.append("FALSE"); break;
          case IsCondition::kUnknown: out_.append("UNKNOWN"); break;
        }
        break;
      }
      case ExprKind::kBetween: {
        const auto& between = e.as<Between>();
        expr(*between.operand, kComparisonLevel);
        out_.append(between.negated ? " NOT BETWEEN " : " BETWEEN ");
        if (between.symmetric) out_.append("SYMMETRIC ");
        expr(*between.low, kAdditiveLevel);
        out_.append(" AND ");
        expr(*between.high, kAdditiveLevel);
        break;
      }
      case ExprKind::kLike: {
        const auto& like = e.as<Like>();
        expr(*like.operand, kComparisonLevel);
        out_.append(like.negated ? " NOT" : "");
        out_.append(like.similar ? " SIMILAR TO " : " LIKE ");
        expr(*like.pattern, kAdditiveLevel);
        if (like.escape) {
          out_.append(" ESCAPE ");
          expr(*like.escape, kAdditiveLevel);
        }
        break;
      }
      case ExprKind::kInList: {
        const auto& in = e.as<InList>();
        expr(*in.operand, kComparisonLevel);
        out_.append(in.negated ? " NOT IN (" : " IN (");
        exprList(in.list);
        out_.push_back(')');
        break;
      }
      case ExprKind::kInSubquery: {
        const auto& in = e.as<InSubquery>();
        expr(*in.operand, kComparisonLevel);
        out_.append(in.negated ? " NOT IN (" : " IN (");
        query(*in.query);
        out_.push_back(')');
        break;
      }
      case ExprKind::kExists:
        out_.append("EXISTS (");
        query(*e.as<Exists>().query);
        out_.push_back(')');
        break;
      case ExprKind::kScalarSubquery:
        out_.push_back('(');
        query(*e.as<ScalarSubquery>().query);
        out_.push_back(')');
        break;
      case ExprKind::kCase: {
        const auto& case_expr = e.as<Case>();
        out_.append("CASE");
        if (case_expr.operand) {
          out_.push_back(' ');
          expr(*case_expr.operand);
        }
        for (const WhenClause& when : case_expr.whens) {
          out_.append(" WHEN ");
          expr(*when.when);
          out_.append(" THEN ");
          expr(*when.then);
        }
        if (case_expr.else_result) {
          out_.append(" ELSE ");
          expr(*case_expr.else_result);
        }
        out_.append(" END");
        break;
      }
      case ExprKind::kCast: {
        const auto& cast = e.as<Cast>();
        out_.append(cast.try_cast ? "TRY_CAST(" : "CAST(");
        expr(*cast.operand);
        out_.append(" AS ");
        dataType(*cast.type);
        out_.push_back(')');
        break;
      }
      case ExprKind::kFunctionCall:
        functionCall(e.as<FunctionCall>());
        break;
      case ExprKind::kExtract: {
        const auto& extract = e.as<Extract>();
        out_.append("EXTRACT(").append(timeUnitName(extract.unit)).append(" FROM ");
        expr(*extract.operand);
        out_.push_back(')');
        break;
      }
      case ExprKind::kTrim: {
        const auto& trim = e.as<Trim>();
        out_.append(trim.mode == TrimMode::kBoth      ? "TRIM(BOTH "
                    : trim.mode == TrimMode::kLeading ? "TRIM(LEADING "
                                                      : "TRIM(TRAILING ");
        if (trim.characters) {
          expr(*trim.characters);
          out_.push_back(' ');
        }
        out_.append("FROM ");
        expr(*trim.operand);
        out_.push_back(')');
        break;
      }
      case ExprKind::kConstructor: {
        const auto& constructor = e.as<Constructor>();
        switch (constructor.constructor) {
          case ConstructorKind::kArray:
            out_.append("ARRAY[");
            exprList(constructor.elements);
            out_.push_back(']');
            break;
          case ConstructorKind::kMap:
            out_.append("MAP[");
            exprList(constructor.elements);
            out_.push_back(']');
            break;
          case ConstructorKind::kRow:
            out_.append(constructor.implicit_row ? "(" : "ROW(");
            exprList(constructor.elements);
            out_.push_back(')');
            break;
        }
        break;
      }
      case ExprKind::kSubscript: {
        const auto& subscript = e.as<Subscript>();
        expr(*subscript.base, kPrimaryLevel);
        out_.push_back('[');
        expr(*subscript.index);
        out_.push_back(']');
        break;
      }
      case ExprKind::kFieldAccess: {
        const auto& access = e.as<FieldAccess>();
        // A column path would absorb the field (`(a).b` is not `a.b`), a number would take
        // the dot as its decimal point; other primaries can take `.field` as they are.
        ExprKind base = access.base->kind;
        bool parens = base == ExprKind::kColumnRef || base == ExprKind::kLiteral ||
                      precedenceOf(*access.base) < kPrimaryLevel;
        if (parens) out_.push_back('(');
        expr(*access.base);
        if (parens) out_.push_back(')');
        out_.push_back('.');
        identifier(access.field);
        break;
      }
      case ExprKind::kNamedArgument: {
        const auto& named = e.as<NamedArgument>();
        identifier(named.name);
        out_.append(" => ");
        expr(*named.value);
        break;
      }
      case ExprKind::kTableArgument: {
        const auto& table = e.as<TableArgument>();
        out_.append("TABLE ");
        name(table.table);
        if (table.partition_by.size() == 1) {
          out_.append(" PARTITION BY ");
          expr(*table.partition_by[0]);
        } else if (!table.partition_by.empty()) {
          out_.append(" PARTITION BY (");
          exprList(table.partition_by);
          out_.push_back(')');
        }
        break;
      }
      case ExprKind::kDescriptor:
        out_.append("DESCRIPTOR");
        identifierList(e.as<Descriptor>().columns);
        break;
      case ExprKind::kGroupingSets: {
        const auto& sets = e.as<GroupingSets>();
        out_.append(sets.grouping == GroupingKind::kGroupingSets ? "GROUPING SETS ("
                    : sets.grouping == GroupingKind::kRollup     ? "ROLLUP ("
                                                                 : "CUBE (");
        exprList(sets.elements);
        out_.push_back(')');
        break;
      }
    }
  }

  // --- Queries ------------------------------------------------------------------------------

  void query(const Query& q) {
    if (!q.with.empty()) {
      out_.append("WITH ");
      for (size_t i = 0; i < q.with.size(); ++i) {
        if (i > 0) out_.append(", ");
        const CommonTableExpr& cte = q.with[i];
        identifier(cte.name);
        if (!cte.columns.empty()) {
          out_.push_back(' ');
          identifierList(cte.columns);
        }
        out_.append(" AS (");
        query(*cte.query);
        out_.push_back(')');
      }
      out_.push_back(' ');
    }
    switch (q.kind) {
      case QueryKind::kSelect:
        select(q.as<SelectQuery>());
        break;
      case QueryKind::kSetOperation: {
        const auto& set = q.as<SetOperation>();
        int level = setPrecedence(q);
        setOperand(*set.left, setPrecedence(*set.left) < level);
        out_.append(set.op == SetOperator::kUnion       ? " UNION "
                    : set.op == SetOperator::kIntersect ? " INTERSECT "
                                                        : " EXCEPT ");
        if (set.all) out_.append("ALL ");
        setOperand(*set.right, setPrecedence(*set.right) <= level);
        break;
      }
      case QueryKind::kValues: {
        out_.append("VALUES ");
        const auto& rows = q.as<ValuesQuery>().rows;
        for (size_t i = 0; i < rows.size(); ++i) {
          if (i > 0) out_.append(", ");
          out_.push_back('(');
          exprList(rows[i]);
          out_.push_back(')');
        }
        break;
      }
    }
    if (!q.order_by.empty()) {
      out_.append(" ORDER BY ");
      orderItems(q.order_by);
    }
    if (q.limit) {
      out_.append(" LIMIT ");
      expr(*q.limit);
    }
    if (q.offset) {
      out_.append(" OFFSET ");
      expr(*q.offset);
    }
  }

  void setOperand(const Query& operand, bool weaker) {
    bool parens = weaker || operand.hasClauses();
    if (parens) out_.push_back('(');
    query(operand);
    if (parens) out_.push_back(')');
  }

  void select(const SelectQuery& select) {
    out_.append(select.distinct ? "SELECT DISTINCT " : "SELECT ");
    for (size_t i = 0; i < select.items.size(); ++i) {
      if (i > 0) out_.append(", ");
      expr(*select.items[i].expr);
      if (select.items[i].alias) {
        out_.append(" AS ");
        identifier(*select.items[i].alias);
      }
    }
    if (select.from) {
      out_.append(" FROM ");
      tableRef(*select.from);
    }
    if (select.where) {
      out_.append(" WHERE ");
      expr(*select.where);
    }
    if (!select.group_by.empty()) {
      out_.append(" GROUP BY ");
      exprList(select.group_by);
    }
    if (select.having) {
      out_.append(" HAVING ");
      expr(*select.having);
    }
  }

  void alias(const TableRef& ref) {
    if (!ref.alias) return;
    out_.append(" AS ");
    identifier(*ref.alias);
    if (!ref.column_aliases.empty()) {
      out_.push_back(' ');
      identifierList(ref.column_aliases);
    }
  }

  void tableRef(const TableRef& ref) {
    switch (ref.kind) {
      case TableRefKind::kNamedTable: {
        const auto& table = ref.as<NamedTableRef>();
        name(table.name);
        if (table.system_time) {
          out_.append(" FOR SYSTEM_TIME AS OF ");
          expr(*table.system_time);
        }
        alias(ref);
        break;
      }
      case TableRefKind::kSubquery: {
        const auto& subquery = ref.as<SubqueryRef>();
        if (subquery.lateral) out_.append("LATERAL ");
        out_.push_back('(');
        query(*subquery.query);
        out_.push_back(')');
        alias(ref);
        break;
      }
      case TableRefKind::kTableFunction: {
        const auto& function = ref.as<TableFunctionRef>();
        if (function.lateral) out_.append("LATERAL ");
        out_.append("TABLE(");
        functionCall(*function.call);
        out_.push_back(')');
        alias(ref);
        break;
      }
      case TableRefKind::kJoin: {
        const auto& join = ref.as<JoinRef>();
        bool comma = join.join_type == JoinType::kComma;
        auto isComma = [](const TableRef& side) {
          return side.kind == TableRefKind::kJoin &&
                 side.as<JoinRef>().join_type == JoinType::kComma;
        };
        bool left_parens = !comma && isComma(*join.left);
        bool right_parens = join.right->kind == TableRefKind::kJoin && (!comma || isComma(*join.right));
        if (left_parens) out_.push_back('(');
        tableRef(*join.left);
        if (left_parens) out_.push_back(')');
        if (comma) {
          out_.append(", ");
        } else {
          out_.append(join.natural ? " NATURAL " : " ");
          switch (join.join_type) {
            case JoinType::kInner: out_.append("JOIN "); break;
            case JoinType::kLeft: out_.append("LEFT JOIN "); break;
            case JoinType::kRight: out_.append("RIGHT JOIN "); break;
            case JoinType::kFull: out_.append("FULL JOIN "); break;
            case JoinType::kCross: out_.append("CROSS JOIN "); break;
            case JoinType::kComma: break;
          }
        }
        if (right_parens) out_.push_back('(');
        tableRef(*join.right);
        if (right_parens) out_.push_back(')');
        if (join.condition) {
          out_.append(" ON ");
          expr(*join.condition);
        } else if (!join.using_columns.empty()) {
          out_.append(" USING ");
          identifierList(join.using_columns);
        }
        break;
      }
    }
  }

  // --- Statements ---------------------------------------------------------------------------

  void statement(const Statement& s) {
    switch (s.kind) {
      case StatementKind::kQuery:
        query(*s.as<QueryStatement>().query);
        break;
      case StatementKind::kCreateTable:
        createTable(s.as<CreateTable>());
        break;
      case StatementKind::kCreateView: {
        const auto& view = s.as<CreateView>();
        out_.append(view.temporary ? "CREATE TEMPORARY VIEW " : "CREATE VIEW ");
        if (view.if_not_exists) out_.append("IF NOT EXISTS ");
        name(view.name);
        if (!view.columns.empty()) {
          out_.push_back(' ');
          identifierList(view.columns);
        }
        if (view.comment) {
          out_.append(" COMMENT ");
          string(*view.comment);
        }
        out_.append(" AS ");
        query(*view.query);
        break;
      }
      case StatementKind::kCreateFunction: {
        const auto& function = s.as<CreateFunction>();
        out_.append("CREATE ");
        if (function.temporary) out_.append("TEMPORARY ");
        if (function.system) out_.append("SYSTEM ");
        out_.append("FUNCTION ");
        if (function.if_not_exists) out_.append("IF NOT EXISTS ");
        name(function.name);
        out_.append(" AS ");
        string(function.class_name);
        if (function.language) {
          out_.append(" LANGUAGE ");
          identifier(*function.language);
        }
        break;
      }
      case StatementKind::kDrop: {
        const auto& drop = s.as<Drop>();
        out_.append("DROP ");
        if (drop.temporary) out_.append("TEMPORARY ");
        if (drop.system) out_.append("SYSTEM ");
        out_.append(drop.object == ObjectKind::kTable  ? "TABLE "
                    : drop.object == ObjectKind::kView ? "VIEW "
                                                       : "FUNCTION ");
        if (drop.if_exists) out_.append("IF EXISTS ");
        name(drop.name);
        break;
      }
      case StatementKind::kInsert:
        insert(s.as<Insert>());
        break;
      case StatementKind::kStatementSet:
        out_.append("EXECUTE STATEMENT SET BEGIN ");
        for (const auto& each : s.as<StatementSet>().inserts) {
          insert(*each);
          out_.append("; ");
        }
        out_.append("END");
        break;
      case StatementKind::kSet: {
        const auto& set = s.as<SetOption>();
        out_.append("SET");
        if (set.option) {
          out_.push_back(' ');
          string(set.option->key);
          out_.append(" = ");
          string(set.option->value);
        }
        break;
      }
      case StatementKind::kReset: {
        const auto& reset = s.as<ResetOption>();
        out_.append("RESET");
        if (reset.key) {
          out_.push_back(' ');
          string(*reset.key);
        }
        break;
      }
      case StatementKind::kShow:
        switch (s.as<Show>().what) {
          case ShowKind::kTables: out_.append("SHOW TABLES"); break;
          case ShowKind::kViews: out_.append("SHOW VIEWS"); break;
          case ShowKind::kFunctions: out_.append("SHOW FUNCTIONS"); break;
          case ShowKind::kDatabases: out_.append("SHOW DATABASES"); break;
          case ShowKind::kCatalogs: out_.append("SHOW CATALOGS"); break;
        }
        break;
      case StatementKind::kDescribe:
        out_.append("DESCRIBE ");
        name(s.as<Describe>().name);
        break;
      case StatementKind::kExplain:
        out_.append("EXPLAIN ");
        statement(*s.as<Explain>().statement);
        break;
    }
  }

  void insert(const Insert& insert) {
    out_.append(insert.overwrite ? "INSERT OVERWRITE " : "INSERT INTO ");
    name(insert.table);
    if (!insert.columns.empty()) {
      out_.push_back(' ');
      identifierList(insert.columns);
    }
    out_.push_back(' ');
    query(*insert.query);
  }

  void createTable(const CreateTable& create) {
    out_.append(create.temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ");
    if (create.if_not_exists) out_.append("IF NOT EXISTS ");
    name(create.name);
    bool any_element = !create.columns.empty() || create.watermark || create.primary_key;
    if (any_element) {
      out_.append(" (");
      bool first = true;
      auto separator = [&] {
        if (!first) out_.append(", ");
        first = false;
      };
      for (const ColumnDefinition& column : create.columns) {
        separator();
        identifier(column.name);
        if (column.column_kind == ColumnKind::kComputed) {
          out_.append(" AS ");
          expr(*column.expr);
        } else {
          out_.push_back(' ');
          dataType(*column.type);
          if (column.column_kind == ColumnKind::kMetadata) {
            out_.append(" METADATA");
            if (column.metadata_key) {
              out_.append(" FROM ");
              string(*column.metadata_key);
            }
            if (column.is_virtual) out_.append(" VIRTUAL");
          }
        }
        if (column.comment) {
          out_.append(" COMMENT ");
          string(*column.comment);
        }
      }
      if (create.watermark) {
        separator();
        out_.append("WATERMARK FOR ");
        identifier(create.watermark->column);
        out_.append(" AS ");
        expr(*create.watermark->expr);
      }
      if (create.primary_key) {
        separator();
        if (create.primary_key->constraint_name) {
          out_.append("CONSTRAINT ");
          identifier(*create.primary_key->constraint_name);
          out_.push_back(' ');
        }
        out_.append("PRIMARY KEY ");
        identifierList(create.primary_key->columns);
        if (create.primary_key->not_enforced) out_.append(" NOT ENFORCED");
      }
      out_.push_back(')');
    }
    if (create.comment) {
      out_.append(" COMMENT ");
      string(*create.comment);
    }
    if (!create.partitioned_by.empty()) {
      out_.append(" PARTITIONED BY ");
      identifierList(create.partitioned_by);
    }
    if (!create.options.empty()) {
      out_.append(" WITH (");
      for (size_t i = 0; i < create.options.size(); ++i) {
        if (i > 0) out_.append(", ");
        string(create.options[i].key);
        out_.append(" = ");
        string(create.options[i].value);
      }
      out_.push_back(')');
    }
    if (create.as_query) {
      out_.append(" AS ");
      query(*create.as_query);
    }
  }

 private:
  std::string out_;
};

}  // namespace

std::string toSql(const Statement& statement) {
  Printer printer;
  printer.statement(statement);
  return printer.take();
}

std::string toSql(const std::vector<StatementPtr>& statements) {
  std::string out;
  for (const StatementPtr& statement : statements) {
    out.append(toSql(*statement)).append(";\n");
  }
  return out;
}

std::string toSql(const Query& query) {
  Printer printer;
  printer.query(query);
  return printer.take();
}

std::string toSql(const Expr& expr) {
  Printer printer;
  printer.expr(expr);
  return printer.take();
}

std::string toSql(const TableRef& table) {
  Printer printer;
  printer.tableRef(table);
  return printer.take();
}

std::string toSql(const DataType& type) {
  Printer printer;
  printer.dataType(type);
  return printer.take();
}

std::string toSql(const Identifier& identifier) {
  Printer printer;
  printer.identifier(identifier);
  return printer.take();
}

std::string quoteString(std::string_view value) {
  Printer printer;
  printer.string(value);
  return printer.take();
}

}  // namespace caudal::sql::ast
