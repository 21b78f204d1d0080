// The window operations batch by batch: Spark's WindowOperationsSuite vectors, the course
// seeds' examples (1 s batches, queueStream of nested lists), the edge cases of windows and
// slides, and long and random windows checked against a naive oracle that recomputes every
// window from the input. Windowed shuffles have no record order, so they are compared sorted.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using test::Batches;
using test::makeCheckpointedContext;
using test::normalizeGroups;
using test::Partitions;
using test::recordBatches;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::ThrowsMessage;

using StringInt = std::pair<std::string, int>;
using StringCount = std::pair<std::string, int64_t>;
using StringString = std::pair<std::string, std::string>;
using Group = std::pair<std::string, std::vector<int>>;
template <class T>
using PerBatch = std::vector<std::vector<T>>;

int sum(int a, int b) { return a + b; }
int difference(int a, int b) { return a - b; }
std::string concatenate(std::string a, std::string b) { return a + b; }
bool nonZero(const StringInt& entry) { return entry.second != 0; }

// The seeds' miFuncion(acumulado, valor): the larger of the two.
int windowSeedsMax(int acumulado, int valor) {
  int max = acumulado;
  if (valor > max) max = valor;
  return max;
}

// The times (ms) of the first `count` multiples of `slide_s` seconds: when a window with that
// slide emits, counted from the zero time 0.
std::vector<int64_t> everySlide(int64_t slide_s, int64_t count) {
  std::vector<int64_t> times;
  for (int64_t i = 1; i <= count; ++i) times.push_back(i * slide_s * 1000);
  return times;
}

// One batch per element of `records_per_batch`, its records dealt round-robin over two
// partitions, so that every shuffle has more than one map task.
template <class T>
Batches<T> dealt(const std::vector<std::vector<T>>& records_per_batch) {
  Batches<T> batches;
  for (const auto& records : records_per_batch) {
    Partitions<T> partitions(2);
    for (size_t i = 0; i < records.size(); ++i) partitions[i % 2].push_back(records[i]);
    batches.push_back(std::move(partitions));
  }
  return batches;
}

// Runs `num_batches` batches of `input` (see `dealt`) through `operation` and returns what an
// output on the result saw.
template <class T, class Operation>
auto runWindowed(const std::vector<std::vector<T>>& input, Operation operation, int num_batches) {
  auto ssc = makeCheckpointedContext();
  auto log = recordBatches(operation(ssc.queueStream(dealt(input))));
  ssc.runBatches(num_batches);
  return log;
}

// As `runWindowed`, checking that the output came exactly at the multiples of `slide_s`;
// returns each emitted window's records, sorted.
template <class T, class Operation>
auto sortedWindows(const std::vector<std::vector<T>>& input, Operation operation, int64_t slide_s,
                   int num_batches) {
  auto log = runWindowed(input, operation, num_batches);
  EXPECT_EQ(log->times, everySlide(slide_s, num_batches / slide_s));
  return log->sortedPerBatch();
}

// reduceByKeyAndWindow(+) without an inverse, with an inverse, and with an inverse and a filter
// dropping the keys that came back to 0.
auto sumWindow(int64_t window_s, int64_t slide_s) {
  return [=](const DStream<StringInt>& in) {
    return in.reduceByKeyAndWindow(sum, Seconds(window_s), Seconds(slide_s));
  };
}
auto inverseSumWindow(int64_t window_s, int64_t slide_s) {
  return [=](const DStream<StringInt>& in) {
    return in.reduceByKeyAndWindow(sum, difference, Seconds(window_s), Seconds(slide_s));
  };
}
auto filteredInverseSumWindow(int64_t window_s, int64_t slide_s) {
  return [=](const DStream<StringInt>& in) {
    return in.reduceByKeyAndWindow(sum, difference, Seconds(window_s), Seconds(slide_s), 0,
                                   nonZero);
  };
}

// ---- Spark's WindowOperationsSuite: window ------------------------------------------------------

TEST(WindowSparkSuite, BasicWindow) {
  auto windows = sortedWindows<int>(
      {{0}, {1}, {2}, {3}, {4}, {5}},
      [](const DStream<int>& in) { return in.window(Seconds(2), Seconds(1)); }, 1, 6);
  EXPECT_EQ(windows, (PerBatch<int>{{0}, {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}));
}

TEST(WindowSparkSuite, TumblingWindow) {
  auto windows = sortedWindows<int>(
      {{0}, {1}, {2}, {3}, {4}, {5}},
      [](const DStream<int>& in) { return in.window(Seconds(2), Seconds(2)); }, 2, 6);
  EXPECT_EQ(windows, (PerBatch<int>{{0, 1}, {2, 3}, {4, 5}}));
}

TEST(WindowSparkSuite, LargerWindow) {
  auto windows = sortedWindows<int>(
      {{0}, {1}, {2}, {3}, {4}, {5}},
      [](const DStream<int>& in) { return in.window(Seconds(4), Seconds(2)); }, 2, 8);
  EXPECT_EQ(windows, (PerBatch<int>{{0, 1}, {0, 1, 2, 3}, {2, 3, 4, 5}, {4, 5}}));
}

// ---- Spark's WindowOperationsSuite: reduceByKeyAndWindow ----------------------------------------

std::vector<std::vector<StringInt>> sparkBigInput() {
  std::vector<std::vector<StringInt>> half = {
      {{"a", 1}},                      // batches 1 and 7
      {{"a", 1}, {"b", 1}},            // 2 and 8
      {{"a", 1}, {"b", 1}, {"c", 1}},  // 3 and 9
      {{"a", 1}, {"b", 1}},            // 4 and 10
      {{"a", 1}},                      // 5 and 11
      {},                              // 6 and 12
  };
  std::vector<std::vector<StringInt>> input = half;
  input.insert(input.end(), half.begin(), half.end());
  return input;
}

// The big test's windows (2 s, slide 1 s) without an inverse: keys with no value disappear.
PerBatch<StringInt> sparkBigOutput() {
  PerBatch<StringInt> half = {
      {{"a", 1}},
      {{"a", 2}, {"b", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 1}},
      {{"a", 1}},
  };
  PerBatch<StringInt> output = half;
  output.insert(output.end(), half.begin(), half.end());
  return output;
}

TEST(WindowSparkSuite, ReduceBasicReduction) {
  EXPECT_EQ(sortedWindows<StringInt>({{{"a", 1}, {"a", 3}}}, sumWindow(2, 1), 1, 1),
            (PerBatch<StringInt>{{{"a", 4}}}));
  EXPECT_EQ(sortedWindows<StringInt>({{{"a", 1}, {"a", 3}}}, inverseSumWindow(2, 1), 1, 1),
            (PerBatch<StringInt>{{{"a", 4}}}));
}

TEST(WindowSparkSuite, ReduceKeyAlreadyInWindowAndNewKeyAdded) {
  auto check = [](auto operation) {
    EXPECT_EQ(sortedWindows<StringInt>({{{"a", 1}}, {{"a", 1}}}, operation, 1, 2),
              (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}}}));
    EXPECT_EQ(sortedWindows<StringInt>({{{"a", 1}}, {{"a", 1}, {"b", 1}}}, operation, 1, 2),
              (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}, {"b", 1}}}));
  };
  check(sumWindow(2, 1));
  check(inverseSumWindow(2, 1));
}

