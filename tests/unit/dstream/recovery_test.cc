// Recovery from checkpoints, in-process on the manual clock: a job is dropped after some
// batches (as a crash leaves it: no graceful stop) or fails in a batch, is rebuilt by
// getOrCreate from the same factory, and must produce per batch exactly what one run with no
// interruption produces. The out-of-process version, with kill -9, is tests/fault/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

namespace fs = std::filesystem;
using test::TempDirectory;
using ::testing::HasSubstr;

using WordCount64 = std::pair<std::string, int64_t>;

// What a job's outputs wrote, per batch time and output: the sorted lines of that batch. A
// batch that runs again replaces its lines, as saveAsTextFiles replaces its directory.
class Outputs {
 public:
  void write(int64_t time, const std::string& output, std::vector<std::string> lines) {
    std::sort(lines.begin(), lines.end());
    std::lock_guard lock(mutex_);
    by_time_[time][output] = std::move(lines);
  }
  std::map<int64_t, std::map<std::string, std::vector<std::string>>> get() const {
    std::lock_guard lock(mutex_);
    return by_time_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<int64_t, std::map<std::string, std::vector<std::string>>> by_time_;
};

template <class K, class V>
void record(const DStream<std::pair<K, V>>& stream, const std::string& name, std::shared_ptr<Outputs> outputs) {
  stream.foreachRDD([name, outputs](const RDD<std::pair<K, V>>& rdd, Time time) {
    std::vector<std::string> lines;
    for (const auto& [key, value] : rdd.collect()) lines.push_back(key + "=" + std::to_string(value));
    outputs->write(time.milliseconds(), name, std::move(lines));
  });
}

// Batch i (from 0) of the word data: words whose mix changes from batch to batch, so keys
// come, go (and time out) and come back.
std::vector<std::vector<std::string>> wordBatch(int i) {
  static const char* const kWords[] = {"uno", "dos", "tres", "cuatro", "cinco", "seis", "siete"};
  std::vector<std::vector<std::string>> partitions(2);
  for (int j = 0; j < 5 + (i * 7) % 6; ++j) {
    partitions[static_cast<size_t>(j % 2)].push_back(kWords[(i * 3 + j * j) % (2 + i % 6)]);
  }
  return partitions;
}

struct JobOptions {
  int batches_of_data = 14;
  Duration checkpoint_interval = Seconds(3);
  // Throws in the output of this batch time (ms) while `fail` is set.
  int64_t fail_at = -1;
  std::shared_ptr<std::atomic<bool>> fail = std::make_shared<std::atomic<bool>>(false);
};

// The job: running totals (updateStateByKey), a sliding window without inverse, one with an
// inverse and a filter, and counts that time out (mapWithState), over queued words.
StreamingContext wordJob(const std::string& directory, const std::shared_ptr<Outputs>& outputs,
                         const JobOptions& options) {
  StreamingContext ssc = test::makeContext();
  ssc.checkpoint(directory);
  std::vector<std::vector<std::vector<std::string>>> data;
  for (int i = 0; i < options.batches_of_data; ++i) data.push_back(wordBatch(i));
  auto words = ssc.queueStream(std::move(data)).map([](const std::string& w) { return WordCount64(w, 1); });
  auto sum = [](int64_t a, int64_t b) { return a + b; };
  auto totals = words.updateStateByKey([](const std::vector<int64_t>& values, std::optional<int64_t> total) {
    int64_t next = total.value_or(0);
    for (int64_t v : values) next += v;
    return next;
  });
  totals.checkpoint(options.checkpoint_interval);
  record(totals, "totals", outputs);
  record(words.reduceByKeyAndWindow(sum, Seconds(4), Seconds(2)), "sliding", outputs);
  record(words.reduceByKeyAndWindow(
             sum, [](int64_t a, int64_t b) { return a - b; }, Seconds(6), Seconds(2), 0,
             [](const WordCount64& entry) { return entry.second != 0; }),
         "inverse", outputs);
  auto spec = StateSpec::function([](const std::string& word, std::optional<int64_t> one, State<int64_t>& state) {
                if (state.isTimingOut()) return WordCount64(word + "-gone", state.get());
                state.update(state.getOption().value_or(0) + *one);
                return WordCount64(word, state.get());
              }).timeout(Seconds(3));
  auto counts = words.mapWithState(spec);
  record(counts, "mapped", outputs);
  record(counts.stateSnapshots(), "snapshots", outputs);
  int64_t fail_at = options.fail_at;
  auto fail = options.fail;
  words.foreachRDD([fail_at, fail](const RDD<WordCount64>&, Time time) {
    if (time.milliseconds() == fail_at && fail->load()) throw Error("injected failure");
  });
  return ssc;
}

using OutputLines = std::map<int64_t, std::map<std::string, std::vector<std::string>>>;

// The outputs of `batches` batches run without interruption.
OutputLines uninterrupted(int batches, const JobOptions& options = {}) {
  auto outputs = std::make_shared<Outputs>();
  StreamingContext ssc = wordJob(test::scratchDirectory().string(), outputs, options);
  ssc.runBatches(batches);
  ssc.stop();
  return outputs->get();
}

// Runs the job in `directory` through getOrCreate for `batches` new batches, then drops it as
// a crash would (no graceful stop).
void runAndCrash(const std::string& directory, const std::shared_ptr<Outputs>& outputs, int batches,
                 const JobOptions& options = {}) {
  StreamingContext ssc =
      StreamingContext::getOrCreate(directory, [&] { return wordJob(directory, outputs, options); });
  ssc.runBatches(batches);
}

std::vector<fs::path> filesIn(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Recovery, CrashAfterAnyBatchGivesTheOutputOfARunWithoutOne) {
  const int kBatches = 16;
  OutputLines expected = uninterrupted(kBatches);
  ASSERT_EQ(expected.size(), static_cast<size_t>(kBatches));
  for (int crash_after : {1, 2, 3, 4, 5, 7, 8, 11, 15}) {
    SCOPED_TRACE("crash after batch " + std::to_string(crash_after));
    std::string directory = test::scratchDirectory().string();
    auto outputs = std::make_shared<Outputs>();
    runAndCrash(directory, outputs, crash_after);
    runAndCrash(directory, outputs, kBatches - crash_after);
    EXPECT_EQ(outputs->get(), expected);
  }
}

TEST(Recovery, RepeatedCrashesAndRecoveriesStillAddUp) {
  const int kBatches = 20;
  OutputLines expected = uninterrupted(kBatches);
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  int done = 0;
  for (int step : {2, 1, 4, 3, 1, 5, 4}) {
    runAndCrash(directory, outputs, step);
    done += step;
  }
  ASSERT_EQ(done, kBatches);
  EXPECT_EQ(outputs->get(), expected);
}

TEST(Recovery, GracefulStopCheckpointsSoNothingRunsAgain) {
  OutputLines expected = uninterrupted(10);
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  {
    StreamingContext ssc = StreamingContext::getOrCreate(directory, [&] { return wordJob(directory, outputs, {}); });
    ssc.runBatches(5);  // checkpoints at 0 and 3 s; the stop saves 5 s
    ssc.stop();
  }
  EXPECT_EQ(filesIn(fs::path(directory) / "checkpoints").back().filename().string(),
            "checkpoint-00000000000000005000");
  runAndCrash(directory, outputs, 5);
  EXPECT_EQ(outputs->get(), expected);
}

TEST(Recovery, AFailedBatchRunsAgainAfterTheRestart) {
  OutputLines expected = uninterrupted(12);
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  JobOptions options;
  options.fail_at = 5000;
  options.fail->store(true);
  {
    StreamingContext ssc =
        StreamingContext::getOrCreate(directory, [&] { return wordJob(directory, outputs, options); });
    EXPECT_THROW(ssc.runBatches(12), BatchFailedError);
  }
  options.fail->store(false);
  // The failed batch ran halfway (its state steps, some outputs): the restart goes back to
  // the checkpoint of 3 s and runs 4 s and 5 s again.
  runAndCrash(directory, outputs, 7, options);
  EXPECT_EQ(outputs->get(), expected);
}

TEST(Recovery, ACorruptNewestCheckpointFallsBackToThePreviousOne) {
  OutputLines expected = uninterrupted(12);
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  runAndCrash(directory, outputs, 8);  // checkpoints at 0, 3 and 6 s
  auto checkpoints = filesIn(fs::path(directory) / "checkpoints");
  ASSERT_EQ(checkpoints.size(), 3u);
  ASSERT_EQ(checkpoints.back().filename().string(), "checkpoint-00000000000000006000");
  {
    std::fstream file(checkpoints.back(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(30);
    file.put('\x5a');
  }
  runAndCrash(directory, outputs, 4);
  EXPECT_EQ(outputs->get(), expected);
}

TEST(Recovery, AMissingStateFileFallsBackToThePreviousCheckpoint) {
  OutputLines expected = uninterrupted(12);
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  runAndCrash(directory, outputs, 8);
  int removed = 0;
  for (const auto& file : filesIn(fs::path(directory) / "state")) {
    if (file.filename().string().find("00000000000000006000") != std::string::npos) {
      fs::remove(file);
      ++removed;
    }
  }
  ASSERT_GT(removed, 0);
  runAndCrash(directory, outputs, 4);
  EXPECT_EQ(outputs->get(), expected);
}

TEST(Recovery, NoReadableCheckpointRefusesToStartAndNamesTheDirectory) {
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  runAndCrash(directory, outputs, 4);
  for (const auto& file : filesIn(fs::path(directory) / "checkpoints")) fs::resize_file(file, 10);
  try {
    runAndCrash(directory, outputs, 1);
    FAIL() << "recovered from unreadable checkpoints";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no checkpoint in '" + directory + "' can be read"));
    EXPECT_THAT(e.what(), HasSubstr("refusing to start from empty"));
  }
}

TEST(Recovery, AChangedGraphIsRefusedNamingTheFirstDifference) {
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  runAndCrash(directory, outputs, 2);
  auto changed = [&] {
    StreamingContext ssc = test::makeContext();
    ssc.checkpoint(directory);
    auto words = ssc.queueStream(std::vector<std::vector<std::vector<std::string>>>{})
                     .filter([](const std::string&) { return true; })
                     .map([](const std::string& w) { return WordCount64(w, 1); });
    words.print();
    return ssc;
  };
  try {
    StreamingContext::getOrCreate(directory, changed);
    FAIL() << "a different graph was accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not the job that wrote it: stream #1 is 'filter' (slide 1000 ms, parents #0) "
                                    "but was 'map' (slide 1000 ms, parents #0)"));
  }
  auto other_batch = [&] {
    StreamingContext ssc(Seconds(2), test::smallConfig());
    ssc.checkpoint(directory);
    ssc.queueStream(std::vector<std::vector<std::vector<std::string>>>{}).print();
    return ssc;
  };
  EXPECT_THROW(
      {
        try {
          StreamingContext::getOrCreate(directory, other_batch);
        } catch (const Error& e) {
          EXPECT_THAT(e.what(), HasSubstr("has a batch duration of 2000 ms but the checkpointed job had 1000 ms"));
          throw;
        }
      },
      Error);
}

TEST(Recovery, StatefulOperationsNeedACheckpointDirectory) {
  auto expectNeeds = [](const std::string& operation, auto define) {
    StreamingContext ssc = test::makeContext();
    auto pairs = ssc.queueStream(std::vector<std::vector<std::vector<WordCount64>>>{{{{"a", 1}}}});
    define(pairs).print();
    try {
      ssc.runBatches(1);
      ADD_FAILURE() << operation << " ran without a checkpoint directory";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(operation + " keeps state across batches and needs a checkpoint directory: "
                                                  "call checkpoint(dir)"));
    }
  };
  auto sum = [](int64_t a, int64_t b) { return a + b; };
  expectNeeds("updateStateByKey", [](const DStream<WordCount64>& s) {
    return s.updateStateByKey([](const std::vector<int64_t>&, std::optional<int64_t> t) { return t; });
  });
  expectNeeds("reduceByKeyAndWindow", [&](const DStream<WordCount64>& s) {
    return s.reduceByKeyAndWindow(sum, [](int64_t a, int64_t b) { return a - b; }, Seconds(2), Seconds(1));
  });
  expectNeeds("mapWithState", [](const DStream<WordCount64>& s) {
    return s.mapWithState(StateSpec::function([](const std::string& k, std::optional<int64_t>, State<int>&) {
      return WordCount64(k, 0);
    }));
  });
  // A window without inverse starts over empty, so it runs without one, as in Spark.
  StreamingContext ssc = test::makeContext();
  auto pairs = ssc.queueStream(std::vector<std::vector<std::vector<WordCount64>>>{{{{"a", 1}}}});
  auto windowed = test::recordBatches(pairs.reduceByKeyAndWindow(sum, Seconds(2), Seconds(1)));
  ssc.runBatches(2);
  EXPECT_EQ(windowed->sortedPerBatch(), (std::vector<std::vector<WordCount64>>{{{"a", 1}}, {{"a", 1}}}));
}

