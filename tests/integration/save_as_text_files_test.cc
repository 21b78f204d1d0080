// saveAsTextFiles and the atomic directory writer behind it, on a real file system.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/text_output.h"
#include "caudal/streaming.h"
#include "support/dstream_testing.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

using test::smallConfig;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using test::readWholeFile;
using Pair = std::pair<std::string, int64_t>;

// The names in `directory` (hidden ones included), sorted.
std::set<std::string> entries(const fs::path& directory) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(SaveAsTextFilesTest, WritesOneDirectoryPerBatchWithOnePartPerPartition) {
  test::TempDirectory temp;
  fs::path out = temp / "out";  // does not exist yet: the writer creates it
  std::string prefix = (out / "counts").string();

  StreamingContext ssc(Seconds(1), smallConfig());
  std::vector<std::vector<std::vector<Pair>>> batches = {
      {{{"a", 1}, {"b", 2}}, {}, {{"c", 3}}},  // three partitions, the middle one empty
      {{{"d", 4}}},
  };
  ssc.queueStream(batches).saveAsTextFiles(prefix, "txt");
  ssc.runBatches(3);  // the third batch is the empty RDD queueStream yields once drained

  EXPECT_EQ(entries(out), (std::set<std::string>{"counts-1000.txt", "counts-2000.txt",
                                                 "counts-3000.txt"}))
      << "one directory per batch, no temporary directory left behind";

  fs::path first = out / "counts-1000.txt";
  EXPECT_EQ(entries(first),
            (std::set<std::string>{"_SUCCESS", "part-00000", "part-00001", "part-00002"}));
  EXPECT_EQ(readWholeFile(first / "part-00000"), "(a,1)\n(b,2)\n");
  EXPECT_EQ(readWholeFile(first / "part-00001"), "") << "an empty partition gives an empty part";
  EXPECT_EQ(readWholeFile(first / "part-00002"), "(c,3)\n");
  EXPECT_EQ(readWholeFile(first / "_SUCCESS"), "");

  fs::path second = out / "counts-2000.txt";
  EXPECT_EQ(entries(second), (std::set<std::string>{"_SUCCESS", "part-00000"}));
  EXPECT_EQ(readWholeFile(second / "part-00000"), "(d,4)\n");

  fs::path third = out / "counts-3000.txt";
  EXPECT_EQ(entries(third), (std::set<std::string>{"_SUCCESS"}))
      << "an RDD with no partitions gives no part";
}

TEST(SaveAsTextFilesTest, RecordsAreWrittenAsFormatRecordWritesThem) {
  test::TempDirectory temp;
  std::string prefix = (temp / "records").string();
  using Record = std::pair<std::string, std::pair<double, std::optional<int>>>;
  std::vector<Record> records = {{"x", {3.0, 7}}, {"y", {0.25, std::nullopt}}, {"", {-1.5, 0}}};

  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.queueStream<Record>({{records}}).saveAsTextFiles(prefix, "out");
  ssc.runBatches(1);

  std::string expected;
  for (const Record& record : records) expected += formatRecord(record) + "\n";
  EXPECT_EQ(expected, "(x,(3.0,Some(7)))\n(y,(0.25,None))\n(,(-1.5,Some(0)))\n");
  EXPECT_EQ(readWholeFile(temp / "records-1000.out/part-00000"), expected);
}

TEST(SaveAsTextFilesTest, WithoutSuffixTheDirectoryIsPrefixDashTime) {
  EXPECT_EQ(detail::batchOutputPath("/data/prefix", "", Time(1000)), "/data/prefix-1000");
  EXPECT_EQ(detail::batchOutputPath("/data/prefix", "txt", Time(1000)), "/data/prefix-1000.txt");
  EXPECT_EQ(detail::batchOutputPath("rel", "", Time(1700000000000)), "rel-1700000000000");

  test::TempDirectory temp;
  std::string prefix = (temp / "plain").string();
  StreamingContext ssc(Milliseconds(500), smallConfig());
  ssc.queueStream<std::string>({{{"one", "two"}}}).saveAsTextFiles(prefix);
  ssc.runBatches(2);
  EXPECT_EQ(entries(temp.path()), (std::set<std::string>{"plain-1000", "plain-500"}));
  EXPECT_EQ(readWholeFile(temp / "plain-500/part-00000"), "one\ntwo\n");
}

