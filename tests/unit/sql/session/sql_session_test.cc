// End-to-end statements on bounded input (VALUES): binding, planning, execution and results,
// with results written out by hand.
#include "sql/session/sql_session.h"

#include <gtest/gtest.h>

#include "../sql_test_support.h"

namespace caudal::sql {
namespace {

using test_support::selectRows;
using test_support::sortedRows;
using test_support::statementError;

constexpr const char* kClicks =
    "(VALUES (1, '/api/a', 200), (2, '/api/b', 404), (1, '/home', 200), (3, '/api/a', 200), "
    "(2, '/api/c', CAST(NULL AS INT))) AS clicks(user_id, url, status)";

TEST(SqlSessionTest, SelectsFiltersAndProjects) {
  SqlSession session(2);
  EXPECT_EQ(selectRows(session, std::string("SELECT user_id * 10, UPPER(url) FROM ") + kClicks + " WHERE status = 200"),
            (std::vector<std::string>{"10|/API/A", "10|/HOME", "30|/API/A"}));
  EXPECT_EQ(selectRows(session, "SELECT 1 + 2, 'a' || 'b', CAST('12.50' AS DECIMAL(5, 2)) * 2"),
            (std::vector<std::string>{"3|ab|25.00"}));
}

TEST(SqlSessionTest, GroupsAndAggregates) {
  SqlSession session(2);
  EXPECT_EQ(sortedRows(selectRows(session, std::string("SELECT status, COUNT(*), COUNT(DISTINCT user_id), SUM(user_id) FROM ") +
                                      kClicks + " WHERE url LIKE '/api/%' GROUP BY status")),
            (std::vector<std::string>{"200|2|2|4", "404|1|1|2", "NULL|1|1|2"}));
  EXPECT_EQ(selectRows(session, std::string("SELECT COUNT(*), MIN(url), MAX(status), AVG(user_id) FROM ") + kClicks),
            (std::vector<std::string>{"5|/api/a|404|1"}));
  EXPECT_EQ(sortedRows(selectRows(session, std::string("SELECT user_id, COUNT(*) AS n FROM ") + kClicks +
                                      " GROUP BY user_id HAVING COUNT(*) > 1")),
            (std::vector<std::string>{"1|2", "2|2"}));
}

TEST(SqlSessionTest, OrdersLimitsAndRemovesDuplicates) {
  SqlSession session(2);
  EXPECT_EQ(selectRows(session, std::string("SELECT DISTINCT user_id FROM ") + kClicks + " ORDER BY user_id DESC"),
            (std::vector<std::string>{"3", "2", "1"}));
  EXPECT_EQ(selectRows(session, std::string("SELECT url FROM ") + kClicks + " ORDER BY status DESC NULLS LAST, url LIMIT 2"),
            (std::vector<std::string>{"/api/b", "/api/a"}));
  EXPECT_EQ(selectRows(session, "SELECT x FROM (VALUES (3), (1), (2)) AS t(x) ORDER BY x LIMIT 2 OFFSET 1"),
            (std::vector<std::string>{"2", "3"}));
}

TEST(SqlSessionTest, JoinsUnionsAndSubqueries) {
  SqlSession session(2);
  const std::string users = "(VALUES (1, 'ann'), (2, 'bob'), (4, 'dan')) AS users(id, name)";
  EXPECT_EQ(sortedRows(selectRows(session, std::string("SELECT name, url FROM ") + kClicks + " JOIN " + users +
                                      " ON clicks.user_id = users.id WHERE status = 200")),
            (std::vector<std::string>{"ann|/api/a", "ann|/home"}));
  EXPECT_EQ(sortedRows(selectRows(session, "SELECT users.name, c.n FROM " + users + " LEFT JOIN (SELECT user_id, COUNT(*) AS n FROM " +
                                      kClicks + " GROUP BY user_id) AS c ON users.id = c.user_id")),
            (std::vector<std::string>{"ann|2", "bob|2", "dan|NULL"}));
  EXPECT_EQ(sortedRows(selectRows(session, "SELECT x FROM (VALUES (1), (2)) AS a(x) UNION ALL SELECT y FROM (VALUES (2), (3)) AS b(y)")),
            (std::vector<std::string>{"1", "2", "2", "3"}));
  EXPECT_EQ(sortedRows(selectRows(session, "SELECT x FROM (VALUES (1), (2)) AS a(x) UNION SELECT y FROM (VALUES (2), (3)) AS b(y)")),
            (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(sortedRows(selectRows(session, std::string("SELECT name FROM ") + users + " WHERE id IN (SELECT user_id FROM " +
                                      kClicks + " WHERE status = 404)")),
            (std::vector<std::string>{"bob"}));
  EXPECT_EQ(sortedRows(selectRows(session, std::string("SELECT name FROM ") + users + " WHERE NOT EXISTS (SELECT 1 FROM " +
                                      kClicks + " WHERE clicks.user_id = users.id)")),
            (std::vector<std::string>{"dan"}));
  EXPECT_EQ(sortedRows(selectRows(session, "WITH big AS (SELECT id FROM " + users + " WHERE id > 1) SELECT COUNT(*) FROM big")),
            (std::vector<std::string>{"2"}));
}

TEST(SqlSessionTest, ViewsShowAndDescribe) {
  SqlSession session(1);
  ASSERT_TRUE(session.execute("CREATE VIEW v AS SELECT x, x * 2 AS doubled FROM (VALUES (1), (2)) AS t(x)").isOk());
  EXPECT_EQ(selectRows(session, "SELECT SUM(doubled) FROM v"), (std::vector<std::string>{"6"}));
  EXPECT_EQ(selectRows(session, "SHOW TABLES"), (std::vector<std::string>{"v"}));
  EXPECT_EQ(selectRows(session, "DESCRIBE v"),
            (std::vector<std::string>{"x|INT|false|NULL|NULL|NULL", "doubled|INT|false|NULL|NULL|NULL"}));
}

TEST(SqlSessionTest, ErrorsNameTheLineAndColumn) {
  SqlSession session(1);
  EXPECT_EQ(statementError(session, "SELECT nme FROM (VALUES (1, 'a')) AS t(id, name)"),
            "line 1, column 8: column 'nme' not found; did you mean 'name'?");
  EXPECT_EQ(statementError(session, "SELECT *\nFROM clickz"), "line 2, column 6: table or view 'clickz' not found");
  EXPECT_EQ(statementError(session, "SELECT id, COUNT(*) FROM (VALUES (1, 'a')) AS t(id, name) GROUP BY name"),
            "line 1, column 8: column 'id' must appear in GROUP BY or be used in an aggregate function");
  EXPECT_EQ(statementError(session, "SELECT * FROM (VALUES (1)) AS t(x) WHERE COUNT(*) > 1"),
            "line 1, column 42: aggregate function count() is not allowed in WHERE");
  EXPECT_EQ(statementError(session, "SELECT u.name FROM (VALUES (1, 'a')) AS users(id, name)"),
            "line 1, column 8: column 'u.name' not found; did you mean 'name'?");
  EXPECT_EQ(statementError(session, "SELECT x FROM (VALUES (1)) AS a(x) JOIN (VALUES (2)) AS b(x) ON a.x = b.x"),
            "line 1, column 8: column 'x' is ambiguous; qualify it with its table");
  EXPECT_EQ(statementError(session, "SELECT 1 FROM (VALUES (1)) AS t(x) WHERE x"),
            "line 1, column 42: WHERE must be a BOOLEAN condition but has type INT NOT NULL");
  EXPECT_EQ(statementError(session, "INSERT INTO nowhere SELECT 1"), "line 1, column 13: table 'nowhere' not found");
  EXPECT_EQ(statementError(session, "CREATE TABLE t (a INT) WITH ('format' = 'csv')"),
            "line 1, column 1: table 't' has no 'connector' option; add WITH ('connector' = ...)");
  EXPECT_EQ(statementError(session, "SELECT CAST(1 AS DECIMAL(40, 2))"),
            "line 1, column 18: DECIMAL precision 40 is outside the supported range 1 to 38");
}

TEST(SqlSessionTest, ExplainShowsBothPlans) {
  SqlSession session(1);
  auto result = session.executeOne("EXPLAIN SELECT x + (1 + 2) FROM (VALUES (1), (5)) AS t(x) WHERE x > 2");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  EXPECT_EQ(result.value().message,
            "== Logical Plan ==\n"
            "Project(x + (1 + 2) AS EXPR$0)\n"
            "  Filter(condition=[x > 2])\n"
            "    Values(rows=2)\n"
            "\n== Optimized Physical Plan ==\n"
            "Project(x + 3 AS EXPR$0)\n"
            "  Filter(condition=[x > 2])\n"
            "    Values(rows=2)\n");
}

}  // namespace
}  // namespace caudal::sql
