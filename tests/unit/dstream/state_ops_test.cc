// updateStateByKey and mapWithState, batch by batch, against hand-computed outputs (1 s batches
// on the manual clock, so batch k runs at k s), then against a std::map oracle with several
// worker counts and partition counts. The state's partitions are read in parallel, so state
// streams and user-function calls are compared sorted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "caudal/detail/stable_hash.h"
#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using test::tagged;

using test::Batches;
using test::makeCheckpointedContext;
using test::Partitions;
using test::recordBatches;
using test::sorted;
using ::testing::HasSubstr;

using IntPair = std::pair<int, int>;
using StringInt = std::pair<std::string, int>;
using StringPair = std::pair<std::string, std::string>;
using Ints = std::vector<int>;

template <class T>
using PerBatch = std::vector<std::vector<T>>;

// The calls a user function received, filled from the worker threads that run the state's
// partitions (so the order between partitions is not defined: compare sorted).
template <class Call>
class CallLog {
 public:
  void add(Call call) {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }

  // The calls since the last `take`, sorted.
  std::vector<Call> take() {
    std::lock_guard lock(mutex_);
    std::vector<Call> taken = std::move(calls_);
    calls_.clear();
    std::sort(taken.begin(), taken.end());
    return taken;
  }

 private:
  std::mutex mutex_;
  std::vector<Call> calls_;
};

// A failed batch's cause's message if it is a caudal::Error.
std::string errorMessage(const std::exception_ptr& cause) { return test::messageOf<Error>(cause); }

// ---- updateStateByKey ---------------------------------------------------------------------------

// The seeds' data for updateStateByKey: (year, temperature), three batches.
Batches<IntPair> seedsYears() {
  return {
      {{{1999, 7}, {1999, 5}, {1999, 10}}, {{1999, 4}, {2000, 3}, {1999, 6}}},
      {{{2000, 10}, {2001, 3}, {1999, 5}}, {{1999, 20}}},
      {{{1999, 1}, {1999, 2}, {1999, 3}}},
  };
}

// The seeds' update function: the largest value seen for the key so far.
std::optional<int> seedsMaxSoFar(const std::vector<int>& new_values, std::optional<int> state) {
  int max = state.value_or(std::numeric_limits<int>::min());
  for (int value : new_values) max = std::max(max, value);
  return max;
}

TEST(UpdateStateByKey, SeedsMaxPerYear) {
  auto ssc = makeCheckpointedContext();
  auto maxima = ssc.queueStream(seedsYears()).updateStateByKey(seedsMaxSoFar);
  static_assert(std::is_same_v<decltype(maxima), DStream<IntPair>>);
  auto log = recordBatches(maxima);
  ssc.runBatches(4);
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000, 2000, 3000, 4000}));
  EXPECT_EQ(log->sortedPerBatch(), (PerBatch<IntPair>{
                                       {{1999, 10}, {2000, 3}},              // max(7,5,10,4,6)
                                       {{1999, 20}, {2000, 10}, {2001, 3}},  // max(10,5,20)
                                       {{1999, 20}, {2000, 10}, {2001, 3}},  // 1, 2, 3 < 20
                                       {{1999, 20}, {2000, 10}, {2001, 3}},  // queue empty
                                   }));
}

