// The join operator between a stream (a memory table fed batch by batch) and a bounded table:
// every join type with the table on either side, probe inputs that retract rows, and a build
// side that takes several batches to complete. Each batch's changelog, the final result and
// the rows the join holds are written out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "../sql_test_support.h"
#include "sql/connector/memory_tables.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

using Lines = std::vector<std::string>;

// What a query wrote, batch by batch (update mode without a key: +I and -D rows), and the rows
// the join held after each batch.
struct Outcome : test_support::Changelog {
  std::vector<int64_t> stored;
};

// A row of the stream `s (k INT, v BIGINT)`; no `k` is NULL.
struct StreamRow {
  std::optional<int> k;
  int64_t v;
};
using StreamBatches = std::vector<std::vector<StreamRow>>;

// The stream's batches most tests use: key 5 and NULL never match the table, key 1 comes twice.
const StreamBatches kStream = {
    {{1, 10}, {5, 50}},
    {{2, 20}, {std::nullopt, 0}},
    {{3, 30}, {1, 11}, {5, 51}},
};

// Feeds `rows` to the stream `s` of `session` as one chunk.
void feed(SqlSession& session, const std::vector<StreamRow>& rows) {
  std::vector<std::vector<Value>> values;
  for (const StreamRow& row : rows) {
    values.push_back({row.k ? Value::integer(*row.k) : Value::null(DataType::integer()), Value::bigInt(row.v)});
  }
  session.memoryTables().appendInputRows("s", {DataType::integer(), DataType::bigInt()}, values);
}

// Runs `sql` in update mode in a new session, one batch per element of `batches` (each fed to
// `s` first), over:
// - s (k INT, v BIGINT): a stream;
// - d (k INT, name STRING): a bounded table of five rows (two with key 2, one with a NULL key);
// - g (k INT): a bounded table of keys 1..6 arriving two per batch.
Outcome run(const std::string& sql, const StreamBatches& batches = kStream) {
  Outcome outcome;
  SqlSession session(1);
  auto created = session.execute(
      "CREATE TABLE s (k INT, v BIGINT) WITH ('connector' = 'memory');"
      "CREATE TABLE d (k INT, name STRING) WITH ('connector' = 'memory');"
      "CREATE TABLE g (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '0', "
      "'max-rows-per-batch' = '2', 'fields.k.kind' = 'sequence', 'fields.k.start' = '1', 'fields.k.end' = '6');");
  if (!created.isOk()) {
    ADD_FAILURE() << created.status().message();
    return outcome;
  }
  const Schema d_schema{{{"k", DataType::integer()}, {"name", DataType::string()}}};
  MemoryTables& tables = session.memoryTables();
  tables.openResult("d", SinkContext{d_schema, OutputMode::kAppend, {}});
  DataChunk chunk(d_schema.types());
  chunk.appendRow({Value::integer(1), Value::string("a")});
  chunk.appendRow({Value::integer(2), Value::string("b")});
  chunk.appendRow({Value::integer(2), Value::string("c")});
  chunk.appendRow({Value::integer(3), Value::string("d")});
  chunk.appendRow({Value::null(DataType::integer()), Value::string("n")});
  std::vector<DataChunk> d_rows = {chunk};
  if (Status applied = tables.applyBatch("d", 0, d_rows); !applied.isOk()) {
    ADD_FAILURE() << applied.message();
    return outcome;
  }

  feed(session, batches[0]);
  auto sink = [&outcome](const Schema&) -> Result<std::unique_ptr<TableSink>> {
    return std::unique_ptr<TableSink>(std::make_unique<test_support::ChangelogSink>(outcome));
  };
  auto query = session.startQuery(sql, sink, OutputMode::kUpdate, Trigger{}, false);
  if (!query.isOk()) {
    ADD_FAILURE() << sql << ": " << query.status().message();
    return outcome;
  }
  for (size_t i = 0; i < batches.size(); ++i) {
    if (i > 0) feed(session, batches[i]);
    auto ran = query.value()->runBatch();
    if (!ran.isOk()) {
      ADD_FAILURE() << sql << ": " << ran.status().message();
      return outcome;
    }
    outcome.stored.push_back(test_support::stateRows(*query.value(), "join"));
  }
  return outcome;
}