TEST(WindowSparkSuite, ReduceKeyRemovedFromWindow) {
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 1}}, {}, {}};
  EXPECT_EQ(sortedWindows(input, sumWindow(2, 1), 1, 4),
            (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}}, {{"a", 1}}, {}}));
  // The inverse keeps the key at its "zero" (Spark's documented behaviour without a filter).
  EXPECT_EQ(sortedWindows(input, inverseSumWindow(2, 1), 1, 4),
            (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}}, {{"a", 1}}, {{"a", 0}}}));
  EXPECT_EQ(sortedWindows(input, filteredInverseSumWindow(2, 1), 1, 4),
            (PerBatch<StringInt>{{{"a", 1}}, {{"a", 2}}, {{"a", 1}}, {}}));
}

TEST(WindowSparkSuite, ReduceLargerSlideTime) {
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 2}}, {{"a", 3}}, {{"a", 4}},
                                               {{"a", 5}}, {{"a", 6}}, {},         {}};
  // Window 4 s every 2 s: 1+2, 1+2+3+4, 3+4+5+6, 5+6.
  PerBatch<StringInt> expected = {{{"a", 3}}, {{"a", 10}}, {{"a", 18}}, {{"a", 11}}};
  EXPECT_EQ(sortedWindows(input, sumWindow(4, 2), 2, 8), expected);
  EXPECT_EQ(sortedWindows(input, inverseSumWindow(4, 2), 2, 8), expected);
}

TEST(WindowSparkSuite, ReduceBigTest) {
  EXPECT_EQ(sortedWindows(sparkBigInput(), sumWindow(2, 1), 1, 12), sparkBigOutput());
}

TEST(WindowSparkSuite, ReduceWithInverseBigTest) {
  PerBatch<StringInt> half = {
      {{"a", 1}},
      {{"a", 2}, {"b", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 1}, {"c", 0}},
      {{"a", 1}, {"b", 0}, {"c", 0}},
  };
  // The second half starts with every key already in the state.
  PerBatch<StringInt> expected = half;
  expected.push_back({{"a", 1}, {"b", 0}, {"c", 0}});
  expected.push_back({{"a", 2}, {"b", 1}, {"c", 0}});
  expected.insert(expected.end(), half.begin() + 2, half.end());
  EXPECT_EQ(sortedWindows(sparkBigInput(), inverseSumWindow(2, 1), 1, 12), expected);
}

TEST(WindowSparkSuite, ReduceWithInverseAndFilterBigTest) {
  EXPECT_EQ(sortedWindows(sparkBigInput(), filteredInverseSumWindow(2, 1), 1, 12),
            sparkBigOutput());
}

// ---- Spark's WindowOperationsSuite: group and count ---------------------------------------------

TEST(WindowSparkSuite, GroupByKeyAndWindow) {
  auto log = runWindowed(
      sparkBigInput(),
      [](const DStream<StringInt>& in) { return in.groupByKeyAndWindow(Seconds(2), Seconds(1)); },
      12);
  EXPECT_EQ(log->times, everySlide(1, 12));
  // Every value is 1, so each key's group is as many ones as the reduction's sum.
  PerBatch<StringInt> counts = sparkBigOutput();
  ASSERT_EQ(log->batches.size(), counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    std::vector<Group> expected;
    for (const auto& [key, count] : counts[i]) {
      expected.emplace_back(key, std::vector<int>(count, 1));
    }
    EXPECT_EQ(normalizeGroups(log->records(i)), expected) << "window " << i;
  }
}

TEST(WindowSparkSuite, CountByWindow) {
  auto windows = sortedWindows<int>(
      {{1}, {1}, {1, 2}, {0}, {}, {}},
      [](const DStream<int>& in) { return in.countByWindow(Seconds(2), Seconds(1)); }, 1, 6);
  EXPECT_EQ(windows, (PerBatch<int64_t>{{1}, {2}, {3}, {3}, {1}, {0}}));
}

TEST(WindowSparkSuite, CountByValueAndWindow) {
  // Spark checks three windows; the fourth and fifth show keys at 0 being dropped.
  auto windows = sortedWindows<std::string>(
      {{"a"}, {"b", "b"}, {"a", "b"}},
      [](const DStream<std::string>& in) {
        return in.countByValueAndWindow(Seconds(2), Seconds(1));
      },
      1, 5);
  EXPECT_EQ(windows, (PerBatch<StringCount>{
                         {{"a", 1}},            // batch 1
                         {{"a", 1}, {"b", 2}},  // 1-2
                         {{"a", 1}, {"b", 3}},  // 2-3
                         {{"a", 1}, {"b", 1}},  // 3-4
                         {},                    // 4-5: every count is 0
                     }));
}

// ---- the course seeds ---------------------------------------------------------------------------

// The seeds' `data` for window: four batches of partitions.
Batches<int> seedsWindowData() {
  return {{{1, 2, 3}, {4, 5}}, {{6, 7, 8}, {9}}, {{10, 11}}, {{12}, {13, 14, 15}}};
}

TEST(WindowSeeds, CountByWindow2Slide2) {
  auto ssc = makeCheckpointedContext();
  auto log =
      recordBatches(ssc.queueStream(seedsWindowData()).countByWindow(Seconds(2), Seconds(2)));
  ssc.runBatches(6);
  EXPECT_EQ(log->times, everySlide(2, 3));
  // 5+4 records, then 2+4, then none: 0 rather than nothing once data has been seen.
  EXPECT_EQ(log->recordsPerBatch(), (PerBatch<int64_t>{{9}, {6}, {0}}));
}