TEST(UpdateStateByKey, CallsFForEveryKeyWithStateEveryBatchAndNulloptRemoves) {
  // Each key's state is its sum; a batch without values for the key takes 1 off, and at 0 the
  // key is removed.
  CallLog<std::pair<Ints, std::optional<int>>> calls;
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 2}}, {{"b", 1}}}, {{}, {{"c", 1}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(
      [&calls](const Ints& values, std::optional<int> state) -> std::optional<int> {
        calls.add({values, state});
        int sum = state.value_or(0);
        for (int v : values) sum += v;
        if (values.empty()) --sum;
        if (sum <= 0) return std::nullopt;
        return sum;
      });
  auto log = recordBatches(sums);

  using Calls = std::vector<std::pair<Ints, std::optional<int>>>;
  ssc.runBatches(1);
  EXPECT_EQ(calls.take(), (Calls{{{1}, std::nullopt}, {{2}, std::nullopt}}));
  ssc.runBatches(1);
  // c is new; a (2) and b (1) have no values: a -> 1, b -> 0, removed.
  EXPECT_EQ(calls.take(), (Calls{{{}, 1}, {{}, 2}, {{1}, std::nullopt}}));
  ssc.runBatches(1);
  EXPECT_EQ(calls.take(), (Calls{{{}, 1}, {{}, 1}}));  // a and c, both to 0
  ssc.runBatches(1);
  EXPECT_EQ(calls.take(), Calls{});  // no key has state any more

  EXPECT_EQ(log->sortedPerBatch(),
            (PerBatch<StringInt>{{{"a", 2}, {"b", 1}}, {{"a", 1}, {"c", 1}}, {}, {}}));
}

TEST(UpdateStateByKey, FMayReturnTheStateItself) {
  // Returning S rather than std::optional<S>: every key keeps a state.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}, {"b", 1}}, {{"a", 1}}}, {{{"b", 1}}}};
  auto counts = ssc.queueStream(data).updateStateByKey(
      [](const Ints& values, std::optional<int64_t> state) {
        return state.value_or(0) + static_cast<int64_t>(values.size());
      });
  static_assert(std::is_same_v<decltype(counts), DStream<std::pair<std::string, int64_t>>>);
  auto log = recordBatches(counts);
  ssc.runBatches(3);
  using Counts = PerBatch<std::pair<std::string, int64_t>>;
  EXPECT_EQ(log->sortedPerBatch(),
            (Counts{{{"a", 2}, {"b", 1}}, {{"a", 2}, {"b", 2}}, {{"a", 2}, {"b", 2}}}));
}

TEST(UpdateStateByKey, StateHasTheRequestedPartitionsSplitByKey) {
  auto ssc = makeCheckpointedContext(2, 2);
  std::vector<StringInt> records;
  for (int i = 0; i < 30; ++i) records.emplace_back(tagged("key", i % 15), 1);
  Batches<StringInt> data = {{records}};
  auto counts = ssc.queueStream(data).updateStateByKey(
      [](const Ints& values, std::optional<int> state) {
        return state.value_or(0) + static_cast<int>(values.size());
      },
      3);
  auto log = recordBatches(counts);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  for (size_t b = 0; b < log->batches.size(); ++b) {
    SCOPED_TRACE("batch " + std::to_string(b + 1));
    const Partitions<StringInt>& partitions = log->batches[b];
    ASSERT_EQ(partitions.size(), 3u);
    for (size_t p = 0; p < partitions.size(); ++p) {
      for (const auto& [key, count] : partitions[p])
        EXPECT_EQ(detail::partitionOf(key, 3), p) << key;
    }
    std::vector<StringInt> expected;
    for (int i = 0; i < 15; ++i) expected.emplace_back(tagged("key", i), 2);  // i and i + 15
    EXPECT_EQ(log->sortedRecords(b), sorted(expected));
  }
}

TEST(UpdateStateByKey, InitialStateKeysRunFromTheFirstBatch) {
  // State: (sum, batches seen). z is only in the initial state: f still runs on it every batch.
  using Sum = std::pair<int, int>;
  using KeySum = std::pair<std::string, Sum>;
  auto ssc = makeCheckpointedContext();
  auto initial = ssc.fromPartitions<KeySum>({{{"a", {10, 0}}}, {}, {{"z", {5, 0}}}});
  Batches<StringInt> data = {{{{"a", 1}, {"b", 2}}}, {{{"b", 3}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(
      [](const Ints& values, std::optional<Sum> state) {
        Sum next = state.value_or(Sum{0, 0});
        for (int v : values) next.first += v;
        ++next.second;
        return std::optional<Sum>(next);
      },
      2, initial);
  auto log = recordBatches(sums);
  ssc.runBatches(3);
  EXPECT_EQ(log->sortedPerBatch(), (PerBatch<KeySum>{
                                       {{"a", {11, 1}}, {"b", {2, 1}}, {"z", {5, 1}}},
                                       {{"a", {11, 2}}, {"b", {5, 2}}, {"z", {5, 2}}},
                                       {{"a", {11, 3}}, {"b", {5, 3}}, {"z", {5, 3}}},
                                   }));
}

TEST(UpdateStateByKey, StatefulNetworkWordCount) {
  // Spark's StatefulNetworkWordCount: a running count per word, starting from hello and world.
  auto ssc = makeCheckpointedContext();
  auto initial = ssc.parallelize(std::vector<StringInt>{{"hello", 1}, {"world", 1}});
  Batches<std::string> lines = {
      {{"hello world", "hello"}, {"caudal"}},
      {{"world world"}},
      {{}, {"hello caudal streams"}},
  };
  auto counts = ssc.queueStream(lines)
                    .flatMap([](const std::string& line) { return split(line, ' '); })
                    .map([](std::string word) { return StringInt(std::move(word), 1); })
                    .updateStateByKey(
                        [](const Ints& ones, std::optional<int> count) {
                          return count.value_or(0) + static_cast<int>(ones.size());
                        },
                        0, initial);
  auto log = recordBatches(counts);
  ssc.runBatches(4);
  EXPECT_EQ(log->sortedPerBatch(),
            (PerBatch<StringInt>{
                {{"caudal", 1}, {"hello", 3}, {"world", 2}},  // hello 1+2, world 1+1
                {{"caudal", 1}, {"hello", 3}, {"world", 4}},  // world 2+2
                {{"caudal", 2}, {"hello", 4}, {"streams", 1}, {"world", 4}},
                {{"caudal", 2}, {"hello", 4}, {"streams", 1}, {"world", 4}},
            }));
}

// A running sum per key.
std::optional<int> runningSum(const Ints& values, std::optional<int> state) {
  int sum = state.value_or(0);
  for (int v : values) sum += v;
  return sum;
}

TEST(UpdateStateByKey, TwoOutputsOfTheSameBatchSeeTheSameState) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}, {{"b", 2}}}, {{{"a", 3}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(runningSum);
  auto first = recordBatches(sums);
  auto second = recordBatches(sums);
  auto counted = recordBatches(sums.count());
  ssc.runBatches(3);
  PerBatch<StringInt> expected = {{{"a", 1}, {"b", 2}}, {{"a", 4}, {"b", 2}}, {{"a", 4}, {"b", 2}}};
  EXPECT_EQ(first->sortedPerBatch(), expected);
  EXPECT_EQ(second->sortedPerBatch(), expected);
  EXPECT_EQ(counted->recordsPerBatch(), (PerBatch<int64_t>{{2}, {2}, {2}}));
}

TEST(UpdateStateByKey, StateReadAfterALaterBatchChangedItIsRefused) {
  // The state RDD lends the live entries: kept past its batch and read after the next batch
  // updated them, it fails that batch with an error saying so, rather than show later state.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 2}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(runningSum);
  auto kept = std::make_shared<std::optional<RDD<StringInt>>>();
  sums.foreachRDD([kept](const RDD<StringInt>& rdd) {
    if (*kept) (*kept)->collect();  // the previous batch's state
    *kept = rdd;
  });
  try {
    ssc.runBatches(2);
    ADD_FAILURE() << "runBatches did not throw BatchFailedError";
  } catch (const BatchFailedError& e) {
    EXPECT_EQ(e.batchTime(), Time(2000));
    EXPECT_THAT(errorMessage(e.cause()),
                HasSubstr("the state of batch 1000 ms was read after batch 2000 ms had changed it"));
  }
}

TEST(UpdateStateByKey, WindowOverTheStateSeesEachBatchSnapshot) {
  // The window at batch k holds the state after k-1 and after k: the older one must be the
  // state as it was then, not as batch k changed it.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 1}, {"b", 1}}}, {{{"a", 5}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(runningSum);
  auto windowed = recordBatches(sums.window(Seconds(2), Seconds(1)));
  auto counted = recordBatches(sums.window(Seconds(2), Seconds(1)).count());
  ssc.runBatches(4);
  // States: {a:1}, {a:2, b:1}, {a:7, b:1}, {a:7, b:1}.
  EXPECT_EQ(windowed->sortedPerBatch(), (PerBatch<StringInt>{
                                            {{"a", 1}},
                                            {{"a", 1}, {"a", 2}, {"b", 1}},
                                            {{"a", 2}, {"a", 7}, {"b", 1}, {"b", 1}},
                                            {{"a", 7}, {"a", 7}, {"b", 1}, {"b", 1}},
                                        }));
  EXPECT_EQ(counted->recordsPerBatch(), (PerBatch<int64_t>{{1}, {3}, {4}, {4}}));
}

TEST(UpdateStateByKey, WindowSlidingByTwoOverTheState) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 1}}}, {{{"a", 1}}}, {{{"a", 1}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(runningSum);
  auto windowed = recordBatches(sums.window(Seconds(4), Seconds(2)));
  ssc.runBatches(6);
  // Emits at 2, 4, 6 s; states a:1, 2, 3, 4, 4, 4 at 1..6 s; each window holds (t - 4 s, t].
  EXPECT_EQ(windowed->times, (std::vector<int64_t>{2000, 4000, 6000}));
  EXPECT_EQ(windowed->sortedPerBatch(), (PerBatch<StringInt>{
                                            {{"a", 1}, {"a", 2}},
                                            {{"a", 1}, {"a", 2}, {"a", 3}, {"a", 4}},
                                            {{"a", 3}, {"a", 4}, {"a", 4}, {"a", 4}},
                                        }));
}

TEST(UpdateStateByKey, OverAWindowedStreamRunsAtItsSlide) {
  // The parent has RDDs only every 2 s, so the state advances (and is output) only then.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 2}}}, {{{"a", 3}}}, {{{"a", 4}}}};
  auto sums = ssc.queueStream(data).window(Seconds(2), Seconds(2)).updateStateByKey(runningSum);
  auto log = recordBatches(sums);
  ssc.runBatches(6);
  EXPECT_EQ(log->times, (std::vector<int64_t>{2000, 4000, 6000}));
  // Windows: 1+2 = 3, 3+4 = 7, nothing; running sums 3, 10, 10.
  EXPECT_EQ(log->sortedPerBatch(), (PerBatch<StringInt>{{{"a", 3}}, {{"a", 10}}, {{"a", 10}}}));
}

TEST(UpdateStateByKey, StateOfAState) {
  // The second state reads the first's state RDD of the same batch: the first must advance
  // before it, every batch.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 2}}, {{"b", 1}}}};
  auto sums = ssc.queueStream(data).updateStateByKey(runningSum);
  auto sums_of_sums = sums.updateStateByKey(runningSum, 3);
  auto first = recordBatches(sums);
  auto second = recordBatches(sums_of_sums);
  ssc.runBatches(4);
  EXPECT_EQ(first->sortedPerBatch(),
            (PerBatch<StringInt>{
                {{"a", 1}}, {{"a", 3}, {"b", 1}}, {{"a", 3}, {"b", 1}}, {{"a", 3}, {"b", 1}}}));
  // a: 1, 1+3, 4+3, 7+3; b: 1, 1+1, 2+1.
  EXPECT_EQ(second->sortedPerBatch(),
            (PerBatch<StringInt>{
                {{"a", 1}}, {{"a", 4}, {"b", 1}}, {{"a", 7}, {"b", 2}}, {{"a", 10}, {"b", 3}}}));
}

// ---- mapWithState -------------------------------------------------------------------------------

Batches<StringInt> countingData() {
  return {{{{"a", 1}, {"b", 1}}, {{"a", 1}}}, {{{"a", 1}}}, {{}}, {{{"b", 1}, {"c", 1}}}};
}

// The mapped output and the snapshots of the running count over countingData().
PerBatch<StringInt> expectedRunningCounts() {
  return {{{"a", 1}, {"a", 2}, {"b", 1}}, {{"a", 3}}, {}, {{"b", 2}, {"c", 1}}};
}
PerBatch<StringInt> expectedCountSnapshots() {
  return {{{"a", 2}, {"b", 1}},
          {{"a", 3}, {"b", 1}},
          {{"a", 3}, {"b", 1}},
          {{"a", 3}, {"b", 2}, {"c", 1}}};
}

TEST(MapWithState, RunningCountWithTime) {
  CallLog<int64_t> call_times;
  auto ssc = makeCheckpointedContext();
  auto spec =
      StateSpec::function([&call_times](Time time, const std::string& key, std::optional<int> value,
                                        State<int>& state) -> std::optional<StringInt> {
        call_times.add(time.milliseconds());
        int count = state.getOption().value_or(0) + *value;
        state.update(count);
        return StringInt(key, count);
      });
  auto mapped = ssc.queueStream(countingData()).mapWithState(spec);
  static_assert(std::is_base_of_v<DStream<StringInt>, decltype(mapped)>);
  auto output = recordBatches<StringInt>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(4);
  EXPECT_EQ(output->sortedPerBatch(), expectedRunningCounts());
  EXPECT_EQ(snapshots->sortedPerBatch(), expectedCountSnapshots());
  EXPECT_EQ(call_times.take(), (std::vector<int64_t>{1000, 1000, 1000, 2000, 4000, 4000}));
}

TEST(MapWithState, RunningCountWithoutTime) {
  auto ssc = makeCheckpointedContext();
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int> value, State<int>& state) {
        int count = (state.exists() ? state.get() : 0) + *value;
        state.update(count);
        return StringInt(key, count);
      });
  auto mapped = ssc.queueStream(countingData()).mapWithState(spec);
  auto output = recordBatches<StringInt>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(4);
  EXPECT_EQ(output->sortedPerBatch(), expectedRunningCounts());
  EXPECT_EQ(snapshots->sortedPerBatch(), expectedCountSnapshots());
}