TEST(SaveAsTextFilesTest, RewritingABatchReplacesItsOutput) {
  test::TempDirectory temp;
  fs::path target = temp / "result-1000.txt";
  {
    detail::AtomicDirectoryWriter writer(target.string());
    writer.writePart(0, "old 0\n");
    writer.writePart(1, "old 1\n");
    writer.writePart(2, "old 2\n");
    writer.commit();
  }
  EXPECT_EQ(entries(target),
            (std::set<std::string>{"_SUCCESS", "part-00000", "part-00001", "part-00002"}));
  {
    detail::AtomicDirectoryWriter writer(target.string());
    writer.writePart(0, "new 0\n");
    writer.commit();
  }
  EXPECT_EQ(entries(target), (std::set<std::string>{"_SUCCESS", "part-00000"}))
      << "the second run's output replaces the first's, parts included";
  EXPECT_EQ(readWholeFile(target / "part-00000"), "new 0\n");
  EXPECT_EQ(entries(temp.path()), (std::set<std::string>{"result-1000.txt"}))
      << "no temporary or old directory left behind";
}

TEST(SaveAsTextFilesTest, LeftoversOfADeadWriterGoWhenTheBatchIsWrittenAgain) {
  test::TempDirectory temp;
  fs::path target = temp / "result-3000";
  // What a process killed while writing (or swapping) this batch leaves, and another batch's.
  temp.writeFile(".result-3000.tmp-4242-7/part-00000", "half\n");
  temp.writeFile(".result-3000.tmp-4242-8.old/part-00000", "old\n");
  temp.writeFile(".result-4000.tmp-4242-9/part-00000", "another batch\n");
  {
    detail::AtomicDirectoryWriter writer(target.string());
    writer.writePart(0, "whole\n");
    writer.commit();
  }
  EXPECT_EQ(entries(temp.path()), (std::set<std::string>{".result-4000.tmp-4242-9", "result-3000"}));
  EXPECT_EQ(readWholeFile(target / "part-00000"), "whole\n");
}

TEST(SaveAsTextFilesTest, UncommittedOutputNeverAppearsAndLeavesNothingBehind) {
  test::TempDirectory temp;
  fs::path target = temp / "result-2000";
  {
    detail::AtomicDirectoryWriter writer(target.string());
    writer.writePart(0, "never committed\n");
    std::set<std::string> during = entries(temp.path());
    ASSERT_EQ(during.size(), 1u);
    EXPECT_EQ(during.begin()->front(), '.') << "the temporary directory is hidden";
    EXPECT_FALSE(fs::exists(target));
  }
  EXPECT_THAT(entries(temp.path()), IsEmpty());
}

TEST(SaveAsTextFilesTest, FailedBatchLeavesNoOutputDirectory) {
  test::TempDirectory temp;
  std::string prefix = (temp / "failing").string();
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.queueStream<int>({{{1, 2}, {3}}})
      .map([](int x) {
        if (x == 3) throw std::runtime_error("bad record");
        return x;
      })
      .saveAsTextFiles(prefix, "txt");
  EXPECT_THROW(ssc.runBatches(1), BatchFailedError);
  EXPECT_THAT(entries(temp.path()), IsEmpty()) << "neither the output nor its temporary directory";
}

TEST(SaveAsTextFilesTest, TextFileStreamOnTheOutputDirectoryNeverReadsTheTemporaryDirectory) {
  test::TempDirectory temp;
  fs::path shared = temp.makeDirectory("shared");

  std::vector<std::string> read_back;
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.textFileStream(shared.string()).foreachRDD([&](const RDD<std::string>& rdd) {
    for (std::string& line : rdd.collect()) read_back.push_back(std::move(line));
  });
  ssc.queueStream<std::string>({{{"written"}}, {{"more"}}}).saveAsTextFiles((shared / "out").string(), "txt");

  // A batch whose writer is half way: its parts are in the hidden temporary directory.
  detail::AtomicDirectoryWriter pending((shared / "pending-1000.txt").string());
  pending.writePart(0, "not yet committed\n");
  pending.writePart(1, "not yet committed either\n");
  ssc.runBatches(3);
  EXPECT_THAT(read_back, IsEmpty());

  pending.commit();
  ssc.runBatches(1);
  EXPECT_THAT(read_back, IsEmpty()) << "output directories are not files of the directory";

  temp.writeFile("staging/real.txt", "a real file\n");
  fs::rename(temp / "staging/real.txt", shared / "real.txt");
  ssc.runBatches(1);
  EXPECT_THAT(read_back, ElementsAre("a real file"));
  EXPECT_EQ(entries(shared), (std::set<std::string>{"out-1000.txt", "out-2000.txt", "out-3000.txt",
                                                    "out-4000.txt", "out-5000.txt",
                                                    "pending-1000.txt", "real.txt"}));
}

}  // namespace
}  // namespace caudal
