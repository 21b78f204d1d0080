// The SQL parser: the trees it builds (checked field by field and through the printer), the
// positions it records, the Nexmark queries, and its limits on nesting.

#include "sql/parser/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "sql/parser/ast_printer.h"
#include "unit/sql/parser/nexmark_queries.h"

namespace caudal::sql::ast {
namespace {

StatementPtr parseOne(std::string_view sql) {
  Result<StatementPtr> statement = parseStatement(sql);
  EXPECT_TRUE(statement.isOk()) << statement.status().message();
  if (!statement.isOk()) return nullptr;
  return std::move(statement.value());
}

ExprPtr parseExpr(std::string_view sql) {
  Result<ExprPtr> expr = parseExpression(sql);
  EXPECT_TRUE(expr.isOk()) << expr.status().message();
  if (!expr.isOk()) return nullptr;
  return std::move(expr.value());
}

// The canonical text of the one statement in `sql`.
std::string canonical(std::string_view sql) {
  Result<StatementPtr> statement = parseStatement(sql);
  if (!statement.isOk()) return "ERROR: " + statement.status().message();
  return toSql(*statement.value());
}

std::string canonicalExpr(std::string_view sql) {
  Result<ExprPtr> expr = parseExpression(sql);
  if (!expr.isOk()) return "ERROR: " + expr.status().message();
  return toSql(*expr.value());
}

const SelectQuery& selectOf(const Statement& statement) {
  return statement.as<QueryStatement>().query->as<SelectQuery>();
}

TEST(Parser, TheClickCountScript) {
  constexpr std::string_view kScript = R"sql(CREATE TABLE clicks (
  user_id BIGINT, url STRING, status INT, ts TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = 'data/clicks/', 'format' = 'csv', 'source.monitor-interval' = '1s');
CREATE TABLE status_counts (status INT, n BIGINT) WITH ('connector' = 'print', 'output-mode' = 'update');
INSERT INTO status_counts SELECT status, COUNT(*) FROM clicks WHERE url LIKE '/api/%' GROUP BY status;
)sql";
  Result<std::vector<StatementPtr>> script = parseScript(kScript);
  ASSERT_TRUE(script.isOk()) << script.status().message();
  ASSERT_EQ(script.value().size(), 3u);

  const auto& clicks = script.value()[0]->as<CreateTable>();
  ASSERT_EQ(clicks.name.size(), 1u);
  EXPECT_EQ(clicks.name[0].text, "clicks");
  ASSERT_EQ(clicks.columns.size(), 4u);
  EXPECT_EQ(clicks.columns[0].name.text, "user_id");
  EXPECT_EQ(clicks.columns[0].type->kind, TypeKind::kBigInt);
  EXPECT_EQ(clicks.columns[1].type->kind, TypeKind::kString);
  EXPECT_EQ(clicks.columns[2].name.text, "status");
  EXPECT_EQ(clicks.columns[3].type->kind, TypeKind::kTimestamp);
  EXPECT_EQ(clicks.columns[3].type->parameters, (std::vector<int64_t>{3}));
  ASSERT_EQ(clicks.options.size(), 4u);
  EXPECT_EQ(clicks.options[3].key, "source.monitor-interval");
  EXPECT_EQ(clicks.options[3].value, "1s");
  EXPECT_EQ(clicks.options[0].position, (SourcePosition{3, 9}));

  const auto& insert = script.value()[2]->as<Insert>();
  EXPECT_EQ(insert.table[0].text, "status_counts");
  const auto& select = insert.query->as<SelectQuery>();
  ASSERT_EQ(select.items.size(), 2u);
  const auto& count = select.items[1].expr->as<FunctionCall>();
  EXPECT_EQ(count.name[0].text, "COUNT");
  ASSERT_EQ(count.args.size(), 1u);
  EXPECT_EQ(count.args[0]->kind, ExprKind::kStar);
  const auto& like = select.where->as<Like>();
  EXPECT_EQ(like.operand->as<ColumnRef>().names[0].text, "url");
  EXPECT_EQ(like.pattern->as<Literal>().text, "/api/%");
  ASSERT_EQ(select.group_by.size(), 1u);
  EXPECT_EQ(select.group_by[0]->position, (SourcePosition{5, 96}));

  // The CLI echoes each statement from its source range.
  EXPECT_EQ(statementText(kScript, *script.value()[1]),
            "CREATE TABLE status_counts (status INT, n BIGINT) WITH ('connector' = 'print', "
            "'output-mode' = 'update')");
  EXPECT_EQ(statementText(kScript, *script.value()[2]).substr(0, 25), "INSERT INTO status_counts");
  EXPECT_EQ(script.value()[2]->position, (SourcePosition{5, 1}));
}

TEST(Parser, NexmarkQueriesParse) {
  for (const testing::NamedSql& query : testing::kNexmarkQueries) {
    Result<std::vector<StatementPtr>> script = parseScript(query.sql);
    EXPECT_TRUE(script.isOk()) << query.name << ": " << script.status().message();
  }
}

TEST(Parser, ScriptSeparatorsAndComments) {
  Result<std::vector<StatementPtr>> script =
      parseScript(";; -- nothing\nSHOW TABLES; /* x */ SET;;\nRESET 'a'  ");
  ASSERT_TRUE(script.isOk()) << script.status().message();
  ASSERT_EQ(script.value().size(), 3u);
  EXPECT_EQ(script.value()[0]->kind, StatementKind::kShow);
  EXPECT_EQ(script.value()[1]->kind, StatementKind::kSet);
  EXPECT_FALSE(script.value()[1]->as<SetOption>().option);
  EXPECT_EQ(script.value()[2]->as<ResetOption>().key, "a");
  Result<std::vector<StatementPtr>> empty = parseScript("  -- only a comment\n");
  ASSERT_TRUE(empty.isOk());
  EXPECT_TRUE(empty.value().empty());
}