TEST(MapWithState, NulloptEmitsNothingAndRemoveDropsTheKey) {
  // value > 0 adds and emits the sum; 0 emits nothing and leaves the state; < 0 removes it.
  std::atomic<int> update_after_remove_threw = 0;
  std::atomic<int> removed_state_still_visible = 0;
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 2}, {"b", 3}}}, {{{"a", 0}}, {{"b", -1}}}, {{{"b", 4}}}};
  auto spec = StateSpec::function([&](Time, const std::string& key, std::optional<int> value,
                                      State<int>& state) -> std::optional<StringInt> {
    if (*value == 0) return std::nullopt;
    if (*value < 0) {
      state.remove();
      if (state.exists() || state.getOption().has_value()) ++removed_state_still_visible;
      try {
        state.update(1);
      } catch (const Error&) {
        ++update_after_remove_threw;
      }
      return std::nullopt;
    }
    int sum = state.getOption().value_or(0) + *value;
    state.update(sum);
    return StringInt(key, sum);
  });
  auto mapped = ssc.queueStream(data).mapWithState(spec);
  auto output = recordBatches<StringInt>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(3);
  EXPECT_EQ(output->sortedPerBatch(), (PerBatch<StringInt>{{{"a", 2}, {"b", 3}}, {}, {{"b", 4}}}));
  EXPECT_EQ(snapshots->sortedPerBatch(),
            (PerBatch<StringInt>{{{"a", 2}, {"b", 3}}, {{"a", 2}}, {{"a", 2}, {"b", 4}}}));
  EXPECT_EQ(update_after_remove_threw.load(), 1);
  EXPECT_EQ(removed_state_still_visible.load(), 0);
}

