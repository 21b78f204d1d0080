// The optimizer's choice of a join's build side, as EXPLAIN shows it, from the statistics the
// session gets from each table's connector (describeTableSource).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sql/connector/memory_tables.h"
#include "sql/planner/optimizer.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

class JoinSideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run("CREATE TABLE clicks (user_id BIGINT, url STRING) WITH ('connector' = 'datagen');"
        "CREATE TABLE views (user_id BIGINT, page STRING) WITH ('connector' = 'datagen');"
        "CREATE TABLE users (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '100');"
        "CREATE TABLE items (id BIGINT, title STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1000');"
        "CREATE TABLE tags (id BIGINT, tag STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '100');");
  }

  void run(const std::string& script) {
    auto result = session_.execute(script);
    ASSERT_TRUE(result.isOk()) << result.status().message();
  }

  // The optimized plan EXPLAIN shows for `query`.
  std::string optimized(const std::string& query) {
    auto result = session_.executeOne("EXPLAIN " + query);
    if (!result.isOk()) return "error: " + result.status().message();
    const std::string& message = result.value().message;
    const std::string marker = "== Optimized Physical Plan ==\n";
    const size_t at = message.find(marker);
    return at == std::string::npos ? message : message.substr(at + marker.size());
  }

  // The Join lines of the optimized plan for `query`, without their indentation, top down.
  std::vector<std::string> joins(const std::string& query) {
    std::vector<std::string> lines;
    const std::string plan = optimized(query);
    size_t start = 0;
    while (start < plan.size()) {
      size_t end = plan.find('\n', start);
      if (end == std::string::npos) end = plan.size();
      std::string line = plan.substr(start, end - start);
      line.erase(0, line.find_first_not_of(' '));
      if (line.rfind("Join(", 0) == 0 || line.rfind("error", 0) == 0) lines.push_back(line);
      start = end + 1;
    }
    return lines;
  }

  SqlSession session_{1};
};

using Lines = std::vector<std::string>;