TEST(Parser, StatementRangesExcludeSemicolonsAndComments) {
  constexpr std::string_view kScript = "  SELECT 1 ; -- one\n\nSELECT\n  2;";
  Result<std::vector<StatementPtr>> script = parseScript(kScript);
  ASSERT_TRUE(script.isOk());
  ASSERT_EQ(script.value().size(), 2u);
  EXPECT_EQ(statementText(kScript, *script.value()[0]), "SELECT 1");
  EXPECT_EQ(statementText(kScript, *script.value()[1]), "SELECT\n  2");
  EXPECT_EQ(script.value()[1]->position, (SourcePosition{3, 1}));
}

TEST(Parser, IdentifiersKeepSpellingAndQuoting) {
  StatementPtr statement = parseOne("SELECT `dateTime`, DateTime, `a``b`, t.`select` FROM t");
  const auto& items = selectOf(*statement).items;
  const Identifier& quoted = items[0].expr->as<ColumnRef>().names[0];
  EXPECT_EQ(quoted.text, "dateTime");
  EXPECT_TRUE(quoted.quoted);
  EXPECT_EQ(quoted.position, (SourcePosition{1, 8}));
  const Identifier& bare = items[1].expr->as<ColumnRef>().names[0];
  EXPECT_EQ(bare.text, "DateTime");
  EXPECT_FALSE(bare.quoted);
  EXPECT_EQ(items[2].expr->as<ColumnRef>().names[0].text, "a`b");
  const auto& qualified = items[3].expr->as<ColumnRef>().names;
  ASSERT_EQ(qualified.size(), 2u);
  EXPECT_EQ(qualified[1].text, "select");
}

TEST(Parser, NonReservedKeywordsAreColumnNames) {
  // The Nexmark DDL names columns after keywords.
  EXPECT_EQ(canonical("SELECT status, value, key, name, type, data, comment, timestamp, date, "
                      "time, year, hour, count, window, window_start, window_end, url, channel, "
                      "extra, dateTime, system_time, row, position, first, last FROM t"),
            "SELECT status, value, key, name, type, data, comment, timestamp, date, time, year, "
            "hour, count, window, window_start, window_end, url, channel, extra, dateTime, "
            "system_time, row, position, first, last FROM t");
  EXPECT_EQ(canonical("CREATE TABLE t (status INT, value STRING, key BIGINT, timestamp "
                      "TIMESTAMP(3), date DATE, time TIME, comment STRING COMMENT 'c', "
                      "watermark INT, metadata INT)"),
            "CREATE TABLE t (status INT, value STRING, key BIGINT, timestamp TIMESTAMP(3), "
            "date DATE, time TIME, comment STRING COMMENT 'c', watermark INT, metadata INT)");
  EXPECT_EQ(canonical("SELECT count(*) AS count, year(ts) year FROM t WHERE date = DATE "
                      "'2024-01-01'"),
            "SELECT count(*) AS count, year(ts) AS year FROM t WHERE date = DATE '2024-01-01'");
}

TEST(Parser, OperatorPrecedence) {
  EXPECT_EQ(canonicalExpr("a OR b AND NOT c = d"), "a OR b AND NOT c = d");
  ExprPtr expr = parseExpr("a OR b AND NOT c = d + e * -f");
  const auto& root = expr->as<Binary>();
  EXPECT_EQ(root.op, BinaryOperator::kOr);
  EXPECT_EQ(root.position, (SourcePosition{1, 3}));
  const auto& conjunction = root.right->as<Binary>();
  EXPECT_EQ(conjunction.op, BinaryOperator::kAnd);
  const auto& negation = conjunction.right->as<Unary>();
  EXPECT_EQ(negation.op, UnaryOperator::kNot);
  const auto& equals = negation.operand->as<Binary>();
  EXPECT_EQ(equals.op, BinaryOperator::kEquals);
  const auto& sum = equals.right->as<Binary>();
  EXPECT_EQ(sum.op, BinaryOperator::kAdd);
  const auto& product = sum.right->as<Binary>();
  EXPECT_EQ(product.op, BinaryOperator::kMultiply);
  EXPECT_EQ(product.right->as<Unary>().op, UnaryOperator::kNegate);

  EXPECT_EQ(canonicalExpr("(a + b) * c"), "(a + b) * c");
  EXPECT_EQ(canonicalExpr("a - (b - c)"), "a - (b - c)");
  EXPECT_EQ(canonicalExpr("(a - b) - c"), "a - b - c");
  EXPECT_EQ(canonicalExpr("a || b + c"), "a || b + c");
  EXPECT_EQ(canonicalExpr("(a = b) = c"), "a = b = c");
  EXPECT_EQ(canonicalExpr("a = (b = c)"), "a = (b = c)");
  EXPECT_EQ(canonicalExpr("NOT (a AND b)"), "NOT (a AND b)");
  EXPECT_EQ(canonicalExpr("(a OR b) AND c"), "(a OR b) AND c");
  EXPECT_EQ(canonicalExpr("-(a + b)"), "-(a + b)");
  EXPECT_EQ(canonicalExpr("- -a"), "- -a");
  EXPECT_EQ(canonicalExpr("-(-(+a))"), "- - +a");
  EXPECT_EQ(canonicalExpr("a != b"), "a <> b");
  EXPECT_EQ(canonicalExpr("a % 2 / b"), "a % 2 / b");
}

