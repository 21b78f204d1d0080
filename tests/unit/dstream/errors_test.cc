// Misuse of the DStream API throws caudal::Error with a message a user can act on; a user
// function that throws fails its batch, stops the context, and surfaces from runBatches as
// caudal::BatchFailedError carrying the original exception.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using test::Batches;
using test::makeContext;
using test::recordBatches;

// ---- context and durations --------------------------------------------------------------------

TEST(ErrorsContext, NonPositiveBatchDuration) {
  EXPECT_THAT([] { StreamingContext ssc{Duration()}; },
              ThrowsMessage<Error>(HasSubstr("batch duration must be positive (got 0 ms)")));
  EXPECT_THAT([] { StreamingContext ssc{Milliseconds(-1000)}; },
              ThrowsMessage<Error>(HasSubstr("batch duration must be positive (got -1000 ms)")));
}

TEST(ErrorsContext, InvalidConfig) {
  EXPECT_THAT([] { StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = -1}); },
              ThrowsMessage<Error>(HasSubstr("numWorkerThreads")));
  EXPECT_THAT([] { StreamingContext ssc(Seconds(1), Config{.defaultParallelism = -2}); },
              ThrowsMessage<Error>(HasSubstr("defaultParallelism")));
  EXPECT_THAT([] { StreamingContext ssc(Seconds(1), Config{.blockInterval = Duration()}); },
              ThrowsMessage<Error>(HasSubstr("blockInterval must be positive")));
}

TEST(ErrorsContext, ZeroConfigValuesResolveToDefaults) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 3});
  EXPECT_EQ(ssc.config().numWorkerThreads, 3);
  EXPECT_EQ(ssc.config().defaultParallelism, 3);
  EXPECT_EQ(ssc.batchDuration(), Seconds(1));
  EXPECT_EQ(ssc.getState(), StreamingContextState::kInitialized);
}

TEST(ErrorsWindow, WindowNotAMultipleOfTheBatchDuration) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto in = ssc.queueStream(data);
  EXPECT_THAT([&] { in.window(Milliseconds(1500)); },
              ThrowsMessage<Error>(HasSubstr(
                  "window duration (1500 ms) must be a positive multiple of the stream's slide duration (1000 ms)")));
  EXPECT_THAT([&] { in.window(Duration()); }, ThrowsMessage<Error>(HasSubstr("window duration (0 ms)")));
  EXPECT_THAT([&] { in.window(Seconds(-2)); }, ThrowsMessage<Error>(HasSubstr("window duration (-2000 ms)")));
}

TEST(ErrorsWindow, SlideNotAMultipleOfTheBatchDuration) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto in = ssc.queueStream(data);
  EXPECT_THAT([&] { in.window(Seconds(4), Milliseconds(500)); },
              ThrowsMessage<Error>(HasSubstr(
                  "slide duration (500 ms) must be a positive multiple of the stream's slide duration (1000 ms)")));
  EXPECT_THAT([&] { in.window(Seconds(4), Duration()); },
              ThrowsMessage<Error>(HasSubstr("slide duration (0 ms) must be a positive multiple")));
}

TEST(ErrorsWindow, WindowOfAWindowMustUseTheOuterSlide) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto windowed = ssc.queueStream(data).window(Seconds(4), Seconds(2));
  EXPECT_THAT([&] { windowed.window(Seconds(3)); },
              ThrowsMessage<Error>(HasSubstr("slide duration (2000 ms)")));
  EXPECT_NO_THROW(windowed.window(Seconds(6), Seconds(4)));
}

TEST(ErrorsOperations, RepartitionToZero) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto in = ssc.queueStream(data);
  EXPECT_THAT([&] { in.repartition(0); },
              ThrowsMessage<Error>(HasSubstr("repartition: the number of partitions must be positive")));
}

TEST(ErrorsOperations, CombiningStreamsOfDifferentSlides) {
  auto ssc = makeContext();
  Batches<std::pair<int, int>> data = {{{{1, 1}}}};
  auto in = ssc.queueStream(data);
  auto windowed = in.window(Seconds(2), Seconds(2));
  EXPECT_THAT([&] { in.union_(windowed); },
              ThrowsMessage<Error>(HasSubstr("different slide durations (1000 ms and 2000 ms)")));
  EXPECT_THAT([&] { in.join(windowed); },
              ThrowsMessage<Error>(HasSubstr("join: the streams have different slide durations")));
}

TEST(ErrorsOperations, CombiningStreamsOfDifferentContexts) {
  auto ssc1 = makeContext();
  auto ssc2 = makeContext();
  Batches<int> data = {{{1}}};
  auto a = ssc1.queueStream(data);
  auto b = ssc2.queueStream(data);
  EXPECT_THAT([&] { a.union_(b); },
              ThrowsMessage<Error>(HasSubstr("cannot combine streams of different StreamingContexts")));
}