TEST(MapWithState, RemoveTwiceThrows) {
  std::atomic<int> second_remove_threw = 0;
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 2}}}};
  auto spec =
      StateSpec::function([&](const std::string& key, std::optional<int> value, State<int>& state) {
        if (*value == 1) {
          state.update(1);
        } else {
          state.remove();
          try {
            state.remove();
          } catch (const Error&) {
            ++second_remove_threw;
          }
        }
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  recordBatches<std::string>(mapped);
  ssc.runBatches(2);
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{{{"a", 1}}, {}}));
  EXPECT_EQ(second_remove_threw.load(), 1);
}

TEST(MapWithState, GetWithoutStateThrows) {
  std::atomic<int> get_threw = 0;
  std::atomic<int> calls_with_state = 0;
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 1}}}};
  auto spec =
      StateSpec::function([&](const std::string& key, std::optional<int> value, State<int>& state) {
        if (state.exists()) {
          ++calls_with_state;
          state.update(state.get() + *value);
        } else {
          try {
            (void)state.get();
          } catch (const Error&) {
            ++get_threw;
          }
          state.update(*value);
        }
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(2);
  EXPECT_EQ(get_threw.load(), 1);         // batch 1: a has no state yet
  EXPECT_EQ(calls_with_state.load(), 1);  // batch 2
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}}}));
}

TEST(MapWithState, ExceptionInTheFunctionFailsTheBatch) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 2}}}};
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int>, State<int>& state) {
        (void)state.get();  // a has no state: throws
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec);
  recordBatches<std::string>(mapped);
  try {
    ssc.runBatches(2);
    ADD_FAILURE() << "runBatches did not throw BatchFailedError";
  } catch (const BatchFailedError& e) {
    EXPECT_EQ(e.batchTime(), Time(1000));
    EXPECT_THAT(errorMessage(e.cause()), HasSubstr("has no state"));
  }
}

// Labels every call: "key+value=state" for data, "key timed out at state" for the last call.
auto labellingSpec() {
  return StateSpec::function([](Time, const std::string& key, std::optional<int> value,
                                State<int>& state) -> std::optional<std::string> {
    if (state.isTimingOut()) {
      if (value.has_value()) return key + " timed out with a value";
      return key + " timed out at " + std::to_string(state.get());
    }
    int sum = state.getOption().value_or(0) + *value;
    state.update(sum);
    return key + "+" + std::to_string(*value) + "=" + std::to_string(sum);
  });
}