TEST(WindowSeeds, ReduceByKeyAndWindowSumAndDifference2Slide2) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {
      {{{"a", 7}, {"a", 5}, {"a", 10}}},  // a 22
      {{{"a", 4}, {"b", 3}, {"a", 6}}},   // a 10, b 3
      {{{"b", 10}, {"c", 3}, {"a", 5}}},  // a 5, b 10, c 3
      {{{"a", 20}}},                      // a 20
      {{{"a", 1}, {"a", 2}, {"a", 3}}},   // a 6
      {{{"c", 2}, {"a", 4}}},             // a 4, c 2
      {{{"c", 3}}},                       // c 3
  };
  auto log = recordBatches(
      ssc.queueStream(data).reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(2)));
  ssc.runBatches(8);
  EXPECT_EQ(log->times, everySlide(2, 4));
  EXPECT_EQ(log->sortedPerBatch(), (PerBatch<StringInt>{
                                       {{"a", 32}, {"b", 3}},             // 22+10; 3
                                       {{"a", 25}, {"b", 10}, {"c", 3}},  // 32-32+5+20; 3-3+10; 3
                                       {{"a", 10}, {"b", 0}, {"c", 2}},   // 25-25+6+4; 10-10; 3-3+2
                                       {{"a", 0}, {"b", 0}, {"c", 3}},    // 10-10; 0; 2-2+3
                                   }));
}

TEST(WindowSeeds, CountByValueAndWindow2Slide2) {
  auto ssc = makeCheckpointedContext();
  Batches<std::string> data = {
      {{"a", "a", "b"}, {"a", "c"}},  // a 3, b 1, c 1
      {{"b", "a", "c"}, {"d", "d"}},  // a 1, b 1, c 1, d 2
      {{"b", "a", "d"}, {"a", "b"}},  // a 2, b 2, d 1
      {{"b"}, {"d"}},                 // b 1, d 1
  };
  auto log = recordBatches(ssc.queueStream(data).countByValueAndWindow(Seconds(2), Seconds(2)));
  ssc.runBatches(6);
  EXPECT_EQ(log->times, everySlide(2, 3));
  // c falls to 0 in the second window and everything in the third: dropped.
  EXPECT_EQ(log->sortedPerBatch(), (PerBatch<StringCount>{
                                       {{"a", 4}, {"b", 2}, {"c", 2}, {"d", 2}},
                                       {{"a", 2}, {"b", 3}, {"d", 2}},
                                       {},
                                   }));
}

// x's maximum, 9, leaves the window while smaller values stay: the window must fall back to the
// maximum of what remains, which only a recomputation (or per-pane aggregates) can give.
std::vector<std::vector<StringInt>> maxLeavesTheWindow() {
  return {
      {{"x", 9}, {"y", 1}},  // batch 1
      {{"x", 2}, {"y", 5}},  // 2
      {{"x", 4}},            // 3
      {{"x", 1}, {"y", 3}},  // 4
      {},                    // 5
      {{"x", 3}},            // 6
  };
}

TEST(WindowSeeds, ReduceByKeyAndWindowMaxSliding3Slide1) {
  auto windows = sortedWindows(
      maxLeavesTheWindow(),
      [](const DStream<StringInt>& in) {
        return in.reduceByKeyAndWindow(windowSeedsMax, Seconds(3), Seconds(1));
      },
      1, 9);
  EXPECT_EQ(windows, (PerBatch<StringInt>{
                         {{"x", 9}, {"y", 1}},
                         {{"x", 9}, {"y", 5}},
                         {{"x", 9}, {"y", 5}},
                         {{"x", 4}, {"y", 5}},  // batches 2-4: x 2,4,1; y 5,3
                         {{"x", 4}, {"y", 3}},  // batches 3-5
                         {{"x", 3}, {"y", 3}},  // batches 4-6: x 1,3
                         {{"x", 3}},
                         {{"x", 3}},
                         {},
                     }));
}

TEST(WindowSeeds, ReduceByKeyAndWindowMaxSliding4Slide2) {
  auto windows = sortedWindows(
      maxLeavesTheWindow(),
      [](const DStream<StringInt>& in) {
        return in.reduceByKeyAndWindow(windowSeedsMax, Seconds(4), Seconds(2));
      },
      2, 10);
  EXPECT_EQ(windows, (PerBatch<StringInt>{
                         {{"x", 9}, {"y", 5}},
                         {{"x", 9}, {"y", 5}},
                         {{"x", 4}, {"y", 3}},  // batches 3-6: x 4,1,3; y 3
                         {{"x", 3}},            // batches 5-8
                         {},
                     }));
}

TEST(WindowSeeds, ReduceByWindowMax) {
  auto ssc = makeCheckpointedContext();
  auto in = ssc.queueStream(seedsWindowData());
  auto tumbling = recordBatches(in.reduceByWindow(windowSeedsMax, Seconds(2), Seconds(2)));
  auto sliding = recordBatches(in.reduceByWindow(windowSeedsMax, Seconds(3), Seconds(1)));
  ssc.runBatches(7);
  EXPECT_EQ(tumbling->times, everySlide(2, 3));
  EXPECT_EQ(tumbling->recordsPerBatch(), (PerBatch<int>{{9}, {15}, {}}));
  EXPECT_EQ(sliding->times, everySlide(1, 7));
  // Batch maxima 5, 9, 11, 15; an empty window has no record.
  EXPECT_EQ(sliding->recordsPerBatch(), (PerBatch<int>{{5}, {9}, {11}, {15}, {15}, {15}, {}}));
}

TEST(WindowSeeds, ReduceByWindowConcatenationKeepsBatchOrder) {
  // One record per batch, so the only order is the batches': concatenation is associative, not
  // commutative, and must see the window oldest first.
  auto run = [](int64_t window_s, int64_t slide_s, int num_batches) {
    auto ssc = makeCheckpointedContext();
    Batches<std::string> letters = {{{"a"}}, {{}, {"b"}}, {{"c"}}, {{"d"}, {}},
                                    {{"e"}}, {{"f"}},     {{"g"}}};
    auto log = recordBatches(
        ssc.queueStream(letters).reduceByWindow(concatenate, Seconds(window_s), Seconds(slide_s)));
    ssc.runBatches(num_batches);
    EXPECT_EQ(log->times, everySlide(slide_s, num_batches / slide_s));
    return log->recordsPerBatch();
  };
  EXPECT_EQ(run(3, 1, 10),
            (PerBatch<std::string>{
                {"a"}, {"ab"}, {"abc"}, {"bcd"}, {"cde"}, {"def"}, {"efg"}, {"fg"}, {"g"}, {}}));
  EXPECT_EQ(run(4, 2, 12), (PerBatch<std::string>{{"ab"}, {"abcd"}, {"cdef"}, {"efg"}, {"g"}, {}}));
  // Panes of 1 s (gcd of 5 and 2): windows (t-5, t].
  EXPECT_EQ(run(5, 2, 14),
            (PerBatch<std::string>{{"ab"}, {"abcd"}, {"bcdef"}, {"defg"}, {"fg"}, {}, {}}));
}

