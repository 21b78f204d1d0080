#include "sql/connector/filesystem_sink.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "sql/connector/connector_factory.h"
#include "sql/connector/memory_tables.h"
#include "support/temp_directory.h"

namespace caudal::sql {
namespace {

namespace fs = std::filesystem;

Schema countsSchema() {
  return Schema{{{"status", DataType::integer()}, {"url", DataType::string()}}};
}

std::vector<std::string> directoryNames(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class FilesystemSinkTest : public ::testing::Test {
 protected:
  std::unique_ptr<TableSink> make(const std::string& format, const TableOptions& extra = {}) {
    TableOptions options = {
        {"connector", "filesystem"}, {"path", (dir_ / "out").string()}, {"format", format}};
    for (const auto& [key, value] : extra) options[key] = value;
    auto sink = createTableSink(options, countsSchema(), ConnectorContext{&tables_, "out"});
    if (!sink.isOk()) {
      ADD_FAILURE() << sink.status().message();
      return nullptr;
    }
    return std::move(sink.value());
  }
  DataChunk chunk(const std::vector<std::pair<int, std::string>>& rows,
                  RowKind kind = RowKind::kInsert) {
    DataChunk result(countsSchema().types());
    for (const auto& [status, url] : rows)
      result.appendRow({Value::integer(status), Value::string(url)}, kind);
    return result;
  }

  MemoryTables tables_;
  caudal::test::TempDirectory dir_;
};

TEST_F(FilesystemSinkTest, OneFilePerBatchNamedByBatch) {
  auto sink = make("csv");
  ASSERT_NE(sink, nullptr);
  ASSERT_TRUE(sink->open(SinkContext{countsSchema(), OutputMode::kAppend, {}}).isOk());
  std::vector<DataChunk> batch0 = {chunk({{200, "/a"}, {404, "/b,c"}})};
  ASSERT_TRUE(sink->writeBatch(0, batch0).isOk());
  std::vector<DataChunk> empty = {};
  ASSERT_TRUE(sink->writeBatch(1, empty).isOk());  // no rows, no file
  std::vector<DataChunk> batch12 = {chunk({{500, "/d"}})};
  ASSERT_TRUE(sink->writeBatch(12, batch12).isOk());
  EXPECT_EQ(directoryNames(dir_ / "out"),
            (std::vector<std::string>{"part-00000-0.csv", "part-00012-0.csv"}));
  EXPECT_EQ(caudal::test::readWholeFile(dir_ / "out" / "part-00000-0.csv"),
            "200,/a\n404,\"/b,c\"\n");
  EXPECT_EQ(caudal::test::readWholeFile(dir_ / "out" / "part-00012-0.csv"), "500,/d\n");
}

TEST_F(FilesystemSinkTest, ABatchWrittenAgainReplacesItsFile) {
  auto sink = make("json");
  ASSERT_NE(sink, nullptr);
  ASSERT_TRUE(sink->open(SinkContext{countsSchema(), OutputMode::kAppend, {}}).isOk());
  std::vector<DataChunk> batch = {chunk({{200, "/a"}})};
  ASSERT_TRUE(sink->writeBatch(3, batch).isOk());
  ASSERT_TRUE(sink->writeBatch(3, batch).isOk());
  EXPECT_EQ(directoryNames(dir_ / "out"), (std::vector<std::string>{"part-00003-0.json"}));
  EXPECT_EQ(caudal::test::readWholeFile(dir_ / "out" / "part-00003-0.json"),
            "{\"status\":200,\"url\":\"/a\"}\n");
}

TEST_F(FilesystemSinkTest, HeaderAndOnlyAppendMode) {
  auto sink = make("csv", {{"header", "true"}});
  ASSERT_NE(sink, nullptr);
  ASSERT_TRUE(sink->open(SinkContext{countsSchema(), OutputMode::kAppend, {}}).isOk());
  std::vector<DataChunk> batch = {chunk({{200, "/a"}})};
  ASSERT_TRUE(sink->writeBatch(0, batch).isOk());
  EXPECT_EQ(caudal::test::readWholeFile(dir_ / "out" / "part-00000-0.csv"), "status,url\n200,/a\n");
  auto update = make("csv");
  ASSERT_NE(update, nullptr);
  Status status = update->open(SinkContext{countsSchema(), OutputMode::kUpdate, {0}});
  ASSERT_FALSE(status.isOk());
  EXPECT_EQ(status.message(),
            "table 'out': connector 'filesystem' supports only the append output mode, not update");
}

}  // namespace
}  // namespace caudal::sql
