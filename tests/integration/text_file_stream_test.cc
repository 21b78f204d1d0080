// textFileStream over a real directory: files moved in between batches, read by line ranges.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"
#include "integration/wait_until.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

using test::smallConfig;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using LinePartitions = std::vector<std::vector<std::string>>;

// Each batch of a stream as partitions of lines, in batch order.
class Batches {
 public:
  void add(Time time, LinePartitions partitions) {
    std::lock_guard lock(mutex_);
    times_.push_back(time);
    batches_.push_back(std::move(partitions));
  }
  std::vector<LinePartitions> all() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  LinePartitions last() const {
    std::lock_guard lock(mutex_);
    return batches_.empty() ? LinePartitions{} : batches_.back();
  }
  std::vector<Time> times() const {
    std::lock_guard lock(mutex_);
    return times_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Time> times_;
  std::vector<LinePartitions> batches_;
};

void collectInto(const DStream<std::string>& stream, Batches& batches) {
  stream.glom().foreachRDD([&batches](const RDD<std::vector<std::string>>& rdd, Time time) {
    batches.add(time, rdd.collect());
  });
}

// Moves `file` into `directory` atomically, as a producer of a watched directory must.
void moveInto(const fs::path& file, const fs::path& directory) {
  fs::rename(file, directory / file.filename());
}

TEST(TextFileStreamTest, FilesMovedInAppearInExactlyTheNextBatch) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  Batches batches;
  StreamingContext ssc(Seconds(1), smallConfig());
  collectInto(ssc.textFileStream(watched.string()), batches);

  // Present when the context starts: ignored, as Spark's new_files_only default does.
  temp.writeFile("watched/before.txt", "b1\nb2\n");
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), LinePartitions{});

  temp.writeFile("staging/one.txt", "1a\n1b\n1c\n");
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), LinePartitions{}) << "nothing was moved in yet";
  moveInto(temp / "staging/one.txt", watched);
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"1a", "1b", "1c"}}));
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), LinePartitions{}) << "a file is read once";

  // Several files in one batch: one partition each.
  temp.writeFile("staging/two.txt", "2a\n2b\n");
  temp.writeFile("staging/three.txt", "3a\n");
  temp.writeFile("staging/four.txt", "4a\n4b\n4c\n4d\n");
  moveInto(temp / "staging/two.txt", watched);
  moveInto(temp / "staging/three.txt", watched);
  moveInto(temp / "staging/four.txt", watched);
  ssc.runBatches(1);
  EXPECT_THAT(batches.last(),
              UnorderedElementsAre(std::vector<std::string>{"2a", "2b"},
                                   std::vector<std::string>{"3a"},
                                   std::vector<std::string>{"4a", "4b", "4c", "4d"}));
  ssc.runBatches(2);
  EXPECT_EQ(batches.last(), LinePartitions{});

  EXPECT_EQ(batches.times(),
            (std::vector<Time>{Time(1000), Time(2000), Time(3000), Time(4000), Time(5000),
                               Time(6000), Time(7000)}));
  ssc.stop();
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
}

TEST(TextFileStreamTest, WithNewFilesOnlyFalseTheFirstBatchReadsFilesAlreadyThere) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  temp.writeFile("watched/old.txt", "o1\no2\n");
  Batches batches;
  StreamingContext ssc(Seconds(1), smallConfig());
  collectInto(ssc.textFileStream(watched.string(), /*new_files_only=*/false), batches);
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"o1", "o2"}}));
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), LinePartitions{}) << "a file is read once";
}

TEST(TextFileStreamTest, RealTimeBatchesReadEachFileOnceAndGracefulStopReadsTheLastOnes) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  std::mutex mutex;
  std::vector<std::string> lines;  // guarded by mutex
  StreamingContext ssc(Milliseconds(100), smallConfig());
  ssc.textFileStream(watched.string()).foreachRDD([&](const RDD<std::string>& rdd) {
    auto batch = rdd.collect();
    std::lock_guard lock(mutex);
    lines.insert(lines.end(), batch.begin(), batch.end());
  });
  auto seen = [&] {
    std::lock_guard lock(mutex);
    return lines.size();
  };

  ssc.start();
  std::vector<std::string> expected;
  for (int file = 0; file < 6; ++file) {
    std::string name = "file-" + std::to_string(file) + ".txt";
    std::string content;
    for (int line = 0; line < 3; ++line) {
      expected.push_back(std::to_string(file) + ":" + std::to_string(line));
      content += expected.back() + "\n";
    }
    temp.writeFile("staging/" + name, content);
    moveInto(temp / "staging" / name, watched);
    if (file < 3) {  // the last files are moved in just before the stop
      ASSERT_TRUE(test::waitUntil([&] { return seen() == expected.size(); }));
    }
  }
  ssc.stop(true);  // a graceful stop lists the directory once more

  std::lock_guard lock(mutex);
  std::vector<std::string> sorted = lines;
  std::sort(sorted.begin(), sorted.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sorted, expected) << "every line of every file exactly once";
}

