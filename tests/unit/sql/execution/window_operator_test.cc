// The Window operator of ranking functions over a stream fed batch by batch: a top-N that
// keeps only the rows within its limit, the upserts a row-number top-N gives by (partition,
// number), and a ranking of an aggregation's changing groups. Each batch's output, the final
// result and the rows the operator holds are written out by hand.
#include <gtest/gtest.h>

#include "../sql_test_support.h"
#include "sql/connector/memory_tables.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

using RankLines = std::vector<std::string>;
using test_support::Changelog;
using test_support::ChangelogSink;

// What a ranking query wrote, batch by batch, and the rows the ranking held after each batch.
struct RankOutcome : Changelog {
  std::vector<int64_t> stored;
};

// Runs `sql` in update mode over the stream `s (k INT, v BIGINT)`, one batch per element of
// `batches` (each fed to `s` first).
RankOutcome runRanking(const std::string& sql,
                       const std::vector<std::vector<std::pair<int, int64_t>>>& batches) {
  RankOutcome outcome;
  SqlSession session(1);
  auto created = session.execute("CREATE TABLE s (k INT, v BIGINT) WITH ('connector' = 'memory')");
  if (!created.isOk()) {
    ADD_FAILURE() << created.status().message();
    return outcome;
  }
  auto feed = [&](const std::vector<std::pair<int, int64_t>>& rows) {
    std::vector<std::vector<Value>> values;
    for (const auto& [k, v] : rows) values.push_back({Value::integer(k), Value::bigInt(v)});
    session.memoryTables().appendInputRows("s", {DataType::integer(), DataType::bigInt()}, values);
  };
  feed(batches[0]);
  auto sink = [&outcome](const Schema&) -> Result<std::unique_ptr<TableSink>> {
    return std::unique_ptr<TableSink>(std::make_unique<ChangelogSink>(outcome));
  };
  auto query = session.startQuery(sql, sink, OutputMode::kUpdate, Trigger{}, false);
  if (!query.isOk()) {
    ADD_FAILURE() << sql << ": " << query.status().message();
    return outcome;
  }
  for (size_t i = 0; i < batches.size(); ++i) {
    if (i > 0) feed(batches[i]);
    auto ran = query.value()->runBatch();
    if (!ran.isOk()) {
      ADD_FAILURE() << sql << ": " << ran.status().message();
      return outcome;
    }
    outcome.stored.push_back(test_support::stateRows(*query.value(), "rank"));
  }
  return outcome;
}

const std::vector<std::vector<std::pair<int, int64_t>>> kBids = {
    {{1, 10}, {1, 20}, {2, 5}},
    {{1, 15}, {2, 5}},
    {{1, 30}, {1, 1}},
};

TEST(WindowOperatorTest, TopNOverAStreamTakesBackWhatFallsOutAndKeepsOnlyTheTop) {
  // Without a key to upsert by, a row whose rank changes is taken back and given again.
  const RankOutcome top = runRanking(
      "SELECT * FROM (SELECT k, v, RANK() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM s) AS x "
      "WHERE r <= 2",
      kBids);
  EXPECT_EQ(top.batches, (std::vector<RankLines>{{"+1|10|2", "+1|20|1", "+2|5|1"},
                                                 {"+1|15|2", "+2|5|1", "-1|10|2"},
                                                 {"+1|20|2", "+1|30|1", "-1|15|2", "-1|20|1"}}));
  EXPECT_EQ(top.result, (RankLines{"1|20|2", "1|30|1", "2|5|1", "2|5|1"}));
  // The stream never retracts, so a row ranked past 2 can never come back: each key holds at
  // most two distinct rows (10, then 15 and 1, are dropped as soon as they fall out).
  EXPECT_EQ(top.stored, (std::vector<int64_t>{3, 3, 3}));
}

TEST(WindowOperatorTest, RowNumberTopNUpsertsByPartitionAndNumber) {
  // (k, rn) is the result's key: each batch writes the new row of every number that changed.
  const RankOutcome top = runRanking(
      "SELECT * FROM (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v DESC) AS rn FROM "
      "s) AS x "
      "WHERE rn <= 2",
      kBids);
  EXPECT_EQ(top.batches,
            (std::vector<RankLines>{
                {"+1|10|2", "+1|20|1", "+2|5|1"}, {"+1|15|2", "+2|5|2"}, {"+1|20|2", "+1|30|1"}}));
}

TEST(WindowOperatorTest, RanksTheChangingGroupsOfAnAggregation) {
  // The most frequent keys: the counts change under the ranking, which keeps every group (its
  // input retracts) and shows the ones ranked first, ties included.
  const RankOutcome top = runRanking(
      "SELECT * FROM (SELECT k, n, RANK() OVER (ORDER BY n DESC) AS r FROM "
      "(SELECT k, COUNT(*) AS n FROM s GROUP BY k) AS c) AS x WHERE r <= 1",
      {{{1, 0}, {2, 0}, {1, 0}}, {{2, 0}, {2, 0}}, {{1, 0}}});
  EXPECT_EQ(top.batches, (std::vector<RankLines>{{"+1|2|1"}, {"+2|3|1", "-1|2|1"}, {"+1|3|1"}}));
  EXPECT_EQ(top.result, (RankLines{"1|3|1", "2|3|1"}));
  EXPECT_EQ(top.stored, (std::vector<int64_t>{2, 2, 2}));
}

}  // namespace
}  // namespace caudal::sql
