// The AST printer: canonicalScript text, quoting, and the round trip parse(toSql(parse(s))) that
// prints the same text again, over every must-parse case.

#include "sql/parser/ast_printer.h"

#include <gtest/gtest.h>

#include <string>

#include "sql/parser/parser.h"
#include "unit/sql/parser/nexmark_queries.h"

namespace caudal::sql::ast {
namespace {

// Statements and scripts every change must keep parsing, beyond the Nexmark queries.
constexpr std::string_view kMustParse[] = {
    R"sql(CREATE TABLE clicks (
  user_id BIGINT, url STRING, status INT, ts TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = 'data/clicks/', 'format' = 'csv', 'source.monitor-interval' = '1s');
CREATE TABLE status_counts (status INT, n BIGINT) WITH ('connector' = 'print', 'output-mode' = 'update');
INSERT INTO status_counts SELECT status, COUNT(*) FROM clicks WHERE url LIKE '/api/%' GROUP BY status;
)sql",
    "SELECT -(-1), - -a, a - -1, NOT NOT a, (SELECT 1) + 1, ((SELECT 1 LIMIT 1) UNION SELECT "
    "2), x IN ((SELECT 1)), (a, b) IN ((1, 2), (3, 4)), arr[1].f, (a).b, f(x).y FROM t",
    "SELECT CAST(x AS ROW<a INT NOT NULL 'd', b ARRAY<MAP<STRING, INT>>>) FROM ((SELECT 1 "
    "LIMIT 1) UNION SELECT 2) AS t, (a JOIN b ON TRUE) CROSS JOIN c",
    "SELECT TRIM(x), TRIM(LEADING 'a' FROM x), SUBSTRING(x FROM 1 FOR 2), substring(x, 1), "
    "POSITION('a' || b IN s), OVERLAY(s PLACING 'x' FROM 2), EXTRACT(DOW FROM ts), "
    "CURRENT_TIMESTAMP, INTERVAL '1-2' YEAR TO MONTH, INTERVAL '2 3:04' DAY(2) TO SECOND(3), "
    "DATE '2024-01-01', TIMESTAMP '2024-01-01 12:00:00.123', X'0AFF', 1e3, 1.50, "
    "99999999999999999999 FROM t WHERE a IS NOT DISTINCT FROM b AND c NOT BETWEEN SYMMETRIC 1 "
    "AND 2 OR d NOT LIKE 'x!%' ESCAPE '!' GROUP BY GROUPING SETS ((a, b), (), c), ROLLUP (a) "
    "ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 5",
    "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END;"
    "BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END;",
    "EXPLAIN PLAN FOR SELECT 1; SET; SET 'a' = 'b'; RESET; RESET 'a'; SHOW TABLES; DESC t; "
    "DROP TEMPORARY VIEW IF EXISTS v",
    "CREATE TEMPORARY VIEW IF NOT EXISTS v (a, b) AS WITH x (c) AS (SELECT 1) SELECT * FROM x "
    "OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY",
    "CREATE TABLE t2 (id INT PRIMARY KEY NOT ENFORCED, m MAP<STRING, BIGINT> METADATA FROM "
    "'headers' VIRTUAL COMMENT 'c', WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) COMMENT 'tc' "
    "PARTITIONED BY (id) WITH ('x' = 'y') AS SELECT * FROM t",
    "SELECT * FROM TABLE(TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL "
    "'10' MINUTE)) LEFT JOIN LATERAL TABLE(f(x)) AS T(a, b) ON TRUE",
    "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND "
    "CURRENT ROW), SUM(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND "
    "CURRENT ROW) FROM t",
    "VALUES (1, 'a'), (2, 'b') UNION ALL SELECT 1, 2 INTERSECT SELECT 3, 4 EXCEPT (SELECT 5, 6 "
    "UNION SELECT 7, 8)",
    "SELECT ARRAY[1, 2], MAP['a', 1], ROW(1, 2), m['k'], CASE a WHEN 1 THEN 'x' ELSE 'y' END, "
    "TRY_CAST(a AS DECIMAL(10, 2)), EXISTS (SELECT 1), `my ``col`, `select` FROM t WHERE x NOT "
    "IN (SELECT y FROM u)",
    "SELECT * FROM ((SELECT 1) AS a JOIN (b, c) ON TRUE), (((SELECT 2) UNION SELECT 3) ORDER BY "
    "1) AS d",
    "SELECT ((SELECT 1) + 1) * 2, ((SELECT a FROM t)).f, (((SELECT 1) ORDER BY 1))",
    "CREATE FUNCTION count_char AS 'com.example.CountChar' LANGUAGE JAVA; DROP FUNCTION "
    "count_char",
    "SELECT `a b`.`c``d`, 'it''s', '', 'line\nbreak', -- comment\n x /* block */ FROM `t t`",
};