TEST(MapWithState, TimeoutGivesALastCallAtTheFirstBatchPastIt) {
  // Timeout 3 s: a key last touched at u gets its last call at the first t with t - 3 s > u.
  // a: touched at 1 s -> 5 s (4 s - 3 s = 1 s is not past 1 s). b: touched at 2 s and 4 s -> 8 s.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"b", 1}}}, {{}}, {{{"b", 2}}}};
  auto mapped = ssc.queueStream(data).mapWithState(labellingSpec().timeout(Seconds(3)));
  auto output = recordBatches<std::string>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(9);
  using Strings = std::vector<std::string>;
  EXPECT_EQ(output->sortedPerBatch(), (PerBatch<std::string>{
                                          Strings{"a+1=1"},
                                          Strings{"b+1=1"},
                                          {},
                                          Strings{"b+2=3"},
                                          Strings{"a timed out at 1"},
                                          {},
                                          {},
                                          Strings{"b timed out at 3"},
                                          {},
                                      }));
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{
                                             {{"a", 1}},
                                             {{"a", 1}, {"b", 1}},
                                             {{"a", 1}, {"b", 1}},
                                             {{"a", 1}, {"b", 3}},
                                             {{"b", 3}},
                                             {{"b", 3}},
                                             {{"b", 3}},
                                             {},
                                             {},
                                         }));
}

TEST(MapWithState, DataWithoutAnUpdateStillPostponesTheTimeout) {
  // As in Spark, a record keeps its key alive even if the function leaves the state alone.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{}}, {{{"a", 0}}}};
  auto spec = StateSpec::function([](Time, const std::string& key, std::optional<int> value,
                                     State<int>& state) -> std::optional<std::string> {
    if (state.isTimingOut()) return key + " timed out";
    if (*value != 0) state.update(*value);
    return std::nullopt;
  });
  auto mapped = ssc.queueStream(data).mapWithState(spec.timeout(Seconds(2)));
  auto output = recordBatches<std::string>(mapped);
  ssc.runBatches(7);
  // Touched at 1 s and 3 s: out at the first t with t - 2 s > 3 s, 6 s (not 4 s).
  EXPECT_EQ(output->recordsPerBatch(),
            (PerBatch<std::string>{{}, {}, {}, {}, {}, {"a timed out"}, {}}));
}

TEST(MapWithState, UpdateWhileTimingOutFailsTheBatch) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}};
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int> value, State<int>& state) {
        if (state.isTimingOut()) {
          state.update(0);
        } else {
          state.update(*value);
        }
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec.timeout(Seconds(1)));
  auto output = recordBatches<std::string>(mapped);
  ssc.runBatches(2);  // touched at 1 s: times out at 3 s (3 s - 1 s > 1 s)
  try {
    ssc.runBatches(1);
    ADD_FAILURE() << "runBatches did not throw BatchFailedError";
  } catch (const BatchFailedError& e) {
    EXPECT_EQ(e.batchTime(), Time(3000));
    EXPECT_THAT(errorMessage(e.cause()), HasSubstr("timing out"));
  }
  EXPECT_EQ(output->times, (std::vector<int64_t>{1000, 2000}));
}

TEST(MapWithState, RemoveWhileTimingOutFailsTheBatch) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}};
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int> value, State<int>& state) {
        if (state.isTimingOut()) {
          state.remove();
        } else {
          state.update(*value);
        }
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec.timeout(Seconds(1)));
  recordBatches<std::string>(mapped);
  try {
    ssc.runBatches(5);
    ADD_FAILURE() << "runBatches did not throw BatchFailedError";
  } catch (const BatchFailedError& e) {
    EXPECT_EQ(e.batchTime(), Time(3000));
    EXPECT_THAT(errorMessage(e.cause()), HasSubstr("timing out"));
  }
}

TEST(MapWithState, TimeoutNeedNotBeAMultipleOfTheBatch) {
  // 1.5 s: touched at 1 s, out at 3 s (3 s - 1.5 s > 1 s, 2 s - 1.5 s is not).
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}};
  auto mapped = ssc.queueStream(data).mapWithState(labellingSpec().timeout(Milliseconds(1500)));
  auto output = recordBatches<std::string>(mapped);
  ssc.runBatches(4);
  EXPECT_EQ(output->recordsPerBatch(),
            (PerBatch<std::string>{{"a+1=1"}, {}, {"a timed out at 1"}, {}}));
}

TEST(MapWithState, KeyRemovedAndRecreatedInOneBatch) {
  // One input partition: at 2 s, a is removed, c is created (taking a's place in the state),
  // then a is created again. Timeout 2 s: b (touched at 1 s) goes at 4 s; a and c (2 s) at 5 s.
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}, {"b", 1}}}, {{{"a", -1}, {"c", 7}, {"a", 5}}}};
  auto spec = StateSpec::function([](Time, const std::string& key, std::optional<int> value,
                                     State<int>& state) -> std::optional<std::string> {
    if (state.isTimingOut()) return key + " timed out at " + std::to_string(state.get());
    if (*value < 0) {
      state.remove();
      return key + " removed";
    }
    state.update(state.getOption().value_or(0) + *value);
    return key + "=" + std::to_string(state.get());
  });
  auto mapped = ssc.queueStream(data).mapWithState(spec.timeout(Seconds(2)));
  auto output = recordBatches<std::string>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(6);
  using Strings = std::vector<std::string>;
  EXPECT_EQ(output->sortedPerBatch(), (PerBatch<std::string>{
                                          Strings{"a=1", "b=1"},
                                          Strings{"a removed", "a=5", "c=7"},
                                          {},
                                          Strings{"b timed out at 1"},
                                          Strings{"a timed out at 5", "c timed out at 7"},
                                          {},
                                      }));
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{
                                             {{"a", 1}, {"b", 1}},
                                             {{"a", 5}, {"b", 1}, {"c", 7}},
                                             {{"a", 5}, {"b", 1}, {"c", 7}},
                                             {{"a", 5}, {"c", 7}},
                                             {},
                                             {},
                                         }));
}