TEST(JoinOperatorTest, InnerJoinHoldsOnlyTheTable) {
  // The table is read in the first batch: from then on only its five rows are held.
  const Outcome right = run("SELECT s.k, s.v, d.name FROM s JOIN d ON s.k = d.k");
  EXPECT_EQ(right.batches, (std::vector<Lines>{{"+1|10|a"}, {"+2|20|b", "+2|20|c"}, {"+1|11|a", "+3|30|d"}}));
  EXPECT_EQ(right.result, (Lines{"1|10|a", "1|11|a", "2|20|b", "2|20|c", "3|30|d"}));
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome left = run("SELECT d.name, s.k, s.v FROM d JOIN s ON s.k = d.k");
  EXPECT_EQ(left.batches, (std::vector<Lines>{{"+a|1|10"}, {"+b|2|20", "+c|2|20"}, {"+a|1|11", "+d|3|30"}}));
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, OuterJoinPreservingTheStream) {
  // An unmatched stream row is emitted padded once and never retracted.
  const Outcome left = run("SELECT s.k, s.v, d.name FROM s LEFT JOIN d ON s.k = d.k");
  EXPECT_EQ(left.batches, (std::vector<Lines>{{"+1|10|a", "+5|50|NULL"},
                                              {"+2|20|b", "+2|20|c", "+NULL|0|NULL"},
                                              {"+1|11|a", "+3|30|d", "+5|51|NULL"}}));
  EXPECT_EQ(left.result, (Lines{"1|10|a", "1|11|a", "2|20|b", "2|20|c", "3|30|d", "5|50|NULL", "5|51|NULL",
                                "NULL|0|NULL"}));
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome right = run("SELECT d.name, s.k, s.v FROM d RIGHT JOIN s ON s.k = d.k");
  EXPECT_EQ(right.batches, (std::vector<Lines>{{"+NULL|5|50", "+a|1|10"},
                                               {"+NULL|NULL|0", "+b|2|20", "+c|2|20"},
                                               {"+NULL|5|51", "+a|1|11", "+d|3|30"}}));
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, OuterJoinPreservingTheTable) {
  // The table's rows are padded until their first match; the match counts live with them.
  const std::vector<Lines> expected = {
      {"+1|a|10", "+1|a|NULL", "+2|b|NULL", "+2|c|NULL", "+3|d|NULL", "+NULL|n|NULL", "-1|a|NULL"},
      {"+2|b|20", "+2|c|20", "-2|b|NULL", "-2|c|NULL"},
      {"+1|a|11", "+3|d|30", "-3|d|NULL"}};
  const Lines result = {"1|a|10", "1|a|11", "2|b|20", "2|c|20", "3|d|30", "NULL|n|NULL"};
  const Outcome left = run("SELECT d.k, d.name, s.v FROM d LEFT JOIN s ON s.k = d.k");
  EXPECT_EQ(left.batches, expected);
  EXPECT_EQ(left.result, result);
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome right = run("SELECT d.k, d.name, s.v FROM s RIGHT JOIN d ON s.k = d.k");
  EXPECT_EQ(right.batches, expected);
  EXPECT_EQ(right.result, result);
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, FullJoin) {
  const std::vector<Lines> expected = {
      {"+1|10|1|a", "+5|50|NULL|NULL", "+NULL|NULL|1|a", "+NULL|NULL|2|b", "+NULL|NULL|2|c", "+NULL|NULL|3|d",
       "+NULL|NULL|NULL|n", "-NULL|NULL|1|a"},
      {"+2|20|2|b", "+2|20|2|c", "+NULL|0|NULL|NULL", "-NULL|NULL|2|b", "-NULL|NULL|2|c"},
      {"+1|11|1|a", "+3|30|3|d", "+5|51|NULL|NULL", "-NULL|NULL|3|d"}};
  const Lines result = {"1|10|1|a", "1|11|1|a", "2|20|2|b", "2|20|2|c", "3|30|3|d", "5|50|NULL|NULL",
                        "5|51|NULL|NULL", "NULL|0|NULL|NULL", "NULL|NULL|NULL|n"};
  const Outcome right = run("SELECT s.k, s.v, d.k, d.name FROM s FULL JOIN d ON s.k = d.k");
  EXPECT_EQ(right.batches, expected);
  EXPECT_EQ(right.result, result);
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome left = run("SELECT s.k, s.v, d.k, d.name FROM d FULL JOIN s ON s.k = d.k");
  EXPECT_EQ(left.batches, expected);
  EXPECT_EQ(left.result, result);
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, ResidualConditionsAndNullSafeKeysOnTheVectorizedProbe) {
  // A condition on both sides beyond the keys filters the joined rows of an inner join.
  const Outcome residual = run("SELECT s.k, s.v, d.name FROM s JOIN d ON s.k = d.k AND (s.v < 15 OR d.name = 'c')");
  EXPECT_EQ(residual.batches, (std::vector<Lines>{{"+1|10|a"}, {"+2|20|c"}, {"+1|11|a"}}));
  EXPECT_EQ(residual.stored, (std::vector<int64_t>{5, 5, 5}));
  // IS NOT DISTINCT FROM: the stream's NULL key meets the table's NULL key.
  const Outcome null_safe = run("SELECT s.k, s.v, d.name FROM s JOIN d ON s.k IS NOT DISTINCT FROM d.k");
  EXPECT_EQ(null_safe.batches,
            (std::vector<Lines>{{"+1|10|a"}, {"+2|20|b", "+2|20|c", "+NULL|0|n"}, {"+1|11|a", "+3|30|d"}}));
  // A key met by several table rows with the same values joins with each copy.
  const Outcome copies = run("SELECT s.v, t.k FROM s JOIN (SELECT k FROM d) AS t ON s.k = t.k",
                             StreamBatches{{{2, 7}}});
  EXPECT_EQ(copies.batches, (std::vector<Lines>{{"+7|2", "+7|2"}}));
}

