#include "sql/connector/connector_factory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "sql/connector/blackhole_sink.h"
#include "sql/connector/memory_tables.h"
#include "sql/connector/nexmark_source.h"

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

  // `bounded` or `unbounded`, then the rows when known (`bounded 10`), or the error.
  std::string described(const TableOptions& options, const Schema& schema = clicksSchema(),
                        const std::string& table = "clicks") {
    auto statistics = describeTableSource(options, schema, ConnectorContext{&tables_, table});
    if (!statistics.isOk()) return statistics.status().message();
    std::string text = statistics.value().bounded ? "bounded" : "unbounded";
    if (statistics.value().rows) text.append(" ").append(std::to_string(static_cast<int64_t>(*statistics.value().rows)));
    return text;
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

TEST_F(ConnectorFactoryTest, DescribesGeneratorSources) {
  EXPECT_EQ(described({{"connector", "datagen"}}), "unbounded");
  EXPECT_EQ(described({{"connector", "datagen"}, {"number-of-rows", "250"}}), "bounded 250");
  // A sequence ends the table too, at whichever end comes first.
  EXPECT_EQ(described({{"connector", "datagen"},
                       {"fields.user_id.kind", "sequence"},
                       {"fields.user_id.start", "11"},
                       {"fields.user_id.end", "30"}}),
            "bounded 20");
  EXPECT_EQ(described({{"connector", "datagen"},
                       {"number-of-rows", "5"},
                       {"fields.user_id.kind", "sequence"},
                       {"fields.user_id.start", "11"},
                       {"fields.user_id.end", "30"}}),
            "bounded 5");
  EXPECT_EQ(described({{"connector", "datagen"}, {"number-of-rows", "x"}}),
            "table 'clicks': option 'number-of-rows' must be an integer in [0, 4611686018427387903], got 'x'");

  // 1000 events: 20 epochs of 1 person, 3 auctions and 46 bids; 1010 add 1 person, 3 auctions
  // and 6 bids.
  const TableOptions nexmark = {{"connector", "nexmark"}, {"events.num", "1000"}};
  auto kind = [&](const TableOptions& base, const std::string& event_kind) {
    TableOptions options = base;
    options["event.kind"] = event_kind;
    return options;
  };
  EXPECT_EQ(described(kind(nexmark, "bid"), nexmarkSchema("bid")), "bounded 920");
  EXPECT_EQ(described(kind(nexmark, "auction"), nexmarkSchema("auction")), "bounded 60");
  EXPECT_EQ(described(kind(nexmark, "person"), nexmarkSchema("person")), "bounded 20");
  EXPECT_EQ(described(nexmark, nexmarkSchema("")), "bounded 1000");
  const TableOptions more = {{"connector", "nexmark"}, {"events.num", "1010"}};
  EXPECT_EQ(described(kind(more, "person"), nexmarkSchema("person")), "bounded 21");
  EXPECT_EQ(described(kind(more, "auction"), nexmarkSchema("auction")), "bounded 63");
  EXPECT_EQ(described(kind(more, "bid"), nexmarkSchema("bid")), "bounded 926");
  EXPECT_EQ(described({{"connector", "nexmark"}, {"event.kind", "bid"}}, nexmarkSchema("bid")), "unbounded");
  EXPECT_EQ(described({{"connector", "nexmark"}, {"events.num", "0"}}, nexmarkSchema("")), "unbounded");
  EXPECT_EQ(described({{"connector", "nexmark"}, {"event.kind", "bid"}}, clicksSchema()).substr(0, 47),
            "table 'clicks': a nexmark table with 'event.kin");
}

TEST_F(ConnectorFactoryTest, DescribesFileMemoryAndSocketSources) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / std::string("caudal_describe_").append(std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "clicks.csv").string();
  {
    // A line of (BIGINT, STRING) is estimated at 1 + (10 + 1) + (20 + 1) = 33 bytes.
    std::ofstream out(file);
    out << std::string(330, 'x');
  }
  EXPECT_EQ(described({{"connector", "filesystem"}, {"path", file}, {"format", "csv"}}), "bounded 10");
  // json adds each column's quoted name and the braces: 33 + (7 + 3) + (3 + 3) + 2 = 51.
  {
    std::ofstream out(file);
    out << std::string(510, 'x');
  }
  EXPECT_EQ(described({{"connector", "filesystem"}, {"path", file}, {"format", "json"}}), "bounded 10");
  EXPECT_EQ(described({{"connector", "filesystem"}, {"path", dir.string()}, {"format", "csv"}}), "unbounded");
  EXPECT_EQ(described({{"connector", "filesystem"}, {"path", (dir / "missing").string()}, {"format", "csv"}}),
            "unbounded");
  EXPECT_EQ(described({{"connector", "filesystem"}, {"path", file}}),
            "table 'clicks': option 'format' is required for connector 'filesystem'");
  std::filesystem::remove_all(dir);

  // A memory table with an input is a stream; without one, its result rows are a table.
  EXPECT_EQ(described({{"connector", "memory"}}), "table 'clicks': memory table 'clicks' does not exist");
  DataChunk chunk(clicksSchema().types());
  chunk.appendRow({Value::bigInt(1), Value::string("/a")});
  chunk.appendRow({Value::bigInt(2), Value::string("/b")});
  tables_.appendInput("clicks", chunk);
  EXPECT_EQ(described({{"connector", "memory"}}), "unbounded");
  tables_.openResult("users", SinkContext{clicksSchema(), OutputMode::kAppend, {}});
  std::vector<DataChunk> batch = {chunk, chunk};
  ASSERT_TRUE(tables_.applyBatch("users", 0, batch).isOk());
  EXPECT_EQ(described({{"connector", "memory"}, {"table-name", "users"}}), "bounded 4");
  EXPECT_EQ(described({{"connector", "memory"}}, clicksSchema(), "users"), "bounded 4");

  EXPECT_EQ(described({{"connector", "socket"}, {"hostname", "localhost"}, {"port", "9999"}}), "unbounded");
  EXPECT_EQ(described({{"connector", "print"}}), "table 'clicks': connector 'print' can only be used as a sink (table 'clicks')");
  EXPECT_EQ(described({}), "table 'clicks': 'connector' is missing");
}

}  // namespace
}  // namespace caudal::sql