TEST(MapWithState, MappedStreamUnderAWindow) {
  // Each batch's mapped records are computed once, when its step runs; the window reads the
  // previous batch's again.
  std::atomic<int> calls = 0;
  auto ssc = makeCheckpointedContext();
  auto spec = StateSpec::function(
      [&calls](const std::string& key, std::optional<int> value, State<int>& state) {
        ++calls;
        int count = state.getOption().value_or(0) + *value;
        state.update(count);
        return StringInt(key, count);
      });
  auto mapped = ssc.queueStream(countingData()).mapWithState(spec);
  auto windowed = recordBatches(mapped.window(Seconds(2), Seconds(1)));
  auto direct = recordBatches<StringInt>(mapped);
  ssc.runBatches(5);
  EXPECT_EQ(windowed->sortedPerBatch(), (PerBatch<StringInt>{
                                            {{"a", 1}, {"a", 2}, {"b", 1}},
                                            {{"a", 1}, {"a", 2}, {"a", 3}, {"b", 1}},
                                            {{"a", 3}},
                                            {{"b", 2}, {"c", 1}},
                                            {{"b", 2}, {"c", 1}},
                                        }));
  EXPECT_EQ(direct->sortedPerBatch(),
            (PerBatch<StringInt>{
                {{"a", 1}, {"a", 2}, {"b", 1}}, {{"a", 3}}, {}, {{"b", 2}, {"c", 1}}, {}}));
  EXPECT_EQ(calls.load(), 6);  // one per record
}

TEST(MapWithState, InvalidSpecsThrowWhenDefined) {
  auto spec = StateSpec::function(
      [](const std::string& key, std::optional<int>, State<int>&) { return key; });
  EXPECT_THROW(spec.timeout(Seconds(0)), Error);
  EXPECT_THROW(spec.timeout(Milliseconds(-1000)), Error);
  EXPECT_THROW(spec.numPartitions(0), Error);
  EXPECT_NO_THROW(spec.timeout(Milliseconds(1)).numPartitions(1));
}

TEST(MapWithState, InitialStateSeedsTheKeys) {
  auto ssc = makeCheckpointedContext();
  auto initial = ssc.parallelize(std::vector<StringInt>{{"a", 10}, {"z", 5}});
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"b", 2}}}};
  auto mapped = ssc.queueStream(data).mapWithState(labellingSpec().initialState(initial));
  auto output = recordBatches<std::string>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(3);
  EXPECT_EQ(output->recordsPerBatch(), (PerBatch<std::string>{{"a+1=11"}, {"b+2=2"}, {}}));
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{
                                             {{"a", 11}, {"z", 5}},
                                             {{"a", 11}, {"b", 2}, {"z", 5}},
                                             {{"a", 11}, {"b", 2}, {"z", 5}},
                                         }));
}

TEST(MapWithState, InitialKeysWithoutDataTimeOutAfterTheFirstBatch) {
  // Initial keys count as touched at the first batch (1 s): z, which never gets data, goes at
  // 5 s (5 s - 3 s > 1 s); a, touched again at 2 s, goes at 6 s.
  auto ssc = makeCheckpointedContext();
  auto initial = ssc.parallelize(std::vector<StringInt>{{"a", 10}, {"z", 5}});
  Batches<StringInt> data = {{{}}, {{{"a", 1}}}};
  auto mapped =
      ssc.queueStream(data).mapWithState(labellingSpec().initialState(initial).timeout(Seconds(3)));
  auto output = recordBatches<std::string>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(7);
  EXPECT_EQ(output->recordsPerBatch(),
            (PerBatch<std::string>{
                {}, {"a+1=11"}, {}, {}, {"z timed out at 5"}, {"a timed out at 11"}, {}}));
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringInt>{
                                             {{"a", 10}, {"z", 5}},
                                             {{"a", 11}, {"z", 5}},
                                             {{"a", 11}, {"z", 5}},
                                             {{"a", 11}, {"z", 5}},
                                             {{"a", 11}},
                                             {},
                                             {},
                                         }));
}

TEST(MapWithState, CallsTheFunctionOnlyForKeysWithData) {
  // 100 keys get state at 1 s; later batches touch one key or none: the idle keys cost nothing
  // (with and without a timeout that has not expired yet).
  for (bool with_timeout : {false, true}) {
    SCOPED_TRACE(with_timeout ? "with a timeout" : "without a timeout");
    std::atomic<int> calls = 0;
    auto ssc = makeCheckpointedContext();
    std::vector<StringInt> first;
    for (int i = 0; i < 100; ++i) first.emplace_back(tagged("k", i), i);
    Batches<StringInt> data = {{first}, {{{"k7", 1}}}, {{}}};
    auto spec = StateSpec::function(
        [&calls](const std::string& key, std::optional<int> value, State<int>& state) {
          ++calls;
          state.update(state.getOption().value_or(0) + value.value_or(0));
          return key;
        });
    if (with_timeout) spec.timeout(Seconds(100));
    auto mapped = ssc.queueStream(data).mapWithState(spec);
    auto output = recordBatches<std::string>(mapped);
    auto keys = recordBatches(mapped.stateSnapshots().count());
    ssc.runBatches(1);
    EXPECT_EQ(calls.exchange(0), 100);
    ssc.runBatches(1);
    EXPECT_EQ(calls.exchange(0), 1);
    ssc.runBatches(2);
    EXPECT_EQ(calls.exchange(0), 0);
    std::vector<std::string> first_keys;
    for (const auto& [key, value] : first) first_keys.push_back(key);
    EXPECT_EQ(output->sortedPerBatch(),
              (PerBatch<std::string>{sorted(first_keys), {"k7"}, {}, {}}));
    EXPECT_EQ(keys->recordsPerBatch(), (PerBatch<int64_t>{{100}, {100}, {100}, {100}}));
  }
}