TEST(WindowSeeds, ReduceByWindowWithInverse) {
  auto ssc = makeCheckpointedContext();
  auto in = ssc.queueStream(seedsWindowData());
  auto tumbling = recordBatches(in.reduceByWindow(sum, difference, Seconds(2), Seconds(2)));
  Batches<int> ones = {{{1}}, {{2}}, {{3}}, {{4}}};
  auto sliding =
      recordBatches(ssc.queueStream(ones).reduceByWindow(sum, difference, Seconds(3), Seconds(1)));
  ssc.runBatches(8);
  EXPECT_EQ(tumbling->times, everySlide(2, 4));
  // 1+…+9, 10+…+15, then 0 once everything has left.
  EXPECT_EQ(tumbling->recordsPerBatch(), (PerBatch<int>{{45}, {75}, {0}, {0}}));
  EXPECT_EQ(sliding->times, everySlide(1, 8));
  EXPECT_EQ(sliding->recordsPerBatch(), (PerBatch<int>{{1}, {3}, {6}, {9}, {7}, {4}, {0}, {0}}));
}

// ---- edge cases ---------------------------------------------------------------------------------

TEST(WindowEdgeCases, WindowLargerThanTheDataSoFar) {
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 2}}};
  PerBatch<StringInt> kept = {{{"a", 1}}, {{"a", 3}}, {{"a", 3}},
                              {{"a", 3}}, {{"a", 3}}, {{"a", 2}}};
  PerBatch<StringInt> without_inverse = kept;
  without_inverse.push_back({});
  PerBatch<StringInt> with_inverse = kept;
  with_inverse.push_back({{"a", 0}});
  EXPECT_EQ(sortedWindows(input, sumWindow(5, 1), 1, 7), without_inverse);
  EXPECT_EQ(sortedWindows(input, inverseSumWindow(5, 1), 1, 7), with_inverse);
  EXPECT_EQ(sortedWindows(input, filteredInverseSumWindow(5, 1), 1, 7), without_inverse);
  auto windows = sortedWindows<int>(
      {{1}, {2}}, [](const DStream<int>& in) { return in.window(Seconds(5), Seconds(1)); }, 1, 7);
  EXPECT_EQ(windows, (PerBatch<int>{{1}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {2}, {}}));
}

TEST(WindowEdgeCases, CountByWindowIsSilentUntilTheFirstRecord) {
  // As in Spark, the count is an inverse reduction of one key: no key before any record, then
  // 0 for the empty windows that follow.
  auto windows = sortedWindows<int>(
      {{}, {}, {7}},
      [](const DStream<int>& in) { return in.countByWindow(Seconds(2), Seconds(1)); }, 1, 6);
  EXPECT_EQ(windows, (PerBatch<int64_t>{{}, {}, {1}, {1}, {0}, {0}}));
}

TEST(WindowEdgeCases, SlideLongerThanTheBatchWindow6Slide3) {
  std::vector<std::vector<StringInt>> input;
  for (int value = 1; value <= 9; ++value) input.push_back({{"a", value}});
  PerBatch<StringInt> sums = {
      {{"a", 6}},   // 1+2+3
      {{"a", 21}},  // 1+…+6
      {{"a", 39}},  // 4+…+9
      {{"a", 24}},  // 7+8+9
  };
  PerBatch<StringInt> without_inverse = sums;
  without_inverse.push_back({});
  PerBatch<StringInt> with_inverse = sums;
  with_inverse.push_back({{"a", 0}});
  EXPECT_EQ(sortedWindows(input, sumWindow(6, 3), 3, 15), without_inverse);
  EXPECT_EQ(sortedWindows(input, inverseSumWindow(6, 3), 3, 15), with_inverse);
  EXPECT_EQ(sortedWindows(input, filteredInverseSumWindow(6, 3), 3, 15), without_inverse);
}

TEST(WindowEdgeCases, EmptyBatchesInsideTheWindow) {
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {}, {}, {{"a", 2}}, {}, {{"b", 3}}};
  // Window (t-3, t] at t = 1 … 9 s.
  PerBatch<StringInt> without_inverse = {
      {{"a", 1}},            // batch 1
      {{"a", 1}},            // 1-2
      {{"a", 1}},            // 1-3
      {{"a", 2}},            // 2-4
      {{"a", 2}},            // 3-5
      {{"a", 2}, {"b", 3}},  // 4-6
      {{"b", 3}},            // 5-7
      {{"b", 3}},            // 6-8
      {},                    // 7-9
  };
  PerBatch<StringInt> with_inverse = {
      {{"a", 1}},            // batch 1
      {{"a", 1}},            // 1-2
      {{"a", 1}},            // 1-3
      {{"a", 2}},            // 2-4: 1-1+2
      {{"a", 2}},            // 3-5
      {{"a", 2}, {"b", 3}},  // 4-6
      {{"a", 0}, {"b", 3}},  // 5-7: a 2-2
      {{"a", 0}, {"b", 3}},  // 6-8
      {{"a", 0}, {"b", 0}},  // 7-9: b 3-3
  };
  EXPECT_EQ(sortedWindows(input, sumWindow(3, 1), 1, 9), without_inverse);
  EXPECT_EQ(sortedWindows(input, inverseSumWindow(3, 1), 1, 9), with_inverse);
  EXPECT_EQ(sortedWindows(input, filteredInverseSumWindow(3, 1), 1, 9), without_inverse);
}

TEST(WindowEdgeCases, KeyLeavesAndComesBackWithAFilter) {
  // a is dropped at 3 s (its window sum is 0) and must come back from nothing at 5 s.
  std::vector<std::vector<StringInt>> input = {
      {{"a", 1}, {"b", 1}}, {{"b", 1}}, {{"b", 1}}, {}, {{"a", 5}},
  };
  PerBatch<StringInt> expected = {
      {{"a", 1}, {"b", 1}},  // batch 1
      {{"a", 1}, {"b", 2}},  // 1-2
      {{"b", 2}},            // 2-3: a 1-1 = 0, dropped
      {{"b", 1}},            // 3-4
      {{"a", 5}},            // 4-5: b dropped, a back
      {{"a", 5}},            // 5-6
      {},                    // 6-7
  };
  EXPECT_EQ(sortedWindows(input, filteredInverseSumWindow(2, 1), 1, 7), expected);
  EXPECT_EQ(sortedWindows(input, sumWindow(2, 1), 1, 7), expected);
}

