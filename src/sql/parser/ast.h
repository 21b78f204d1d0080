// The syntax tree of the Flink SQL dialect, as the parser builds it and the binder reads it.
//
// Plain structs. Each family (Expr, Query, TableRef, Statement) has a base with a `kind`; cast
// to the concrete struct with `static_cast` after checking it (`as<T>()` does both in debug
// builds). Children are owned by `std::unique_ptr`; an optional child is a null pointer.
//
// Every node carries `position`, the line and column where it starts in the SQL text (for a
// binary operator, IS, BETWEEN, LIKE and IN: where the operator is), for error messages.
//
// The tree keeps what was written, not what it means: identifiers keep their spelling and
// whether they were quoted, literals keep their text, types keep their parameters. Resolving
// names, types and values is the binder's job.
//
// Nesting is bounded: no node is deeper than kMaxTreeHeight below its root, so code walking the
// tree may recurse (kMaxTreeHeight frames).
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/parser/source_position.h"

namespace caudal::sql::ast {

/// The largest height of a syntax tree the parser builds (a longer chain of `a OR b OR ...` or a
/// deeper nesting is an error), so that recursive walks of the tree cannot exhaust the stack.
inline constexpr int kMaxTreeHeight = 1000;

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// A name as written. Unquoted names are case-insensitive (`text` keeps the spelling; the binder
/// normalizes); a backtick-quoted name is exact and `text` holds it without quotes or escapes.
struct Identifier {
  std::string text;
  bool quoted = false;
  SourcePosition position;
};

/// A dotted name, e.g. `catalog.db.table` or `t.column`: one Identifier per part, never empty.
using QualifiedName = std::vector<Identifier>;

// ---------------------------------------------------------------------------------------------
// Data types
// ---------------------------------------------------------------------------------------------

/// The unit of an interval or of EXTRACT. Interval qualifiers use kYear..kSecond only.
enum class TimeUnit {
  kYear,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kNanosecond,
  kDayOfWeek,   ///< DOW
  kDayOfYear,   ///< DOY
  kIsoDayOfWeek,  ///< ISODOW
  kIsoYear,     ///< ISOYEAR
  kEpoch,
  kDecade,
  kCentury,
  kMillennium,
};

/// The upper-case SQL name of a unit ("YEAR", "DOW", ...).
std::string_view timeUnitName(TimeUnit unit);

/// The units of an interval literal or type: `SECOND`, `SECOND(3)`, `DAY(2) TO SECOND(3)`,
/// `YEAR TO MONTH`. Precisions are as written, unchecked.
struct IntervalQualifier {
  TimeUnit start = TimeUnit::kSecond;
  std::optional<int64_t> start_precision;  ///< `DAY(2)`: 2
  std::optional<TimeUnit> end;             ///< `DAY TO SECOND`: kSecond
  /// Digits of the fraction of a second: `SECOND(2, 3)` or `... TO SECOND(3)`: 3.
  std::optional<int64_t> fractional_precision;
};

/// Which data type a DataType names. Synonyms are merged (INT/INTEGER, DEC/NUMERIC/DECIMAL,
/// REAL/FLOAT, STRING is kept apart from VARCHAR, BYTES apart from VARBINARY).
enum class TypeKind {
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInt,
  kBigInt,
  kFloat,   ///< FLOAT, REAL
  kDouble,  ///< DOUBLE, DOUBLE PRECISION
  kDecimal,  ///< DECIMAL, DEC, NUMERIC
  kChar,     ///< CHAR, CHARACTER
  kVarChar,  ///< VARCHAR, CHARACTER VARYING
  kString,   ///< STRING (VARCHAR of maximal length)
  kBinary,
  kVarBinary,
  kBytes,  ///< BYTES (VARBINARY of maximal length)
  kDate,
  kTime,          ///< TIME [WITHOUT TIME ZONE]
  kTimestamp,     ///< TIMESTAMP [WITHOUT TIME ZONE]
  kTimestampLtz,  ///< TIMESTAMP WITH LOCAL TIME ZONE, TIMESTAMP_LTZ
  kInterval,      ///< INTERVAL <qualifier>
  kRow,           ///< ROW<name type, ...> or ROW(name type, ...)
  kArray,         ///< ARRAY<T>
  kMap,           ///< MAP<K, V>
  kMultiset,      ///< MULTISET<T>
};

struct DataType;

/// A field of a ROW type: `name type ['description']`.
struct RowField {
  Identifier name;
  std::unique_ptr<DataType> type;
  std::optional<std::string> description;
};

/// A data type as written, e.g. `DECIMAL(23, 3) NOT NULL`, `ROW<id BIGINT, name STRING>`.
struct DataType {
  TypeKind kind = TypeKind::kInt;
  /// Parenthesized parameters as written: the length of CHAR/VARCHAR/BINARY/VARBINARY, the
  /// precision of TIME/TIMESTAMP/TIMESTAMP_LTZ, precision and scale of DECIMAL. Empty when none
  /// were given (the binder applies the defaults).
  std::vector<int64_t> parameters;
  bool not_null = false;
  std::vector<RowField> fields;  ///< kRow
  /// kArray and kMultiset: the element type; kMap: key then value type.
  std::vector<std::unique_ptr<DataType>> element_types;
  IntervalQualifier interval;  ///< kInterval
  SourcePosition position;
};

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

struct Query;

/// Which struct an Expr is (the struct named after the enumerator).
enum class ExprKind {
  kLiteral,
  kColumnRef,
  kStar,
  kUnary,
  kBinary,
  kIsTest,
  kBetween,
  kLike,
  kInList,
  kInSubquery,
  kExists,
  kScalarSubquery,
  kCase,
  kCast,
  kFunctionCall,
  kExtract,
  kTrim,
  kConstructor,
  kSubscript,
  kFieldAccess,
  kNamedArgument,
  kTableArgument,
  kDescriptor,
  kGroupingSets,
};

/// Base of every expression.
struct Expr {
  explicit Expr(ExprKind k) : kind(k) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  /// This node as its concrete struct T (T::kKind must be `kind`).
  template <class T>
  T& as() {
    assert(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    assert(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const ExprKind kind;
  SourcePosition position;
  int height = 1;  ///< of the subtree rooted here; set by the parser, at most kMaxTreeHeight
};

using ExprPtr = std::unique_ptr<Expr>;

/// The kind of a Literal.
enum class LiteralKind {
  kNull,
  kBoolean,      ///< TRUE or FALSE: `boolean_value`
  kUnknown,      ///< UNKNOWN (the boolean null)
  kInteger,      ///< digits that fit in int64: `integer_value` (a larger one is kDecimal)
  kDecimal,      ///< an exact number: `text` such as "1.50" or "99999999999999999999"
  kApproximate,  ///< a number with an exponent: `text` such as "1e3"
  kString,       ///< `text` is the value (quotes removed, '' unescaped)
  kBinary,       ///< X'0AFF': `text` is the hexadecimal digits, "0AFF"
  kDate,         ///< DATE '2024-01-01': `text` is the string's value
  kTime,         ///< TIME '12:00:00'
  kTimestamp,    ///< TIMESTAMP '2024-01-01 12:00:00.123'
  kTimestampLtz,  ///< TIMESTAMP_LTZ '...'
  kInterval,      ///< INTERVAL '10' SECOND: `text` is "10", `interval` the units
};

/// A constant. Numbers are unsigned: `-1` is a kUnary minus around the literal 1.
struct Literal : Expr {
  static constexpr ExprKind kKind = ExprKind::kLiteral;
  Literal() : Expr(kKind) {}
  LiteralKind literal_kind = LiteralKind::kNull;
  /// Numbers: the digits as written; strings, dates, times, intervals: the string's value;
  /// binary: the hex digits. Empty for NULL, booleans and UNKNOWN.
  std::string text;
  int64_t integer_value = 0;  ///< kInteger
  bool boolean_value = false;  ///< kBoolean
  IntervalQualifier interval;  ///< kInterval
};

/// A dotted name in an expression: `a`, `t.a`, `t.a.field`. Which prefix names a table and which
/// suffix names ROW fields is for the binder to decide.
struct ColumnRef : Expr {
  static constexpr ExprKind kKind = ExprKind::kColumnRef;
  ColumnRef() : Expr(kKind) {}
  QualifiedName names;  ///< never empty
};

/// `*` or `t.*`: only as a select item or as the sole argument of a call (`COUNT(*)`).
struct Star : Expr {
  static constexpr ExprKind kKind = ExprKind::kStar;
  Star() : Expr(kKind) {}
  QualifiedName qualifier;  ///< `t` of `t.*`; empty for `*`
};

enum class UnaryOperator { kNot, kNegate, kPlus };

/// `NOT x`, `-x`, `+x`.
struct Unary : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  Unary() : Expr(kKind) {}
  UnaryOperator op = UnaryOperator::kNot;
  ExprPtr operand;
};

enum class BinaryOperator {
  kOr,
  kAnd,
  kEquals,
  kNotEquals,  ///< <> and !=
  kLess,
  kLessEquals,
  kGreater,
  kGreaterEquals,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
  kAdd,
  kSubtract,
  kConcat,  ///< ||
  kMultiply,
  kDivide,
  kModulo,  ///< %
};

/// The SQL spelling of an operator ("AND", "<>", "IS DISTINCT FROM", "||", ...).
std::string_view binaryOperatorName(BinaryOperator op);

/// `left op right`; `position` is the operator's.
struct Binary : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  Binary() : Expr(kKind) {}
  BinaryOperator op = BinaryOperator::kAnd;
  ExprPtr left;
  ExprPtr right;
};

enum class IsCondition { kNull, kTrue, kFalse, kUnknown };

/// `x IS [NOT] NULL|TRUE|FALSE|UNKNOWN`; `position` is the IS keyword's.
struct IsTest : Expr {
  static constexpr ExprKind kKind = ExprKind::kIsTest;
  IsTest() : Expr(kKind) {}
  IsCondition condition = IsCondition::kNull;
  bool negated = false;
  ExprPtr operand;
};

/// `x [NOT] BETWEEN [ASYMMETRIC|SYMMETRIC] low AND high`; `position` is BETWEEN's (or NOT's).
struct Between : Expr {
  static constexpr ExprKind kKind = ExprKind::kBetween;
  Between() : Expr(kKind) {}
  bool negated = false;
  bool symmetric = false;  ///< SYMMETRIC given (ASYMMETRIC is the default)
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
};

/// `x [NOT] LIKE pattern [ESCAPE e]` or `x [NOT] SIMILAR TO pattern [ESCAPE e]`.
struct Like : Expr {
  static constexpr ExprKind kKind = ExprKind::kLike;
  Like() : Expr(kKind) {}
  bool negated = false;
  bool similar = false;  ///< SIMILAR TO rather than LIKE
  ExprPtr operand;
  ExprPtr pattern;
  ExprPtr escape;  ///< null without ESCAPE
};

/// `x [NOT] IN (a, b, ...)`.
struct InList : Expr {
  static constexpr ExprKind kKind = ExprKind::kInList;
  InList() : Expr(kKind) {}
  bool negated = false;
  ExprPtr operand;
  std::vector<ExprPtr> list;  ///< never empty
};

/// `x [NOT] IN (SELECT ...)`.
struct InSubquery : Expr {
  static constexpr ExprKind kKind = ExprKind::kInSubquery;
  InSubquery() : Expr(kKind) {}
  bool negated = false;
  ExprPtr operand;
  std::unique_ptr<Query> query;
};

/// `EXISTS (SELECT ...)`.
struct Exists : Expr {
  static constexpr ExprKind kKind = ExprKind::kExists;
  Exists() : Expr(kKind) {}
  std::unique_ptr<Query> query;
};

/// `(SELECT ...)` used as a value.
struct ScalarSubquery : Expr {
  static constexpr ExprKind kKind = ExprKind::kScalarSubquery;
  ScalarSubquery() : Expr(kKind) {}
  std::unique_ptr<Query> query;
};

/// One `WHEN condition THEN result` of a CASE.
struct WhenClause {
  ExprPtr when;
  ExprPtr then;
};

/// `CASE [operand] WHEN .. THEN .. ... [ELSE ..] END`.
struct Case : Expr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  Case() : Expr(kKind) {}
  ExprPtr operand;  ///< null for a searched CASE (no operand)
  std::vector<WhenClause> whens;  ///< never empty
  ExprPtr else_result;  ///< null without ELSE
};

/// `CAST(x AS type)` or `TRY_CAST(x AS type)`.
struct Cast : Expr {
  static constexpr ExprKind kKind = ExprKind::kCast;
  Cast() : Expr(kKind) {}
  bool try_cast = false;
  ExprPtr operand;
  std::unique_ptr<DataType> type;
};

enum class SortDirection { kUnspecified, kAscending, kDescending };
enum class NullOrdering { kUnspecified, kNullsFirst, kNullsLast };

/// `expr [ASC|DESC] [NULLS FIRST|LAST]` in ORDER BY.
struct OrderItem {
  ExprPtr expr;
  SortDirection direction = SortDirection::kUnspecified;
  NullOrdering nulls = NullOrdering::kUnspecified;
};

enum class FrameUnit { kRows, kRange };
enum class FrameBoundKind {
  kUnboundedPreceding,
  kPreceding,  ///< `offset PRECEDING`
  kCurrentRow,
  kFollowing,  ///< `offset FOLLOWING`
  kUnboundedFollowing,
};

/// One end of a window frame.
struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExprPtr offset;  ///< kPreceding and kFollowing only, e.g. `10` or `INTERVAL '1' HOUR`
};

