#include "sql/connector/memory_tables.h"

#include <gtest/gtest.h>

#include <thread>

#include "sql/connector/connector_factory.h"
#include "sql/connector/memory_sink.h"
#include "sql/connector/memory_source.h"

namespace caudal::sql {
namespace {

Schema memoryCountsSchema() {
  return Schema{{{"status", DataType::integer()}, {"n", DataType::bigInt()}}};
}

DataChunk countsChunk(const std::vector<std::tuple<RowKind, int32_t, int64_t>>& rows) {
  DataChunk chunk(memoryCountsSchema().types());
  for (const auto& [kind, status, n] : rows)
    chunk.appendRow({Value::integer(status), Value::bigInt(n)}, kind);
  return chunk;
}

std::vector<std::string> rowsText(const std::vector<std::vector<Value>>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) {
    std::string text;
    for (size_t c = 0; c < row.size(); ++c) text.append(c > 0 ? "|" : "").append(row[c].toString());
    out.push_back(text);
  }
  return out;
}

TEST(MemoryTablesTest, AppendModeAppendsAndIgnoresReplayedBatches) {
  MemoryTables tables;
  MemorySink sink(tables, "out");
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kAppend, {}}).isOk());
  std::vector<DataChunk> batch0 = {
      countsChunk({{RowKind::kInsert, 200, 1}, {RowKind::kInsert, 404, 2}})};
  ASSERT_TRUE(sink.writeBatch(0, batch0).isOk());
  ASSERT_TRUE(sink.writeBatch(0, batch0).isOk());  // replayed after a failure: applied once
  std::vector<DataChunk> batch1 = {countsChunk({{RowKind::kInsert, 500, 3}})};
  ASSERT_TRUE(sink.writeBatch(1, batch1).isOk());
  EXPECT_EQ(rowsText(tables.rows("out")), (std::vector<std::string>{"200|1", "404|2", "500|3"}));
  EXPECT_EQ(tables.batchCount("out"), 2);
  EXPECT_TRUE(tables.waitForBatches("out", 2, std::chrono::milliseconds(0)));
  EXPECT_FALSE(tables.waitForBatches("out", 3, std::chrono::milliseconds(1)));
  EXPECT_EQ(tables.rows("nothing").size(), 0u);
}

TEST(MemoryTablesTest, CompleteModeReplaces) {
  MemoryTables tables;
  MemorySink sink(tables, "out");
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kComplete, {}}).isOk());
  std::vector<DataChunk> batch0 = {countsChunk({{RowKind::kInsert, 200, 1}})};
  ASSERT_TRUE(sink.writeBatch(0, batch0).isOk());
  std::vector<DataChunk> batch1 = {countsChunk({{RowKind::kInsert, 200, 2}}),
                                   countsChunk({{RowKind::kInsert, 404, 1}})};
  ASSERT_TRUE(sink.writeBatch(1, batch1).isOk());
  EXPECT_EQ(rowsText(tables.rows("out")), (std::vector<std::string>{"200|2", "404|1"}));
}

TEST(MemoryTablesTest, UpdateModeUpsertsByKeyAndDeletes) {
  MemoryTables tables;
  MemorySink sink(tables, "out");
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kUpdate, {0}}).isOk());
  std::vector<DataChunk> batch0 = {countsChunk(
      {{RowKind::kInsert, 200, 1}, {RowKind::kInsert, 404, 1}, {RowKind::kInsert, 500, 1}})};
  ASSERT_TRUE(sink.writeBatch(0, batch0).isOk());
  std::vector<DataChunk> batch1 = {countsChunk({{RowKind::kUpdateBefore, 200, 1},
                                                {RowKind::kUpdateAfter, 200, 5},
                                                {RowKind::kDelete, 404, 1},
                                                {RowKind::kInsert, 301, 1}})};
  ASSERT_TRUE(sink.writeBatch(1, batch1).isOk());
  EXPECT_EQ(rowsText(tables.rows("out")), (std::vector<std::string>{"200|5", "500|1", "301|1"}));
  // A new query of the same name starts over.
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kUpdate, {0}}).isOk());
  EXPECT_EQ(tables.rows("out").size(), 0u);
  EXPECT_EQ(tables.batchCount("out"), 0);
}

TEST(MemoryTablesTest, WaitForBatchesWakesUpWhenABatchArrives) {
  MemoryTables tables;
  MemorySink sink(tables, "out");
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kAppend, {}}).isOk());
  std::thread writer([&] {
    std::vector<DataChunk> batch = {countsChunk({{RowKind::kInsert, 200, 1}})};
    sink.writeBatch(0, batch).ignore();
  });
  EXPECT_TRUE(tables.waitForBatches("out", 1, std::chrono::seconds(30)));
  writer.join();
}