TEST(WindowEdgeCases, NumPartitionsIsHonoured) {
  auto ssc = makeCheckpointedContext(2, 3);  // default parallelism 3
  Batches<StringInt> data =
      dealt<StringInt>({{{"a", 1}, {"b", 2}, {"c", 3}}, {{"a", 4}, {"d", 5}}});
  auto in = ssc.queueStream(data);
  auto words = in.map([](StringInt&& entry) { return entry.first; });
  auto numbers = in.map([](StringInt&& entry) { return entry.second; });
  auto default_sliding = recordBatches(in.reduceByKeyAndWindow(sum, Seconds(2), Seconds(1)));
  auto sliding = recordBatches(in.reduceByKeyAndWindow(sum, Seconds(2), Seconds(1), 5));
  auto default_inverse =
      recordBatches(in.reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(1)));
  auto inverse =
      recordBatches(in.reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(1), 4, nonZero));
  auto counts = recordBatches(words.countByValueAndWindow(Seconds(2), Seconds(1), 4));
  auto groups = recordBatches(in.groupByKeyAndWindow(Seconds(2), Seconds(1), 5));
  auto reduced = recordBatches(numbers.reduceByWindow(sum, Seconds(2), Seconds(1)));
  auto counted = recordBatches(numbers.countByWindow(Seconds(2), Seconds(1)));
  ssc.runBatches(3);
  auto partition_counts = [](const auto& log) {
    std::vector<size_t> sizes;
    for (const auto& batch : log->batches) sizes.push_back(batch.size());
    return sizes;
  };
  using Sizes = std::vector<size_t>;
  EXPECT_EQ(partition_counts(default_sliding), (Sizes{3, 3, 3}));
  EXPECT_EQ(partition_counts(sliding), (Sizes{5, 5, 5}));
  EXPECT_EQ(partition_counts(default_inverse), (Sizes{3, 3, 3}));
  EXPECT_EQ(partition_counts(inverse), (Sizes{4, 4, 4}));
  EXPECT_EQ(partition_counts(counts), (Sizes{4, 4, 4}));
  EXPECT_EQ(partition_counts(groups), (Sizes{5, 5, 5}));
  EXPECT_EQ(partition_counts(reduced), (Sizes{1, 1, 1}));
  EXPECT_EQ(partition_counts(counted), (Sizes{1, 1, 1}));
  // Partitioning moves records, it does not change them.
  PerBatch<StringInt> sums = {{{"a", 1}, {"b", 2}, {"c", 3}},
                              {{"a", 5}, {"b", 2}, {"c", 3}, {"d", 5}},
                              {{"a", 4}, {"d", 5}}};
  EXPECT_EQ(default_sliding->sortedPerBatch(), sums);
  EXPECT_EQ(sliding->sortedPerBatch(), sums);
  EXPECT_EQ(inverse->sortedPerBatch(), sums);
  EXPECT_EQ(reduced->recordsPerBatch(), (PerBatch<int>{{6}, {15}, {9}}));
  EXPECT_EQ(counted->recordsPerBatch(), (PerBatch<int64_t>{{3}, {5}, {2}}));
  // The partition of a key is its hash partition, the same in every window.
  std::map<std::string, size_t> partition_of_key;
  for (const auto& batch : sliding->batches) {
    for (size_t p = 0; p < batch.size(); ++p) {
      for (const auto& [key, value] : batch[p]) {
        auto [it, inserted] = partition_of_key.try_emplace(key, p);
        EXPECT_EQ(it->second, p) << key;
      }
    }
  }
}

TEST(WindowEdgeCases, GroupByKeyAndWindowKeepsBatchOrder) {
  // Each key has at most one value per batch, so its group's order is the batches' order.
  auto log = runWindowed<StringInt>(
      {{{"a", 1}, {"b", 10}}, {{"a", 2}}, {{"b", 20}, {"a", 3}}, {{"a", 4}}},
      [](const DStream<StringInt>& in) { return in.groupByKeyAndWindow(Seconds(3), Seconds(1)); },
      5);
  PerBatch<Group> expected = {
      {{"a", {1}}, {"b", {10}}},            // batch 1
      {{"a", {1, 2}}, {"b", {10}}},         // 1-2
      {{"a", {1, 2, 3}}, {"b", {10, 20}}},  // 1-3
      {{"a", {2, 3, 4}}, {"b", {20}}},      // 2-4
      {{"a", {3, 4}}, {"b", {20}}},         // 3-5
  };
  EXPECT_EQ(log->sortedPerBatch(), expected);
}

// ---- windows of windows and of reductions -------------------------------------------------------

TEST(WindowComposition, WindowOfAWindow) {
  // The inner window (2 s every 1 s) yields [1], [1,2], [2,3], [3,4], [4,5], [5], [] ...; the
  // outer one (4 s every 2 s) unites four of them.
  auto windows = sortedWindows<int>(
      {{1}, {2}, {3}, {4}, {5}},
      [](const DStream<int>& in) {
        return in.window(Seconds(2), Seconds(1)).window(Seconds(4), Seconds(2));
      },
      2, 10);
  EXPECT_EQ(windows, (PerBatch<int>{
                         {1, 1, 2}, {1, 1, 2, 2, 3, 3, 4}, {2, 3, 3, 4, 4, 5, 5}, {4, 5, 5}, {}}));
}

TEST(WindowComposition, ReductionOverATumblingWindow) {
  // The tumbling window yields 1+2, 3+4, 5+6 every 2 s; the reduction sums two of them.
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 2}}, {{"a", 3}},
                                               {{"a", 4}}, {{"a", 5}}, {{"a", 6}}};
  auto over_window = [](auto reduction) {
    return [reduction](const DStream<StringInt>& in) {
      return reduction(in.window(Seconds(2), Seconds(2)));
    };
  };
  PerBatch<StringInt> sums = {{{"a", 3}}, {{"a", 10}}, {{"a", 18}}, {{"a", 11}}};
  PerBatch<StringInt> without_inverse = sums;
  without_inverse.push_back({});
  PerBatch<StringInt> with_inverse = sums;
  with_inverse.push_back({{"a", 0}});
  EXPECT_EQ(sortedWindows(input, over_window(sumWindow(4, 2)), 2, 10), without_inverse);
  EXPECT_EQ(sortedWindows(input, over_window(inverseSumWindow(4, 2)), 2, 10), with_inverse);
}

TEST(WindowComposition, WindowOverAWindowedReduction) {
  // The reduction's windows (2 s every 1 s) are 1, 3, 5, 7, 4 and then none (or 0); the
  // window over them (2 s every 2 s) sums two consecutive ones, read a batch after they were
  // made.
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 2}}, {{"a", 3}}, {{"a", 4}}};
  auto windowed = [](auto reduction) {
    return [reduction](const DStream<StringInt>& in) {
      return reduction(in).window(Seconds(2), Seconds(2)).reduceByKey(sum);
    };
  };
  EXPECT_EQ(sortedWindows(input, windowed(sumWindow(2, 1)), 2, 8),
            (PerBatch<StringInt>{{{"a", 4}}, {{"a", 12}}, {{"a", 4}}, {}}));
  EXPECT_EQ(sortedWindows(input, windowed(inverseSumWindow(2, 1)), 2, 8),
            (PerBatch<StringInt>{{{"a", 4}}, {{"a", 12}}, {{"a", 4}}, {{"a", 0}}}));
}