/// `ROWS|RANGE BETWEEN start AND end`, or `ROWS|RANGE start` (then `end` is empty).
struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  std::optional<FrameBound> end;
};

/// The `OVER (PARTITION BY .. ORDER BY .. frame)` of a window function call.
struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::optional<WindowFrame> frame;
};

/// How a FunctionCall was written, where it matters for printing it back.
enum class CallSyntax {
  kNormal,   ///< `f(a, b)`
  kNiladic,  ///< `CURRENT_TIMESTAMP`: no parentheses (CURRENT_DATE, CURRENT_TIME,
             ///< LOCALTIME, LOCALTIMESTAMP)
  kKeywords,  ///< keyword-separated arguments: SUBSTRING(s FROM a [FOR b]) → args {s, a[, b]},
              ///< POSITION(a IN b) → {a, b}, OVERLAY(s PLACING r FROM a [FOR b]) → {s, r, a[, b]}
};

/// A call of a scalar, aggregate, window or table function: `name([DISTINCT] args)
/// [FILTER (WHERE ..)] [OVER (..)]`. Arguments may be Star (`COUNT(*)`), and in table function
/// calls NamedArgument, TableArgument and Descriptor.
struct FunctionCall : Expr {
  static constexpr ExprKind kKind = ExprKind::kFunctionCall;
  FunctionCall() : Expr(kKind) {}
  QualifiedName name;  ///< as written: `count`, `DATE_FORMAT`, `mydb.myfunc`
  CallSyntax syntax = CallSyntax::kNormal;
  bool distinct = false;  ///< `f(DISTINCT x)`
  std::vector<ExprPtr> args;
  ExprPtr filter;  ///< `FILTER (WHERE filter)`; null when absent
  std::unique_ptr<WindowSpec> over;  ///< null when not a window call
};

