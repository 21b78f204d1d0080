// Ranking functions (ROW_NUMBER, RANK, DENSE_RANK OVER) on bounded input, their top-N form, the
// plans EXPLAIN shows for them, and the errors of what is not supported; results written out by
// hand.
#include <gtest/gtest.h>

#include "../sql_test_support.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

using test_support::selectRows;
using test_support::statementError;

// Scores of two players; 'b' has a tie and a NULL.
constexpr const char* kScores =
    "(VALUES ('a', 30), ('a', 10), ('a', 20), ('b', 5), ('b', 7), ('b', 5), ('b', CAST(NULL AS "
    "INT)), ('b', 9)) "
    "AS scores(player, score)";

TEST(WindowSqlTest, RankingFunctionsNumberEachPartitionInItsOrder) {
  SqlSession session(2);
  EXPECT_EQ(
      selectRows(
          session,
          std::string("SELECT player, score, ROW_NUMBER() OVER (PARTITION BY player ORDER BY "
                      "score DESC) AS rn, RANK() OVER (PARTITION BY player ORDER BY score DESC) "
                      "AS r, DENSE_RANK() OVER (PARTITION BY player ORDER BY score DESC) AS d "
                      "FROM ") +
              kScores + " ORDER BY player, rn"),
      (std::vector<std::string>{"a|30|1|1|1", "a|20|2|2|2", "a|10|3|3|3", "b|9|1|1|1", "b|7|2|2|2",
                                "b|5|3|3|3", "b|5|4|3|3", "b|NULL|5|5|4"}));
  // Ascending, NULLs come first; NULLS LAST moves them; no PARTITION BY ranks everything.
  EXPECT_EQ(selectRows(session, std::string("SELECT score, RANK() OVER (ORDER BY score) FROM ") +
                                    kScores + " WHERE player = 'b' ORDER BY 2"),
            (std::vector<std::string>{"NULL|1", "5|2", "5|2", "7|4", "9|5"}));
  EXPECT_EQ(
      selectRows(
          session,
          std::string("SELECT score, DENSE_RANK() OVER (ORDER BY score NULLS LAST) AS d FROM ") +
              kScores + " WHERE player = 'b' ORDER BY d"),
      (std::vector<std::string>{"5|1", "5|1", "7|2", "9|3", "NULL|4"}));
}

TEST(WindowSqlTest, TopNKeepsTheFirstRowsOfEachPartition) {
  SqlSession session(2);
  EXPECT_EQ(
      selectRows(session,
                 std::string("SELECT player, score FROM (SELECT player, score, ROW_NUMBER() OVER "
                             "(PARTITION BY player ORDER BY score DESC) AS rn FROM ") +
                     kScores + ") AS t WHERE rn <= 2 ORDER BY player, score DESC"),
      (std::vector<std::string>{"a|30", "a|20", "b|9", "b|7"}));
  // RANK keeps the ties at the limit; `rn = 1` keeps one row per partition.
  EXPECT_EQ(
      selectRows(session,
                 std::string("SELECT player, score, r FROM (SELECT player, score, RANK() OVER "
                             "(PARTITION BY player ORDER BY score) AS r FROM ") +
                     kScores + " WHERE score IS NOT NULL) AS t WHERE r < 2 ORDER BY player, score"),
      (std::vector<std::string>{"a|10|1", "b|5|1", "b|5|1"}));
  EXPECT_EQ(
      selectRows(session,
                 std::string("SELECT player, score FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
                             "player ORDER BY score DESC NULLS FIRST) AS rn FROM ") +
                     kScores + ") AS t WHERE rn = 1 ORDER BY player"),
      (std::vector<std::string>{"a|30", "b|NULL"}));
  // Ranking the groups of an aggregation: the best player by total.
  EXPECT_EQ(
      selectRows(
          session,
          std::string("SELECT player, SUM(score) AS total, RANK() OVER (ORDER BY SUM(score) DESC) "
                      "AS r FROM ") +
              kScores + " GROUP BY player ORDER BY r"),
      (std::vector<std::string>{"a|60|1", "b|26|2"}));
}

TEST(WindowSqlTest, ExplainShowsTheRankLimitAndTheFilterOnPartitionKeysBelow) {
  SqlSession session(2);
  ASSERT_TRUE(session
                  .execute("CREATE TABLE scores (player STRING, score INT, at BIGINT) WITH "
                           "('connector' = 'datagen')")
                  .isOk());
  auto result = session.executeOne(
      "EXPLAIN SELECT * FROM (SELECT player, score, ROW_NUMBER() OVER (PARTITION BY player ORDER "
      "BY score DESC) AS rn "
      "FROM scores) AS t WHERE rn <= 3 AND player <> 'c' AND score > 6");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const std::string& plans = result.value().message;
  // The test of the partition key goes below the ranking; the one of another column cannot
  // (it would change the numbers); the bound on the number tells the ranking where to stop.
  EXPECT_EQ(
      plans.substr(plans.find("== Optimized Physical Plan ==")),
      "== Optimized Physical Plan ==\n"
      "Project(player, score, rn)\n"
      "  Project(player, score, $rank0 AS rn)\n"
      "    Filter(condition=[($rank0 <= 3) AND (score > 6)])\n"
      "      Window(partitionBy=[player], orderBy=[score DESC], select=[ROW_NUMBER() AS $rank0], "
      "rankLimit=[$rank0 <= 3])\n"
      "        Filter(condition=[player <> 'c'])\n"
      "          Scan(table=[scores], fields=[player, score, at], reads=[player, score])\n");
}

TEST(WindowSqlTest, WhatIsNotSupportedIsAnErrorNamingThePlace) {
  SqlSession session(2);
  ASSERT_EQ(
      statementError(session, "CREATE TABLE t (k INT, v BIGINT) WITH ('connector' = 'datagen')"),
      "(no error)");
  EXPECT_EQ(statementError(session, "SELECT k FROM t\nWHERE ROW_NUMBER() OVER (ORDER BY v) = 1"),
            "line 2, column 7: window functions (OVER) are only allowed in the select list, not in "
            "WHERE");
  EXPECT_EQ(statementError(session, "SELECT k, LAG(v) OVER (ORDER BY v) FROM t"),
            "line 1, column 11: unknown window function 'lag'; ROW_NUMBER, RANK and DENSE_RANK are "
            "supported");
  EXPECT_EQ(statementError(session, "SELECT k, SUM(v) OVER (PARTITION BY k) FROM t"),
            "line 1, column 11: aggregate functions over a window (SUM(...) OVER) are not "
            "supported yet; ROW_NUMBER, "
            "RANK and DENSE_RANK are");
  EXPECT_EQ(statementError(session, "SELECT RANK(v) OVER (ORDER BY v) FROM t"),
            "line 1, column 8: RANK() takes no arguments");
  EXPECT_EQ(
      statementError(
          session,
          "SELECT RANK() OVER (ORDER BY v), ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) FROM t"),
      "line 1, column 66: window functions of one SELECT with different OVER clauses are not "
      "supported yet");
  EXPECT_EQ(
      statementError(session,
                     "SELECT k, COUNT(*) FROM t GROUP BY k HAVING RANK() OVER (ORDER BY k) = 1"),
      "line 1, column 45: window functions (OVER) are only allowed in the select list, not in "
      "HAVING");
  EXPECT_EQ(statementError(session, "SELECT ROW_NUMBER() OVER (ORDER BY nope) FROM t"),
            "line 1, column 36: column 'nope' not found");
}

}  // namespace
}  // namespace caudal::sql