TEST(ErrorsOperations, EmptyListsOfStreams) {
  auto ssc = makeContext();
  EXPECT_THAT([&] { ssc.union_<int>({}); }, ThrowsMessage<Error>(HasSubstr("no streams given")));
  EXPECT_THAT([&] { ssc.transform<int>({}, [](const std::vector<RDD<int>>& rdds, Time) { return rdds[0]; }); },
              ThrowsMessage<Error>(HasSubstr("no streams given")));
}

// ---- lifecycle ------------------------------------------------------------------------------------

TEST(ErrorsLifecycle, DefiningAfterRunBatchesStarted) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto in = ssc.queueStream(data);
  in.foreachRDD([](const RDD<int>&) {});
  ssc.runBatches(1);
  EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
  const std::string rule = "streams and outputs must be defined before the context starts";
  EXPECT_THAT([&] { in.map([](int x) { return x; }); }, ThrowsMessage<Error>(HasSubstr("map: " + rule)));
  EXPECT_THAT([&] { in.window(Seconds(2)); }, ThrowsMessage<Error>(HasSubstr("window: " + rule)));
  EXPECT_THAT([&] { in.foreachRDD([](const RDD<int>&) {}); },
              ThrowsMessage<Error>(HasSubstr("foreachRDD: " + rule)));
  EXPECT_THAT([&] { in.print(); }, ThrowsMessage<Error>(HasSubstr("print: " + rule)));
  EXPECT_THAT([&] { ssc.queueStream(data); }, ThrowsMessage<Error>(HasSubstr("queueStream: " + rule)));
  // The context still runs what was defined.
  EXPECT_NO_THROW(ssc.runBatches(1));
}

TEST(ErrorsLifecycle, StartWithoutAnyOutput) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  ssc.queueStream(data).map([](int x) { return x + 1; });
  EXPECT_THAT([&] { ssc.start(); }, ThrowsMessage<Error>(HasSubstr("no output operations registered")));
  EXPECT_THAT([&] { ssc.runBatches(1); }, ThrowsMessage<Error>(HasSubstr("no output operations registered")));
  EXPECT_EQ(ssc.getState(), StreamingContextState::kInitialized);
}

TEST(ErrorsLifecycle, RunBatchesAfterStop) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  auto log = recordBatches(ssc.queueStream(data));
  ssc.runBatches(1);
  ssc.stop();
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_THAT([&] { ssc.runBatches(1); }, ThrowsMessage<Error>(HasSubstr("runBatches: the context is stopped")));
  EXPECT_THAT([&] { ssc.start(); }, ThrowsMessage<Error>(HasSubstr("start")));
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000}));
  EXPECT_NO_THROW(ssc.stop());  // idempotent
}

TEST(ErrorsLifecycle, StopBeforeRunning) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  recordBatches(ssc.queueStream(data));
  ssc.stop();
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_THAT([&] { ssc.runBatches(1); }, ThrowsMessage<Error>(HasSubstr("the context is stopped")));
}

TEST(ErrorsLifecycle, NegativeRunBatches) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  recordBatches(ssc.queueStream(data));
  EXPECT_THAT([&] { ssc.runBatches(-1); }, ThrowsMessage<Error>(HasSubstr("must not be negative")));
}

TEST(ErrorsLifecycle, StartAfterRunBatches) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  recordBatches(ssc.queueStream(data));
  ssc.runBatches(1);
  EXPECT_THAT([&] { ssc.start(); }, ThrowsMessage<Error>(HasSubstr("driven by runBatches()")));
}

// ---- failing user functions -------------------------------------------------------------------------

struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs `n` batches, expecting one to fail; returns the error.
BatchFailedError runExpectingFailure(StreamingContext& ssc, int n) {
  try {
    ssc.runBatches(n);
  } catch (const BatchFailedError& e) {
    return e;
  }
  ADD_FAILURE() << "runBatches did not throw BatchFailedError";
  return BatchFailedError(Time(), "", nullptr);
}

// The UserError's message of a failed batch's cause ("" if it is not one).
std::string userErrorMessage(const std::exception_ptr& cause) { return test::messageOf<UserError>(cause); }

