// The StreamingContext lifecycle on its real threads: batch clock, job thread, stop, failures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"
#include "integration/wait_until.h"
#include "support/socket_server.h"

namespace caudal {
namespace {

using test::smallConfig;

using ::testing::HasSubstr;
using test::waitUntil;

// Runs `f` on a thread of its own and waits up to `timeout` for it to return: false if it did
// not (a hang; the thread is then left behind, detached, so the test can fail instead of
// hanging). Exceptions from `f` are rethrown.
bool finishesWithin(std::function<void()> f,
                    std::chrono::milliseconds timeout = test::kWaitTimeout) {
  auto task = std::make_shared<std::packaged_task<void()>>(std::move(f));
  std::future<void> done = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  if (done.wait_for(timeout) != std::future_status::ready) return false;
  done.get();
  return true;
}

void sleepFor(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Checks what every real-time batch history must satisfy: batch times on the batch grid,
// one batch duration apart (none skipped), and each batch submitted no earlier than its
// time, started after it was submitted and ended after it started.
void expectContiguousBatches(const std::vector<BatchInfo>& history, Duration batch) {
  for (size_t i = 0; i < history.size(); ++i) {
    const BatchInfo& info = history[i];
    EXPECT_TRUE(info.batchTime.isMultipleOf(batch)) << info.batchTime.toString();
    if (i > 0) {
      EXPECT_EQ(info.batchTime - history[i - 1].batchTime, batch) << "batch " << i;
    }
    EXPECT_GE(info.submissionTime, info.batchTime);
    EXPECT_GE(info.schedulingDelay(), Duration());
    EXPECT_GE(info.processingDelay(), Duration());
  }
}

TEST(LifecycleTest, StartRunsBatchesInRealTimeAndRecordsThem) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::vector<RDD<int>> queue = {ssc.parallelize<int>({1, 2, 3}, 2),
                                 ssc.parallelize<int>({4, 5, 6, 7, 8}, 3),
                                 ssc.parallelize<int>({9, 10}, 1)};
  std::mutex mutex;
  std::vector<std::pair<Time, int64_t>> seen;  // guarded by mutex
  ssc.queueStream(queue).foreachRDD([&](const RDD<int>& rdd, Time time) {
    int64_t count = rdd.count();
    std::lock_guard lock(mutex);
    seen.emplace_back(time, count);
  });

  EXPECT_EQ(ssc.getState(), StreamingContextState::kInitialized);
  ssc.start();
  EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
  EXPECT_FALSE(ssc.awaitTerminationOrTimeout(Milliseconds(20)));
  ASSERT_TRUE(waitUntil([&] { return ssc.completedBatches().size() >= 6; }));
  ssc.stop();
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_TRUE(ssc.awaitTerminationOrTimeout(Milliseconds(20)));

  auto history = ssc.completedBatches();
  ASSERT_GE(history.size(), 6u);
  expectContiguousBatches(history, Milliseconds(100));
  std::vector<int64_t> records;
  for (const BatchInfo& info : history) {
    EXPECT_FALSE(info.failed) << info.failureReason;
    records.push_back(info.numRecords);
  }
  EXPECT_EQ(std::vector<int64_t>(records.begin(), records.begin() + 4),
            (std::vector<int64_t>{3, 5, 2, 0}));

  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), history.size()) << "every batch ran its output once";
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].first, history[i].batchTime);
    EXPECT_EQ(seen[i].second, history[i].numRecords);
  }
}