TEST(MapWithState, RecordsOfAKeyArriveInOrder) {
  // One input partition, so arrival order is defined; the state is the values concatenated.
  auto ssc = makeCheckpointedContext();
  Batches<StringPair> data = {
      {{{"a", "x"}, {"b", "1"}, {"a", "y"}, {"a", "z"}, {"b", "2"}, {"c", "!"}, {"b", "3"}}},
      {{{"b", "4"}, {"a", "w"}}},
  };
  auto spec = StateSpec::function(
      [](const std::string& key, std::optional<std::string> value, State<std::string>& state) {
        std::string joined = state.getOption().value_or("") + *value;
        state.update(joined);
        return StringPair(key, joined);
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec.numPartitions(3));
  auto output = recordBatches<StringPair>(mapped);
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(2);
  EXPECT_EQ(output->sortedPerBatch(), (PerBatch<StringPair>{
                                          {{"a", "x"},
                                           {"a", "xy"},
                                           {"a", "xyz"},
                                           {"b", "1"},
                                           {"b", "12"},
                                           {"b", "123"},
                                           {"c", "!"}},
                                          {{"a", "xyzw"}, {"b", "1234"}},
                                      }));
  EXPECT_EQ(snapshots->sortedPerBatch(), (PerBatch<StringPair>{
                                             {{"a", "xyz"}, {"b", "123"}, {"c", "!"}},
                                             {{"a", "xyzw"}, {"b", "1234"}, {"c", "!"}},
                                         }));
}

TEST(MapWithState, SnapshotsHaveTheRequestedPartitionsSplitByKey) {
  auto ssc = makeCheckpointedContext(2, 2);
  std::vector<StringInt> records;
  for (int i = 0; i < 20; ++i) records.emplace_back(tagged("key", i), i);
  Batches<StringInt> data = {{records}};
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int> value, State<int>& state) {
        state.update(*value);
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec.numPartitions(5));
  auto snapshots = recordBatches(mapped.stateSnapshots());
  ssc.runBatches(2);
  ASSERT_EQ(snapshots->batches.size(), 2u);
  for (size_t b = 0; b < 2; ++b) {
    ASSERT_EQ(snapshots->batches[b].size(), 5u);
    for (size_t p = 0; p < 5; ++p) {
      for (const auto& [key, value] : snapshots->batches[b][p])
        EXPECT_EQ(detail::partitionOf(key, 5), p) << key;
    }
    EXPECT_EQ(snapshots->sortedRecords(b), sorted(records));
  }
}

TEST(MapWithState, WindowOverSnapshotsSeesEachBatchSnapshot) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}, {{{"a", 1}, {"b", 1}}}, {{{"a", 5}}}};
  auto spec =
      StateSpec::function([](const std::string& key, std::optional<int> value, State<int>& state) {
        state.update(state.getOption().value_or(0) + *value);
        return key;
      });
  auto mapped = ssc.queueStream(data).mapWithState(spec);
  auto windowed = recordBatches(mapped.stateSnapshots().window(Seconds(2), Seconds(1)));
  ssc.runBatches(4);
  // States: {a:1}, {a:2, b:1}, {a:7, b:1}, {a:7, b:1}.
  EXPECT_EQ(windowed->sortedPerBatch(), (PerBatch<StringInt>{
                                            {{"a", 1}},
                                            {{"a", 1}, {"a", 2}, {"b", 1}},
                                            {{"a", 2}, {"a", 7}, {"b", 1}, {"b", 1}},
                                            {{"a", 7}, {"a", 7}, {"b", 1}, {"b", 1}},
                                        }));
}

// ---- determinism --------------------------------------------------------------------------------

// Worker threads, state partitions and input partitions of one run.
struct StatefulSetting {
  int threads;
  size_t state_partitions;
  size_t input_partitions;

  std::string describe() const {
    return "threads=" + std::to_string(threads) +
           " state partitions=" + std::to_string(state_partitions) +
           " input partitions=" + std::to_string(input_partitions);
  }
};

constexpr StatefulSetting kStatefulSettings[] = {
    {1, 1, 1}, {2, 2, 3}, {4, 3, 2}, {3, 5, 4}, {2, 7, 7}, {1, 4, 1}, {4, 1, 5},
};
constexpr int kStatefulDataBatches = 8;
constexpr int kStatefulRunBatches = kStatefulDataBatches + 4;  // then idle batches: decay, timeouts

// Records (key "k0".."k11", value 1..4) per batch; some batches are empty.
std::vector<std::vector<StringInt>> statefulRecords() {
  std::mt19937 rng(2718);
  std::vector<std::vector<StringInt>> batches(kStatefulDataBatches);
  for (int b = 0; b < kStatefulDataBatches; ++b) {
    int size = b == 3 ? 0 : std::uniform_int_distribution<int>(0, 25)(rng);
    for (int i = 0; i < size; ++i) {
      int key = std::uniform_int_distribution<int>(0, 11)(rng);
      int value = std::uniform_int_distribution<int>(1, 4)(rng);
      batches[b].emplace_back(tagged("k", key), value);
    }
  }
  return batches;
}

// Cuts each batch's records into `n` contiguous partitions of near-equal size.
Batches<StringInt> cut(const std::vector<std::vector<StringInt>>& batches, size_t n) {
  Batches<StringInt> result;
  for (const auto& records : batches) {
    Partitions<StringInt> partitions(n);
    for (size_t p = 0; p < n; ++p) {
      partitions[p].assign(records.begin() + static_cast<ptrdiff_t>(p * records.size() / n),
                           records.begin() + static_cast<ptrdiff_t>((p + 1) * records.size() / n));
    }
    result.push_back(std::move(partitions));
  }
  return result;
}

