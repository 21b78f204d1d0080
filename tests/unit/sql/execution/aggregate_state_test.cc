// The aggregation's state across micro-batches, seen through the query's progress: groups
// held, groups touched per batch, and groups dropped once all their rows are retracted.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sql/connector/memory_tables.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

std::vector<std::vector<Value>> keys(std::initializer_list<int32_t> values) {
  std::vector<std::vector<Value>> rows;
  for (int32_t value : values) rows.push_back({Value::integer(value)});
  return rows;
}

// (rows held, rows updated) of each stateful operator after the last batch, inputs first.
std::vector<std::pair<int64_t, int64_t>> stateOf(const StreamingQuery& query) {
  std::vector<std::pair<int64_t, int64_t>> states;
  for (const StateOperatorProgress& state : query.lastProgress().state_operators) {
    EXPECT_EQ(state.operator_name, "aggregate");
    EXPECT_GT(state.memory_used_bytes, 0);
    states.emplace_back(state.rows_total, state.rows_updated);
  }
  return states;
}

std::vector<std::string> resultRows(SqlSession& session) {
  std::vector<std::string> rows;
  for (const auto& row : session.memoryTables().rows("result")) rows.push_back(row[0].toString() + "|" + row[1].toString());
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(AggregateStateTest, HoldsLiveGroupsAndDropsFullyRetractedOnes) {
  SqlSession session(2);
  ASSERT_TRUE(session.execute("CREATE TABLE t (k INT) WITH ('connector' = 'memory');").isOk());
  MemoryTables& tables = session.memoryTables();
  const std::vector<DataType> types{DataType::integer()};
  tables.appendInputRows("t", types, keys({1, 2, 3}));
  auto sink = [&](const Schema& schema) {
    return session.makeSink(TableOptions{{"connector", "memory"}, {"table-name", "result"}}, schema, "result");
  };
  // How many keys have each count: the outer aggregation sees the inner one's retractions.
  auto started = session.startQuery("SELECT n, COUNT(*) FROM (SELECT k, COUNT(*) AS n FROM t GROUP BY k) GROUP BY n",
                                    sink, OutputMode::kUpdate, Trigger{}, false);
  ASSERT_TRUE(started.isOk()) << started.status().message();
  StreamingQuery& query = *started.value();

  ASSERT_TRUE(query.runBatch().isOk());
  // Inner {1: 1, 2: 1, 3: 1}; outer {1: 3}.
  EXPECT_EQ(stateOf(query), (std::vector<std::pair<int64_t, int64_t>>{{3, 3}, {1, 1}}));
  EXPECT_EQ(resultRows(session), (std::vector<std::string>{"1|3"}));

  tables.appendInputRows("t", types, keys({1, 1, 2}));
  ASSERT_TRUE(query.runBatch().isOk());
  // Inner {1: 3, 2: 2, 3: 1}, two keys touched; outer {1: 1, 2: 1, 3: 1}, all three touched.
  EXPECT_EQ(stateOf(query), (std::vector<std::pair<int64_t, int64_t>>{{3, 2}, {3, 3}}));
  EXPECT_EQ(resultRows(session), (std::vector<std::string>{"1|1", "2|1", "3|1"}));

  tables.appendInputRows("t", types, keys({3, 3}));
  ASSERT_TRUE(query.runBatch().isOk());
  // Inner {1: 3, 2: 2, 3: 3}; outer: count 1 lost its last key and is gone, {2: 1, 3: 2}.
  EXPECT_EQ(stateOf(query), (std::vector<std::pair<int64_t, int64_t>>{{3, 1}, {2, 2}}));
  EXPECT_EQ(resultRows(session), (std::vector<std::string>{"2|1", "3|2"}));
}

}  // namespace
}  // namespace caudal::sql