TEST_F(JoinSideTest, BoundedTableJoinedToAStreamIsTheBuildSide) {
  EXPECT_EQ(optimized("SELECT url, name FROM clicks JOIN users ON clicks.user_id = users.id"),
            "Project(url, name)\n"
            "  Join(type=[INNER], condition=[user_id = id], build=[right])\n"
            "    Scan(table=[clicks], fields=[user_id, url], reads=[user_id, url])\n"
            "    Scan(table=[users], fields=[id, name], reads=[id, name])\n");
  EXPECT_EQ(optimized("SELECT url, name FROM users JOIN clicks ON clicks.user_id = users.id"),
            "Project(url, name)\n"
            "  Join(type=[INNER], condition=[user_id = id], build=[left])\n"
            "    Scan(table=[users], fields=[id, name], reads=[id, name])\n"
            "    Scan(table=[clicks], fields=[user_id, url], reads=[user_id, url])\n");
  // Every join type: the bounded side builds, whichever side the join preserves.
  for (const char* type : {"LEFT", "RIGHT", "FULL"}) {
    EXPECT_EQ(joins(std::string("SELECT * FROM clicks ") + type + " JOIN users ON clicks.user_id = users.id"),
              (Lines{std::string("Join(type=[") + type + "], condition=[user_id = id], build=[right])"}));
    EXPECT_EQ(joins(std::string("SELECT * FROM users ") + type + " JOIN clicks ON clicks.user_id = users.id"),
              (Lines{std::string("Join(type=[") + type + "], condition=[user_id = id], build=[left])"}));
  }
  EXPECT_EQ(joins("SELECT url FROM clicks WHERE user_id IN (SELECT id FROM users)"),
            (Lines{"Join(type=[SEMI], condition=[user_id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT name FROM users WHERE NOT EXISTS (SELECT 1 FROM clicks WHERE clicks.user_id = users.id)"),
            (Lines{"Join(type=[ANTI], condition=[user_id = id], build=[left])"}));
  EXPECT_EQ(joins("SELECT url, x FROM clicks JOIN (VALUES (1), (2)) AS t(x) ON user_id = x"),
            (Lines{"Join(type=[INNER], condition=[user_id = CAST(x AS BIGINT)], build=[right])"}));
}

TEST_F(JoinSideTest, TwoBoundedInputsBuildOnTheSmallerOne) {
  EXPECT_EQ(joins("SELECT * FROM users JOIN items ON users.id = items.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[left])"}));
  EXPECT_EQ(joins("SELECT * FROM items JOIN users ON users.id = items.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  // Equal estimates: the right side, as Spark builds by default.
  EXPECT_EQ(joins("SELECT * FROM users JOIN tags ON users.id = tags.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM tags LEFT JOIN users ON users.id = tags.id"),
            (Lines{"Join(type=[LEFT], condition=[id = id], build=[right])"}));
  // A filter is taken to keep half of its input: 1000 * 0.5 is still more than 100.
  EXPECT_EQ(joins("SELECT * FROM (SELECT * FROM items WHERE title LIKE 'a%') AS i JOIN users ON users.id = i.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  // A global aggregation has one row; a grouped one half its input (500 > 100).
  EXPECT_EQ(joins("SELECT * FROM (SELECT COUNT(*) AS n FROM items) AS c JOIN users ON users.id = c.n"),
            (Lines{"Join(type=[INNER], condition=[id = n], build=[left])"}));
  EXPECT_EQ(joins("SELECT * FROM (SELECT id, COUNT(*) AS n FROM items GROUP BY id) AS c JOIN users ON users.id = c.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  // A union adds its inputs up: 100 + 100 + 100 = 300 < 1000.
  EXPECT_EQ(joins("SELECT * FROM (SELECT id FROM users UNION ALL SELECT id FROM tags UNION ALL SELECT id FROM users) "
                  "AS u JOIN items ON u.id = items.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[left])"}));
  // Literal rows are a bounded input of that many rows.
  EXPECT_EQ(joins("SELECT * FROM (VALUES (1), (2)) AS t(x) JOIN users ON x = users.id"),
            (Lines{"Join(type=[INNER], condition=[CAST(x AS BIGINT) = id], build=[left])"}));
}

TEST_F(JoinSideTest, TwoStreamsKeepBothSides) {
  EXPECT_EQ(optimized("SELECT url, page FROM clicks JOIN views ON clicks.user_id = views.user_id"),
            "Project(url, page)\n"
            "  Join(type=[INNER], condition=[user_id = user_id])\n"
            "    Scan(table=[clicks], fields=[user_id, url], reads=[user_id, url])\n"
            "    Scan(table=[views], fields=[user_id, page], reads=[user_id, page])\n");
  EXPECT_EQ(joins("SELECT * FROM clicks FULL JOIN views ON clicks.user_id = views.user_id"),
            (Lines{"Join(type=[FULL], condition=[user_id = user_id])"}));
  // A stream joined to a bounded table is still a stream.
  EXPECT_EQ(joins("SELECT * FROM (SELECT clicks.user_id FROM clicks JOIN users ON clicks.user_id = users.id) AS a "
                  "JOIN views ON a.user_id = views.user_id"),
            (Lines{"Join(type=[INNER], condition=[user_id = user_id])",
                   "Join(type=[INNER], condition=[user_id = id], build=[right])"}));
  // So is an aggregation of a stream.
  EXPECT_EQ(joins("SELECT * FROM (SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id) AS c "
                  "JOIN views ON c.user_id = views.user_id"),
            (Lines{"Join(type=[INNER], condition=[user_id = user_id])"}));
}

TEST_F(JoinSideTest, SeesThroughViewsAndSubqueries) {
  run("CREATE VIEW named_users AS SELECT id, UPPER(name) AS name FROM users WHERE name IS NOT NULL;"
      "CREATE VIEW click_counts AS SELECT user_id, COUNT(*) AS n FROM clicks GROUP BY user_id;");
  EXPECT_EQ(joins("SELECT * FROM clicks JOIN named_users ON clicks.user_id = named_users.id"),
            (Lines{"Join(type=[INNER], condition=[user_id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM named_users LEFT JOIN click_counts ON click_counts.user_id = named_users.id"),
            (Lines{"Join(type=[LEFT], condition=[user_id = id], build=[left])"}));
  EXPECT_EQ(joins("WITH u AS (SELECT id FROM users WHERE id > 10) "
                  "SELECT * FROM clicks WHERE EXISTS (SELECT 1 FROM u WHERE u.id = clicks.user_id)"),
            (Lines{"Join(type=[SEMI], condition=[id = user_id], build=[right])"}));
  // A three-way join: the bounded pair builds on the smaller side, and the stream's join on the
  // bounded pair.
  EXPECT_EQ(joins("SELECT * FROM clicks JOIN (SELECT items.id FROM items JOIN users ON items.id = users.id) AS b "
                  "ON clicks.user_id = b.id"),
            (Lines{"Join(type=[INNER], condition=[user_id = id], build=[right])",
                   "Join(type=[INNER], condition=[id = id], build=[right])"}));
}

TEST_F(JoinSideTest, StatisticsComeFromEachConnector) {
  // nexmark: bounded by events.num, with the event kind's share of the events (1000 events:
  // 920 bids, 60 auctions).
  run("CREATE TABLE bids (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
      "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'event.kind' = 'bid', "
      "'events.num' = '1000');"
      "CREATE TABLE auctions (id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, "
      "dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING) "
      "WITH ('connector' = 'nexmark', 'event.kind' = 'auction', 'events.num' = '1000');"
      "CREATE TABLE live_bids (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, "
      "dateTime TIMESTAMP(3), extra STRING) WITH ('connector' = 'nexmark', 'event.kind' = 'bid');");
  EXPECT_EQ(joins("SELECT price FROM bids JOIN auctions ON bids.auction = auctions.id"),
            (Lines{"Join(type=[INNER], condition=[auction = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT price FROM auctions JOIN bids ON bids.auction = auctions.id"),
            (Lines{"Join(type=[INNER], condition=[auction = id], build=[left])"}));
  EXPECT_EQ(joins("SELECT * FROM live_bids JOIN bids ON live_bids.auction = bids.auction"),
            (Lines{"Join(type=[INNER], condition=[auction = auction], build=[right])"}));

  // filesystem: a file is bounded (rows from its size), a directory is a stream.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / std::string("caudal_join_side_").append(std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "incoming");
  {
    std::ofstream small(dir / "small.csv");
    small << "1,a\n2,b\n";
    std::ofstream large(dir / "large.csv");
    for (int i = 0; i < 100; ++i) large << i << ",some longer text here\n";
  }
  run("CREATE TABLE small_file (id BIGINT, v STRING) WITH ('connector' = 'filesystem', 'format' = 'csv', 'path' = '" +
      (dir / "small.csv").string() + "');" +
      "CREATE TABLE large_file (id BIGINT, v STRING) WITH ('connector' = 'filesystem', 'format' = 'csv', 'path' = '" +
      (dir / "large.csv").string() + "');" +
      "CREATE TABLE incoming (id BIGINT, v STRING) WITH ('connector' = 'filesystem', 'format' = 'csv', 'path' = '" +
      (dir / "incoming").string() + "');");
  EXPECT_EQ(joins("SELECT * FROM incoming JOIN large_file ON incoming.id = large_file.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM small_file JOIN large_file ON small_file.id = large_file.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[left])"}));
  EXPECT_EQ(joins("SELECT * FROM large_file JOIN small_file ON small_file.id = large_file.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  std::filesystem::remove_all(dir);

  // memory: a table with an input is a stream, one with only a result is a table of its rows.
  run("CREATE TABLE events (id BIGINT) WITH ('connector' = 'memory');"
      "CREATE TABLE three (id BIGINT) WITH ('connector' = 'memory');"
      "CREATE TABLE two (id BIGINT) WITH ('connector' = 'memory');");
  MemoryTables& tables = session_.memoryTables();
  const std::vector<DataType> types{DataType::bigInt()};
  tables.appendInputRows("events", types, {{Value::bigInt(1)}});
  const Schema schema{{{"id", DataType::bigInt()}}};
  for (const auto& [name, count] : {std::pair<std::string, int>{"three", 3}, {"two", 2}}) {
    tables.openResult(name, SinkContext{schema, OutputMode::kAppend, {}});
    DataChunk chunk(types);
    for (int i = 0; i < count; ++i) chunk.appendRow({Value::bigInt(i)});
    std::vector<DataChunk> batch = {chunk};
    ASSERT_TRUE(tables.applyBatch(name, 0, batch).isOk());
  }
  EXPECT_EQ(joins("SELECT * FROM events JOIN three ON events.id = three.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM two JOIN three ON two.id = three.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[left])"}));
  EXPECT_EQ(joins("SELECT * FROM three JOIN two ON two.id = three.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));

  // socket: a stream.
  run("CREATE TABLE lines (id BIGINT, v STRING) WITH ('connector' = 'socket', 'hostname' = 'localhost', "
      "'port' = '9');");
  EXPECT_EQ(joins("SELECT * FROM lines JOIN users ON lines.id = users.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM lines JOIN clicks ON lines.id = clicks.user_id"),
            (Lines{"Join(type=[INNER], condition=[id = user_id])"}));
}

TEST_F(JoinSideTest, TablesWhoseOptionsFailAreTakenAsStreams) {
  // EXPLAIN creates no source: a bad option is reported when the query starts.
  run("CREATE TABLE broken (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = 'many');"
      "CREATE TABLE gone (id BIGINT) WITH ('connector' = 'memory');");
  EXPECT_EQ(joins("SELECT * FROM broken JOIN users ON broken.id = users.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[right])"}));
  EXPECT_EQ(joins("SELECT * FROM users JOIN gone ON gone.id = users.id"),
            (Lines{"Join(type=[INNER], condition=[id = id], build=[left])"}));
}

TEST(OptimizerJoinSideTest, NothingKnownMeansNoBuildSide) {
  // Without statistics every table is a stream; VALUES are still bounded.
  auto users = std::make_shared<CatalogTable>();
  users->name = "users";
  users->schema = Schema{{{"id", DataType::bigInt()}}};
  auto scan = [&] {
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kScan;
    node->table = users;
    node->schema = users->schema;
    return node;
  };
  auto join = [](std::unique_ptr<LogicalNode> left, std::unique_ptr<LogicalNode> right) {
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kJoin;
    node->schema.columns = left->schema.columns;
    node->schema.columns.insert(node->schema.columns.end(), right->schema.columns.begin(),
                                right->schema.columns.end());
    node->inputs.push_back(std::move(left));
    node->inputs.push_back(std::move(right));
    return node;
  };
  auto values = [] {
    auto node = std::make_unique<LogicalNode>();
    node->kind = LogicalKind::kValues;
    node->schema = Schema{{{"x", DataType::bigInt()}}};
    node->rows = {{Value::bigInt(1)}};
    return node;
  };

  auto plan = join(scan(), scan());
  ASSERT_TRUE(optimize(*plan).isOk());
  EXPECT_EQ(plan->build_side, JoinBuildSide::kNone);
  plan = join(values(), scan());
  ASSERT_TRUE(optimize(*plan).isOk());
  EXPECT_EQ(plan->build_side, JoinBuildSide::kLeft);

  OptimizerContext context;
  context.statistics = [](const CatalogTable&) {
    SourceStatistics statistics;
    statistics.bounded = true;  // rows unknown
    return statistics;
  };
  plan = join(scan(), scan());
  ASSERT_TRUE(optimize(*plan, context).isOk());
  EXPECT_EQ(plan->build_side, JoinBuildSide::kRight);
  plan = join(values(), scan());
  ASSERT_TRUE(optimize(*plan, context).isOk());
  EXPECT_EQ(plan->build_side, JoinBuildSide::kRight);  // one size unknown: the right side
}

}  // namespace
}  // namespace caudal::sql