/// `EXTRACT(unit FROM operand)`.
struct Extract : Expr {
  static constexpr ExprKind kKind = ExprKind::kExtract;
  Extract() : Expr(kKind) {}
  TimeUnit unit = TimeUnit::kYear;
  ExprPtr operand;
};

enum class TrimMode { kBoth, kLeading, kTrailing };

/// `TRIM([BOTH|LEADING|TRAILING] [characters] FROM operand)` or `TRIM(operand)`.
struct Trim : Expr {
  static constexpr ExprKind kKind = ExprKind::kTrim;
  Trim() : Expr(kKind) {}
  TrimMode mode = TrimMode::kBoth;
  ExprPtr characters;  ///< null: spaces
  ExprPtr operand;
};

enum class ConstructorKind { kArray, kMap, kRow };

/// `ARRAY[a, b]`, `MAP[k1, v1, k2, v2]`, `ROW(a, b)` or `(a, b)`.
struct Constructor : Expr {
  static constexpr ExprKind kKind = ExprKind::kConstructor;
  Constructor() : Expr(kKind) {}
  ConstructorKind constructor = ConstructorKind::kRow;
  /// A row written `(a, b)` without ROW (never one element: `(a)` is just `a`). Also the empty
  /// `()` of GROUPING SETS.
  bool implicit_row = false;
  std::vector<ExprPtr> elements;  ///< MAP: key, value, key, value, ...
};