TEST(WindowComposition, ReductionOverAWindowedReduction) {
  // The inner reduction (2 s every 1 s) yields 1, 3, 5, 7, 4 and then none (or 0); the outer
  // one (2 s every 2 s) sums two consecutive ones. Each level is tried with and without an
  // inverse, so that a stateful stream reads another's output.
  std::vector<std::vector<StringInt>> input = {{{"a", 1}}, {{"a", 2}}, {{"a", 3}}, {{"a", 4}}};
  auto nested = [](auto inner, auto outer) {
    return [inner, outer](const DStream<StringInt>& in) { return outer(inner(in)); };
  };
  EXPECT_EQ(sortedWindows(input, nested(sumWindow(2, 1), sumWindow(2, 2)), 2, 8),
            (PerBatch<StringInt>{{{"a", 4}}, {{"a", 12}}, {{"a", 4}}, {}}));
  EXPECT_EQ(sortedWindows(input, nested(inverseSumWindow(2, 1), sumWindow(2, 2)), 2, 8),
            (PerBatch<StringInt>{{{"a", 4}}, {{"a", 12}}, {{"a", 4}}, {{"a", 0}}}));
  EXPECT_EQ(sortedWindows(input, nested(sumWindow(2, 1), inverseSumWindow(2, 2)), 2, 8),
            (PerBatch<StringInt>{{{"a", 4}}, {{"a", 12}}, {{"a", 4}}, {{"a", 0}}}));
}

TEST(WindowComposition, SeveralOutputsOfOneReductionSeeEachWindowOnce) {
  // Each batch folds into the window's state once, however many outputs read the stream.
  auto ssc = makeCheckpointedContext();
  auto summed = ssc.queueStream(dealt(sparkBigInput()))
                    .reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(1));
  auto first = recordBatches(summed);
  auto second = recordBatches(summed);
  auto counted = recordBatches(summed.count());
  ssc.runBatches(6);
  PerBatch<StringInt> expected = {
      {{"a", 1}},
      {{"a", 2}, {"b", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 2}, {"c", 1}},
      {{"a", 2}, {"b", 1}, {"c", 0}},
      {{"a", 1}, {"b", 0}, {"c", 0}},
  };
  EXPECT_EQ(first->sortedPerBatch(), expected);
  EXPECT_EQ(second->sortedPerBatch(), expected);
  EXPECT_EQ(counted->recordsPerBatch(), (PerBatch<int64_t>{{1}, {2}, {3}, {3}, {3}, {3}}));
}

TEST(WindowComposition, StateCarriesAcrossRunBatchesCalls) {
  auto ssc = makeCheckpointedContext();
  auto in = ssc.queueStream(dealt(sparkBigInput()));
  auto without_inverse = recordBatches(in.reduceByKeyAndWindow(sum, Seconds(2), Seconds(1)));
  auto with_filter =
      recordBatches(in.reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(1), 0, nonZero));
  ssc.runBatches(5);
  ssc.runBatches(7);
  EXPECT_EQ(without_inverse->times, everySlide(1, 12));
  EXPECT_EQ(without_inverse->sortedPerBatch(), sparkBigOutput());
  EXPECT_EQ(with_filter->sortedPerBatch(), sparkBigOutput());
}

// ---- long and random windows against a naive oracle ---------------------------------------------

// `num_batches` batches of random records: 0 to 3 partitions of 0 to 4 records (so some
// batches and partitions are empty), keys "k0" to "k<num_keys - 1>", values 1 to 99 (positive,
// so a window's sum is 0 only when the key has no value in it).
Batches<StringInt> randomBatches(std::mt19937& rng, int num_batches, int num_keys) {
  std::uniform_int_distribution<int> partitions(0, 3);
  std::uniform_int_distribution<int> records(0, 4);
  std::uniform_int_distribution<int> keys(0, num_keys - 1);
  std::uniform_int_distribution<int> values(1, 99);
  Batches<StringInt> batches(num_batches);
  for (auto& batch : batches) {
    batch.resize(partitions(rng));
    for (auto& partition : batch) {
      for (int n = records(rng); n > 0; --n) {
        partition.emplace_back(test::tagged("k", keys(rng)), values(rng));
      }
    }
  }
  return batches;
}

// `num_batches` batches in which each key has at most one record, whose value names its batch
// ("7;"), over 1 to 3 partitions: a window's concatenation per key shows the order the engine
// combined the values in.
Batches<StringString> randomOrderedBatches(std::mt19937& rng, int num_batches, int num_keys) {
  std::uniform_int_distribution<int> partitions(1, 3);
  std::bernoulli_distribution present(0.5);
  Batches<StringString> batches(num_batches);
  for (int b = 0; b < num_batches; ++b) {
    batches[b].resize(partitions(rng));
    std::uniform_int_distribution<size_t> partition(0, batches[b].size() - 1);
    for (int k = 0; k < num_keys; ++k) {
      if (present(rng)) {
        batches[b][partition(rng)].emplace_back(test::tagged("k", k),
                                                std::to_string(b + 1) + ";");
      }
    }
  }
  return batches;
}

// The oracle: batch k of `input` (from 1) runs at k s, so the window of `window_s` ending at
// `end_s` holds batches end_s - window_s + 1 to end_s. Per key, their values folded with `f`
// in batch order, recomputed from scratch.
template <class V, class F>
std::map<std::string, V> naiveWindow(const Batches<std::pair<std::string, V>>& input, int64_t end_s,
                                     int64_t window_s, F f) {
  std::map<std::string, V> folded;
  int64_t last = std::min<int64_t>(end_s, static_cast<int64_t>(input.size()));
  for (int64_t k = std::max<int64_t>(1, end_s - window_s + 1); k <= last; ++k) {
    for (const auto& partition : input[k - 1]) {
      for (const auto& [key, value] : partition) {
        auto [it, inserted] = folded.try_emplace(key, value);
        if (!inserted) it->second = f(it->second, value);
      }
    }
  }
  return folded;
}

// The oracle of the inverse path without a filter: the window's sums, plus 0 for every key
// seen before that has no value in the window (it stays in the state).
std::map<std::string, int> naiveInverseWindow(const Batches<StringInt>& input, int64_t end_s,
                                              int64_t window_s) {
  std::map<std::string, int> sums = naiveWindow(input, end_s, window_s, sum);
  int64_t last = std::min<int64_t>(end_s, static_cast<int64_t>(input.size()));
  for (int64_t k = 1; k <= last; ++k) {
    for (const auto& partition : input[k - 1]) {
      for (const auto& entry : partition) sums.try_emplace(entry.first, 0);
    }
  }
  return sums;
}