TEST(MemoryTablesTest, ApplyingToATableNotOpenedFails) {
  MemoryTables tables;
  std::vector<DataChunk> batch = {countsChunk({{RowKind::kInsert, 200, 1}})};
  Status status = tables.applyBatch("x", 0, batch);
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.message(), "memory table 'x' has no result opened");
}

std::vector<std::string> readAll(TableSource& source, const SourceOffset& start,
                                 const SourceOffset& end) {
  std::vector<std::string> rows;
  for (size_t task = 0; task < source.taskCount(start, end); ++task) {
    Status status = source.read(start, end, task, [&](DataChunk& chunk) {
      for (uint32_t i = 0; i < chunk.count(); ++i) {
        auto row = chunk.rowAt(chunk.rows()[i]);
        rows.push_back(rowsText({row})[0]);
      }
      return Status::ok();
    });
    if (!status.isOk()) rows.push_back("error: " + status.message());
  }
  return rows;
}

TEST(MemorySourceTest, UnboundedInputChunkByChunk) {
  MemoryTables tables;
  tables.appendInput("in", countsChunk({{RowKind::kInsert, 1, 10}, {RowKind::kInsert, 2, 20}}));
  MemorySource source(tables, "in", memoryCountsSchema());
  EXPECT_FALSE(source.bounded());
  const SourceOffset start = source.initialOffset();
  EXPECT_EQ(start, SourceOffset{{0}});
  auto first = source.latestOffset();
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(first.value(), SourceOffset{{1}});
  EXPECT_EQ(readAll(source, start, first.value()), (std::vector<std::string>{"1|10", "2|20"}));
  auto same = source.latestOffset();
  EXPECT_EQ(same.value(), SourceOffset{{1}});  // nothing new
  tables.appendInputRows("in", memoryCountsSchema().types(), {{Value::integer(3), Value::bigInt(30)}});
  tables.appendInput("in", countsChunk({{RowKind::kInsert, 4, 40}}));
  auto second = source.latestOffset();
  EXPECT_EQ(second.value(), SourceOffset{{3}});
  EXPECT_EQ(source.taskCount(first.value(), second.value()), 2u);
  EXPECT_EQ(readAll(source, first.value(), second.value()),
            (std::vector<std::string>{"3|30", "4|40"}));
  // A range read again gives the same rows.
  EXPECT_EQ(readAll(source, start, second.value()),
            (std::vector<std::string>{"1|10", "2|20", "3|30", "4|40"}));
  EXPECT_EQ(source.metrics().rows_read.load(), 8);
  EXPECT_FALSE(source.finished());
  tables.endInput("in");
  EXPECT_TRUE(source.finished());
}

TEST(MemorySourceTest, WrongChunkTypesAreAnError) {
  MemoryTables tables;
  tables.appendInputRows("in", {DataType::string()}, {{Value::string("x")}});
  MemorySource source(tables, "in", memoryCountsSchema());
  auto end = source.latestOffset();
  EXPECT_EQ(readAll(source, source.initialOffset(), end.value()),
            (std::vector<std::string>{
                "error: memory table 'in', chunk 0: columns (STRING) do not match the "
                "table's (status INT, n BIGINT)"}));
}

TEST(MemorySourceTest, BoundedReadOfAResult) {
  MemoryTables tables;
  MemorySink sink(tables, "counts");
  ASSERT_TRUE(sink.open(SinkContext{memoryCountsSchema(), OutputMode::kComplete, {}}).isOk());
  std::vector<DataChunk> batch = {
      countsChunk({{RowKind::kInsert, 200, 3}, {RowKind::kInsert, 404, 1}})};
  ASSERT_TRUE(sink.writeBatch(0, batch).isOk());
  auto made = createTableSource({{"connector", "memory"}}, memoryCountsSchema(),
                                ConnectorContext{&tables, "counts"});
  ASSERT_TRUE(made.isOk()) << made.status().message();
  TableSource& source = *made.value();
  EXPECT_TRUE(source.bounded());
  EXPECT_FALSE(source.finished());
  auto end = source.latestOffset();
  EXPECT_TRUE(source.finished());
  // Later batches do not change what this source reads.
  std::vector<DataChunk> later = {countsChunk({{RowKind::kInsert, 500, 9}})};
  ASSERT_TRUE(sink.writeBatch(1, later).isOk());
  EXPECT_EQ(readAll(source, source.initialOffset(), end.value()),
            (std::vector<std::string>{"200|3", "404|1"}));
}

}  // namespace
}  // namespace caudal::sql