TEST(LifecycleTest, SlowBatchDelaysLaterOnesWhichStillRunInOrderWithNoTimeSkipped) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::mutex mutex;
  std::vector<Time> ran;  // guarded by mutex
  ssc.queueStream<int>({{{1}}}).foreachRDD([&](const RDD<int>&, Time time) {
    bool first;
    {
      std::lock_guard lock(mutex);
      first = ran.empty();
      ran.push_back(time);
    }
    if (first) sleepFor(300);  // three batch intervals
  });
  ssc.start();
  ASSERT_TRUE(waitUntil([&] { return ssc.completedBatches().size() >= 6; }));
  ssc.stop();

  auto history = ssc.completedBatches();
  expectContiguousBatches(history, Milliseconds(100));
  Duration longest_wait;
  for (const BatchInfo& info : history) longest_wait = std::max(longest_wait, info.schedulingDelay());
  EXPECT_GT(longest_wait, Duration()) << "the batches behind the slow one queued";
  EXPECT_GE(history.front().processingDelay(), Milliseconds(300));

  std::lock_guard lock(mutex);
  ASSERT_EQ(ran.size(), history.size());
  for (size_t i = 0; i < ran.size(); ++i) EXPECT_EQ(ran[i], history[i].batchTime);
}

TEST(LifecycleTest, ThrowingUserFunctionStopsTheContextAndAwaitTerminationRethrows) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::atomic<int> calls{0};
  std::atomic<int64_t> failing_time{-1};
  ssc.queueStream<int>({{{1}}}).foreachRDD([&](const RDD<int>&, Time time) {
    if (++calls == 3) {
      failing_time = time.milliseconds();
      throw std::runtime_error("boom at " + time.toString());
    }
  });
  ssc.start();
  ASSERT_TRUE(waitUntil([&] { return ssc.getState() == StreamingContextState::kStopped; }))
      << "a failed batch must stop the context";

  bool threw = false;
  ASSERT_TRUE(finishesWithin([&] {
    try {
      ssc.awaitTermination();
    } catch (const BatchFailedError& e) {
      threw = true;
      EXPECT_EQ(e.batchTime(), Time(failing_time.load()));
      EXPECT_THAT(e.what(), HasSubstr("boom at " + e.batchTime().toString()));
      EXPECT_THAT(e.what(), HasSubstr(e.batchTime().toString()));
      try {
        std::rethrow_exception(e.cause());
      } catch (const std::runtime_error& cause) {
        EXPECT_THAT(cause.what(), HasSubstr("boom"));
      }
    }
  })) << "awaitTermination hung";
  EXPECT_TRUE(threw);
  EXPECT_THROW(ssc.awaitTerminationOrTimeout(Milliseconds(10)), BatchFailedError);
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_NO_THROW(ssc.stop()) << "stop is idempotent";

  auto history = ssc.completedBatches();
  ASSERT_EQ(history.size(), 3u) << "no batch runs after the failed one";
  EXPECT_TRUE(history.back().failed);
  EXPECT_EQ(history.back().batchTime, Time(failing_time.load()));
  EXPECT_THAT(history.back().failureReason, HasSubstr("boom"));
  EXPECT_EQ(calls.load(), 3);
}

TEST(LifecycleTest, StopCalledInsideForeachRddStopsAfterThatBatch) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::atomic<int> calls{0};
  ssc.queueStream<int>({{{1}}}).foreachRDD([&](const RDD<int>&) {
    if (++calls == 2) {
      ssc.stop();
      EXPECT_EQ(ssc.getState(), StreamingContextState::kActive) << "only requested";
    }
  });
  ssc.start();
  ASSERT_TRUE(waitUntil([&] { return ssc.getState() == StreamingContextState::kStopped; }))
      << "stop() from a job deadlocked or was ignored";
  ASSERT_TRUE(finishesWithin([&] { ssc.awaitTermination(); }));
  auto history = ssc.completedBatches();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_FALSE(history.back().failed);
  EXPECT_EQ(calls.load(), 2);
  ssc.stop();  // and again from outside: nothing left to do
}

TEST(LifecycleTest, StopCalledInsideForeachRddUnderRunBatchesStopsAfterThatBatch) {
  StreamingContext ssc(Seconds(1), smallConfig());
  std::atomic<int> calls{0};
  ssc.queueStream<int>({{{1}}}).foreachRDD([&](const RDD<int>&) {
    if (++calls == 2) ssc.stop();
  });
  ASSERT_TRUE(finishesWithin([&] { ssc.runBatches(5); }));
  EXPECT_EQ(calls.load(), 2) << "the batches after the one that called stop() must not run";
  EXPECT_EQ(ssc.completedBatches().size(), 2u);
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_THROW(ssc.runBatches(1), Error);
}