// The update function of the determinism run: a sum that decays by 3 per batch without data,
// removed when it reaches 0.
std::optional<int> decayingSum(const Ints& values, std::optional<int> state) {
  int sum = state.value_or(0);
  for (int v : values) sum += v;
  if (values.empty()) sum -= 3;
  if (sum <= 0) return std::nullopt;
  return sum;
}

PerBatch<StringInt> decayingSumOracle() {
  auto batches = statefulRecords();
  batches.resize(kStatefulRunBatches);
  std::map<std::string, int> state;
  PerBatch<StringInt> result;
  for (const auto& records : batches) {
    std::map<std::string, Ints> values;
    for (const auto& [key, value] : records) values[key].push_back(value);
    for (const auto& [key, sum] : state) values.try_emplace(key);
    for (const auto& [key, key_values] : values) {
      auto previous = state.contains(key) ? std::optional<int>(state[key]) : std::nullopt;
      auto next = decayingSum(key_values, previous);
      if (next) {
        state[key] = *next;
      } else {
        state.erase(key);
      }
    }
    result.emplace_back(state.begin(), state.end());
  }
  return result;
}

TEST(StatefulDeterminism, UpdateStateByKeyMatchesTheOracleWhateverTheParallelism) {
  const PerBatch<StringInt> expected = decayingSumOracle();
  // For the comparison to mean something, keys must decay away while data still flows, and
  // after it stops.
  int removed_while_data_flows = 0;
  for (int b = 0; b + 1 < kStatefulDataBatches; ++b) {
    for (const auto& [key, sum] : expected[b]) {
      bool kept = std::ranges::any_of(expected[b + 1],
                                      [&](const StringInt& entry) { return entry.first == key; });
      removed_while_data_flows += !kept;
    }
  }
  ASSERT_GT(removed_while_data_flows, 0);
  ASSERT_LT(expected.back().size(), expected[kStatefulDataBatches - 1].size());
  for (const StatefulSetting& setting : kStatefulSettings) {
    SCOPED_TRACE(setting.describe());
    auto ssc = makeCheckpointedContext(setting.threads, 2);
    auto sums = ssc.queueStream(cut(statefulRecords(), setting.input_partitions))
                    .updateStateByKey(decayingSum, setting.state_partitions);
    auto log = recordBatches(sums);
    ssc.runBatches(kStatefulRunBatches);
    EXPECT_EQ(log->sortedPerBatch(), expected);
  }
}

constexpr int64_t kOracleTimeoutMs = 2000;

// The mapped output (data: (key, value); timeout: (key, -sum)) and snapshots (key, sum) of a
// running sum with a 2 s timeout, per batch.
std::pair<PerBatch<StringInt>, PerBatch<StringInt>> timedSumOracle() {
  auto batches = statefulRecords();
  batches.resize(kStatefulRunBatches);
  std::map<std::string, std::pair<int, int64_t>> state;  // key -> (sum, last touched ms)
  PerBatch<StringInt> mapped;
  PerBatch<StringInt> snapshots;
  for (size_t b = 0; b < batches.size(); ++b) {
    int64_t time = static_cast<int64_t>(b + 1) * 1000;
    std::vector<StringInt> out;
    for (const auto& [key, value] : batches[b]) {
      out.emplace_back(key, value);
      auto& [sum, touched] = state[key];
      sum += value;
      touched = time;
    }
    for (auto it = state.begin(); it != state.end();) {
      if (it->second.second < time - kOracleTimeoutMs) {
        out.emplace_back(it->first, -it->second.first);
        it = state.erase(it);
      } else {
        ++it;
      }
    }
    mapped.push_back(sorted(out));
    std::vector<StringInt> snapshot;
    for (const auto& [key, entry] : state) snapshot.emplace_back(key, entry.first);
    snapshots.push_back(snapshot);
  }
  return {mapped, snapshots};
}

TEST(StatefulDeterminism, MapWithStateMatchesTheOracleWhateverTheParallelism) {
  const auto [expected_mapped, expected_snapshots] = timedSumOracle();
  // The data must make keys time out (negative records) while others still get data.
  int timeouts_before_the_data_ends = 0;
  for (int b = 0; b < kStatefulDataBatches; ++b) {
    for (const auto& [key, value] : expected_mapped[b]) timeouts_before_the_data_ends += value < 0;
  }
  ASSERT_GT(timeouts_before_the_data_ends, 0);
  ASSERT_TRUE(expected_snapshots.back().empty());
  for (const StatefulSetting& setting : kStatefulSettings) {
    SCOPED_TRACE(setting.describe());
    auto ssc = makeCheckpointedContext(setting.threads, 3);
    auto spec = StateSpec::function(
        [](const std::string& key, std::optional<int> value, State<int>& state) {
          if (state.isTimingOut()) return StringInt(key, -state.get());
          state.update(state.getOption().value_or(0) + *value);
          return StringInt(key, *value);
        });
    auto mapped = ssc.queueStream(cut(statefulRecords(), setting.input_partitions))
                      .mapWithState(spec.numPartitions(setting.state_partitions)
                                        .timeout(Milliseconds(kOracleTimeoutMs)));
    auto output = recordBatches<StringInt>(mapped);
    auto snapshots = recordBatches(mapped.stateSnapshots());
    ssc.runBatches(kStatefulRunBatches);
    EXPECT_EQ(output->sortedPerBatch(), expected_mapped);
    EXPECT_EQ(snapshots->sortedPerBatch(), expected_snapshots);
  }
}

}  // namespace
}  // namespace caudal