/// `base[index]`: an array element (1-based) or a map value.
struct Subscript : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubscript;
  Subscript() : Expr(kKind) {}
  ExprPtr base;
  ExprPtr index;
};

/// `(expr).field`, or `f(x).field`, `a[1].field`: a field of a ROW value that is not a plain
/// column path (`t.col.field` is a ColumnRef with three names).
struct FieldAccess : Expr {
  static constexpr ExprKind kKind = ExprKind::kFieldAccess;
  FieldAccess() : Expr(kKind) {}
  ExprPtr base;
  Identifier field;
};

/// `name => value`, an argument passed by name (`SIZE => INTERVAL '10' MINUTES`).
struct NamedArgument : Expr {
  static constexpr ExprKind kKind = ExprKind::kNamedArgument;
  NamedArgument() : Expr(kKind) {}
  Identifier name;
  ExprPtr value;
};

/// `TABLE name [PARTITION BY a | PARTITION BY (a, b)]`, a table passed to a table function (`TUMBLE(TABLE bid,
/// ...)`, `SESSION(TABLE bid PARTITION BY auction, ...)`).
struct TableArgument : Expr {
  static constexpr ExprKind kKind = ExprKind::kTableArgument;
  TableArgument() : Expr(kKind) {}
  QualifiedName table;
  std::vector<ExprPtr> partition_by;
};