TEST(LifecycleTest, StopWithoutGraceReturnsAfterTheRunningBatchDroppingQueuedOnes) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::atomic<int> generated{0};
  std::atomic<int> started{0};
  ssc.queueStream<int>({{{1}}})
      .transform([&](const RDD<int>& rdd) {  // runs when the batch is generated
        ++generated;
        return rdd;
      })
      .foreachRDD([&](const RDD<int>&) {
        ++started;
        sleepFor(300);
      });
  ssc.start();
  // At least two batches wait behind the running one.
  ASSERT_TRUE(waitUntil([&] { return generated.load() >= started.load() + 3; }));
  ASSERT_TRUE(finishesWithin([&] { ssc.stop(false); })) << "stop(false) hung";
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  int generated_at_stop = generated.load();
  EXPECT_LT(started.load(), generated_at_stop) << "queued batches were run instead of dropped";
  EXPECT_EQ(ssc.completedBatches().size(), static_cast<size_t>(started.load()))
      << "the running batch finished and was recorded";
  EXPECT_EQ(generated.load(), generated_at_stop) << "the clock stopped";
}

TEST(LifecycleTest, GracefulStopRunsTheQueuedBatches) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  std::atomic<int> generated{0};
  std::atomic<int> finished{0};
  ssc.queueStream<int>({{{1}}})
      .transform([&](const RDD<int>& rdd) {
        ++generated;
        return rdd;
      })
      .foreachRDD([&](const RDD<int>&) {
        sleepFor(150);
        ++finished;
      });
  ssc.start();
  ASSERT_TRUE(waitUntil([&] { return generated.load() >= finished.load() + 3; }));
  ASSERT_TRUE(finishesWithin([&] { ssc.stop(true); }));
  EXPECT_EQ(finished.load(), generated.load()) << "every generated batch ran";
  expectContiguousBatches(ssc.completedBatches(), Milliseconds(100));
}

TEST(LifecycleTest, MisuseOfTheLifecycleThrows) {
  {
    StreamingContext ssc(Milliseconds(100), smallConfig());
    ssc.queueStream<int>({{{1}}}).foreachRDD([](const RDD<int>&) {});
    ssc.start();
    EXPECT_THROW(ssc.start(), Error) << "start() twice";
    EXPECT_THROW(ssc.runBatches(1), Error) << "runBatches after start";
    EXPECT_THROW(ssc.queueStream<int>({{{2}}}), Error) << "a source after start";
    ssc.stop();
    EXPECT_THROW(ssc.start(), Error) << "start after stop";
    EXPECT_THROW(ssc.runBatches(1), Error) << "runBatches after stop";
  }
  {
    StreamingContext ssc(Milliseconds(100), smallConfig());
    ssc.queueStream<int>({{{1}}}).foreachRDD([](const RDD<int>&) {});
    ssc.runBatches(1);
    EXPECT_THROW(ssc.start(), Error) << "start after runBatches";
    EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
    ssc.runBatches(1);
    EXPECT_EQ(ssc.completedBatches().size(), 2u);
  }
  {
    StreamingContext ssc(Milliseconds(100), smallConfig());
    ssc.queueStream<int>({{{1}}});
    try {
      ssc.start();
      ADD_FAILURE() << "start without an output operation";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("output"));
    }
  }
  EXPECT_THROW(StreamingContext(Milliseconds(0)), Error);
  EXPECT_THROW(StreamingContext(Milliseconds(-100)), Error);
}

