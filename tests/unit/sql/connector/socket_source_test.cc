#include "sql/connector/socket_source.h"

#include <gtest/gtest.h>

#include <thread>

#include "source_testing.h"
#include "sql/connector/connector_factory.h"
#include "sql/connector/memory_tables.h"
#include "support/socket_server.h"

namespace caudal::sql {
namespace {

using test::latest;
using test::readRange;

Schema wordCountsSchema() { return Schema{{{"word", DataType::string()}, {"n", DataType::integer()}}}; }

// Calls latestOffset until it reaches `lines` (the reader thread may still be handing over
// what the server sent); gives up after a generous bound, which only a broken source hits.
SourceOffset waitForLines(TableSource& source, int64_t lines) {
  SourceOffset offset;
  for (int attempt = 0; attempt < 3000; ++attempt) {
    offset = latest(source);
    if (offset.positions.at(0) >= lines) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return offset;
}

class SocketSourceTest : public ::testing::Test {
 protected:
  std::unique_ptr<TableSource> make(const TableOptions& extra, Schema schema = wordCountsSchema()) {
    TableOptions options = {
        {"connector", "socket"}, {"hostname", "127.0.0.1"}, {"port", std::to_string(port_)}};
    for (const auto& [key, value] : extra) options[key] = value;
    auto source = createTableSource(options, schema, ConnectorContext{&tables_, "words"});
    if (!source.isOk()) {
      ADD_FAILURE() << source.status().message();
      return nullptr;
    }
    return std::move(source.value());
  }

  MemoryTables tables_;
  caudal::test::SocketServer server_;
  int port_ = server_.listen();
};

TEST_F(SocketSourceTest, ReadsRangesOfReceivedLines) {
  auto source = make({});
  ASSERT_NE(source, nullptr);
  EXPECT_FALSE(source->bounded());
  const SourceOffset start = source->initialOffset();
  EXPECT_EQ(latest(*source), start);  // connects now; nothing yet
  ASSERT_TRUE(server_.accept());
  server_.sendLines({"a,1", "b,2"});
  const SourceOffset first = waitForLines(*source, 2);
  EXPECT_EQ(first, SourceOffset{{2}});
  EXPECT_EQ(readRange(*source, start, first), (std::vector<std::string>{"a|1", "b|2"}));
  server_.send("c,3\r\nd,");
  server_.send("4\n");
  const SourceOffset second = waitForLines(*source, 4);
  EXPECT_EQ(second, SourceOffset{{4}});
  EXPECT_EQ(readRange(*source, first, second), (std::vector<std::string>{"c|3", "d|4"}));
  // Until committed, a range can be read again.
  EXPECT_EQ(readRange(*source, start, second),
            (std::vector<std::string>{"a|1", "b|2", "c|3", "d|4"}));
  auto* socket = dynamic_cast<SocketSource*>(source.get());
  ASSERT_NE(socket, nullptr);
  EXPECT_EQ(socket->bufferedLines(), 4u);
  source->commit(first);
  EXPECT_EQ(socket->bufferedLines(), 2u);
  EXPECT_EQ(readRange(*source, start, second),
            (std::vector<std::string>{"error: socket 127.0.0.1:" + std::to_string(port_) +
                                      ": lines [0, 4) are no longer buffered"}));
  EXPECT_EQ(readRange(*source, first, second), (std::vector<std::string>{"c|3", "d|4"}));
  source->stop();
}

TEST_F(SocketSourceTest, ReconnectsAfterTheServerClosed) {
  auto source = make({{"format", "raw"}}, Schema{{{"line", DataType::string()}}});
  ASSERT_NE(source, nullptr);
  const SourceOffset start = latest(*source);
  ASSERT_TRUE(server_.accept());
  server_.sendLines({"one"});
  server_.send("two");  // the last line, without a newline, counts when the connection closes
  server_.closeConnection();
  ASSERT_TRUE(server_.accept());
  server_.sendLines({"three"});
  const SourceOffset end = waitForLines(*source, 3);
  EXPECT_EQ(readRange(*source, start, end), (std::vector<std::string>{"one", "two", "three"}));
  source->stop();
}

TEST_F(SocketSourceTest, ErrorsNameTheSocketAndLine) {
  auto source = make({});
  ASSERT_NE(source, nullptr);
  const SourceOffset start = latest(*source);
  ASSERT_TRUE(server_.accept());
  server_.sendLines({"a,1", "b,x", "c"});
  const SourceOffset end = waitForLines(*source, 3);
  EXPECT_EQ(readRange(*source, start, end),
            (std::vector<std::string>{"error: socket 127.0.0.1:" + std::to_string(port_) +
                                      ", line 2, column 'n': cannot parse 'x' as INT"}));
  auto json = make({{"format", "json"}, {"mode", "DROPMALFORMED"}});
  ASSERT_NE(json, nullptr);
  const SourceOffset json_start = latest(*json);
  ASSERT_TRUE(server_.accept());
  server_.sendLines({R"({"word":"a","n":1})", "{oops", R"({"n":"x"})", R"({"word":"b"})"});
  const SourceOffset json_end = waitForLines(*json, 4);
  EXPECT_EQ(readRange(*json, json_start, json_end), (std::vector<std::string>{"a|1", "b|NULL"}));
  EXPECT_EQ(json->metrics().rows_dropped.load(), 2);
  source->stop();
  json->stop();
}

TEST_F(SocketSourceTest, OptionErrors) {
  auto error = [&](const TableOptions& options) {
    auto source = createTableSource(options, wordCountsSchema(), ConnectorContext{&tables_, "words"});
    return source.isOk() ? std::string("ok") : source.status().message();
  };
  EXPECT_EQ(error({{"connector", "socket"}, {"hostname", "localhost"}}),
            "table 'words': option 'port' is required for connector 'socket'");
  EXPECT_EQ(error({{"connector", "socket"}, {"hostname", "localhost"}, {"port", "70000"}}),
            "table 'words': option 'port' must be an integer in [1, 65535], got '70000'");
  EXPECT_EQ(
      error({{"connector", "socket"}, {"hostname", "localhost"}, {"port", "1"}, {"format", "raw"}}),
      "table 'words': format 'raw' needs exactly one STRING column, got word STRING, n INT");
}

}  // namespace
}  // namespace caudal::sql