/// `DESCRIPTOR(a, b)`, column names passed to a table function (the time attribute of TUMBLE).
struct Descriptor : Expr {
  static constexpr ExprKind kKind = ExprKind::kDescriptor;
  Descriptor() : Expr(kKind) {}
  std::vector<Identifier> columns;
};

enum class GroupingKind { kGroupingSets, kRollup, kCube };

/// `GROUPING SETS (..)`, `ROLLUP (..)` or `CUBE (..)`, only as a GROUP BY element. Elements are
/// expressions; an implicit-row Constructor is a parenthesized set `(a, b)` (empty: `()`).
struct GroupingSets : Expr {
  static constexpr ExprKind kKind = ExprKind::kGroupingSets;
  GroupingSets() : Expr(kKind) {}
  GroupingKind grouping = GroupingKind::kGroupingSets;
  std::vector<ExprPtr> elements;
};

// ---------------------------------------------------------------------------------------------
// Table references (FROM)
// ---------------------------------------------------------------------------------------------

enum class TableRefKind { kNamedTable, kSubquery, kTableFunction, kJoin };

/// Base of everything that may appear in FROM.
struct TableRef {
  explicit TableRef(TableRefKind k) : kind(k) {}
  virtual ~TableRef() = default;
  TableRef(const TableRef&) = delete;
  TableRef& operator=(const TableRef&) = delete;

