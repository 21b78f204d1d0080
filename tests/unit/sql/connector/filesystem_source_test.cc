#include "sql/connector/filesystem_source.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "source_testing.h"
#include "sql/connector/connector_factory.h"
#include "sql/connector/memory_tables.h"
#include "support/temp_directory.h"

namespace caudal::sql {
namespace {

namespace fs = std::filesystem;
using test::latest;
using test::readRange;

Schema fileClicksSchema() {
  return Schema{{{"user_id", DataType::bigInt()},
                 {"url", DataType::string()},
                 {"status", DataType::integer()}}};
}

class FilesystemSourceTest : public ::testing::Test {
 protected:
  std::unique_ptr<TableSource> make(const TableOptions& extra) {
    TableOptions options = {{"connector", "filesystem"}, {"format", "csv"}};
    for (const auto& [key, value] : extra) options[key] = value;
    auto source = createTableSource(options, fileClicksSchema(), ConnectorContext{&tables_, "clicks"});
    if (!source.isOk()) {
      ADD_FAILURE() << source.status().message();
      return nullptr;
    }
    return std::move(source.value());
  }
  // Writes a file with a given modification time (seconds after a fixed instant), so that the
  // listing order does not depend on the clock.
  fs::path writeFile(const std::string& name, const std::string& content, int seconds) {
    fs::path path = dir_.writeFile(name, content);
    fs::last_write_time(path, fs::file_time_type(std::chrono::seconds(1700000000 + seconds)));
    return path;
  }