TEST(JoinOperatorTest, SemiJoin) {
  // Stream rows with a match in the table.
  const Outcome right = run("SELECT k, v FROM s WHERE k IN (SELECT k FROM d)");
  EXPECT_EQ(right.batches, (std::vector<Lines>{{"+1|10"}, {"+2|20"}, {"+1|11", "+3|30"}}));
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));
  // Table rows with a match in the stream: each appears with its first match.
  const Outcome left = run("SELECT k, name FROM d WHERE k IN (SELECT k FROM s)");
  EXPECT_EQ(left.batches, (std::vector<Lines>{{"+1|a"}, {"+2|b", "+2|c"}, {"+3|d"}}));
  EXPECT_EQ(left.result, (Lines{"1|a", "2|b", "2|c", "3|d"}));
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, AntiJoin) {
  // Stream rows with no match in the table (a NULL key has none).
  const Outcome right = run("SELECT k, v FROM s WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.k = s.k)");
  EXPECT_EQ(right.batches, (std::vector<Lines>{{"+5|50"}, {"+NULL|0"}, {"+5|51"}}));
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));
  // Table rows with no match in the stream: each goes with its first match.
  const Outcome left = run("SELECT k, name FROM d WHERE NOT EXISTS (SELECT 1 FROM s WHERE s.k = d.k)");
  EXPECT_EQ(left.batches, (std::vector<Lines>{{"+1|a", "+2|b", "+2|c", "+3|d", "+NULL|n", "-1|a"},
                                              {"-2|b", "-2|c"},
                                              {"-3|d"}}));
  EXPECT_EQ(left.result, (Lines{"NULL|n"}));
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));
}