  template <class T>
  T& as() {
    assert(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    assert(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const TableRefKind kind;
  SourcePosition position;
  int height = 1;
  /// `[AS] alias [(column, ...)]`; not for joins.
  std::optional<Identifier> alias;
  std::vector<Identifier> column_aliases;
};

using TableRefPtr = std::unique_ptr<TableRef>;

/// A table or view by name: `name [FOR SYSTEM_TIME AS OF expr] [[AS] alias]`.
struct NamedTableRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kNamedTable;
  NamedTableRef() : TableRef(kKind) {}
  QualifiedName name;
  ExprPtr system_time;  ///< `FOR SYSTEM_TIME AS OF system_time` (temporal join); null if absent
};

/// `[LATERAL] (query) [[AS] alias]`.
struct SubqueryRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kSubquery;
  SubqueryRef() : TableRef(kKind) {}
  bool lateral = false;
  std::unique_ptr<Query> query;
};

/// `[LATERAL] TABLE(call) [[AS] alias]`, e.g. the windowing table functions
/// `TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))`.
struct TableFunctionRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kTableFunction;
  TableFunctionRef() : TableRef(kKind) {}
  bool lateral = false;
  std::unique_ptr<FunctionCall> call;
};

enum class JoinType {
  kInner,
  kLeft,
  kRight,
  kFull,
  kCross,
  kComma,  ///< `FROM a, b` (a cross join that binds looser than JOIN)
};

/// `left [NATURAL] type JOIN right [ON condition | USING (columns)]`; `position` is the JOIN
/// keyword's (the first keyword of the join type), or the comma's.
struct JoinRef : TableRef {
  static constexpr TableRefKind kKind = TableRefKind::kJoin;
  JoinRef() : TableRef(kKind) {}
  JoinType join_type = JoinType::kInner;
  bool natural = false;
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr condition;  ///< ON; null otherwise
  std::vector<Identifier> using_columns;  ///< USING
};

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

enum class QueryKind { kSelect, kSetOperation, kValues };

/// `name [(columns)] AS (query)` of a WITH clause.
struct CommonTableExpr {
  Identifier name;
  std::vector<Identifier> columns;
  std::unique_ptr<Query> query;
};