TEST(Parser, PredicatesBindLikeComparisons) {
  ExprPtr expr = parseExpr("a + 1 NOT BETWEEN SYMMETRIC b AND c + 1 AND d");
  const auto& conjunction = expr->as<Binary>();
  EXPECT_EQ(conjunction.op, BinaryOperator::kAnd);
  const auto& between = conjunction.left->as<Between>();
  EXPECT_TRUE(between.negated);
  EXPECT_TRUE(between.symmetric);
  EXPECT_EQ(between.operand->kind, ExprKind::kBinary);
  EXPECT_EQ(between.high->kind, ExprKind::kBinary);
  EXPECT_EQ(between.position, (SourcePosition{1, 7}));

  EXPECT_EQ(canonicalExpr("a IS NOT NULL AND b IS TRUE OR c IS NOT UNKNOWN"),
            "a IS NOT NULL AND b IS TRUE OR c IS NOT UNKNOWN");
  EXPECT_EQ(canonicalExpr("a IS DISTINCT FROM b + 1"), "a IS DISTINCT FROM b + 1");
  EXPECT_EQ(canonicalExpr("a IS NOT DISTINCT FROM b"), "a IS NOT DISTINCT FROM b");
  EXPECT_EQ(canonicalExpr("a NOT LIKE 'x!%' ESCAPE '!'"), "a NOT LIKE 'x!%' ESCAPE '!'");
  EXPECT_EQ(canonicalExpr("a SIMILAR TO 'x'"), "a SIMILAR TO 'x'");
  EXPECT_EQ(canonicalExpr("a NOT IN (1, 2, 3)"), "a NOT IN (1, 2, 3)");
  EXPECT_EQ(canonicalExpr("a IN (SELECT b FROM t)"), "a IN (SELECT b FROM t)");
  EXPECT_EQ(canonicalExpr("(a, b) IN ((1, 2), (3, 4))"), "(a, b) IN ((1, 2), (3, 4))");
  EXPECT_EQ(canonicalExpr("NOT EXISTS (SELECT 1)"), "NOT EXISTS (SELECT 1)");
  EXPECT_EQ(canonicalExpr("(a = 1) IS TRUE"), "a = 1 IS TRUE");
  EXPECT_EQ(canonicalExpr("a BETWEEN ASYMMETRIC 1 AND 2"), "a BETWEEN 1 AND 2");

  ExprPtr in_expr = parseExpr("x NOT IN (SELECT y FROM u)");
  const auto& in = in_expr->as<InSubquery>();
  EXPECT_TRUE(in.negated);
  EXPECT_EQ(in.query->kind, QueryKind::kSelect);
}

