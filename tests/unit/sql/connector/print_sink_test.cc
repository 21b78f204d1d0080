#include "sql/connector/print_sink.h"

#include <gtest/gtest.h>

#include <sstream>

namespace caudal::sql {
namespace {

Schema printCountsSchema() {
  return Schema{{{"status", DataType::integer()}, {"n", DataType::bigInt()}}};
}

TEST(PrintSinkTest, PrintsBatchesAsSparksConsoleSink) {
  std::ostringstream out;
  PrintSink sink(PrintOptions{}, &out);
  ASSERT_TRUE(sink.open(SinkContext{printCountsSchema(), OutputMode::kComplete, {}}).isOk());
  DataChunk chunk(printCountsSchema().types());
  chunk.appendRow({Value::integer(200), Value::bigInt(3)});
  chunk.appendRow({Value::integer(404), Value::bigInt(1)});
  std::vector<DataChunk> batch = {chunk};
  ASSERT_TRUE(sink.writeBatch(0, batch).isOk());
  ASSERT_TRUE(sink.writeBatch(1, {}).isOk());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 0\n"
            "-------------------------------------------\n"
            "+------+---+\n"
            "|status|  n|\n"
            "+------+---+\n"
            "|   200|  3|\n"
            "|   404|  1|\n"
            "+------+---+\n"
            "\n"
            "-------------------------------------------\n"
            "Batch: 1\n"
            "-------------------------------------------\n"
            "+------+---+\n"
            "|status|  n|\n"
            "+------+---+\n"
            "+------+---+\n"
            "\n");
}

TEST(PrintSinkTest, NullsTruncationAndNumRows) {
  Schema schema{{{"id", DataType::integer()}, {"text", DataType::string()}}};
  std::ostringstream out;
  PrintSink sink(PrintOptions{2, 20}, &out);
  ASSERT_TRUE(sink.open(SinkContext{schema, OutputMode::kAppend, {}}).isOk());
  DataChunk chunk(schema.types());
  chunk.appendRow({Value::integer(1), Value::string("abcdefghijklmnopqrstuvwxyz")});
  chunk.appendRow({Value::null(DataType::integer()), Value::string("two\nlines")});
  chunk.appendRow({Value::integer(3), Value::string("x")});
  std::vector<DataChunk> batch = {chunk};
  ASSERT_TRUE(sink.writeBatch(7, batch).isOk());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 7\n"
            "-------------------------------------------\n"
            "+----+--------------------+\n"
            "|  id|                text|\n"
            "+----+--------------------+\n"
            "|   1|abcdefghijklmnopq...|\n"
            "|NULL|          two\\nlines|\n"
            "+----+--------------------+\n"
            "only showing top 2 rows\n"
            "\n");
}

TEST(PrintSinkTest, WithoutTruncationCellsAreLeftAligned) {
  Schema schema{{{"id", DataType::integer()}, {"text", DataType::string()}}};
  std::ostringstream out;
  PrintSink sink(PrintOptions{20, 0}, &out);
  ASSERT_TRUE(sink.open(SinkContext{schema, OutputMode::kAppend, {}}).isOk());
  DataChunk chunk(schema.types());
  chunk.appendRow({Value::integer(1), Value::string("abcdefghijklmnopqrstuvwxyz")});
  std::vector<DataChunk> batch = {chunk};
  ASSERT_TRUE(sink.writeBatch(0, batch).isOk());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 0\n"
            "-------------------------------------------\n"
            "+---+--------------------------+\n"
            "|id |text                      |\n"
            "+---+--------------------------+\n"
            "|1  |abcdefghijklmnopqrstuvwxyz|\n"
            "+---+--------------------------+\n"
            "\n");
}

TEST(PrintSinkTest, UpdateModeShowsNoDeletions) {
  std::ostringstream out;
  PrintSink sink(PrintOptions{}, &out);
  ASSERT_TRUE(sink.open(SinkContext{printCountsSchema(), OutputMode::kUpdate, {0}}).isOk());
  DataChunk chunk(printCountsSchema().types());
  chunk.appendRow({Value::integer(200), Value::bigInt(2)}, RowKind::kUpdateBefore);
  chunk.appendRow({Value::integer(200), Value::bigInt(3)}, RowKind::kUpdateAfter);
  chunk.appendRow({Value::integer(404), Value::bigInt(1)}, RowKind::kDelete);
  chunk.appendRow({Value::integer(500), Value::bigInt(1)}, RowKind::kInsert);
  std::vector<DataChunk> batch = {chunk};
  ASSERT_TRUE(sink.writeBatch(3, batch).isOk());
  EXPECT_EQ(out.str(),
            "-------------------------------------------\n"
            "Batch: 3\n"
            "-------------------------------------------\n"
            "+------+---+\n"
            "|status|  n|\n"
            "+------+---+\n"
            "|   200|  3|\n"
            "|   500|  1|\n"
            "+------+---+\n"
            "\n");
}

}  // namespace
}  // namespace caudal::sql
