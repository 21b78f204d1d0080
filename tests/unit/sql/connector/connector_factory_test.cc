#include "sql/connector/connector_factory.h"

#include <gtest/gtest.h>

#include "sql/connector/blackhole_sink.h"
#include "sql/connector/memory_tables.h"

namespace caudal::sql {
namespace {

Schema clicksSchema() {
  return Schema{{{"user_id", DataType::bigInt()}, {"url", DataType::string()}}};
}

class ConnectorFactoryTest : public ::testing::Test {
 protected:
  std::string sourceError(const TableOptions& options, const std::string& table = "clicks") {
    auto source = createTableSource(options, clicksSchema(), ConnectorContext{&tables_, table});
    return source.isOk() ? "ok" : source.status().message();
  }
  std::string sinkError(const TableOptions& options, const std::string& table = "out") {
    auto sink = createTableSink(options, clicksSchema(), ConnectorContext{&tables_, table});
    return sink.isOk() ? "ok" : sink.status().message();
  }

  MemoryTables tables_;
};

TEST_F(ConnectorFactoryTest, MissingOrUnknownConnector) {
  EXPECT_EQ(sourceError({}), "table 'clicks': 'connector' is missing");
  EXPECT_EQ(sinkError({{"connector", "kafka"}}),
            "table 'out': unknown connector 'kafka'; known connectors: blackhole, datagen, filesystem, "
            "memory, nexmark, print, socket");
}

TEST_F(ConnectorFactoryTest, RolesAreChecked) {
  EXPECT_EQ(sourceError({{"connector", "print"}}, "x"),
            "table 'x': connector 'print' can only be used as a sink (table 'x')");
  EXPECT_EQ(sourceError({{"connector", "blackhole"}}, "x"),
            "table 'x': connector 'blackhole' can only be used as a sink (table 'x')");
  EXPECT_EQ(sinkError({{"connector", "socket"}, {"hostname", "localhost"}, {"port", "9999"}}, "y"),
            "table 'y': connector 'socket' can only be used as a source (table 'y')");
}

TEST_F(ConnectorFactoryTest, UnknownOptionsListTheKnownOnes) {
  EXPECT_EQ(sinkError({{"connector", "print"}, {"numrows", "5"}}),
            "table 'out': unknown option 'numrows' for connector 'print'; known options: "
            "connector, numRows, "
            "truncate, output-mode");
  EXPECT_EQ(
      sinkError({{"connector", "blackhole"}, {"a", "1"}, {"b", "2"}}),
      "table 'out': unknown options 'a', 'b' for connector 'blackhole'; known options: connector, "
      "output-mode");
}

TEST_F(ConnectorFactoryTest, BadValues) {
  EXPECT_EQ(sinkError({{"connector", "print"}, {"numRows", "many"}}),
            "table 'out': option 'numRows' must be an integer in [0, 2147483648], got 'many'");
  EXPECT_EQ(sinkError({{"connector", "print"}, {"truncate", "maybe"}}),
            "table 'out': option 'truncate' must be 'true', 'false' or a width, got 'maybe'");
  EXPECT_EQ(sourceError({{"connector", "memory"}}),
            "table 'clicks': memory table 'clicks' does not exist");
}

TEST_F(ConnectorFactoryTest, MakesSinksAndSources) {
  EXPECT_EQ(sinkError({{"connector", "print"},
                       {"numRows", "5"},
                       {"truncate", "false"},
                       {"output-mode", "update"}}),
            "ok");
  EXPECT_EQ(sinkError({{"connector", "memory"}, {"table-name", "results"}}), "ok");
  auto blackhole = createTableSink({{"connector", "blackhole"}}, clicksSchema(),
                                   ConnectorContext{&tables_, "b"});
  ASSERT_TRUE(blackhole.isOk());
  DataChunk chunk(clicksSchema().types());
  chunk.appendRow({Value::bigInt(1), Value::string("/a")});
  std::vector<DataChunk> batch = {chunk, chunk};
  ASSERT_TRUE(blackhole.value()->open(SinkContext{clicksSchema(), OutputMode::kAppend, {}}).isOk());
  ASSERT_TRUE(blackhole.value()->writeBatch(0, batch).isOk());
  EXPECT_EQ(static_cast<BlackholeSink&>(*blackhole.value()).rowsWritten(), 2);
  tables_.appendInput("clicks", chunk);
  EXPECT_EQ(sourceError({{"connector", "memory"}}), "ok");
  EXPECT_EQ(sourceError({{"connector", "memory"}, {"table-name", "clicks"}}, "other"), "ok");
}

}  // namespace
}  // namespace caudal::sql