TEST(TextFileStreamTest, HiddenFilesUnderscoreFilesAndSubdirectoriesAreIgnored) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  Batches batches;
  StreamingContext ssc(Seconds(1), smallConfig());
  collectInto(ssc.textFileStream(watched.string()), batches);

  ssc.runBatches(1);
  temp.writeFile("staging/.x", "hidden\n");
  temp.writeFile("staging/_x", "underscore\n");
  temp.writeFile("staging/.copying.txt.tmp", "partial\n");
  temp.writeFile("staging/_SUCCESS", "");
  temp.writeFile("staging/visible.txt", "shown\n");
  for (const char* name : {".x", "_x", ".copying.txt.tmp", "_SUCCESS", "visible.txt"}) {
    moveInto(temp / "staging" / name, watched);
  }
  temp.writeFile("watched/subdirectory/inner.txt", "nested\n");
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"shown"}}));
  ssc.runBatches(2);
  for (const LinePartitions& batch : batches.all()) {
    for (const auto& partition : batch) {
      for (const std::string& line : partition) EXPECT_EQ(line, "shown");
    }
  }
}

TEST(TextFileStreamTest, CrLfLinesEmptyLinesAndMissingFinalNewline) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  Batches batches;
  StreamingContext ssc(Seconds(1), smallConfig());
  collectInto(ssc.textFileStream(watched.string()), batches);
  ssc.runBatches(1);

  temp.writeFile("staging/windows.txt", "one\r\n\r\ntwo\r\n\nthree");
  moveInto(temp / "staging/windows.txt", watched);
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"one", "", "two", "", "three"}}));

  temp.writeFile("staging/last-crlf.txt", "x\r\ny\r\n");
  moveInto(temp / "staging/last-crlf.txt", watched);
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"x", "y"}}));

  temp.writeFile("staging/blank-lines.txt", "\n\n\n");
  moveInto(temp / "staging/blank-lines.txt", watched);
  ssc.runBatches(1);
  EXPECT_EQ(batches.last(), (LinePartitions{{"", "", ""}}));
}

TEST(TextFileStreamTest, EmptyFileIsOneEmptyPartition) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  Batches batches;
  std::vector<size_t> partition_counts;
  StreamingContext ssc(Seconds(1), smallConfig());
  auto lines = ssc.textFileStream(watched.string());
  collectInto(lines, batches);
  lines.foreachRDD([&](const RDD<std::string>& rdd) { partition_counts.push_back(rdd.getNumPartitions()); });
  ssc.runBatches(1);

  temp.writeFile("staging/empty.txt", "");
  moveInto(temp / "staging/empty.txt", watched);
  ssc.runBatches(1);
  // As Hadoop's input format: an empty file is one split, with no record.
  EXPECT_EQ(batches.last(), (LinePartitions{{}}));
  EXPECT_EQ(partition_counts, (std::vector<size_t>{0, 1}));
}

// Line i of the large file: its number, a space, and a filler whose length depends on i.
size_t fillerLength(uint64_t i) { return 20 + (i * 7919) % 120; }

// Cheap enough (under a second with sanitizers) to run always, so not in the slow tier.
TEST(TextFileStreamTest, LargeFileIsReadAsTwoPartitionsWithEveryLineOnce) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  fs::path staging = temp.makeDirectory("staging");

  // ~70 MiB of numbered lines of varying length, so the 64 MiB cut falls inside a line.
  constexpr uint64_t kTargetBytes = 70ull << 20;
  uint64_t lines_written = 0;
  uint64_t number_sum = 0;
  {
    std::ofstream out(staging / "large.txt", std::ios::binary);
    std::string chunk;
    uint64_t bytes = 0;
    while (bytes < kTargetBytes) {
      chunk.clear();
      for (int k = 0; k < 4096; ++k, ++lines_written) {
        chunk += std::to_string(lines_written);
        chunk += ' ';
        chunk.append(fillerLength(lines_written), 'x');
        chunk += '\n';
        number_sum += lines_written;
      }
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      bytes += chunk.size();
    }
    ASSERT_TRUE(out.good());
  }
  ASSERT_GT(fs::file_size(staging / "large.txt"), 64ull << 20);

  struct Summary {
    uint64_t lines = 0;
    uint64_t sum = 0;
    uint64_t malformed = 0;
  };
  std::vector<size_t> partition_counts;
  std::vector<Summary> summaries;  // one per partition of the batch that read the file
  StreamingContext ssc(Seconds(1), smallConfig());
  auto lines = ssc.textFileStream(watched.string());
  lines.foreachRDD([&](const RDD<std::string>& rdd) {
    partition_counts.push_back(rdd.getNumPartitions());
    auto per_partition = rdd.mapPartitions([](std::vector<std::string>&& partition) {
      Summary summary;
      for (const std::string& line : partition) {
        uint64_t number = 0;
        auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), number);
        size_t digits = static_cast<size_t>(end - line.data());
        bool well_formed = error == std::errc() && line.size() > digits &&
                           line[digits] == ' ' &&
                           line.size() - digits - 1 == fillerLength(number);
        if (!well_formed) {
          ++summary.malformed;
          continue;
        }
        ++summary.lines;
        summary.sum += number;
      }
      return std::vector<Summary>{summary};
    });
    for (const Summary& summary : per_partition.collect()) summaries.push_back(summary);
  });
  ssc.runBatches(1);
  moveInto(staging / "large.txt", watched);
  ssc.runBatches(1);

  EXPECT_EQ(partition_counts, (std::vector<size_t>{0, 2}));
  ASSERT_EQ(summaries.size(), 2u);
  Summary total;
  for (const Summary& summary : summaries) {
    EXPECT_GT(summary.lines, 0u) << "each 64 MiB slice holds lines";
    total.lines += summary.lines;
    total.sum += summary.sum;
    total.malformed += summary.malformed;
  }
  EXPECT_EQ(total.malformed, 0u);
  EXPECT_EQ(total.lines, lines_written);
  EXPECT_EQ(total.sum, number_sum);
}