TEST(Parser, Literals) {
  auto literal = [](std::string_view sql) { return parseExpression(sql).valueOrThrow(); };
  EXPECT_EQ(literal("42")->as<Literal>().literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(literal("9223372036854775807")->as<Literal>().integer_value, INT64_MAX);
  EXPECT_EQ(literal("9223372036854775808")->as<Literal>().literal_kind, LiteralKind::kDecimal);
  EXPECT_EQ(literal("9223372036854775808")->as<Literal>().text, "9223372036854775808");
  EXPECT_EQ(literal("1.50")->as<Literal>().literal_kind, LiteralKind::kDecimal);
  EXPECT_EQ(literal("1.50")->as<Literal>().text, "1.50");
  EXPECT_EQ(literal("1e3")->as<Literal>().literal_kind, LiteralKind::kApproximate);
  EXPECT_EQ(literal("'it''s'")->as<Literal>().text, "it's");
  EXPECT_EQ(literal("X'0AFF'")->as<Literal>().literal_kind, LiteralKind::kBinary);
  EXPECT_EQ(literal("X'0AFF'")->as<Literal>().text, "0AFF");
  EXPECT_TRUE(literal("true")->as<Literal>().boolean_value);
  EXPECT_EQ(literal("FALSE")->as<Literal>().literal_kind, LiteralKind::kBoolean);
  EXPECT_FALSE(literal("FALSE")->as<Literal>().boolean_value);
  EXPECT_EQ(literal("NULL")->as<Literal>().literal_kind, LiteralKind::kNull);
  EXPECT_EQ(literal("UNKNOWN")->as<Literal>().literal_kind, LiteralKind::kUnknown);
  EXPECT_EQ(literal("DATE '2024-01-01'")->as<Literal>().literal_kind, LiteralKind::kDate);
  EXPECT_EQ(literal("TIME '12:00:00'")->as<Literal>().text, "12:00:00");
  EXPECT_EQ(literal("TIMESTAMP '2024-01-01 12:00:00.123'")->as<Literal>().literal_kind,
            LiteralKind::kTimestamp);
  EXPECT_EQ(literal("TIMESTAMP_LTZ '2024-01-01 12:00:00'")->as<Literal>().literal_kind,
            LiteralKind::kTimestampLtz);

  ExprPtr seconds_expr = literal("INTERVAL '5' SECOND");
  const Literal& seconds = seconds_expr->as<Literal>();
  EXPECT_EQ(seconds.literal_kind, LiteralKind::kInterval);
  EXPECT_EQ(seconds.text, "5");
  EXPECT_EQ(seconds.interval.start, TimeUnit::kSecond);
  EXPECT_FALSE(seconds.interval.end);
  ExprPtr range_expr = literal("INTERVAL '2 10:30' DAY(2) TO MINUTE");
  const Literal& range = range_expr->as<Literal>();
  EXPECT_EQ(range.interval.start, TimeUnit::kDay);
  EXPECT_EQ(range.interval.start_precision, 2);
  EXPECT_EQ(range.interval.end, TimeUnit::kMinute);
  ExprPtr fraction_expr = literal("INTERVAL '1.5' SECOND(3)");
  const Literal& fraction = fraction_expr->as<Literal>();
  EXPECT_EQ(fraction.interval.start_precision, 3);
  EXPECT_EQ(literal("INTERVAL '1-2' YEAR TO MONTH")->as<Literal>().interval.end, TimeUnit::kMonth);
  EXPECT_EQ(literal("INTERVAL '10' MINUTES")->as<Literal>().interval.start, TimeUnit::kMinute);
  EXPECT_EQ(literal("INTERVAL -'10' MINUTE")->as<Literal>().text, "-10");

  EXPECT_EQ(canonicalExpr("-1"), "-1");
  EXPECT_EQ(parseExpr("-1")->as<Unary>().operand->as<Literal>().integer_value, 1);
  EXPECT_EQ(canonicalExpr("INTERVAL '1' DAY(2) TO SECOND(3)"),
            "INTERVAL '1' DAY(2) TO SECOND(3)");
  EXPECT_EQ(canonicalExpr("INTERVAL '1' second(2, 3)"), "INTERVAL '1' SECOND(2, 3)");
}

TEST(Parser, SpecialFunctionForms) {
  EXPECT_EQ(canonicalExpr("CAST(a AS DECIMAL(10, 2) NOT NULL)"),
            "CAST(a AS DECIMAL(10, 2) NOT NULL)");
  EXPECT_EQ(canonicalExpr("TRY_CAST(a AS INT)"), "TRY_CAST(a AS INT)");
  EXPECT_EQ(canonicalExpr("EXTRACT(year FROM ts)"), "EXTRACT(YEAR FROM ts)");
  EXPECT_EQ(parseExpr("EXTRACT(DOY FROM ts)")->as<Extract>().unit, TimeUnit::kDayOfYear);
  EXPECT_EQ(canonicalExpr("SUBSTRING(s FROM 2 FOR 3)"), "SUBSTRING(s FROM 2 FOR 3)");
  EXPECT_EQ(canonicalExpr("SUBSTRING(s, 2, 3)"), "SUBSTRING(s, 2, 3)");
  EXPECT_EQ(canonicalExpr("TRIM(s)"), "TRIM(BOTH FROM s)");
  EXPECT_EQ(canonicalExpr("TRIM(TRAILING 'x' FROM s)"), "TRIM(TRAILING 'x' FROM s)");
  EXPECT_EQ(canonicalExpr("TRIM('x' FROM s)"), "TRIM(BOTH 'x' FROM s)");
  EXPECT_EQ(canonicalExpr("POSITION('a' IN s)"), "POSITION('a' IN s)");
  EXPECT_EQ(canonicalExpr("OVERLAY(s PLACING 'x' FROM 2 FOR 1)"),
            "OVERLAY(s PLACING 'x' FROM 2 FOR 1)");
  EXPECT_EQ(canonicalExpr("current_timestamp"), "CURRENT_TIMESTAMP");
  ExprPtr now_expr = parseExpr("CURRENT_DATE");
  const auto& now = now_expr->as<FunctionCall>();
  EXPECT_EQ(now.syntax, CallSyntax::kNiladic);
  EXPECT_TRUE(now.args.empty());
  EXPECT_EQ(canonicalExpr("LOCALTIMESTAMP + PROCTIME()"), "LOCALTIMESTAMP + PROCTIME()");
  EXPECT_EQ(canonicalExpr("CASE WHEN a THEN 1 WHEN b THEN 2 END"),
            "CASE WHEN a THEN 1 WHEN b THEN 2 END");
  EXPECT_EQ(canonicalExpr("case x when 1 then 'a' else 'b' end"),
            "CASE x WHEN 1 THEN 'a' ELSE 'b' END");
}

TEST(Parser, CallsAggregatesAndWindows) {
  ExprPtr call_expr = parseExpr("count(DISTINCT bidder) FILTER (WHERE price < 10000)");
  const auto& call = call_expr->as<FunctionCall>();
  EXPECT_TRUE(call.distinct);
  EXPECT_EQ(call.filter->kind, ExprKind::kBinary);
  EXPECT_EQ(call.over, nullptr);

  ExprPtr window = parseExpr(
      "ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY `dateTime` DESC NULLS FIRST)");
  const auto& row_number = window->as<FunctionCall>();
  ASSERT_NE(row_number.over, nullptr);
  EXPECT_EQ(row_number.over->partition_by.size(), 2u);
  ASSERT_EQ(row_number.over->order_by.size(), 1u);
  EXPECT_EQ(row_number.over->order_by[0].direction, SortDirection::kDescending);
  EXPECT_EQ(row_number.over->order_by[0].nulls, NullOrdering::kNullsFirst);
  EXPECT_FALSE(row_number.over->frame);

  ExprPtr framed = parseExpr(
      "AVG(price) OVER (PARTITION BY seller ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT "
      "ROW)");
  const auto& frame = *framed->as<FunctionCall>().over->frame;
  EXPECT_EQ(frame.unit, FrameUnit::kRows);
  EXPECT_EQ(frame.start.kind, FrameBoundKind::kPreceding);
  EXPECT_EQ(frame.start.offset->as<Literal>().integer_value, 10);
  EXPECT_EQ(frame.end->kind, FrameBoundKind::kCurrentRow);
  EXPECT_EQ(canonicalExpr("SUM(x) OVER (ORDER BY ts RANGE INTERVAL '1' HOUR PRECEDING)"),
            "SUM(x) OVER (ORDER BY ts RANGE INTERVAL '1' HOUR PRECEDING)");
  EXPECT_EQ(canonicalExpr("f() OVER ()"), "f() OVER ()");
  EXPECT_EQ(canonicalExpr("mydb.f(1, 2)"), "mydb.f(1, 2)");
}

TEST(Parser, ConstructorsSubscriptsAndFields) {
  EXPECT_EQ(canonicalExpr("ARRAY[1, 2][1]"), "ARRAY[1, 2][1]");
  EXPECT_EQ(canonicalExpr("MAP['a', 1, 'b', 2]['a']"), "MAP['a', 1, 'b', 2]['a']");
  EXPECT_EQ(canonicalExpr("ROW(1, 'a')"), "ROW(1, 'a')");
  EXPECT_EQ(canonicalExpr("(1, 'a')"), "(1, 'a')");
  EXPECT_TRUE(parseExpr("(1, 'a')")->as<Constructor>().implicit_row);
  EXPECT_EQ(parseExpr("((a))")->kind, ExprKind::kColumnRef);

  ExprPtr path_expr = parseExpr("t.person.`dateTime`");
  const auto& path = path_expr->as<ColumnRef>();
  ASSERT_EQ(path.names.size(), 3u);
  EXPECT_EQ(path.names[2].text, "dateTime");

  ExprPtr field_expr = parseExpr("(person).name");
  const auto& field = field_expr->as<FieldAccess>();
  EXPECT_EQ(field.field.text, "name");
  EXPECT_EQ(field.base->kind, ExprKind::kColumnRef);
  EXPECT_EQ(canonicalExpr("(person).name"), "(person).name");
  EXPECT_EQ(canonicalExpr("f(x).a.b"), "f(x).a.b");
  EXPECT_EQ(canonicalExpr("arr[1].f"), "arr[1].f");
  ExprPtr subscript_expr = parseExpr("m['k']");
  const auto& subscript = subscript_expr->as<Subscript>();
  EXPECT_EQ(subscript.index->as<Literal>().text, "k");
  EXPECT_EQ(canonicalExpr("(a + b)[1]"), "(a + b)[1]");
}

TEST(Parser, SelectClauses) {
  StatementPtr statement = parseOne(
      "SELECT DISTINCT a AS x, b y, t.*, * FROM t WHERE a > 1 GROUP BY a, b HAVING COUNT(*) > 1 "
      "ORDER BY a DESC, b LIMIT 10 OFFSET 5");
  const auto& select = selectOf(*statement);
  EXPECT_TRUE(select.distinct);
  ASSERT_EQ(select.items.size(), 4u);
  EXPECT_EQ(select.items[0].alias->text, "x");
  EXPECT_EQ(select.items[1].alias->text, "y");
  EXPECT_EQ(select.items[2].expr->as<Star>().qualifier[0].text, "t");
  EXPECT_TRUE(select.items[3].expr->as<Star>().qualifier.empty());
  EXPECT_EQ(select.group_by.size(), 2u);
  ASSERT_NE(select.having, nullptr);
  ASSERT_EQ(select.order_by.size(), 2u);
  EXPECT_EQ(select.order_by[1].direction, SortDirection::kUnspecified);
  EXPECT_EQ(select.limit->as<Literal>().integer_value, 10);
  EXPECT_EQ(select.offset->as<Literal>().integer_value, 5);

  EXPECT_EQ(canonical("SELECT * FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY"),
            "SELECT * FROM t LIMIT 3 OFFSET 2");
  EXPECT_EQ(canonical("SELECT * FROM t FETCH NEXT 1 ROW ONLY"), "SELECT * FROM t LIMIT 1");
  EXPECT_EQ(canonical("SELECT ALL 1"), "SELECT 1");
  EXPECT_EQ(canonical("SELECT a FROM t GROUP BY window(ts, '10 seconds'), TUMBLE(ts, INTERVAL "
                      "'1' HOUR)"),
            "SELECT a FROM t GROUP BY window(ts, '10 seconds'), TUMBLE(ts, INTERVAL '1' HOUR)");
  EXPECT_EQ(canonical("SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ()), ROLLUP (a, "
                      "b), CUBE (c)"),
            "SELECT a FROM t GROUP BY GROUPING SETS ((a, b), a, ()), ROLLUP (a, b), CUBE (c)");
}

TEST(Parser, SetOperationsAndPrecedence) {
  StatementPtr statement = parseOne("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  const auto& union_op = statement->as<QueryStatement>().query->as<SetOperation>();
  EXPECT_EQ(union_op.op, SetOperator::kUnion);
  EXPECT_FALSE(union_op.all);
  EXPECT_EQ(union_op.right->as<SetOperation>().op, SetOperator::kIntersect);

  EXPECT_EQ(canonical("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3"),
            "SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3");
  EXPECT_EQ(canonical("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"),
            "(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3");
  EXPECT_EQ(canonical("SELECT 1 UNION (SELECT 2 UNION SELECT 3)"),
            "SELECT 1 UNION (SELECT 2 UNION SELECT 3)");
  EXPECT_EQ(canonical("SELECT 1 UNION DISTINCT SELECT 2 ORDER BY 1 LIMIT 1"),
            "SELECT 1 UNION SELECT 2 ORDER BY 1 LIMIT 1");
  EXPECT_EQ(canonical("(SELECT 1 LIMIT 1) UNION (SELECT 2)"), "(SELECT 1 LIMIT 1) UNION SELECT 2");
  EXPECT_EQ(canonical("SELECT 1 MINUS SELECT 2"), "SELECT 1 EXCEPT SELECT 2");
  EXPECT_EQ(canonical("VALUES (1, 'a'), (2, 'b')"), "VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(canonical("((SELECT 1))"), "SELECT 1");
}

TEST(Parser, WithClauses) {
  StatementPtr statement =
      parseOne("WITH a (x) AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b");
  const Query& query = *statement->as<QueryStatement>().query;
  ASSERT_EQ(query.with.size(), 2u);
  EXPECT_EQ(query.with[0].name.text, "a");
  EXPECT_EQ(query.with[0].columns[0].text, "x");
  EXPECT_EQ(query.with[1].query->kind, QueryKind::kSelect);
  EXPECT_EQ(query.position, (SourcePosition{1, 1}));
  EXPECT_EQ(canonical("WITH a AS (SELECT 1) SELECT * FROM a UNION SELECT 2"),
            "WITH a AS (SELECT 1) SELECT * FROM a UNION SELECT 2");
}

TEST(Parser, FromClause) {
  EXPECT_EQ(canonical("SELECT * FROM a, b JOIN c ON b.x = c.x LEFT OUTER JOIN d USING (y) "
                      "CROSS JOIN e NATURAL FULL JOIN f"),
            "SELECT * FROM a, b JOIN c ON b.x = c.x LEFT JOIN d USING (y) CROSS JOIN e NATURAL "
            "FULL JOIN f");
  EXPECT_EQ(canonical("SELECT * FROM a JOIN (b JOIN c ON TRUE) ON TRUE"),
            "SELECT * FROM a JOIN (b JOIN c ON TRUE) ON TRUE");
  EXPECT_EQ(canonical("SELECT * FROM (a, b) JOIN c ON TRUE"),
            "SELECT * FROM (a, b) JOIN c ON TRUE");
  EXPECT_EQ(canonical("SELECT * FROM db.t AS x (a, b), (SELECT 1) s, LATERAL (SELECT 2) AS l"),
            "SELECT * FROM db.t AS x (a, b), (SELECT 1) AS s, LATERAL (SELECT 2) AS l");
  EXPECT_EQ(canonical("SELECT * FROM ((SELECT 1 LIMIT 1) UNION SELECT 2) AS u"),
            "SELECT * FROM ((SELECT 1 LIMIT 1) UNION SELECT 2) AS u");
  EXPECT_EQ(canonical("SELECT * FROM ((SELECT 1) AS a JOIN b ON TRUE)"),
            "SELECT * FROM (SELECT 1) AS a JOIN b ON TRUE");

  StatementPtr statement = parseOne(
      "SELECT * FROM bid AS B INNER JOIN auction A ON B.auction = A.id JOIN side_input FOR "
      "SYSTEM_TIME AS OF B.p_time AS S ON B.k = S.k");
  const auto& outer = selectOf(*statement).from->as<JoinRef>();
  EXPECT_EQ(outer.join_type, JoinType::kInner);
  const auto& temporal = outer.right->as<NamedTableRef>();
  EXPECT_EQ(temporal.alias->text, "S");
  EXPECT_EQ(temporal.system_time->as<ColumnRef>().names[1].text, "p_time");
  const auto& inner = outer.left->as<JoinRef>();
  EXPECT_EQ(inner.left->as<NamedTableRef>().alias->text, "B");
  EXPECT_EQ(inner.right->as<NamedTableRef>().alias->text, "A");
  EXPECT_EQ(inner.position, (SourcePosition{1, 24}));
}

TEST(Parser, TableFunctions) {
  StatementPtr statement = parseOne(
      "SELECT * FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))");
  const auto& function = selectOf(*statement).from->as<TableFunctionRef>();
  const FunctionCall& tumble = *function.call;
  EXPECT_EQ(tumble.name[0].text, "TUMBLE");
  ASSERT_EQ(tumble.args.size(), 3u);
  EXPECT_EQ(tumble.args[0]->as<TableArgument>().table[0].text, "bid");
  EXPECT_EQ(tumble.args[1]->as<Descriptor>().columns[0].text, "dateTime");
  EXPECT_EQ(tumble.args[2]->as<Literal>().literal_kind, LiteralKind::kInterval);

  StatementPtr named = parseOne(
      "SELECT * FROM TABLE(HOP(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL "
      "'1' MINUTE, SIZE => INTERVAL '10' MINUTES)) AS w");
  const FunctionCall& hop = *selectOf(*named).from->as<TableFunctionRef>().call;
  EXPECT_EQ(hop.args[0]->as<NamedArgument>().name.text, "DATA");
  EXPECT_EQ(hop.args[0]->as<NamedArgument>().value->kind, ExprKind::kTableArgument);
  EXPECT_EQ(canonical("SELECT * FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' "
                      "MINUTE, INTERVAL '1' HOUR))"),
            "SELECT * FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE, "
            "INTERVAL '1' HOUR))");
  EXPECT_EQ(canonical("SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), "
                      "INTERVAL '1' MINUTE))"),
            "SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), INTERVAL '1' "
            "MINUTE))");
  EXPECT_EQ(canonical("SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY (k, j), DESCRIPTOR(ts), "
                      "INTERVAL '1' MINUTE))"),
            "SELECT * FROM TABLE(SESSION(TABLE t PARTITION BY (k, j), DESCRIPTOR(ts), INTERVAL "
            "'1' MINUTE))");
  EXPECT_EQ(canonical("SELECT * FROM t, LATERAL TABLE(split(s)) AS T(word)"),
            "SELECT * FROM t, LATERAL TABLE(split(s)) AS T (word)");
}

TEST(Parser, CreateTable) {
  StatementPtr statement = parseOne(
      "CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.t (\n"
      "  id BIGINT NOT NULL COMMENT 'the id',\n"
      "  person ROW<name STRING, `dateTime` TIMESTAMP(3)>,\n"
      "  ts AS person.`dateTime`,\n"
      "  part BIGINT METADATA FROM 'partition' VIRTUAL,\n"
      "  headers MAP<STRING, BYTES> METADATA,\n"
      "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,\n"
      "  CONSTRAINT pk PRIMARY KEY (id) NOT ENFORCED\n"
      ") COMMENT 'a table' PARTITIONED BY (id) WITH ('connector' = 'kafka')");
  const auto& create = statement->as<CreateTable>();
  EXPECT_TRUE(create.temporary);
  EXPECT_TRUE(create.if_not_exists);
  ASSERT_EQ(create.name.size(), 3u);
  ASSERT_EQ(create.columns.size(), 5u);
  EXPECT_TRUE(create.columns[0].type->not_null);
  EXPECT_EQ(create.columns[0].comment, "the id");
  EXPECT_EQ(create.columns[1].type->kind, TypeKind::kRow);
  ASSERT_EQ(create.columns[1].type->fields.size(), 2u);
  EXPECT_TRUE(create.columns[1].type->fields[1].name.quoted);
  EXPECT_EQ(create.columns[2].column_kind, ColumnKind::kComputed);
  EXPECT_EQ(create.columns[3].column_kind, ColumnKind::kMetadata);
  EXPECT_EQ(create.columns[3].metadata_key, "partition");
  EXPECT_TRUE(create.columns[3].is_virtual);
  EXPECT_FALSE(create.columns[4].metadata_key);
  EXPECT_EQ(create.columns[4].type->element_types[1]->kind, TypeKind::kBytes);
  ASSERT_TRUE(create.watermark);
  EXPECT_EQ(create.watermark->column.text, "ts");
  EXPECT_EQ(create.watermark->position, (SourcePosition{7, 3}));
  ASSERT_TRUE(create.primary_key);
  EXPECT_EQ(create.primary_key->constraint_name->text, "pk");
  EXPECT_TRUE(create.primary_key->not_enforced);
  EXPECT_EQ(create.comment, "a table");
  EXPECT_EQ(create.partitioned_by[0].text, "id");
  EXPECT_EQ(create.options[0].value, "kafka");

  EXPECT_EQ(canonical("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, v STRING)"),
            "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
  EXPECT_EQ(canonical("CREATE TABLE t WITH ('connector' = 'print') AS SELECT * FROM s"),
            "CREATE TABLE t WITH ('connector' = 'print') AS SELECT * FROM s");
  EXPECT_EQ(canonical("CREATE TABLE t AS SELECT 1"), "CREATE TABLE t AS SELECT 1");
}

TEST(Parser, DataTypes) {
  EXPECT_EQ(canonical("CREATE TABLE t (a BOOLEAN, b TINYINT, c SMALLINT, d INTEGER, e BIGINT, "
                      "f REAL, g DOUBLE PRECISION, h DEC(5), i NUMERIC, j CHARACTER(3), k "
                      "CHARACTER VARYING(4), l STRING, m BINARY(2), n VARBINARY, o BYTES, p DATE, "
                      "q TIME(3) WITHOUT TIME ZONE, r TIMESTAMP WITHOUT TIME ZONE, s TIMESTAMP(3) "
                      "WITH LOCAL TIME ZONE, u TIMESTAMP_LTZ(6), v INTERVAL DAY TO SECOND(3), w "
                      "ROW(x INT, y ARRAY<INT NOT NULL>) NOT NULL, z MULTISET<STRING>, zz "
                      "MAP<STRING, ARRAY<MAP<INT, INT>>>, fl FLOAT, dbl DOUBLE, vc VARCHAR(10), c2 "
                      "CHAR)"),
            "CREATE TABLE t (a BOOLEAN, b TINYINT, c SMALLINT, d INT, e BIGINT, f FLOAT, g "
            "DOUBLE, h DECIMAL(5), i DECIMAL, j CHAR(3), k VARCHAR(4), l STRING, m BINARY(2), n "
            "VARBINARY, o BYTES, p DATE, q TIME(3), r TIMESTAMP, s TIMESTAMP_LTZ(3), u "
            "TIMESTAMP_LTZ(6), v INTERVAL DAY TO SECOND(3), w ROW<x INT, y ARRAY<INT NOT NULL>> "
            "NOT NULL, z MULTISET<STRING>, zz MAP<STRING, ARRAY<MAP<INT, INT>>>, fl FLOAT, dbl "
            "DOUBLE, vc VARCHAR(10), c2 CHAR)");
}

TEST(Parser, OtherStatements) {
  EXPECT_EQ(canonical("create view v as select 1"), "CREATE VIEW v AS SELECT 1");
  EXPECT_EQ(canonical("CREATE TEMPORARY VIEW IF NOT EXISTS v (a) COMMENT 'c' AS SELECT 1"),
            "CREATE TEMPORARY VIEW IF NOT EXISTS v (a) COMMENT 'c' AS SELECT 1");
  EXPECT_EQ(canonical("CREATE FUNCTION count_char AS 'com.example.CountChar'"),
            "CREATE FUNCTION count_char AS 'com.example.CountChar'");
  EXPECT_EQ(canonical("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'x' LANGUAGE JAVA"),
            "CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'x' LANGUAGE JAVA");
  EXPECT_EQ(canonical("DROP TABLE IF EXISTS db.t"), "DROP TABLE IF EXISTS db.t");
  EXPECT_EQ(canonical("DROP VIEW v"), "DROP VIEW v");
  EXPECT_EQ(canonical("DROP TEMPORARY FUNCTION f"), "DROP TEMPORARY FUNCTION f");
  EXPECT_EQ(canonical("INSERT OVERWRITE t (a, b) VALUES (1, 2)"),
            "INSERT OVERWRITE t (a, b) VALUES (1, 2)");
  EXPECT_EQ(canonical("INSERT INTO t (SELECT 1)"), "INSERT INTO t SELECT 1");
  EXPECT_EQ(canonical("INSERT INTO t WITH a AS (SELECT 1) SELECT * FROM a"),
            "INSERT INTO t WITH a AS (SELECT 1) SELECT * FROM a");
  EXPECT_EQ(canonical("SET 'parallelism.default' = '2'"), "SET 'parallelism.default' = '2'");
  EXPECT_EQ(canonical("SHOW FUNCTIONS"), "SHOW FUNCTIONS");
  EXPECT_EQ(canonical("SHOW views"), "SHOW VIEWS");
  EXPECT_EQ(canonical("DESC t"), "DESCRIBE t");
  EXPECT_EQ(canonical("EXPLAIN PLAN FOR INSERT INTO t SELECT 1"),
            "EXPLAIN INSERT INTO t SELECT 1");
  EXPECT_EQ(canonical("EXPLAIN STATEMENT SET BEGIN INSERT INTO t SELECT 1; END"),
            "EXPLAIN EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT 1; END");
}

TEST(Parser, StatementSets) {
  constexpr std::string_view kScript =
      "EXECUTE STATEMENT SET BEGIN\n"
      "  INSERT INTO a SELECT 1;\n"
      "  INSERT INTO b SELECT 2;\n"
      "END;\n"
      "BEGIN STATEMENT SET;\n"
      "INSERT INTO c SELECT 3;\n"
      "END;";
  Result<std::vector<StatementPtr>> script = parseScript(kScript);
  ASSERT_TRUE(script.isOk()) << script.status().message();
  ASSERT_EQ(script.value().size(), 2u);
  const auto& first = script.value()[0]->as<StatementSet>();
  ASSERT_EQ(first.inserts.size(), 2u);
  EXPECT_EQ(first.inserts[1]->table[0].text, "b");
  EXPECT_EQ(first.inserts[1]->position, (SourcePosition{3, 3}));
  EXPECT_EQ(statementText(kScript, *first.inserts[1]), "INSERT INTO b SELECT 2");
  const auto& second = script.value()[1]->as<StatementSet>();
  ASSERT_EQ(second.inserts.size(), 1u);
  EXPECT_EQ(statementText(kScript, second),
            "BEGIN STATEMENT SET;\nINSERT INTO c SELECT 3;\nEND");
  EXPECT_EQ(toSql(second), "EXECUTE STATEMENT SET BEGIN INSERT INTO c SELECT 3; END");
}

TEST(Parser, ParenthesizedQueriesAndExpressionsAreToldApart) {
  EXPECT_EQ(canonicalExpr("((SELECT 1) + 1) * 2"), "((SELECT 1) + 1) * 2");
  EXPECT_EQ(canonicalExpr("((SELECT 1 LIMIT 1) UNION SELECT 2)"),
            "((SELECT 1 LIMIT 1) UNION SELECT 2)");
  EXPECT_EQ(parseExpr("((SELECT 1))")->kind, ExprKind::kScalarSubquery);
  EXPECT_EQ(parseExpr("x IN ((SELECT 1))")->kind, ExprKind::kInSubquery);
  EXPECT_EQ(parseExpr("x IN ((SELECT 1), 2)")->kind, ExprKind::kInList);
  EXPECT_EQ(canonicalExpr("(((SELECT 1) ORDER BY 1))"), "(SELECT 1 ORDER BY 1)");
  EXPECT_EQ(canonicalExpr("((SELECT a FROM t).f)"), "(SELECT a FROM t).f");
  EXPECT_EQ(canonicalExpr("(1).f"), "(1).f");
  EXPECT_EQ(canonicalExpr("(-a).f"), "(-a).f");
  EXPECT_EQ(canonicalExpr("CAST(r AS ROW<f INT>).f"), "CAST(r AS ROW<f INT>).f");
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string deep(300, '(');
  deep.append("1").append(300, ')');
  Result<ExprPtr> expr = parseExpression(deep);
  ASSERT_FALSE(expr.isOk());
  EXPECT_EQ(expr.status().message(),
            "line 1, column 256: the statement is nested too deeply (more than 256 levels of "
            "parentheses, subqueries, types or operators)");

  std::string negations;
  for (int i = 0; i < 100000; ++i) negations.append("NOT ");
  negations.append("a");
  EXPECT_FALSE(parseExpression(negations).isOk());

  std::string minus(100000, '-');
  EXPECT_FALSE(parseExpression(minus + "1").isOk());

  // Printing must not nest deeper than the input did (a fuzz finding: `+(+(...))`).
  std::string signs;
  for (int i = 0; i < 200; ++i) signs.append("+ ");
  Result<ExprPtr> signed_expr = parseExpression(signs + "a");
  ASSERT_TRUE(signed_expr.isOk());
  EXPECT_TRUE(parseExpression(toSql(*signed_expr.value())).isOk());

  std::string types("CREATE TABLE t (a ");
  for (int i = 0; i < 1000; ++i) types.append("ARRAY<");
  EXPECT_FALSE(parseScript(types).isOk());

  std::string subqueries("SELECT * FROM ");
  for (int i = 0; i < 1000; ++i) subqueries.append("(SELECT * FROM ");
  EXPECT_FALSE(parseScript(subqueries).isOk());
}

TEST(Parser, LongOperatorChainsAreBounded) {
  // A generated filter with a few hundred terms parses.
  std::string terms("a = 0");
  for (int i = 1; i < 500; ++i) terms.append(" OR a = ").append(std::to_string(i));
  Result<ExprPtr> ok = parseExpression(terms);
  ASSERT_TRUE(ok.isOk()) << ok.status().message();
  EXPECT_EQ(ok.value()->height, 501);

  // Beyond kMaxTreeHeight it is an error, so walking the tree cannot overflow the stack.
  std::string chain("1");
  for (int i = 0; i < 100000; ++i) chain.append(" + 1");
  Result<ExprPtr> too_long = parseExpression(chain);
  ASSERT_FALSE(too_long.isOk());
  EXPECT_EQ(too_long.status().message(),
            "line 1, column 3999: the statement is nested too deeply (an expression or query "
            "more than 1000 levels deep; split long chains of operators)");

  std::string unions("SELECT 1");
  for (int i = 0; i < 5000; ++i) unions.append(" UNION SELECT 1");
  EXPECT_FALSE(parseScript(unions).isOk());
  std::string joins("SELECT * FROM t");
  for (int i = 0; i < 5000; ++i) joins.append(", t");
  EXPECT_FALSE(parseScript(joins).isOk());
}

}  // namespace
}  // namespace caudal::sql::ast