std::string roundTripFailure(std::string_view sql) {
  Result<std::vector<StatementPtr>> first = parseScript(sql);
  if (!first.isOk()) return "does not parse: " + first.status().message();
  std::string printed = toSql(first.value());
  Result<std::vector<StatementPtr>> second = parseScript(printed);
  if (!second.isOk()) return "printed text does not parse: " + second.status().message() + "\n" + printed;
  std::string reprinted = toSql(second.value());
  if (reprinted != printed) return "printed twice differently:\n" + printed + "\n" + reprinted;
  if (second.value().size() != first.value().size()) return "statement count changed";
  return "";
}

TEST(AstPrinter, RoundTripsEveryMustParseCase) {
  for (std::string_view sql : kMustParse) EXPECT_EQ(roundTripFailure(sql), "") << sql;
  for (const testing::NamedSql& query : testing::kNexmarkQueries) {
    EXPECT_EQ(roundTripFailure(query.sql), "") << query.name;
  }
}

std::string canonicalScript(std::string_view sql) {
  Result<std::vector<StatementPtr>> script = parseScript(sql);
  if (!script.isOk()) return "ERROR: " + script.status().message();
  return toSql(script.value());
}

TEST(AstPrinter, NexmarkQ5) {
  const testing::NamedSql* q5 = nullptr;
  for (const testing::NamedSql& query : testing::kNexmarkQueries) {
    if (query.name == "q5") q5 = &query;
  }
  ASSERT_NE(q5, nullptr);
  EXPECT_EQ(
      canonicalScript(q5->sql),
      "CREATE TABLE nexmark_q5 (auction BIGINT, num BIGINT) WITH ('connector' = 'blackhole');\n"
      "INSERT INTO nexmark_q5 SELECT AuctionBids.auction, AuctionBids.num FROM (SELECT auction, "
      "count(*) AS num, window_start AS starttime, window_end AS endtime FROM TABLE(HOP(TABLE "
      "bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY "
      "auction, window_start, window_end) AS AuctionBids JOIN (SELECT max(CountBids.num) AS "
      "maxn, CountBids.starttime, CountBids.endtime FROM (SELECT count(*) AS num, window_start "
      "AS starttime, window_end AS endtime FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), "
      "INTERVAL '2' SECOND, INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end) "
      "AS CountBids GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids ON "
      "AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime AND "
      "AuctionBids.num >= MaxBids.maxn;\n");
}

TEST(AstPrinter, ScriptsEndEachStatementWithASemicolon) {
  EXPECT_EQ(canonicalScript("select 1; select 2"), "SELECT 1;\nSELECT 2;\n");
  EXPECT_EQ(canonicalScript(""), "");
}

TEST(AstPrinter, QuotesNamesAndStrings) {
  EXPECT_EQ(toSql(Identifier{"dateTime", false, {}}), "dateTime");
  EXPECT_EQ(toSql(Identifier{"dateTime", true, {}}), "`dateTime`");
  // A tree built by hand may hold names that cannot be written bare.
  EXPECT_EQ(toSql(Identifier{"from", false, {}}), "`from`");
  EXPECT_EQ(toSql(Identifier{"my col", false, {}}), "`my col`");
  EXPECT_EQ(toSql(Identifier{"a`b", false, {}}), "`a``b`");
  EXPECT_EQ(toSql(Identifier{"1a", false, {}}), "`1a`");
  EXPECT_EQ(toSql(Identifier{"", false, {}}), "``");
  EXPECT_EQ(quoteString("it's"), "'it''s'");
  EXPECT_EQ(quoteString(""), "''");
}

TEST(AstPrinter, PrintsHandBuiltTrees) {
  auto left = std::make_unique<ColumnRef>();
  left->names.push_back(Identifier{"price", false, {}});
  auto right = std::make_unique<Literal>();
  right->literal_kind = LiteralKind::kDecimal;
  right->text = "0.908";
  auto product = std::make_unique<Binary>();
  product->op = BinaryOperator::kMultiply;
  product->left = std::move(right);
  product->right = std::move(left);
  auto negate = std::make_unique<Unary>();
  negate->op = UnaryOperator::kNegate;
  negate->operand = std::move(product);
  EXPECT_EQ(toSql(*negate), "-(0.908 * price)");
  auto outer = std::make_unique<Unary>();
  outer->op = UnaryOperator::kNegate;
  outer->operand = std::move(negate);
  EXPECT_EQ(toSql(*outer), "- -(0.908 * price)");

  DataType type;
  type.kind = TypeKind::kDecimal;
  type.parameters = {23, 3};
  type.not_null = true;
  EXPECT_EQ(toSql(type), "DECIMAL(23, 3) NOT NULL");
}

TEST(AstPrinter, PrintsTablesAndQueriesAlone) {
  Result<StatementPtr> statement =
      parseStatement("SELECT a FROM t AS x JOIN u ON x.k = u.k ORDER BY a");
  ASSERT_TRUE(statement.isOk());
  const Query& query = *statement.value()->as<QueryStatement>().query;
  EXPECT_EQ(toSql(query), "SELECT a FROM t AS x JOIN u ON x.k = u.k ORDER BY a");
  EXPECT_EQ(toSql(*query.as<SelectQuery>().from), "t AS x JOIN u ON x.k = u.k");
}

}  // namespace
}  // namespace caudal::sql::ast