struct Opaque {
  int value = 0;
};

TEST(Recovery, AStateWithoutSerializerIsRefusedAtStartWithACheckpointDirectory) {
  StreamingContext ssc = test::makeCheckpointedContext();
  auto pairs = ssc.queueStream(std::vector<std::vector<std::vector<std::pair<std::string, int>>>>{});
  pairs.updateStateByKey([](const std::vector<int>&, std::optional<Opaque> s) { return s; }).foreachRDD([](const auto&) {});
  try {
    ssc.runBatches(1);
    FAIL() << "started with a state that cannot be saved";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("updateStateByKey: its key or state type has no caudal::Serializer"));
  }
}

TEST(Recovery, ANewJobRefusesADirectoryWithCheckpoints) {
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  runAndCrash(directory, outputs, 1);
  StreamingContext ssc = wordJob(directory, outputs, {});
  try {
    ssc.runBatches(1);
    FAIL() << "a new job started over the checkpoints of another";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("holds the checkpoints of an earlier run: resume it with "
                                    "StreamingContext::getOrCreate"));
  }
}

TEST(Recovery, WithoutCheckpointsGetOrCreateCallsTheFactoryOnce) {
  std::string directory = test::scratchDirectory().string();
  int calls = 0;
  auto outputs = std::make_shared<Outputs>();
  StreamingContext ssc = StreamingContext::getOrCreate(directory, [&] {
    ++calls;
    return wordJob(directory, outputs, {});
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(ssc.checkpointDirectory(), directory);
}

// updateStateByKey over many keys of which few change: checkpoints after the first are deltas
// much smaller than the snapshot, a snapshot comes again after some deltas, and the chain
// restores the same state.
TEST(Recovery, StateIsSavedAsDeltasBetweenSnapshots) {
  const int kKeys = 2000;
  auto job = [](const std::string& directory, const std::shared_ptr<Outputs>& outputs) {
    StreamingContext ssc = test::makeContext();
    ssc.checkpoint(directory);
    std::vector<std::vector<std::vector<WordCount64>>> data;
    std::vector<WordCount64> first;
    for (int k = 0; k < kKeys; ++k) first.emplace_back(test::tagged("key-", k), k);
    data.push_back({first});
    for (int i = 1; i < 30; ++i) data.push_back({{WordCount64(test::tagged("key-", i * 37 % kKeys), 1)}});
    auto totals = ssc.queueStream(std::move(data))
                      .updateStateByKey([](const std::vector<int64_t>& values, std::optional<int64_t> total) {
                        int64_t next = total.value_or(0);
                        for (int64_t v : values) next += v;
                        return next;
                      })
                      .checkpoint(Seconds(1));
    record(totals, "totals", outputs);
    return ssc;
  };
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  {
    StreamingContext ssc = StreamingContext::getOrCreate(directory, [&] { return job(directory, outputs); });
    ssc.runBatches(14);
  }
  // Checkpoints every second: a snapshot at 0 s (empty), a delta at 1 s holding every key,
  // which outweighs the snapshot, so a snapshot at 2 s; deltas 3..11 s (nine); a snapshot at
  // 12 s; deltas 13 and 14 s. Kept: the checkpoints of 12, 13 and 14 s and their files.
  fs::path state = fs::path(directory) / "state";
  for (int p = 0; p < 2; ++p) {
    std::string prefix = "s0-p" + std::to_string(p) + "-000000000000000";
    EXPECT_TRUE(fs::exists(state / (prefix + "12000.snapshot")));
    EXPECT_TRUE(fs::exists(state / (prefix + "13000.delta")));
    EXPECT_TRUE(fs::exists(state / (prefix + "14000.delta")));
    EXPECT_FALSE(fs::exists(state / (prefix + "02000.snapshot")));
    EXPECT_FALSE(fs::exists(state / (prefix + "11000.delta")));
    // One changed key against a thousand.
    EXPECT_LT(fs::file_size(state / (prefix + "14000.delta")) * 20, fs::file_size(state / (prefix + "12000.snapshot")));
  }

  auto reference = std::make_shared<Outputs>();
  {
    StreamingContext ssc = job(test::scratchDirectory().string(), reference);
    ssc.runBatches(20);
  }
  {
    StreamingContext ssc = StreamingContext::getOrCreate(directory, [&] { return job(directory, outputs); });
    ssc.runBatches(6);
  }
  EXPECT_EQ(outputs->get(), reference->get());
}

TEST(Recovery, OldFilesAreDeletedOnceNoKeptCheckpointNeedsThem) {
  std::string directory = test::scratchDirectory().string();
  auto outputs = std::make_shared<Outputs>();
  JobOptions options;
  options.checkpoint_interval = Seconds(1);
  options.batches_of_data = 40;
  {
    StreamingContext ssc =
        StreamingContext::getOrCreate(directory, [&] { return wordJob(directory, outputs, options); });
    ssc.runBatches(40);
  }
  auto checkpoints = filesIn(fs::path(directory) / "checkpoints");
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints.front().filename().string(), "checkpoint-00000000000000038000");
  // Chains are at most ten files long, so nothing before 28 s is needed by 38..40 s.
  for (const auto& file : filesIn(fs::path(directory) / "state")) {
    std::string name = file.filename().string();
    size_t time_at = name.rfind('-') + 1;
    EXPECT_GE(std::stoll(name.substr(time_at, 20)), 28000) << name;
  }
  EXPECT_EQ(filesIn(fs::path(directory) / "batches").size(), 1u);
}

// ---- textFileStream ---------------------------------------------------------------------------

StreamingContext fileJob(const std::string& checkpoint, const std::string& input,
                         const std::shared_ptr<Outputs>& outputs) {
  StreamingContext ssc = test::makeContext();
  ssc.checkpoint(checkpoint);
  auto words = ssc.textFileStream(input).map([](const std::string& w) { return WordCount64(w, 1); });
  auto totals = words.updateStateByKey([](const std::vector<int64_t>& values, std::optional<int64_t> total) {
    int64_t next = total.value_or(0);
    for (int64_t v : values) next += v;
    return next;
  });
  record(totals, "totals", outputs);
  record(words.reduceByKey([](int64_t a, int64_t b) { return a + b; }), "batch", outputs);
  return ssc;
}

// Moves file `i` of the input (a few words) into `input`, atomically.
void deliverFile(const TempDirectory& scratch, const fs::path& input, int i) {
  std::string content;
  for (int j = 0; j <= i % 4; ++j) content += test::tagged("w", (i + j) % 5) + "\n";
  fs::path staged = scratch.writeFile("staging/" + test::tagged("f", i), content);
  fs::rename(staged, input / test::tagged("f", i));
}

TEST(Recovery, TextFileStreamReadsEachFileOnceAcrossACrash) {
  TempDirectory scratch;
  auto run = [&](const std::string& name, const std::vector<int>& crashes_after) {
    fs::path input = scratch.makeDirectory(name + "-in");
    scratch.writeFile(name + "-in/old", "present before the start\n");  // new files only
    std::string checkpoint = (scratch / (name + "-checkpoint")).string();
    auto outputs = std::make_shared<Outputs>();
    std::optional<StreamingContext> ssc;
    auto open = [&] {
      ssc.emplace(StreamingContext::getOrCreate(checkpoint, [&] { return fileJob(checkpoint, input.string(), outputs); }));
    };
    open();
    for (int i = 0; i < 12; ++i) {
      deliverFile(scratch, input, i);
      if (std::find(crashes_after.begin(), crashes_after.end(), i) != crashes_after.end()) {
        ssc.reset();                     // a crash: file i arrives while the job is down
        deliverFile(scratch, input, 100 + i);
        open();
      }
      ssc->runBatches(1);
    }
    ssc.reset();
    return outputs->get();
  };
  OutputLines expected = run("reference", {});
  // The reference got the downtime files too, one batch later; do the same without crashes
  // by comparing final totals, and batch by batch where no crash intervened.
  OutputLines crashed = run("crashed", {2, 3, 7});
  ASSERT_FALSE(crashed.empty());
  std::map<std::string, int64_t> totals;
  for (const auto& line : crashed.rbegin()->second.at("totals")) {
    auto eq = line.find('=');
    totals[line.substr(0, eq)] = std::stoll(line.substr(eq + 1));
  }
  // f0 is in the directory when the job starts (its first runBatches): new files only skip it.
  std::map<std::string, int64_t> words;
  for (int i : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 102, 103, 107}) {
    for (int j = 0; j <= i % 4; ++j) ++words[test::tagged("w", (i + j) % 5)];
  }
  EXPECT_EQ(totals, words) << "every file read exactly once, the one present at the start never";
  EXPECT_EQ(crashed.at(1000), expected.at(1000));
  EXPECT_EQ(crashed.at(2000), expected.at(2000));
}

}  // namespace
}  // namespace caudal