  MemoryTables tables_;
  caudal::test::TempDirectory dir_;
};

TEST_F(FilesystemSourceTest, ASingleFileIsABoundedTable) {
  fs::path file = writeFile("a.csv", "1,/a,200\n2,/b,404\n", 0);
  auto source = make({{"path", file.string()}});
  ASSERT_NE(source, nullptr);
  EXPECT_TRUE(source->bounded());
  EXPECT_FALSE(source->finished());
  const SourceOffset end = latest(*source);
  EXPECT_EQ(end, SourceOffset{{1}});
  EXPECT_TRUE(source->finished());
  EXPECT_EQ(latest(*source), SourceOffset{{1}});
  EXPECT_EQ(readRange(*source, source->initialOffset(), end),
            (std::vector<std::string>{"1|/a|200", "2|/b|404"}));
  EXPECT_EQ(source->metrics().rows_read.load(), 2);
}

TEST_F(FilesystemSourceTest, ADirectoryStreamsItsNewFiles) {
  fs::path input = dir_.makeDirectory("clicks");
  writeFile("clicks/b.csv", "2,/b,404\n", 10);
  writeFile("clicks/a.csv", "1,/a,200\n", 10);     // same time: by name
  writeFile("clicks/.hidden.csv", "9,/x,1\n", 5);  // hidden: skipped
  writeFile("clicks/_temporary", "9,/x,1\n", 5);   // temporary: skipped
  auto source = make({{"path", input.string()}});
  ASSERT_NE(source, nullptr);
  EXPECT_FALSE(source->bounded());
  const SourceOffset start = source->initialOffset();
  const SourceOffset first = latest(*source);
  EXPECT_EQ(first, SourceOffset{{2}});
  EXPECT_EQ(source->taskCount(start, first), 2u);
  EXPECT_EQ(readRange(*source, start, first), (std::vector<std::string>{"1|/a|200", "2|/b|404"}));
  EXPECT_EQ(latest(*source), first);                    // nothing new
  writeFile("clicks/c.csv", "3,/c,500\n4,/d,200", 20);  // no newline at the end
  const SourceOffset second = latest(*source);
  EXPECT_EQ(second, SourceOffset{{3}});
  EXPECT_EQ(readRange(*source, first, second), (std::vector<std::string>{"3|/c|500", "4|/d|200"}));
  // A range can be read again, as after a failure.
  EXPECT_EQ(readRange(*source, start, second),
            (std::vector<std::string>{"1|/a|200", "2|/b|404", "3|/c|500", "4|/d|200"}));
  EXPECT_FALSE(source->finished());
  auto* files = dynamic_cast<FilesystemSource*>(source.get());
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(files->files(),
            (std::vector<std::string>{(input / "a.csv").string(), (input / "b.csv").string(),
                                      (input / "c.csv").string()}));
}

TEST_F(FilesystemSourceTest, MaxFilesPerTriggerAndNamePattern) {
  fs::path input = dir_.makeDirectory("in");
  for (int i = 0; i < 5; ++i)
    writeFile("in/f" + std::to_string(i) + ".csv", std::to_string(i) + ",/x,1\n", i);
  writeFile("in/notes.txt", "not csv\n", 9);
  auto source = make({{"path", input.string()},
                      {"maxFilesPerTrigger", "2"},
                      {"source.path.regex-pattern", ".*\\.csv"}});
  ASSERT_NE(source, nullptr);
  SourceOffset previous = source->initialOffset();
  std::vector<std::vector<std::string>> batches;
  for (int batch = 0; batch < 4; ++batch) {
    const SourceOffset next = latest(*source);
    batches.push_back(readRange(*source, previous, next));
    previous = next;
  }
  EXPECT_EQ(batches, (std::vector<std::vector<std::string>>{
                         {"0|/x|1", "1|/x|1"}, {"2|/x|1", "3|/x|1"}, {"4|/x|1"}, {}}));
}

TEST_F(FilesystemSourceTest, HeadersCommentsAndJson) {
  fs::path input = dir_.makeDirectory("h");
  writeFile("h/a.csv", "user_id,url,status\n# comment\n1,/a,200\n", 0);
  writeFile("h/b.csv", "user_id,url,status\n2,/b,404\n", 1);
  auto source = make({{"path", input.string()},
                      {"csv.ignore-first-line", "true"},
                      {"csv.allow-comments", "true"}});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(readRange(*source, source->initialOffset(), latest(*source)),
            (std::vector<std::string>{"1|/a|200", "2|/b|404"}));

  fs::path json = dir_.makeDirectory("j");
  writeFile("j/a.json", "{\"user_id\":1,\"url\":\"/a\",\"status\":200}\n{\"user_id\":2}\n", 0);
  auto json_source = make({{"path", json.string()}, {"format", "json"}});
  ASSERT_NE(json_source, nullptr);
  EXPECT_EQ(readRange(*json_source, json_source->initialOffset(), latest(*json_source)),
            (std::vector<std::string>{"1|/a|200", "2|NULL|NULL"}));
}

TEST_F(FilesystemSourceTest, ErrorsNameTheFileAndLine) {
  fs::path input = dir_.makeDirectory("clicks");
  fs::path file = writeFile("clicks/a.csv", "1,/a,200\n2,/b,abc\n", 0);
  auto source = make({{"path", input.string()}});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(readRange(*source, source->initialOffset(), latest(*source)),
            (std::vector<std::string>{"error: file " + file.string() +
                                      ", line 2, column 'status': cannot parse "
                                      "'abc' as INT"}));
  // Dropping instead: the bad line is counted, the good one kept.
  auto dropping = make({{"path", input.string()}, {"mode", "DROPMALFORMED"}});
  ASSERT_NE(dropping, nullptr);
  EXPECT_EQ(readRange(*dropping, dropping->initialOffset(), latest(*dropping)),
            (std::vector<std::string>{"1|/a|200"}));
  EXPECT_EQ(dropping->metrics().rows_dropped.load(), 1);
}

TEST_F(FilesystemSourceTest, RequiredColumnsOnly) {
  fs::path file = writeFile("a.csv", "1,/a,200\n", 0);
  auto source = make({{"path", file.string()}});
  ASSERT_NE(source, nullptr);
  source->requireColumns({{2}, {0}});
  EXPECT_EQ(readRange(*source, source->initialOffset(), latest(*source)),
            (std::vector<std::string>{"1|NULL|200"}));
}

TEST_F(FilesystemSourceTest, OptionErrors) {
  auto error = [&](const TableOptions& options) {
    auto source = createTableSource(options, fileClicksSchema(), ConnectorContext{&tables_, "clicks"});
    return source.isOk() ? std::string("ok") : source.status().message();
  };
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(error({{"connector", "filesystem"}, {"path", missing}, {"format", "csv"}}),
            "table 'clicks': path '" + missing + "' does not exist");
  EXPECT_EQ(error({{"connector", "filesystem"}, {"format", "csv"}}),
            "table 'clicks': option 'path' is required for connector 'filesystem'");
  EXPECT_EQ(
      error({{"connector", "filesystem"}, {"path", "x"}, {"format", "csv"}, {"pth", "y"}}),
      "table 'clicks': unknown option 'pth' for connector 'filesystem'; known options: connector, "
      "path, "
      "format, source.monitor-interval, source.path.regex-pattern, maxFilesPerTrigger, "
      "csv.field-delimiter, "
      "csv.quote-character, csv.allow-comments, csv.ignore-first-line, header, csv.null-literal, "
      "format.ignore-parse-errors, csv.ignore-parse-errors, mode, columnNameOfCorruptRecord");
  EXPECT_EQ(
      error({{"connector", "filesystem"},
             {"path", dir_.path().string()},
             {"format", "json"},
             {"csv.field-delimiter", ";"}}),
      "table 'clicks': unknown option 'csv.field-delimiter' for connector 'filesystem'; known "
      "options: "
      "connector, path, format, source.monitor-interval, source.path.regex-pattern, "
      "maxFilesPerTrigger, "
      "format.ignore-parse-errors, json.ignore-parse-errors, mode, columnNameOfCorruptRecord");
  EXPECT_EQ(
      error({{"connector", "filesystem"}, {"path", dir_.path().string()}, {"format", "avro"}}),
      "table 'clicks': unknown format 'avro'; known formats: csv, json, raw");
  EXPECT_EQ(error({{"connector", "filesystem"},
                   {"path", dir_.path().string()},
                   {"format", "csv"},
                   {"source.monitor-interval", "soon"}}),
            "table 'clicks': option 'source.monitor-interval' must be a duration such as '10 s', "
            "got 'soon'");
  EXPECT_EQ(error({{"connector", "filesystem"},
                   {"path", dir_.path().string()},
                   {"format", "csv"},
                   {"source.monitor-interval", "10 s"},
                   {"maxFilesPerTrigger", "0"}}),
            "table 'clicks': option 'maxFilesPerTrigger' must be an integer in [1, "
            "9223372036854775807], got '0'");
}

}  // namespace
}  // namespace caudal::sql
