// The parser's error messages, exactly: each starts "line L, column C: " and says what was
// expected and what was found.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sql/parser/parser.h"

namespace caudal::sql::ast {
namespace {

struct ErrorCase {
  std::string_view sql;
  std::string_view message;
};

constexpr ErrorCase kErrorCases[] = {
    {"SELECT a, FROM t",
     "line 1, column 11: expected an expression but found 'FROM'"},
    {"SELECT a FROM t WHERE (a = 1",
     "line 1, column 29: expected ')' to close '(' opened at line 1, column 23 but found end of input"},
    {"SELECT 'abc",
     "line 1, column 8: unterminated string literal"},
    {"SELEC a FROM t",
     "line 1, column 1: unknown statement 'SELEC' (did you mean SELECT?); expected SELECT, VALUES, WITH, INSERT, EXECUTE STATEMENT SET, CREATE, DROP, SET, RESET, SHOW, DESCRIBE or EXPLAIN"},
    {"INSRT INTO t SELECT 1",
     "line 1, column 1: unknown statement 'INSRT' (did you mean INSERT?); expected SELECT, VALUES, WITH, INSERT, EXECUTE STATEMENT SET, CREATE, DROP, SET, RESET, SHOW, DESCRIBE or EXPLAIN"},
    {"CREAT TABLE t (a INT)",
     "line 1, column 1: unknown statement 'CREAT' (did you mean CREATE?); expected SELECT, VALUES, WITH, INSERT, EXECUTE STATEMENT SET, CREATE, DROP, SET, RESET, SHOW, DESCRIBE or EXPLAIN"},
    {"FOO",
     "line 1, column 1: unknown statement 'FOO'; expected SELECT, VALUES, WITH, INSERT, EXECUTE STATEMENT SET, CREATE, DROP, SET, RESET, SHOW, DESCRIBE or EXPLAIN"},
    {"SELECT a FROM t WHERE a = \"x\"",
     "line 1, column 27: unexpected character '\"': string literals use single quotes ('text') and quoted identifiers use backticks (`name`)"},
    {"SELECT `abc FROM t",
     "line 1, column 8: unterminated quoted identifier"},
    {"SELECT a FROM t /* never closed",
     "line 1, column 17: unterminated comment: '/*' is never closed by '*/'"},
    {"SELECT X'0AF' FROM t",
     "line 1, column 8: invalid byte string literal: it needs an even number of hexadecimal digits"},
    {"SELECT X'0AZZ' FROM t",
     "line 1, column 8: invalid byte string literal: 'Z' is not a hexadecimal digit"},
    {"SELECT 1e FROM t",
     "line 1, column 8: invalid number: the exponent after 'E' needs digits"},
    {"SELECT 12abc FROM t",
     "line 1, column 8: invalid number: a number must not be followed directly by a letter"},
    {"SELECT a FROM",
     "line 1, column 14: expected a table name, '(' or TABLE(...) but found end of input"},
    {"SELECT a FROM t WHERE",
     "line 1, column 22: expected an expression but found end of input"},
    {"SELECT * FROM t GROUP a",
     "line 1, column 23: expected BY but found 'a'"},
    {"SELECT * FROM a JOIN b",
     "line 1, column 23: expected ON or USING after the joined table but found end of input"},
    {"SELECT * FROM a NATURAL",
     "line 1, column 24: expected JOIN after NATURAL but found end of input"},
    {"SELECT CAST(a AS FOO) FROM t",
     "line 1, column 18: expected a data type but found 'FOO'"},
    {"SELECT CAST(a INT) FROM t",
     "line 1, column 15: expected AS but found 'INT'"},
    {"SELECT CASE WHEN a THEN b FROM t",
     "line 1, column 27: expected WHEN, ELSE or END to close CASE opened at line 1, column 8 but found 'FROM'"},
    {"SELECT CASE a END FROM t",
     "line 1, column 15: expected WHEN in CASE but found 'END'"},
    {"SELECT INTERVAL '1' FROM t",
     "line 1, column 21: expected an interval unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND) but found 'FROM'"},
    {"SELECT INTERVAL 1 SECOND FROM t",
     "line 1, column 17: expected a string after INTERVAL, as in INTERVAL '10' SECOND but found '1'"},
    {"SELECT a IS FOO FROM t",
     "line 1, column 13: expected NULL, TRUE, FALSE, UNKNOWN, DISTINCT FROM or NOT after IS but found 'FOO'"},
    {"SELECT a BETWEEN 1 OR 2 FROM t",
     "line 1, column 20: expected AND in BETWEEN ... AND ... but found 'OR'"},
    {"SELECT a NOT b FROM t",
     "line 1, column 10: expected ';' or the end of the input after the statement but found 'NOT'"},
    {"SELECT f(a FROM t",
     "line 1, column 12: expected ')' to close '(' opened at line 1, column 9 but found 'FROM'"},
    {"SELECT ARRAY(1) FROM t",
     "line 1, column 13: expected '[' after ARRAY but found '('"},
    {"SELECT MAP['a'] FROM t",
     "line 1, column 8: MAP[...] needs an even number of elements: key, value, ..."},
    {"SELECT a[1 FROM t",
     "line 1, column 12: expected ']' to close '[' opened at line 1, column 9 but found 'FROM'"},
    {"SELECT EXTRACT(FOO FROM ts) FROM t",
     "line 1, column 16: expected a time unit (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, DOW, DOY, EPOCH, ...) but found 'FOO'"},
    {"CREATE TABLE t (a INT,)",
     "line 1, column 23: expected a column name, WATERMARK or PRIMARY KEY but found ')'"},
    {"CREATE TABLE t (a VARCHAR(10, 2))",
     "line 1, column 29: expected ')' to close '(' opened at line 1, column 26 but found ','"},
    {"CREATE TABLE t (a INT) WITH (connector = 'x')",
     "line 1, column 30: expected an option key string such as 'connector' but found 'connector'"},
    {"CREATE TABLE t (a INT) WITH ('connector' 'x')",
     "line 1, column 42: expected '=' but found string 'x'"},
    {"CREATE TABLE t (a ROW<b INT)",
     "line 1, column 28: expected '>' to close '<' opened at line 1, column 22 but found ')'"},
    {"CREATE TABLE t (a ARRAY<INT, INT>)",
     "line 1, column 28: expected '>' to close '<' opened at line 1, column 24 but found ','"},
    {"CREATE TABLE t (a MAP<INT>)",
     "line 1, column 26: expected ',' between the key and value types of MAP but found '>'"},
    {"CREATE TABLE t (a INT, PRIMARY KEY (a) NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED)",
     "line 1, column 54: a table has at most one PRIMARY KEY"},
    {"CREATE TABLE t (a INT, WATERMARK FOR a AS a, WATERMARK FOR a AS a)",
     "line 1, column 46: a table has at most one WATERMARK"},
    {"CREATE TABLE t (a TIMESTAMP WITH TIME ZONE)",
     "line 1, column 34: TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP WITH LOCAL TIME ZONE"},
    {"CREATE VIEW v SELECT 1",
     "line 1, column 15: expected AS but found 'SELECT'"},
    {"CREATE INDEX i",
     "line 1, column 8: expected TABLE, VIEW or FUNCTION after CREATE but found 'INDEX'"},
    {"DROP DATABASE d",
     "line 1, column 6: expected TABLE, VIEW or FUNCTION after DROP but found 'DATABASE'"},
    {"INSERT t SELECT 1",
     "line 1, column 8: expected INTO or OVERWRITE after INSERT but found 't'"},
    {"INSERT INTO t VALUES 1",
     "line 1, column 22: expected '(' to start a row of VALUES but found '1'"},
    {"INSERT INTO t",
     "line 1, column 14: expected a query (SELECT, VALUES or WITH) after the INSERT target but found end of input"},
    {"EXECUTE STATEMENT SET BEGIN SELECT 1; END",
     "line 1, column 29: expected INSERT or END in the statement set but found 'SELECT'"},
    {"EXECUTE STATEMENT SET BEGIN END",
     "line 1, column 29: expected an INSERT in the statement set but found 'END'"},
    {"BEGIN STATEMENT SET INSERT INTO t SELECT 1; END",
     "line 1, column 21: expected ';' after BEGIN STATEMENT SET but found 'INSERT'"},
    {"SET 'a'",
     "line 1, column 8: expected '=' but found end of input"},
    {"SET a = 'b'",
     "line 1, column 5: expected an option key string such as 'connector' but found 'a'"},
    {"SHOW TABLE",
     "line 1, column 6: expected TABLES, VIEWS, FUNCTIONS, DATABASES or CATALOGS after SHOW but found 'TABLE'"},
    {"EXPLAIN CREATE TABLE t (a INT)",
     "line 1, column 9: expected a query, INSERT or STATEMENT SET after EXPLAIN but found 'CREATE'"},
    {"SELECT 1 SELECT 2",
     "line 1, column 10: expected ';' or the end of the input after the statement but found 'SELECT'"},
    {"SELECT a FROM t ORDER a",
     "line 1, column 23: expected BY but found 'a'"},
    {"SELECT a FROM t ORDER BY a NULLS",
     "line 1, column 33: expected FIRST or LAST after NULLS but found end of input"},
    {"SELECT a FROM t LIMIT",
     "line 1, column 22: expected an expression but found end of input"},
    {"SELECT a FROM select",
     "line 1, column 15: expected a table name, '(' or TABLE(...) but found 'select' (a reserved word; quote it as `select` to use it as a name)"},
    {"SELECT a AS FROM t",
     "line 1, column 13: expected an alias name after AS but found 'FROM' (a reserved word; quote it as `FROM` to use it as a name)"},
    {"SELECT * FROM t AS from",
     "line 1, column 20: expected an alias name after AS but found 'from' (a reserved word; quote it as `from` to use it as a name)"},
    {"SELECT * FROM t FOR SYSTEM_TIME OF x",
     "line 1, column 33: expected AS but found 'OF'"},
    {"SELECT * FROM TABLE(TUMBLE(TABLE, DESCRIPTOR(ts), INTERVAL '1' SECOND))",
     "line 1, column 33: expected a table name after TABLE but found ','"},
    {"SELECT ROW_NUMBER() OVER w FROM t",
     "line 1, column 26: expected '(' after OVER (named windows are not supported) but found 'w'"},
    {"SELECT SUM(a) OVER (ROWS BETWEEN UNBOUNDED AND CURRENT ROW) FROM t",
     "line 1, column 44: expected PRECEDING or FOLLOWING after UNBOUNDED but found 'AND'"},
    {"SELECT SUM(a) OVER (ROWS 1) FROM t",
     "line 1, column 27: expected PRECEDING or FOLLOWING after the frame offset but found ')'"},
    {"SELECT count(*) FILTER (a > 1) FROM t",
     "line 1, column 25: expected WHERE but found 'a'"},
    {"SELECT a FROM t UNION",
     "line 1, column 22: expected a query (SELECT, VALUES, WITH or '(') but found end of input"},
    {"SELECT (SELECT 1 FROM t",
     "line 1, column 24: expected ')' to close '(' opened at line 1, column 8 but found end of input"},
    {"SELECT 1 UNION (1 + 2)",
     "line 1, column 19: expected a query (SELECT, VALUES or WITH) but found an expression"},
    {"SELECT TRIM(LEADING x) FROM t",
     "line 1, column 22: expected FROM in TRIM but found ')'"},
    {"SELECT POSITION(a, b) FROM t",
     "line 1, column 18: expected IN but found ','"},
    {"SELECT a = ! b FROM t",
     "line 1, column 12: unexpected character '!' (not equal is '<>' or '!=')"},
    {"SELECT a | b FROM t",
     "line 1, column 10: unexpected character '|' (the concatenation operator is '||')"},
    {"SELECT a FROM t WHERE a IN 1",
     "line 1, column 28: expected '(' after IN but found '1'"},
    {"SELECT * FROM (t)",
     "line 1, column 15: parentheses around a single table are not supported"},
    {"WITH x AS SELECT 1 SELECT * FROM x",
     "line 1, column 11: expected '(' before the query of the WITH item but found 'SELECT'"},
    {"SELECT a FROM t;;; SELECT b FROM u WHERE",
     "line 1, column 41: expected an expression but found end of input"},
    {"SELECT a FROM t WHERE b = 'x' AND c = 'unterminated",
     "line 1, column 39: unterminated string literal"},
    {"\tSELECT a FROM t WHERE é = 1 AND ?",
     "line 1, column 34: unexpected character '?'"},
    {"SELECT DATE FROM t WHERE",
     "line 1, column 25: expected an expression but found end of input"},
    {"CREATE TEMPORARY SYSTEM TABLE t (a INT)",
     "line 1, column 25: SYSTEM applies to functions only"},
    {"SELECT a FROM t WHERE a NOT IN ()",
     "line 1, column 33: expected an expression but found ')'"},
    {"SELECT `` FROM t",
     "line 1, column 8: empty quoted identifier ``"},
    {"RESET a",
     "line 1, column 7: expected an option key string or the end of RESET but found 'a'"},
    {"SELECT INTERVAL '1' YEAR TO DAY FROM t",
     "line 1, column 29: expected a unit after YEAR TO (YEAR TO MONTH, or DAY, HOUR or MINUTE TO HOUR, MINUTE or SECOND) but found 'DAY'"},
    {"SELECT a FROM t WHERE b LIKE",
     "line 1, column 29: expected an expression but found end of input"},
    {"SELECT * FROM t LEFT a",
     "line 1, column 22: expected JOIN but found 'a'"},
    {"SELECT a FROM t GROUP BY ROLLUP a",
     "line 1, column 33: expected ';' or the end of the input after the statement but found 'a'"},
    {"DROP TEMPORARY SYSTEM TABLE t",
     "line 1, column 23: expected FUNCTION but found 'TABLE'"},
};

TEST(ParserError, ExactMessages) {
  for (const ErrorCase& error_case : kErrorCases) {
    Result<std::vector<StatementPtr>> script = parseScript(error_case.sql);
    ASSERT_FALSE(script.isOk()) << error_case.sql;
    EXPECT_EQ(script.status().message(), error_case.message) << error_case.sql;
  }
}

TEST(ParserError, PositionsOnLaterLines) {
  Result<std::vector<StatementPtr>> script =
      parseScript("SELECT a\nFROM t\nWHERE (a = 1\n  AND b = 2");
  ASSERT_FALSE(script.isOk());
  EXPECT_EQ(script.status().message(),
            "line 4, column 12: expected ')' to close '(' opened at line 3, column 7 but found "
            "end of input");

  script = parseScript("SELECT 1;\n\nSELECT a,\n  FROM t;");
  ASSERT_FALSE(script.isOk());
  EXPECT_EQ(script.status().message(), "line 4, column 3: expected an expression but found 'FROM'");

  script = parseScript("SELECT CASE WHEN a\n  THEN b\nFROM t");
  ASSERT_FALSE(script.isOk());
  EXPECT_EQ(script.status().message(),
            "line 3, column 1: expected WHEN, ELSE or END to close CASE opened at line 1, column 8 "
            "but found 'FROM'");
}

TEST(ParserError, SingleStatementAndExpressionEntryPoints) {
  Result<StatementPtr> statement = parseStatement("SELECT 1; SELECT 2");
  ASSERT_FALSE(statement.isOk());
  EXPECT_EQ(statement.status().message(),
            "line 1, column 11: expected the end of the input after the statement but found "
            "'SELECT'");
  statement = parseStatement("  ");
  ASSERT_FALSE(statement.isOk());
  EXPECT_EQ(statement.status().message(),
            "line 1, column 3: expected a statement but found end of input");
  Result<ExprPtr> expr = parseExpression("a + ");
  ASSERT_FALSE(expr.isOk());
  EXPECT_EQ(expr.status().message(),
            "line 1, column 5: expected an expression but found end of input");
  expr = parseExpression("a b");
  ASSERT_FALSE(expr.isOk());
  EXPECT_EQ(expr.status().message(),
            "line 1, column 3: expected an operator or the end of the input but found 'b'");
  expr = parseExpression("COUNT(*) + *");
  ASSERT_FALSE(expr.isOk());
  EXPECT_EQ(expr.status().message(), "line 1, column 12: expected an expression but found '*'");
}

TEST(ParserError, LongTokensAreShortenedInMessages) {
  std::string sql("SELECT a FROM t WHERE a = 1 ");
  sql.append(std::string(100, 'x'));
  Result<std::vector<StatementPtr>> script = parseScript(sql);
  ASSERT_FALSE(script.isOk());
  EXPECT_EQ(script.status().message(),
            "line 1, column 29: expected ';' or the end of the input after the statement but "
            "found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
  script = parseScript(std::string("SELECT 'a' 'b") + std::string(60, 'c') + "'");
  ASSERT_FALSE(script.isOk());
  EXPECT_EQ(script.status().message(),
            "line 1, column 12: expected ';' or the end of the input after the statement but "
            "found string 'bcccccccccccccccccccccccccccccccccccccc...");
}

}  // namespace
}  // namespace caudal::sql::ast