TEST(ErrorsBatchFailure, ThrowInAMapFunctionOnAWorker) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {3}}, {{4}, {}, {13, 5}}, {{6}}};
  auto mapped = ssc.queueStream(data).map([](int x) {
    if (x == 13) throw UserError("unlucky record 13");
    return x;
  });
  auto log = recordBatches(mapped);
  BatchFailedError error = runExpectingFailure(ssc, 5);

  EXPECT_EQ(error.batchTime(), Time(2000));
  EXPECT_THAT(error.what(), HasSubstr("batch at 2000 ms failed: unlucky record 13"));
  ASSERT_NE(error.cause(), nullptr);
  EXPECT_THROW(std::rethrow_exception(error.cause()), UserError);
  EXPECT_EQ(userErrorMessage(error.cause()), "unlucky record 13");
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000}));  // batch 3 never ran

  std::vector<BatchInfo> batches = ssc.completedBatches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].batchTime, Time(1000));
  EXPECT_EQ(batches[0].numRecords, 3);
  EXPECT_FALSE(batches[0].failed);
  EXPECT_EQ(batches[0].failureReason, "");
  EXPECT_EQ(batches[1].batchTime, Time(2000));
  EXPECT_EQ(batches[1].numRecords, 3);
  EXPECT_TRUE(batches[1].failed);
  EXPECT_THAT(batches[1].failureReason, HasSubstr("unlucky record 13"));

  EXPECT_THAT([&] { ssc.runBatches(1); }, ThrowsMessage<Error>(HasSubstr("stopped")));
}

TEST(ErrorsBatchFailure, ThrowInAShuffleMapSide) {
  auto ssc = makeContext();
  Batches<std::pair<int, int>> data = {{{{1, 1}}, {{2, -1}}}};
  auto sums = ssc.queueStream(data)
                  .mapValues([](int v) {
                    if (v < 0) throw UserError("negative value");
                    return v;
                  })
                  .reduceByKey([](int a, int b) { return a + b; });
  recordBatches(sums);
  BatchFailedError error = runExpectingFailure(ssc, 2);
  EXPECT_EQ(error.batchTime(), Time(1000));
  EXPECT_EQ(userErrorMessage(error.cause()), "negative value");
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
}

TEST(ErrorsBatchFailure, ThrowInForeachRDD) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}, {{2}}, {{3}}};
  std::vector<int64_t> seen;
  ssc.queueStream(data).foreachRDD([&](const RDD<int>& rdd, Time time) {
    if (time == Time(3000)) throw UserError("sink is down");
    seen.push_back(rdd.count());
  });
  BatchFailedError error = runExpectingFailure(ssc, 4);
  EXPECT_EQ(error.batchTime(), Time(3000));
  EXPECT_EQ(userErrorMessage(error.cause()), "sink is down");
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 1}));
  std::vector<BatchInfo> batches = ssc.completedBatches();
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_FALSE(batches[0].failed);
  EXPECT_FALSE(batches[1].failed);
  EXPECT_TRUE(batches[2].failed);
  EXPECT_EQ(batches[2].numRecords, 1);
}

TEST(ErrorsBatchFailure, ThrowInTransformWhileGeneratingTheBatch) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}, {{2}}};
  auto transformed = ssc.queueStream(data).transform([](const RDD<int>& rdd, Time time) {
    if (time == Time(2000)) throw UserError("cannot transform");
    return rdd;
  });
  auto log = recordBatches(transformed);
  BatchFailedError error = runExpectingFailure(ssc, 3);
  EXPECT_EQ(error.batchTime(), Time(2000));
  EXPECT_EQ(userErrorMessage(error.cause()), "cannot transform");
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000}));
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  std::vector<BatchInfo> batches = ssc.completedBatches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_TRUE(batches[1].failed);
}

TEST(ErrorsBatchFailure, NonStandardException) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}};
  ssc.queueStream(data).foreachRDD([](const RDD<int>&) { throw 42; });
  BatchFailedError error = runExpectingFailure(ssc, 1);
  EXPECT_EQ(error.batchTime(), Time(1000));
  EXPECT_THAT(error.what(), HasSubstr("not a std::exception"));
  EXPECT_THROW(std::rethrow_exception(error.cause()), int);
}

TEST(ErrorsBatchFailure, CompletedBatchesRecordQueueRecordCounts) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}, {{}, {}}, {{4}}};
  recordBatches(ssc.queueStream(data));
  ssc.runBatches(4);
  std::vector<BatchInfo> batches = ssc.completedBatches();
  ASSERT_EQ(batches.size(), 4u);
  std::vector<int64_t> records;
  for (const BatchInfo& info : batches) {
    records.push_back(info.numRecords);
    EXPECT_FALSE(info.failed);
  }
  EXPECT_EQ(records, (std::vector<int64_t>{3, 0, 1, 0}));
  EXPECT_EQ(batches[3].batchTime, Time(4000));
}

TEST(ErrorsBatchFailure, RetainedBatchesKeepsTheNewest) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 1, .retainedBatches = 2});
  Batches<int> data = {{{1}}};
  recordBatches(ssc.queueStream(data));
  ssc.runBatches(3);
  std::vector<BatchInfo> batches = ssc.completedBatches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0].batchTime, Time(2000));
  EXPECT_EQ(batches[1].batchTime, Time(3000));
}

}  // namespace
}  // namespace caudal