TEST(LifecycleTest, DestroyingAnActiveContextWithoutStopNeitherHangsNorCrashes) {
  std::atomic<int> calls{0};
  ASSERT_TRUE(finishesWithin([&] {
    StreamingContext ssc(Milliseconds(50), smallConfig());
    ssc.queueStream<int>({{{1, 2, 3}}})
        .map([](int x) { return x * 2; })
        .foreachRDD([&](const RDD<int>& rdd) {
          rdd.collect();
          ++calls;
          sleepFor(120);  // batches queue behind this one
        });
    ssc.start();
    ASSERT_TRUE(waitUntil([&] { return calls.load() >= 2; }));
  })) << "the destructor hung";

  // With a receiver that is retrying a refused connection, and one that is connected.
  test::SocketServer server;
  int port = server.listen();
  ASSERT_TRUE(finishesWithin([&] {
    StreamingContext ssc(Milliseconds(50), smallConfig());
    ssc.socketTextStream("127.0.0.1", port).foreachRDD([](const RDD<std::string>& rdd) {
      rdd.collect();
    });
    ssc.socketTextStream("127.0.0.1", 1).count().foreachRDD([](const RDD<int64_t>&) {});
    ssc.start();
    ASSERT_TRUE(server.accept());
    server.sendLine("hello");
    ASSERT_TRUE(waitUntil([&] { return ssc.completedBatches().size() >= 2; }));
  })) << "the destructor hung";

  // Driven by runBatches, and never started.
  ASSERT_TRUE(finishesWithin([&] {
    StreamingContext ssc(Milliseconds(50), smallConfig());
    ssc.queueStream<int>({{{1}}}).foreachRDD([](const RDD<int>&) {});
    ssc.runBatches(2);
  }));
  ASSERT_TRUE(finishesWithin([&] {
    StreamingContext ssc(Milliseconds(50), smallConfig());
    ssc.queueStream<int>({{{1}}}).foreachRDD([](const RDD<int>&) {});
  }));
}

// The exact print()/pprint() block, as Spark Streaming prints it.
std::string block(int64_t ms, const std::vector<std::string>& lines, bool more) {
  std::string text = "-------------------------------------------\nTime: " + std::to_string(ms) +
                     " ms\n-------------------------------------------\n";
  for (const std::string& line : lines) text += line + "\n";
  if (more) text += "...\n";
  return text + "\n";
}

TEST(LifecycleTest, PrintWritesSparksBlockToStandardOutput) {
  StreamingContext ssc(Seconds(1), smallConfig());
  std::vector<std::vector<std::vector<int>>> batches = {
      {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}},  // more than 10: "..."
      {{1, 2, 3, 4, 5}, {}, {6, 7, 8, 9, 10}},         // exactly 10: no "..."
  };
  ssc.queueStream(batches).print();
  ::testing::internal::CaptureStdout();
  ssc.runBatches(3);  // the third batch is empty
  std::string output = ::testing::internal::GetCapturedStdout();

  std::vector<std::string> first_ten = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};
  EXPECT_EQ(output, block(1000, first_ten, true) + block(2000, first_ten, false) +
                        block(3000, {}, false));
  EXPECT_EQ(block(1000, {"1"}, true),
            "-------------------------------------------\nTime: 1000 ms\n"
            "-------------------------------------------\n1\n...\n\n");
}

TEST(LifecycleTest, PprintFormatsRecordsAndHonoursItsCount) {
  StreamingContext ssc(Milliseconds(500), smallConfig());
  using Pair = std::pair<std::string, int>;
  std::vector<std::vector<std::vector<Pair>>> batches = {{{{"a", 1}, {"b", 2}}, {{"c", 3}, {"d", 4}}},
                                                         {{{"e", 5}, {"f", 6}, {"g", 7}}}};
  ssc.queueStream(batches).pprint(3);
  ::testing::internal::CaptureStdout();
  ssc.runBatches(2);
  std::string output = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(output, block(500, {"(a,1)", "(b,2)", "(c,3)"}, true) +
                        block(1000, {"(e,5)", "(f,6)", "(g,7)"}, false));
}

}  // namespace
}  // namespace caudal