TEST(JoinOperatorTest, ProbeSideThatRetracts) {
  // The stream side is an aggregation: a key's count is retracted and re-emitted as it grows.
  const char* counts = "(SELECT k, COUNT(*) AS n FROM s GROUP BY k) AS c";
  const Outcome left = run(std::string("SELECT c.k, c.n, d.name FROM ") + counts + " LEFT JOIN d ON c.k = d.k");
  EXPECT_EQ(left.batches, (std::vector<Lines>{{"+1|1|a", "+5|1|NULL"},
                                              {"+2|1|b", "+2|1|c", "+NULL|1|NULL"},
                                              {"+1|2|a", "+3|1|d", "+5|2|NULL", "-1|1|a", "-5|1|NULL"}}));
  EXPECT_EQ(left.result, (Lines{"1|2|a", "2|1|b", "2|1|c", "3|1|d", "5|2|NULL", "NULL|1|NULL"}));
  EXPECT_EQ(left.stored, (std::vector<int64_t>{5, 5, 5}));

  // The table preserved: key 1 loses its only match (padded row back) and gets the new one.
  const Outcome right = run(std::string("SELECT d.k, d.name, c.n FROM d LEFT JOIN ") + counts + " ON c.k = d.k");
  EXPECT_EQ(right.batches,
            (std::vector<Lines>{
                {"+1|a|1", "+1|a|NULL", "+2|b|NULL", "+2|c|NULL", "+3|d|NULL", "+NULL|n|NULL", "-1|a|NULL"},
                {"+2|b|1", "+2|c|1", "-2|b|NULL", "-2|c|NULL"},
                {"+1|a|2", "+1|a|NULL", "+3|d|1", "-1|a|1", "-1|a|NULL", "-3|d|NULL"}}));
  EXPECT_EQ(right.result, (Lines{"1|a|2", "2|b|1", "2|c|1", "3|d|1", "NULL|n|NULL"}));
  EXPECT_EQ(right.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome full = run(std::string("SELECT c.k, c.n, d.k, d.name FROM ") + counts + " FULL JOIN d ON c.k = d.k");
  EXPECT_EQ(full.batches,
            (std::vector<Lines>{{"+1|1|1|a", "+5|1|NULL|NULL", "+NULL|NULL|1|a", "+NULL|NULL|2|b", "+NULL|NULL|2|c",
                                 "+NULL|NULL|3|d", "+NULL|NULL|NULL|n", "-NULL|NULL|1|a"},
                                {"+2|1|2|b", "+2|1|2|c", "+NULL|1|NULL|NULL", "-NULL|NULL|2|b", "-NULL|NULL|2|c"},
                                {"+1|2|1|a", "+3|1|3|d", "+5|2|NULL|NULL", "+NULL|NULL|1|a", "-1|1|1|a",
                                 "-5|1|NULL|NULL", "-NULL|NULL|1|a", "-NULL|NULL|3|d"}}));
  EXPECT_EQ(full.result, (Lines{"1|2|1|a", "2|1|2|b", "2|1|2|c", "3|1|3|d", "5|2|NULL|NULL", "NULL|1|NULL|NULL",
                                "NULL|NULL|NULL|n"}));
  EXPECT_EQ(full.stored, (std::vector<int64_t>{5, 5, 5}));

  const Outcome anti =
      run(std::string("SELECT c.k, c.n FROM ") + counts + " WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.k = c.k)");
  EXPECT_EQ(anti.batches, (std::vector<Lines>{{"+5|1"}, {"+NULL|1"}, {"+5|2", "-5|1"}}));
  EXPECT_EQ(anti.result, (Lines{"5|2", "NULL|1"}));
}

// g's keys 1..6 arrive two per batch: until the third batch both sides are stored.
const StreamBatches kLongStream = {
    {{5, 50}, {1, 10}},
    {{5, 51}, {7, 70}},
    {{1, 11}, {6, 60}},
    {{5, 52}, {7, 71}},
};

TEST(JoinOperatorTest, BuildSideCompletingLater) {
  const Outcome inner = run("SELECT s.k, s.v, g.k FROM s JOIN g ON s.k = g.k", kLongStream);
  EXPECT_EQ(inner.batches, (std::vector<Lines>{{"+1|10|1"}, {}, {"+1|11|1", "+5|50|5", "+5|51|5", "+6|60|6"},
                                               {"+5|52|5"}}));
  // 2 + 2, then 4 + 4 rows; once g has ended, its 6 rows.
  EXPECT_EQ(inner.stored, (std::vector<int64_t>{4, 8, 6, 6}));

  // Rows of the aggregation stored before g ended are retracted after: the counts of g's rows
  // take the retractions.
  const Outcome full = run(
      "SELECT c.k, c.n, g.k FROM (SELECT k, COUNT(*) AS n FROM s GROUP BY k) AS c FULL JOIN g ON c.k = g.k",
      kLongStream);
  EXPECT_EQ(full.batches,
            (std::vector<Lines>{
                {"+1|1|1", "+5|1|NULL", "+NULL|NULL|1", "+NULL|NULL|2", "-NULL|NULL|1"},
                {"+5|2|NULL", "+7|1|NULL", "+NULL|NULL|3", "+NULL|NULL|4", "-5|1|NULL"},
                {"+1|2|1", "+5|2|5", "+6|1|6", "+NULL|NULL|1", "+NULL|NULL|6", "-1|1|1", "-5|2|NULL",
                 "-NULL|NULL|1", "-NULL|NULL|6"},
                {"+5|3|5", "+7|2|NULL", "+NULL|NULL|5", "-5|2|5", "-7|1|NULL", "-NULL|NULL|5"}}));
  EXPECT_EQ(full.result,
            (Lines{"1|2|1", "5|3|5", "6|1|6", "7|2|NULL", "NULL|NULL|2", "NULL|NULL|3", "NULL|NULL|4"}));
  EXPECT_EQ(full.stored, (std::vector<int64_t>{4, 7, 6, 6}));
}

TEST(JoinOperatorTest, TwoStreamsKeepBothSides) {
  // A self-join of the stream: no side ends, every row stays.
  const Outcome both = run("SELECT a.v, b.v FROM s AS a JOIN s AS b ON a.k = b.k");
  EXPECT_EQ(both.batches, (std::vector<Lines>{{"+10|10", "+50|50"},
                                              {"+20|20"},
                                              {"+10|11", "+11|10", "+11|11", "+30|30", "+50|51", "+51|50",
                                               "+51|51"}}));
  EXPECT_EQ(both.stored, (std::vector<int64_t>{4, 8, 14}));
}

}  // namespace
}  // namespace caudal::sql