TEST(TextFileStreamTest, MissingDirectoryFailsRunBatchesNamingIt) {
  test::TempDirectory temp;
  std::string missing = (temp / "does-not-exist").string();
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.textFileStream(missing).foreachRDD([](const RDD<std::string>&) {});
  try {
    ssc.runBatches(1);
    FAIL() << "runBatches did not throw";
  } catch (const BatchFailedError& e) {
    FAIL() << "expected caudal::Error at start, got BatchFailedError: " << e.what();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(missing));
  }
}

TEST(TextFileStreamTest, MissingDirectoryFailsStartNamingIt) {
  test::TempDirectory temp;
  std::string missing = (temp / "does-not-exist").string();
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.textFileStream(missing).print();
  try {
    ssc.start();
    FAIL() << "start did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(missing));
  }
  EXPECT_NE(ssc.getState(), StreamingContextState::kActive);
}

TEST(TextFileStreamTest, PathThatIsAFileIsNotADirectory) {
  test::TempDirectory temp;
  fs::path file = temp.writeFile("plain.txt", "x\n");
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.textFileStream(file.string()).foreachRDD([](const RDD<std::string>&) {});
  try {
    ssc.runBatches(1);
    FAIL() << "runBatches did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
  }
}

// Runs one batch that lists `victim` and then, before the batch reads it, applies `spoil`
// to it (from a transform, which runs after the sources were asked for the batch's RDD):
// the batch must fail with a BatchFailedError naming the file.
template <class Spoil>
void expectUnreadableFileFailsTheBatch(Spoil spoil) {
  test::TempDirectory temp;
  fs::path watched = temp.makeDirectory("watched");
  fs::path victim = temp.writeFile("watched/victim.txt", "a\nb\n");
  StreamingContext ssc(Seconds(1), smallConfig());
  ssc.textFileStream(watched.string(), /*new_files_only=*/false)
      .transform([&](const RDD<std::string>& rdd) {
        spoil(victim);
        return rdd;
      })
      .foreachRDD([](const RDD<std::string>& rdd) { rdd.collect(); });
  try {
    ssc.runBatches(1);
    FAIL() << "the batch did not fail";
  } catch (const BatchFailedError& e) {
    EXPECT_EQ(e.batchTime(), Time(1000));
    EXPECT_THAT(e.what(), HasSubstr(victim.string()));
  }
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  auto history = ssc.completedBatches();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_TRUE(history[0].failed);
  EXPECT_THAT(history[0].failureReason, HasSubstr(victim.string()));
  EXPECT_THROW(ssc.runBatches(1), Error) << "the context stopped";
}

TEST(TextFileStreamTest, FileRemovedBetweenListingAndReadingFailsTheBatchNamingIt) {
  expectUnreadableFileFailsTheBatch([](const fs::path& file) { fs::remove(file); });
}

TEST(TextFileStreamTest, FileReplacedByADirectoryFailsTheBatchNamingIt) {
  expectUnreadableFileFailsTheBatch([](const fs::path& file) {
    fs::remove(file);
    fs::create_directory(file);
  });
}

TEST(TextFileStreamTest, FileWithoutReadPermissionFailsTheBatchNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  expectUnreadableFileFailsTheBatch([](const fs::path& file) {
    fs::permissions(file, fs::perms::none);
  });
}

}  // namespace
}  // namespace caudal