// Every record of the window of `window_s` ending at `end_s`, sorted.
std::vector<StringInt> naiveWindowRecords(const Batches<StringInt>& input, int64_t end_s,
                                          int64_t window_s) {
  std::vector<StringInt> records;
  int64_t last = std::min<int64_t>(end_s, static_cast<int64_t>(input.size()));
  for (int64_t k = std::max<int64_t>(1, end_s - window_s + 1); k <= last; ++k) {
    for (const auto& partition : input[k - 1]) {
      records.insert(records.end(), partition.begin(), partition.end());
    }
  }
  std::sort(records.begin(), records.end());
  return records;
}

template <class V>
std::vector<std::pair<std::string, V>> asRecords(const std::map<std::string, V>& map) {
  return std::vector<std::pair<std::string, V>>(map.begin(), map.end());  // in key order, as sorted
}

// Runs every windowed reduction with the given durations (in batches of 1 s) over random data,
// `data_batches` of it and then empty batches until every key has left the window, in one
// context of random parallelism and a random number of output partitions, and compares each
// emitted window with the oracle.
void expectMatchesTheOracle(int64_t window_s, int64_t slide_s, uint32_t seed, int data_batches) {
  SCOPED_TRACE("window " + std::to_string(window_s) + " s, slide " + std::to_string(slide_s) +
               " s, seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  Batches<StringInt> input = randomBatches(rng, data_batches, 7);
  Batches<StringString> ordered = randomOrderedBatches(rng, data_batches, 4);
  int parallelism = std::uniform_int_distribution<int>(1, 4)(rng);
  size_t num_partitions = std::uniform_int_distribution<size_t>(0, 4)(rng);  // 0: the default
  size_t expected_partitions =
      num_partitions == 0 ? static_cast<size_t>(parallelism) : num_partitions;
  int num_batches = data_batches + static_cast<int>(window_s + slide_s);

  auto ssc = makeCheckpointedContext(2, parallelism);
  auto in = ssc.queueStream(input);
  Duration window = Seconds(window_s);
  Duration slide = Seconds(slide_s);
  auto summed = recordBatches(in.reduceByKeyAndWindow(sum, window, slide, num_partitions));
  auto maxed = recordBatches(in.reduceByKeyAndWindow(windowSeedsMax, window, slide, num_partitions));
  auto inverse =
      recordBatches(in.reduceByKeyAndWindow(sum, difference, window, slide, num_partitions));
  auto filtered = recordBatches(
      in.reduceByKeyAndWindow(sum, difference, window, slide, num_partitions, nonZero));
  auto windowed = recordBatches(in.window(window, slide));
  auto concatenated = recordBatches(
      ssc.queueStream(ordered).reduceByKeyAndWindow(concatenate, window, slide, num_partitions));
  ssc.runBatches(num_batches);

  std::vector<int64_t> times = everySlide(slide_s, num_batches / slide_s);
  ASSERT_EQ(summed->times, times);
  ASSERT_EQ(maxed->times, times);
  ASSERT_EQ(inverse->times, times);
  ASSERT_EQ(filtered->times, times);
  ASSERT_EQ(windowed->times, times);
  ASSERT_EQ(concatenated->times, times);
  for (size_t i = 0; i < times.size(); ++i) {
    int64_t end_s = times[i] / 1000;
    SCOPED_TRACE("window ending at " + std::to_string(end_s) + " s");
    auto sums = asRecords(naiveWindow(input, end_s, window_s, sum));
    EXPECT_EQ(summed->sortedRecords(i), sums);
    EXPECT_EQ(maxed->sortedRecords(i), asRecords(naiveWindow(input, end_s, window_s, windowSeedsMax)));
    EXPECT_EQ(inverse->sortedRecords(i), asRecords(naiveInverseWindow(input, end_s, window_s)));
    EXPECT_EQ(filtered->sortedRecords(i), sums);
    EXPECT_EQ(windowed->sortedRecords(i), naiveWindowRecords(input, end_s, window_s));
    EXPECT_EQ(concatenated->sortedRecords(i),
              asRecords(naiveWindow(ordered, end_s, window_s, concatenate)));
    EXPECT_EQ(summed->batches[i].size(), expected_partitions);
    EXPECT_EQ(inverse->batches[i].size(), expected_partitions);
  }
  // Past the data, every key has left: nothing (or zeros on the inverse path) remains.
  EXPECT_TRUE(summed->records(times.size() - 1).empty());
  for (const auto& [key, value] : inverse->records(times.size() - 1)) EXPECT_EQ(value, 0) << key;
}

TEST(WindowOracle, LongWindow50Slide1) { expectMatchesTheOracle(50, 1, 50, 130); }

TEST(WindowOracle, LongWindow50Slide5) { expectMatchesTheOracle(50, 5, 55, 130); }

TEST(WindowOracle, WindowsThatAreMultiplesOfTheSlide) {
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{1, 1}, {2, 1}, {2, 2}, {4, 4},
                                                           {6, 3}, {9, 3}, {8, 2}};
  uint32_t seed = 100;
  for (const auto& [window_s, slide_s] : shapes) {
    expectMatchesTheOracle(window_s, slide_s, seed++, 3 * window_s + 7);
  }
}

TEST(WindowOracle, WindowsThatAreNotMultiplesOfTheSlide) {
  // Panes are gcd(window, slide) long: 1 s for 5/2, 7/3 and 3/2, 2 s for 6/4, 3 s for 9/6.
  const std::vector<std::pair<int64_t, int64_t>> shapes = {{5, 2}, {7, 3}, {3, 2},
                                                           {6, 4}, {9, 6}, {10, 4}};
  uint32_t seed = 200;
  for (const auto& [window_s, slide_s] : shapes) {
    expectMatchesTheOracle(window_s, slide_s, seed++, 3 * window_s + 7);
  }
}

TEST(WindowOracle, RandomShapes) {
  std::mt19937 rng(300);
  for (int i = 0; i < 8; ++i) {
    int64_t slide_s = std::uniform_int_distribution<int64_t>(1, 4)(rng);
    int64_t window_s = slide_s + std::uniform_int_distribution<int64_t>(0, 8)(rng);
    expectMatchesTheOracle(window_s, slide_s, 300 + i, static_cast<int>(3 * window_s + 7));
  }
}

// ---- definition-time errors ---------------------------------------------------------------------

// One window operation, defined with the given durations on a stream of 1 s batches.
struct WindowOperation {
  std::string name;
  std::function<void(Duration window, Duration slide)> define;
};