/// Base of every query. The clauses that may follow any query body (and precede it, WITH) live
/// here: `(SELECT ..) UNION (SELECT ..) ORDER BY x LIMIT 5` has them on the SetOperation.
struct Query {
  explicit Query(QueryKind k) : kind(k) {}
  virtual ~Query() = default;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  template <class T>
  T& as() {
    assert(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    assert(kind == T::kKind);
    return static_cast<const T&>(*this);
  }
  /// Whether WITH, ORDER BY, LIMIT or OFFSET is set.
  bool hasClauses() const {
    return !with.empty() || !order_by.empty() || limit != nullptr || offset != nullptr;
  }

  const QueryKind kind;
  SourcePosition position;
  int height = 1;
  std::vector<CommonTableExpr> with;
  std::vector<OrderItem> order_by;
  ExprPtr limit;   ///< `LIMIT n` or `FETCH FIRST n ROWS ONLY`; null if absent
  ExprPtr offset;  ///< `OFFSET m [ROWS]`; null if absent
};

using QueryPtr = std::unique_ptr<Query>;

/// One item of a select list: `expr [[AS] alias]`, or a Star.
struct SelectItem {
  ExprPtr expr;
  std::optional<Identifier> alias;
};

/// `SELECT [ALL|DISTINCT] items [FROM from] [WHERE ..] [GROUP BY ..] [HAVING ..]`.
struct SelectQuery : Query {
  static constexpr QueryKind kKind = QueryKind::kSelect;
  SelectQuery() : Query(kKind) {}
  bool distinct = false;
  std::vector<SelectItem> items;  ///< never empty
  TableRefPtr from;  ///< null without FROM; `a, b` is a kComma JoinRef
  ExprPtr where;
  /// Expressions, or GroupingSets for GROUPING SETS / ROLLUP / CUBE. Empty without GROUP BY.
  std::vector<ExprPtr> group_by;
  ExprPtr having;
};

enum class SetOperator { kUnion, kIntersect, kExcept };

/// `left UNION|INTERSECT|EXCEPT [ALL|DISTINCT] right` (DISTINCT is the default).
struct SetOperation : Query {
  static constexpr QueryKind kKind = QueryKind::kSetOperation;
  SetOperation() : Query(kKind) {}
  SetOperator op = SetOperator::kUnion;
  bool all = false;
  QueryPtr left;
  QueryPtr right;
};

/// `VALUES (a, b), (c, d)`.
struct ValuesQuery : Query {
  static constexpr QueryKind kKind = QueryKind::kValues;
  ValuesQuery() : Query(kKind) {}
  std::vector<std::vector<ExprPtr>> rows;  ///< never empty, nor is any row
};

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

enum class StatementKind {
  kQuery,
  kCreateTable,
  kCreateView,
  kCreateFunction,
  kDrop,
  kInsert,
  kStatementSet,
  kSet,
  kReset,
  kShow,
  kDescribe,
  kExplain,
};

/// Base of every statement.
struct Statement {
  explicit Statement(StatementKind k) : kind(k) {}
  virtual ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  template <class T>
  T& as() {
    assert(kind == T::kKind);
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& as() const {
    assert(kind == T::kKind);
    return static_cast<const T&>(*this);
  }

  const StatementKind kind;
  SourcePosition position;
  /// Byte range [begin_offset, end_offset) of the statement in the parsed text, from its first
  /// token to its last, without the `;` (see statementText()).
  size_t begin_offset = 0;
  size_t end_offset = 0;
};

using StatementPtr = std::unique_ptr<Statement>;

/// The source text of `statement`, a view of `sql` (the text it was parsed from).
inline std::string_view statementText(std::string_view sql, const Statement& statement) {
  if (statement.begin_offset > sql.size() || statement.end_offset < statement.begin_offset) {
    return {};
  }
  return sql.substr(statement.begin_offset, statement.end_offset - statement.begin_offset);
}

/// A query run as a statement.
struct QueryStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kQuery;
  QueryStatement() : Statement(kKind) {}
  QueryPtr query;
};

enum class ColumnKind {
  kPhysical,  ///< `name type`
  kComputed,  ///< `name AS expr`
  kMetadata,  ///< `name type METADATA [FROM 'key'] [VIRTUAL]`
};

/// A column of CREATE TABLE.
struct ColumnDefinition {
  Identifier name;
  ColumnKind column_kind = ColumnKind::kPhysical;
  std::unique_ptr<DataType> type;  ///< kPhysical, kMetadata
  ExprPtr expr;  ///< kComputed
  std::optional<std::string> metadata_key;  ///< `FROM 'key'`
  bool is_virtual = false;  ///< `VIRTUAL`
  std::optional<std::string> comment;
};

/// `WATERMARK FOR column AS expr`.
struct WatermarkDefinition {
  Identifier column;
  ExprPtr expr;
  SourcePosition position;
};

/// `[CONSTRAINT name] PRIMARY KEY (columns) [NOT ENFORCED]`, or the column constraint
/// `col type PRIMARY KEY NOT ENFORCED` (then `columns` is that one column).
struct PrimaryKeyDefinition {
  std::optional<Identifier> constraint_name;
  std::vector<Identifier> columns;
  bool not_enforced = false;
  SourcePosition position;
};

/// `'key' = 'value'` in WITH (...) or SET.
struct TableOption {
  std::string key;
  std::string value;
  SourcePosition position;
};

/// `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (elements) [COMMENT '..']
/// [PARTITIONED BY (cols)] [WITH (options)] [AS query]`.
struct CreateTable : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateTable;
  CreateTable() : Statement(kKind) {}
  QualifiedName name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;
  std::optional<WatermarkDefinition> watermark;
  std::optional<PrimaryKeyDefinition> primary_key;
  std::optional<std::string> comment;
  std::vector<Identifier> partitioned_by;
  std::vector<TableOption> options;
  QueryPtr as_query;  ///< CREATE TABLE .. AS SELECT; null otherwise
};