std::vector<WindowOperation> everyWindowOperation(const DStream<int>& values,
                                                  const DStream<StringInt>& pairs) {
  return {
      {"window", [=](Duration w, Duration s) { values.window(w, s); }},
      {"reduceByKeyAndWindow",
       [=](Duration w, Duration s) { pairs.reduceByKeyAndWindow(sum, w, s); }},
      {"reduceByKeyAndWindow",
       [=](Duration w, Duration s) { pairs.reduceByKeyAndWindow(sum, difference, w, s); }},
      {"reduceByKeyAndWindow",
       [=](Duration w, Duration s) {
         pairs.reduceByKeyAndWindow(sum, difference, w, s, 2, nonZero);
       }},
      {"reduceByWindow", [=](Duration w, Duration s) { values.reduceByWindow(sum, w, s); }},
      {"reduceByWindow",
       [=](Duration w, Duration s) { values.reduceByWindow(sum, difference, w, s); }},
      {"countByWindow", [=](Duration w, Duration s) { values.countByWindow(w, s); }},
      {"countByValueAndWindow",
       [=](Duration w, Duration s) { values.countByValueAndWindow(w, s); }},
      {"groupByKeyAndWindow", [=](Duration w, Duration s) { pairs.groupByKeyAndWindow(w, s); }},
  };
}

TEST(WindowErrors, InvalidDurationsAreRejectedWhenDefined) {
  auto ssc = makeCheckpointedContext();
  Batches<int> numbers = {{{1}}};
  Batches<StringInt> pairs = {{{{"a", 1}}}};
  auto operations = everyWindowOperation(ssc.queueStream(numbers), ssc.queueStream(pairs));
  const std::string multiple =
      " must be a positive multiple of the stream's slide duration (1000 ms)";
  for (const auto& operation : operations) {
    SCOPED_TRACE(operation.name);
    auto define = [&](Duration window, Duration slide) {
      return [&operation, window, slide] { operation.define(window, slide); };
    };
    EXPECT_THAT(define(Milliseconds(1500), Seconds(1)),
                ThrowsMessage<Error>(HasSubstr("the window duration (1500 ms)" + multiple)));
    EXPECT_THAT(define(Seconds(4), Milliseconds(1500)),
                ThrowsMessage<Error>(HasSubstr("the slide duration (1500 ms)" + multiple)));
    EXPECT_THAT(define(Duration(), Seconds(1)),
                ThrowsMessage<Error>(HasSubstr("the window duration (0 ms)" + multiple)));
    EXPECT_THAT(define(Seconds(-2), Seconds(1)),
                ThrowsMessage<Error>(HasSubstr("the window duration (-2000 ms)" + multiple)));
    EXPECT_THAT(define(Seconds(2), Duration()),
                ThrowsMessage<Error>(HasSubstr("the slide duration (0 ms)" + multiple)));
    EXPECT_THAT(
        define(Seconds(2), Seconds(3)),
        ThrowsMessage<Error>(HasSubstr(
            "the slide duration (3000 ms) must not be longer than the window duration (2000 ms)")));
    EXPECT_NO_THROW(operation.define(Seconds(2), Seconds(2)));
  }
  // Nothing was started by the failed definitions.
  EXPECT_EQ(ssc.getState(), StreamingContextState::kInitialized);
}

TEST(WindowErrors, MessageNamesTheOperationCalled) {
  // A user who called countByWindow must read "countByWindow", not the name of the operation
  // it is built on.
  auto ssc = makeCheckpointedContext();
  Batches<int> numbers = {{{1}}};
  Batches<StringInt> pairs = {{{{"a", 1}}}};
  for (const auto& operation :
       everyWindowOperation(ssc.queueStream(numbers), ssc.queueStream(pairs))) {
    EXPECT_THAT([&] { operation.define(Seconds(2), Seconds(3)); },
                ThrowsMessage<Error>(StartsWith(operation.name + ": the slide duration (3000 ms)")))
        << operation.name;
  }
}

TEST(WindowErrors, DefaultSlideIsTheStreamsSlide) {
  auto ssc = makeCheckpointedContext();
  Batches<StringInt> data = {{{{"a", 1}}}};
  auto in = ssc.queueStream(data);
  EXPECT_THAT([&] { in.window(Milliseconds(2500)); },
              ThrowsMessage<Error>(HasSubstr("window: the window duration (2500 ms)")));
  EXPECT_THAT(
      [&] { in.reduceByKeyAndWindow(sum, Milliseconds(2500)); },
      ThrowsMessage<Error>(HasSubstr("reduceByKeyAndWindow: the window duration (2500 ms)")));
  EXPECT_THAT([&] { in.groupByKeyAndWindow(Milliseconds(500)); },
              ThrowsMessage<Error>(HasSubstr("groupByKeyAndWindow: the window duration (500 ms)")));
  // Over a window sliding by 2 s, durations are multiples of 2 s and the default slide is 2 s.
  auto windowed = in.window(Seconds(2), Seconds(2));
  EXPECT_THAT(
      [&] { windowed.reduceByKeyAndWindow(sum, Seconds(3), Seconds(2)); },
      ThrowsMessage<Error>(HasSubstr(
          "reduceByKeyAndWindow: the window duration (3000 ms) must be a positive multiple of "
          "the stream's slide duration (2000 ms)")));
  EXPECT_THAT(
      [&] { windowed.reduceByKeyAndWindow(sum, difference, Seconds(4), Seconds(1)); },
      ThrowsMessage<Error>(HasSubstr("reduceByKeyAndWindow: the slide duration (1000 ms)")));
  EXPECT_EQ(windowed.reduceByKeyAndWindow(sum, Seconds(4)).slideDuration(), Seconds(2));
}

// ---- output timing ------------------------------------------------------------------------------

TEST(WindowTiming, OutputsOnlyAtMultiplesOfTheSlide) {
  auto ssc = makeCheckpointedContext();
  std::vector<std::vector<StringInt>> records;
  for (int i = 1; i <= 10; ++i) records.push_back({{test::tagged("k", i % 3), i}});
  auto in = ssc.queueStream(dealt(records));
  auto numbers = in.map([](StringInt&& entry) { return entry.second; });
  Duration window = Seconds(5);
  Duration slide = Seconds(3);
  auto windowed = recordBatches(in.window(window, slide));
  auto reduced = recordBatches(in.reduceByKeyAndWindow(sum, window, slide));
  auto inverse = recordBatches(in.reduceByKeyAndWindow(sum, difference, window, slide));
  auto reduced_by_window = recordBatches(numbers.reduceByWindow(sum, window, slide));
  auto inverse_by_window = recordBatches(numbers.reduceByWindow(sum, difference, window, slide));
  auto counted = recordBatches(numbers.countByWindow(window, slide));
  auto counted_by_value = recordBatches(numbers.countByValueAndWindow(window, slide));
  auto grouped = recordBatches(in.groupByKeyAndWindow(window, slide));
  ssc.runBatches(10);
  for (const std::vector<int64_t>* times :
       {&windowed->times, &reduced->times, &inverse->times, &reduced_by_window->times,
        &inverse_by_window->times, &counted->times, &counted_by_value->times, &grouped->times}) {
    EXPECT_EQ(*times, (std::vector<int64_t>{3000, 6000, 9000}));
  }
}

}  // namespace
}  // namespace caudal