/// `CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(columns)] [COMMENT '..'] AS query`.
struct CreateView : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateView;
  CreateView() : Statement(kKind) {}
  QualifiedName name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<Identifier> columns;
  std::optional<std::string> comment;
  QueryPtr query;
};

/// `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE lang]`.
struct CreateFunction : Statement {
  static constexpr StatementKind kKind = StatementKind::kCreateFunction;
  CreateFunction() : Statement(kKind) {}
  QualifiedName name;
  bool temporary = false;
  bool system = false;
  bool if_not_exists = false;
  std::string class_name;
  std::optional<Identifier> language;
};

enum class ObjectKind { kTable, kView, kFunction };

/// `DROP [TEMPORARY [SYSTEM]] TABLE|VIEW|FUNCTION [IF EXISTS] name`.
struct Drop : Statement {
  static constexpr StatementKind kKind = StatementKind::kDrop;
  Drop() : Statement(kKind) {}
  ObjectKind object = ObjectKind::kTable;
  bool temporary = false;
  bool system = false;
  bool if_exists = false;
  QualifiedName name;
};

/// `INSERT INTO|OVERWRITE table [(columns)] query`.
struct Insert : Statement {
  static constexpr StatementKind kKind = StatementKind::kInsert;
  Insert() : Statement(kKind) {}
  QualifiedName table;
  bool overwrite = false;
  std::vector<Identifier> columns;  ///< empty: all, in table order
  QueryPtr query;
};

/// `EXECUTE STATEMENT SET BEGIN insert; ... END`, or in a script `BEGIN STATEMENT SET;
/// insert; ... END;`: INSERTs planned and run together.
struct StatementSet : Statement {
  static constexpr StatementKind kKind = StatementKind::kStatementSet;
  StatementSet() : Statement(kKind) {}
  std::vector<std::unique_ptr<Insert>> inserts;  ///< never empty
};

/// `SET` (list the session options) or `SET 'key' = 'value'`.
struct SetOption : Statement {
  static constexpr StatementKind kKind = StatementKind::kSet;
  SetOption() : Statement(kKind) {}
  std::optional<TableOption> option;  ///< empty for a bare SET
};

/// `RESET` (all options) or `RESET 'key'`.
struct ResetOption : Statement {
  static constexpr StatementKind kKind = StatementKind::kReset;
  ResetOption() : Statement(kKind) {}
  std::optional<std::string> key;
};

enum class ShowKind { kTables, kViews, kFunctions, kDatabases, kCatalogs };

/// `SHOW TABLES|VIEWS|FUNCTIONS|DATABASES|CATALOGS`.
struct Show : Statement {
  static constexpr StatementKind kKind = StatementKind::kShow;
  Show() : Statement(kKind) {}
  ShowKind what = ShowKind::kTables;
};

/// `DESCRIBE name` or `DESC name`.
struct Describe : Statement {
  static constexpr StatementKind kKind = StatementKind::kDescribe;
  Describe() : Statement(kKind) {}
  QualifiedName name;
};

/// `EXPLAIN [PLAN FOR] statement`, where the statement is a query, an INSERT or a statement set.
struct Explain : Statement {
  static constexpr StatementKind kKind = StatementKind::kExplain;
  Explain() : Statement(kKind) {}
  StatementPtr statement;
};

}  // namespace caudal::sql::ast
