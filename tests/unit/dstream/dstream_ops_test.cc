// Every DStream operation, batch by batch, against hand-computed outputs. Most data comes from
// the Spark Streaming examples in the course seeds (queueStream of nested lists, 1 s batches);
// each test also has an empty partition and runs past the end of its queue (empty batches).
// Narrow operations keep partition order, so they are compared partition by partition;
// shuffle outputs are compared as sorted vectors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <ranges>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using test::BatchLog;
using test::Batches;
using test::makeContext;
using test::normalizeCoGroups;
using test::normalizeGroups;
using test::Partitions;
using test::recordBatches;
using test::runAndCollect;
using test::sorted;

using Strings = std::vector<std::string>;
using StringInt = std::pair<std::string, int>;
using IntPair = std::pair<int, int>;

// The seeds' `data` for map, count and foreachRDD: two batches of two partitions.
Batches<std::string> spanishWords() {
  return {{{"uno", "dos", "tres"}, {"cuatro", "cinco"}}, {{"seis", "siete", "ocho"}, {"nueve"}}};
}

// The seeds' `data` for window: four batches.
Batches<int> windowData() {
  return {{{1, 2, 3}, {4, 5}}, {{6, 7, 8}, {9}}, {{10, 11}}, {{12}, {13, 14, 15}}};
}

// ---- map, flatMap, filter, mapPartitions, glom ------------------------------------------------

TEST(DStreamMap, SeedsLengthOfEachWordKeepsPartitions) {
  auto ssc = makeContext();
  auto lengths = ssc.queueStream(spanishWords()).map([](const std::string& s) { return s.size(); });
  auto log = recordBatches(lengths);
  ssc.runBatches(3);
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000, 2000, 3000}));
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<size_t>{{3, 3, 4}, {6, 5}}));
  EXPECT_EQ(log->batches[1], (Partitions<size_t>{{4, 5, 4}, {5}}));
  EXPECT_EQ(log->batches[2], Partitions<size_t>{});  // the queue ran dry: an RDD of no partition
}

TEST(DStreamMap, EmptyPartitionsStayEmpty) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a"}, {}, {"bb"}}, {{}, {}}};
  auto lengths = ssc.queueStream(data).map([](std::string s) { return static_cast<int>(s.size()); });
  auto log = recordBatches(lengths);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1}, {}, {2}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{}, {}}));
  EXPECT_EQ(log->batches[2], Partitions<int>{});
}

TEST(DStreamMap, ChangesTheRecordType) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}};
  auto pairs = ssc.queueStream(data).map([](int x) { return StringInt(std::to_string(x), x * x); });
  auto log = recordBatches(pairs);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<StringInt>{{{"1", 1}, {"2", 4}}, {}, {{"3", 9}}}));
  EXPECT_TRUE(log->batches[1].empty());
}

TEST(DStreamFlatMap, VectorOfWords) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"uno dos", ""}, {}, {"tres"}}, {{"cuatro cinco seis"}}};
  auto words = ssc.queueStream(data).flatMap([](const std::string& line) { return split(line, ' '); });
  auto log = recordBatches(words);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  // "" splits into one empty field, as Java's and Python's split do.
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{"uno", "dos", ""}, {}, {"tres"}}));
  EXPECT_EQ(log->batches[1], (Partitions<std::string>{{"cuatro", "cinco", "seis"}}));
  EXPECT_EQ(log->batches[2], Partitions<std::string>{});
}

TEST(DStreamFlatMap, StdArray) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}};
  auto out = ssc.queueStream(data).flatMap([](int x) { return std::array<int, 2>{x, -x}; });
  auto log = recordBatches(out);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1, -1, 2, -2}, {}, {3, -3}}));
  EXPECT_EQ(log->batches[1], Partitions<int>{});
}

TEST(DStreamFlatMap, ViewsPipelineOwningItsData) {
  auto ssc = makeContext();
  Batches<int> data = {{{2, 0}, {}, {3}}};
  auto out = ssc.queueStream(data).flatMap([](int x) {
    return std::views::iota(0, x) | std::views::transform([x](int i) { return x * 10 + i; });
  });
  auto log = recordBatches(out);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{20, 21}, {}, {30, 31, 32}}));
  EXPECT_EQ(log->batches[1], Partitions<int>{});
}

TEST(DStreamFlatMap, ViewOverTheRecordItself) {
  // A view that refers to the record: the record lives while its results are consumed.
  auto ssc = makeContext();
  Batches<std::string> data = {{{"ab", ""}, {"c"}}};
  auto out = ssc.queueStream(data).flatMap([](const std::string& s) {
    return s | std::views::transform([](char c) { return std::string(2, c); });
  });
  auto log = recordBatches(out);
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{"aa", "bb"}, {"cc"}}));
}

TEST(DStreamFlatMap, StringIsARangeOfChars) {
  // As in Python, flatMap over a string yields its characters.
  auto ssc = makeContext();
  Batches<std::string> data = {{{"uno"}, {}, {"dos"}}};
  auto out = ssc.queueStream(data).flatMap([](std::string s) { return s; });
  auto log = recordBatches(out);
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0], (Partitions<char>{{'u', 'n', 'o'}, {}, {'d', 'o', 's'}}));
}

TEST(DStreamFlatMap, SetIsIteratedInItsOwnOrder) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"b a b", "c"}}};
  auto out = ssc.queueStream(data).flatMap([](const std::string& line) {
    Strings words = split(line, ' ');
    return std::set<std::string>(words.begin(), words.end());
  });
  auto log = recordBatches(out);
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{"a", "b", "c"}}));
}

TEST(DStreamFilter, KeepsPartitioningEvenWhenAPartitionEmpties) {
  auto ssc = makeContext();
  auto longWords = ssc.queueStream(spanishWords()).filter([](const std::string& s) { return s.size() > 4; });
  auto log = recordBatches(longWords);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{}, {"cuatro", "cinco"}}));
  EXPECT_EQ(log->batches[1], (Partitions<std::string>{{"siete"}, {"nueve"}}));
  EXPECT_EQ(log->batches[2], Partitions<std::string>{});
}

TEST(DStreamFilter, EmptyPartitionInInput) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2, 3}, {}, {4, 5}}};
  auto even = ssc.queueStream(data).filter([](int x) { return x % 2 == 0; });
  auto log = recordBatches(even);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{2}, {}, {4}}));
  EXPECT_EQ(log->batches[1], Partitions<int>{});
}

TEST(DStreamMapPartitions, CalledOncePerPartitionIncludingEmptyOnes) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a"}, {}, {"b", "c"}}, {{"d", "e", "f"}}};
  auto sizes = ssc.queueStream(data).mapPartitions(
      [](std::vector<std::string> partition) { return std::vector<size_t>{partition.size()}; });
  auto log = recordBatches(sizes);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<size_t>{{1}, {0}, {2}}));
  EXPECT_EQ(log->batches[1], (Partitions<size_t>{{3}}));
  EXPECT_EQ(log->batches[2], Partitions<size_t>{});  // no partition, so no call
}

TEST(DStreamMapPartitions, SeesThePartitionInOrderAndMayDropIt) {
  auto ssc = makeContext();
  auto out = ssc.queueStream(spanishWords()).mapPartitions([](Strings partition) {
    // Keep a partition only if it has three records, joined as one.
    Strings joined;
    if (partition.size() == 3) joined.push_back(partition[0] + "+" + partition[1] + "+" + partition[2]);
    return joined;
  });
  auto log = recordBatches(out);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{"uno+dos+tres"}, {}}));
  EXPECT_EQ(log->batches[1], (Partitions<std::string>{{"seis+siete+ocho"}, {}}));
  EXPECT_EQ(log->batches[2], Partitions<std::string>{});
}

TEST(DStreamGlom, ShowsTheExactInputPartitioning) {
  auto ssc = makeContext();
  auto glommed = ssc.queueStream(spanishWords()).glom();
  auto log = recordBatches(glommed);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<Strings>{{{"uno", "dos", "tres"}}, {{"cuatro", "cinco"}}}));
  EXPECT_EQ(log->batches[1], (Partitions<Strings>{{{"seis", "siete", "ocho"}}, {{"nueve"}}}));
  EXPECT_EQ(log->batches[2], Partitions<Strings>{});
}

TEST(DStreamGlom, EmptyPartitionIsOneEmptyVector) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a"}, {}, {"b"}}};
  auto glommed = ssc.queueStream(data).glom();
  auto log = recordBatches(glommed);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->records(0), (std::vector<Strings>{{"a"}, {}, {"b"}}));
  EXPECT_EQ(log->batches[1], Partitions<Strings>{});
}

// ---- repartition, union ------------------------------------------------------------------------

// The seeds' repartition data (the slide's literal is garbled; read as three batches).
Batches<std::string> repartitionData() {
  return {{{"1", "2", "3", "4", "5", "6"}, {"a", "b"}, {"c", "d"}},
          {{"q", "w", "e"}, {"r"}, {"t"}},
          {{"z"}, {"x", "c", "v", "b"}, {"n"}, {"m"}},
          {{"solo", "uno", "seis", "mas", "tres", "ya"}},
          {{}, {"p"}, {}}};
}

TEST(DStreamRepartition, SeedsRepartition3KeepsRecordsAndSpreadsThem) {
  auto ssc = makeContext();
  Batches<std::string> data = repartitionData();
  auto repartitioned = ssc.queueStream(data).repartition(3);
  auto log = recordBatches(repartitioned);
  ssc.runBatches(6);
  ASSERT_EQ(log->batches.size(), 6u);
  for (size_t b = 0; b < data.size(); ++b) {
    SCOPED_TRACE("batch " + std::to_string(b + 1));
    ASSERT_EQ(log->batches[b].size(), 3u);
    std::vector<std::string> expected;
    for (const auto& partition : data[b]) expected.insert(expected.end(), partition.begin(), partition.end());
    EXPECT_EQ(log->sortedRecords(b), sorted(expected));
    // Each input partition is dealt round-robin, so sizes differ by at most one per input
    // partition (Spark's `distributePartition`).
    auto sizes = test::partitionSizes(log->batches[b]);
    auto [min, max] = std::minmax_element(sizes.begin(), sizes.end());
    EXPECT_LE(*max - *min, data[b].size());
  }
  // One input partition of six records: exactly two per output partition.
  EXPECT_EQ(test::partitionSizes(log->batches[3]), (std::vector<size_t>{2, 2, 2}));
  // The queue ran dry: still three (empty) partitions, as Spark's repartition of an empty RDD.
  EXPECT_EQ(log->batches[5], (Partitions<std::string>{{}, {}, {}}));
}

TEST(DStreamRepartition, ToOnePartition) {
  auto ssc = makeContext();
  Batches<int> data = {{{3, 1}, {}, {2}}};
  auto log = recordBatches(ssc.queueStream(data).repartition(1));
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  ASSERT_EQ(log->batches[0].size(), 1u);
  EXPECT_EQ(sorted(log->batches[0][0]), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{}}));
}

TEST(DStreamUnion, SeedsUnionKeepsPartitionsOfBothStreamsInOrder) {
  auto ssc = makeContext();
  // The seeds union ints with letters; records of one C++ stream have one type, so the numbers
  // are strings here.
  Batches<std::string> data1 = {{{"1", "2", "3"}, {"4"}, {"5", "6"}}, {{"7"}, {"8", "9"}}};
  Batches<std::string> data2 = {{{"a", "b"}, {"c"}}, {{"d"}, {"e", "f", "g"}}};
  auto united = ssc.queueStream(data1).union_(ssc.queueStream(data2));
  auto log = recordBatches(united);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0],
            (Partitions<std::string>{{"1", "2", "3"}, {"4"}, {"5", "6"}, {"a", "b"}, {"c"}}));
  EXPECT_EQ(log->batches[1], (Partitions<std::string>{{"7"}, {"8", "9"}, {"d"}, {"e", "f", "g"}}));
  EXPECT_EQ(log->batches[2], Partitions<std::string>{});
}

TEST(DStreamUnion, OneSideRunsDryFirstAndEmptyPartitionsStay) {
  auto ssc = makeContext();
  Batches<int> left = {{{1}, {}, {2}}, {{3}}};
  Batches<int> right = {{{}}};
  auto log = recordBatches(ssc.queueStream(left).union_(ssc.queueStream(right)));
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1}, {}, {2}, {}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{3}}));
  EXPECT_EQ(log->batches[2], Partitions<int>{});
}

TEST(DStreamUnion, ContextUnionOfThreeStreams) {
  auto ssc = makeContext();
  Batches<int> a = {{{1}, {2}}, {{3}}};
  Batches<int> b = {{{10}}};
  Batches<int> c = {{{}, {100, 200}}, {}, {{300}}};
  auto united = ssc.union_<int>({ssc.queueStream(a), ssc.queueStream(b), ssc.queueStream(c)});
  auto log = recordBatches(united);
  ssc.runBatches(4);
  ASSERT_EQ(log->batches.size(), 4u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1}, {2}, {10}, {}, {100, 200}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{3}}));  // c's second batch has no partition
  EXPECT_EQ(log->batches[2], (Partitions<int>{{300}}));
  EXPECT_EQ(log->batches[3], Partitions<int>{});
}

TEST(DStreamUnion, StreamWithItself) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}, {2, 3}}};
  auto in = ssc.queueStream(data);
  auto log = recordBatches(in.union_(in));
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1}, {2, 3}, {1}, {2, 3}}));
  EXPECT_EQ(log->batches[1], Partitions<int>{});
}

// ---- count, reduce, countByValue -----------------------------------------------------------------

TEST(DStreamCount, SeedsOneRecordPerBatchAndZeroWhenEmpty) {
  auto ssc = makeContext();
  auto log = recordBatches(ssc.queueStream(spanishWords()).count());
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int64_t>{{5}}));
  EXPECT_EQ(log->batches[1], (Partitions<int64_t>{{4}}));
  EXPECT_EQ(log->batches[2], (Partitions<int64_t>{{0}}));
}

TEST(DStreamCount, EmptyPartitionsCountNothing) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a"}, {}, {"b"}}, {{}, {}}};
  auto counts = runAndCollect(ssc, ssc.queueStream(data).count(), 3);
  EXPECT_EQ(counts, (std::vector<std::vector<int64_t>>{{2}, {0}, {0}}));
}

// The seeds' miFuncion(valor, acumulado): the larger of the two.
int seedsMax(int valor, int acumulado) {
  int max = acumulado;
  if (valor > max) max = valor;
  return max;
}

TEST(DStreamReduce, SeedsMaxPerBatchAndNothingWhenEmpty) {
  auto ssc = makeContext();
  Batches<int> data = {{{4, 2}, {7, 15, 4}}, {{2, 3, 16}, {3}}};
  auto log = recordBatches(ssc.queueStream(data).reduce(seedsMax));
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{15}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{16}}));
  EXPECT_EQ(log->batches[2], (Partitions<int>{{}}));  // one partition, no record
}

TEST(DStreamReduce, EmptyPartitionsAreSkipped) {
  auto ssc = makeContext();
  Batches<int> data = {{{}, {5}, {}, {1, 2}}, {{}, {}}};
  auto sums = runAndCollect(ssc, ssc.queueStream(data).reduce([](int a, int b) { return a + b; }), 3);
  EXPECT_EQ(sums, (std::vector<std::vector<int>>{{8}, {}, {}}));
}

TEST(DStreamCountByValue, SeedsCountsPerBatch) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a", "a", "b"}, {"a", "c"}}, {{"b", "a", "c"}, {"d", "d"}}};
  auto log = recordBatches(ssc.queueStream(data).countByValue());
  ssc.runBatches(3);
  using Count = std::pair<std::string, int64_t>;
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<Count>>{
                                       {{"a", 3}, {"b", 1}, {"c", 1}},
                                       {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 2}},
                                       {}}));
}

TEST(DStreamCountByValue, NumPartitionsAndEmptyPartitions) {
  auto ssc = makeContext();
  Batches<int> data = {{{7}, {}, {7, 8}}};
  auto log = recordBatches(ssc.queueStream(data).countByValue(3));
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0].size(), 3u);
  EXPECT_EQ(log->sortedRecords(0), (std::vector<std::pair<int, int64_t>>{{7, 2}, {8, 1}}));
  EXPECT_EQ(log->batches[1].size(), 3u);
  EXPECT_TRUE(log->records(1).empty());
}

// ---- transform, transformWith, StreamingContext::transform ---------------------------------------

TEST(DStreamTransform, SeedsDistinct) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2, 1}, {4, 1}}, {{1, 3, 5}, {1, 2}}};
  auto distinct = ssc.queueStream(data).transform([](const RDD<int>& rdd) { return rdd.distinct(); });
  auto log = recordBatches(distinct);
  ssc.runBatches(3);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<int>>{{1, 2, 4}, {1, 2, 3, 5}, {}}));
}

TEST(DStreamTransform, WithTimeSeesTheBatchTime) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}, {}, {2}}, {{3}}};
  auto stamped = ssc.queueStream(data).transform([](const RDD<int>& rdd, Time time) {
    return rdd.map([ms = time.milliseconds()](int x) { return IntPair(x, static_cast<int>(ms)); });
  });
  auto log = recordBatches(stamped);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<IntPair>{{{1, 1000}}, {}, {{2, 1000}}}));
  EXPECT_EQ(log->batches[1], (Partitions<IntPair>{{{3, 2000}}}));
  EXPECT_EQ(log->batches[2], Partitions<IntPair>{});
}

TEST(DStreamTransform, MayRunActionsOnTheBatch) {
  // As in Spark, the function runs where batches are generated (the driver), so it may run jobs.
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}};
  auto scaled = ssc.queueStream(data).transform([](const RDD<int>& rdd) {
    int64_t n = rdd.count();
    return rdd.map([n](int x) { return x * n; });
  });
  auto log = recordBatches(scaled);
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<int64_t>{{3, 6}, {}, {9}}));
  EXPECT_EQ(log->batches[1], Partitions<int64_t>{});
}

TEST(DStreamTransformWith, UnionOfTwoTypes) {
  auto ssc = makeContext();
  Batches<int> numbers = {{{1}, {}, {2}}, {{3}}};
  Batches<std::string> words = {{{"a"}}};
  auto both = ssc.queueStream(numbers).transformWith(
      ssc.queueStream(words), [](const RDD<int>& a, const RDD<std::string>& b) {
        return a.map([](int x) { return std::to_string(x); }).union_(b);
      });
  auto log = recordBatches(both);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{{"1"}, {}, {"2"}, {"a"}}));
  EXPECT_EQ(log->batches[1], (Partitions<std::string>{{"3"}}));
  EXPECT_EQ(log->batches[2], Partitions<std::string>{});
}

TEST(DStreamTransformWith, WithTimeJoinsTwoPairStreams) {
  auto ssc = makeContext();
  Batches<StringInt> left = {{{{"a", 1}, {"b", 2}}, {}}};
  Batches<StringInt> right = {{{{"a", 10}}}, {{{"a", 20}}}};
  auto joined = ssc.queueStream(left).transformWith(
      ssc.queueStream(right), [](const RDD<StringInt>& a, const RDD<StringInt>& b, Time time) {
        int ms = static_cast<int>(time.milliseconds());
        return a.join(b).map([ms](auto&& record) {
          return StringInt(record.first, record.second.first + record.second.second + ms);
        });
      });
  auto log = recordBatches(joined);
  ssc.runBatches(3);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<StringInt>>{{{"a", 1011}}, {}, {}}));
}

TEST(StreamingContextTransform, SeesTheRddsOfEveryStreamInOrder) {
  auto ssc = makeContext();
  Batches<int> a = {{{1}, {2}}, {{3}}};
  Batches<int> b = {{{}, {10}}};
  Batches<int> c = {{{100}}, {{200}}};
  auto combined = ssc.transform<int>(
      {ssc.queueStream(a), ssc.queueStream(b), ssc.queueStream(c)},
      [](const std::vector<RDD<int>>& rdds, Time time) {
        // Weight each stream by its position, and check the time is the batch's.
        std::vector<RDD<int>> weighted;
        for (size_t i = 0; i < rdds.size(); ++i) {
          int weight = static_cast<int>(i + 1);
          int seconds = static_cast<int>(time.milliseconds() / 1000);
          weighted.push_back(rdds[i].map([weight, seconds](int x) { return x * weight + seconds * 1000; }));
        }
        return RDD<int>::unionOf(weighted);
      });
  auto log = recordBatches(combined);
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1001}, {1002}, {}, {1020}, {1300}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{2003}, {2600}}));
  EXPECT_EQ(log->batches[2], Partitions<int>{});
}

// ---- foreachRDD, print, cache -----------------------------------------------------------------------

// The seeds' printRDD, in C++: the batch's partitions as "RDD (<time>):" and one line each.
std::string printRDD(Time time, const RDD<std::string>& rdd) {
  std::string text = "RDD (" + time.toString() + "):";
  std::vector<Strings> partitions = rdd.glom().collect();
  int numPartition = 0;
  for (const Strings& partition : partitions) {
    text += "\n\tParticion: " + std::to_string(numPartition) + ": " + formatRecord(partition);
    ++numPartition;
  }
  return text + "\n";
}

TEST(DStreamForeachRDD, SeedsPrintRDDWithTime) {
  auto ssc = makeContext();
  std::vector<std::string> printed;
  ssc.queueStream(spanishWords()).foreachRDD([&](const RDD<std::string>& rdd, Time time) {
    printed.push_back(printRDD(time, rdd));
  });
  ssc.runBatches(3);
  EXPECT_EQ(printed, (std::vector<std::string>{
                         "RDD (1000 ms):\n\tParticion: 0: [uno, dos, tres]\n\tParticion: 1: [cuatro, cinco]\n",
                         "RDD (2000 ms):\n\tParticion: 0: [seis, siete, ocho]\n\tParticion: 1: [nueve]\n",
                         "RDD (3000 ms):\n"}));
}

TEST(DStreamForeachRDD, WithoutTimeIsCalledForEveryBatchIncludingEmptyOnes) {
  auto ssc = makeContext();
  Batches<std::string> data = {{{"a"}, {}, {"b"}}};
  std::vector<std::pair<size_t, int64_t>> seen;  // (partitions, records) per call
  ssc.queueStream(data).foreachRDD([&](const RDD<std::string>& rdd) {
    seen.emplace_back(rdd.getNumPartitions(), rdd.count());
  });
  ssc.runBatches(3);
  EXPECT_EQ(seen, (std::vector<std::pair<size_t, int64_t>>{{3, 2}, {0, 0}, {0, 0}}));
}

TEST(DStreamForeachRDD, OutputsRunInDefinitionOrderEachBatch) {
  auto ssc = makeContext();
  Batches<int> data = {{{1}}, {{2}}};
  auto in = ssc.queueStream(data);
  std::vector<std::string> calls;
  in.foreachRDD([&](const RDD<int>&, Time t) { calls.push_back("first@" + t.toString()); });
  in.map([](int x) { return x; }).foreachRDD([&](const RDD<int>&, Time t) {
    calls.push_back("second@" + t.toString());
  });
  ssc.runBatches(2);
  EXPECT_EQ(calls, (std::vector<std::string>{"first@1000 ms", "second@1000 ms", "first@2000 ms",
                                             "second@2000 ms"}));
}

TEST(DStreamPrint, SparkHeaderAndEllipsis) {
  auto ssc = makeContext();
  auto lengths = ssc.queueStream(spanishWords()).map([](const std::string& s) { return s.size(); });
  lengths.pprint(4);
  ::testing::internal::CaptureStdout();
  ssc.runBatches(3);
  std::string out = ::testing::internal::GetCapturedStdout();
  const std::string rule = "-------------------------------------------\n";
  EXPECT_EQ(out, rule + "Time: 1000 ms\n" + rule + "3\n3\n4\n6\n...\n\n" +  //
                     rule + "Time: 2000 ms\n" + rule + "4\n5\n4\n5\n\n" +     //
                     rule + "Time: 3000 ms\n" + rule + "\n");
}

TEST(DStreamCache, ComputesEachBatchOnceForSeveralOutputs) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}, {{4}}};
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto doubled = ssc.queueStream(data).map([calls](int x) {
    calls->fetch_add(1);
    return 2 * x;
  });
  doubled.cache();
  auto first = recordBatches(doubled);
  auto second = recordBatches(doubled.filter([](int x) { return x > 2; }));
  ssc.runBatches(3);
  EXPECT_EQ(calls->load(), 4);  // each record mapped once, although two outputs read it
  ASSERT_EQ(first->batches.size(), 3u);
  EXPECT_EQ(first->batches[0], (Partitions<int>{{2, 4}, {}, {6}}));
  EXPECT_EQ(second->batches[0], (Partitions<int>{{4}, {}, {6}}));
  EXPECT_EQ(first->batches[1], (Partitions<int>{{8}}));
  EXPECT_EQ(second->batches[1], (Partitions<int>{{8}}));
  EXPECT_EQ(first->batches[2], Partitions<int>{});
}

TEST(DStreamCache, WithoutCacheEachOutputRecomputes) {
  auto ssc = makeContext();
  Batches<int> data = {{{1, 2}, {}, {3}}, {{4}}};
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto doubled = ssc.queueStream(data).map([calls](int x) {
    calls->fetch_add(1);
    return 2 * x;
  });
  auto first = recordBatches(doubled);
  auto second = recordBatches(doubled);
  ssc.runBatches(2);
  EXPECT_EQ(calls->load(), 8);
  EXPECT_EQ(first->batches, second->batches);
}

// ---- window ---------------------------------------------------------------------------------------

TEST(DStreamWindow, SeedsFixedWindow2Slide2) {
  auto ssc = makeContext();
  auto log = recordBatches(ssc.queueStream(windowData()).window(Seconds(2), Seconds(2)));
  ssc.runBatches(6);
  EXPECT_EQ(log->times, (std::vector<int64_t>{2000, 4000, 6000}));  // only at multiples of 2 s
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1, 2, 3}, {4, 5}, {6, 7, 8}, {9}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{10, 11}, {12}, {13, 14, 15}}));
  EXPECT_EQ(log->batches[2], Partitions<int>{});
}

TEST(DStreamWindow, SeedsSlidingWindow2Slide1) {
  auto ssc = makeContext();
  auto log = recordBatches(ssc.queueStream(windowData()).window(Seconds(2), Seconds(1)));
  ssc.runBatches(6);
  EXPECT_EQ(log->times, (std::vector<int64_t>{1000, 2000, 3000, 4000, 5000, 6000}));
  ASSERT_EQ(log->batches.size(), 6u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1, 2, 3}, {4, 5}}));  // only what exists so far
  EXPECT_EQ(log->batches[1], (Partitions<int>{{1, 2, 3}, {4, 5}, {6, 7, 8}, {9}}));
  EXPECT_EQ(log->batches[2], (Partitions<int>{{6, 7, 8}, {9}, {10, 11}}));
  EXPECT_EQ(log->batches[3], (Partitions<int>{{10, 11}, {12}, {13, 14, 15}}));
  EXPECT_EQ(log->batches[4], (Partitions<int>{{12}, {13, 14, 15}}));
  EXPECT_EQ(log->batches[5], Partitions<int>{});
}

TEST(DStreamWindow, SlideDefaultsToTheBatchDuration) {
  auto ssc = makeContext();
  auto windowed = ssc.queueStream(windowData()).window(Seconds(2));
  EXPECT_EQ(windowed.slideDuration(), Seconds(1));
  auto counts = runAndCollect(ssc, windowed.count(), 6);
  EXPECT_EQ(counts, (std::vector<std::vector<int64_t>>{{5}, {9}, {6}, {6}, {4}, {0}}));
}

TEST(DStreamWindow, SeedsCountByWindow2Slide2) {
  auto ssc = makeContext();
  auto windowed = ssc.queueStream(windowData()).window(Seconds(2), Seconds(2));
  EXPECT_EQ(windowed.slideDuration(), Seconds(2));
  auto log = recordBatches(windowed.count());
  ssc.runBatches(6);
  EXPECT_EQ(log->times, (std::vector<int64_t>{2000, 4000, 6000}));
  EXPECT_EQ(log->recordsPerBatch(), (std::vector<std::vector<int64_t>>{{9}, {6}, {0}}));
}

TEST(DStreamWindow, OverlappingWindow3Slide2) {
  // The batch at 2 s is in two windows, so it must be remembered across them.
  auto ssc = makeContext();
  auto log = recordBatches(ssc.queueStream(windowData()).window(Seconds(3), Seconds(2)));
  ssc.runBatches(6);
  EXPECT_EQ(log->times, (std::vector<int64_t>{2000, 4000, 6000}));
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(log->batches[0], (Partitions<int>{{1, 2, 3}, {4, 5}, {6, 7, 8}, {9}}));
  EXPECT_EQ(log->batches[1], (Partitions<int>{{6, 7, 8}, {9}, {10, 11}, {12}, {13, 14, 15}}));
  EXPECT_EQ(log->batches[2], (Partitions<int>{{12}, {13, 14, 15}}));  // (3 s, 6 s]: 4 s, 5 s, 6 s
}

TEST(DStreamWindow, SourceAlsoReadDirectlyIsNotConsumedTwice) {
  // The window and a direct output read the same queue: each batch is dequeued once.
  auto ssc = makeContext();
  Batches<int> data = {{{1}, {}}, {{2}}, {{3}}};
  auto in = ssc.queueStream(data);
  auto direct = recordBatches(in);
  auto windowed = recordBatches(in.map([](int x) { return x * 10; }).window(Seconds(2), Seconds(1)));
  ssc.runBatches(4);
  EXPECT_EQ(direct->batches, (std::vector<Partitions<int>>{{{1}, {}}, {{2}}, {{3}}, {}}));
  EXPECT_EQ(windowed->batches,
            (std::vector<Partitions<int>>{{{10}, {}}, {{10}, {}, {20}}, {{20}, {30}}, {{30}}}));
}

TEST(DStreamWindow, OfAShuffledStream) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 1}}, {}, {{"a", 2}, {"b", 1}}}, {{{"b", 5}}}, {{{"a", 7}}}};
  auto summed = ssc.queueStream(data).reduceByKey([](int x, int y) { return x + y; }, 1);
  auto windowed = summed.window(Seconds(2), Seconds(1)).reduceByKey([](int x, int y) { return x + y; });
  auto log = recordBatches(windowed);
  ssc.runBatches(4);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<StringInt>>{
                                       {{"a", 3}, {"b", 1}},
                                       {{"a", 3}, {"b", 6}},
                                       {{"a", 7}, {"b", 5}},
                                       {{"a", 7}}}));
}

// ---- key-value operations ---------------------------------------------------------------------------

// The seeds' miFuncion(acumulado, valor) for reduceByKey: the larger of the two.
int seedsMaxByKey(int acumulado, int valor) {
  int max = acumulado;
  if (valor > max) max = valor;
  return max;
}

TEST(DStreamReduceByKey, SeedsMaxPerYear) {
  auto ssc = makeContext();
  Batches<IntPair> data = {
      {{{1999, 7}, {1999, 5}, {1999, 10}}, {{1999, 4}, {2000, 3}, {1999, 6}}},
      {{{2000, 10}, {2001, 3}, {1999, 5}}, {{1999, 20}}},
      {{{1999, 1}, {1999, 2}, {1999, 3}}},
  };
  auto log = recordBatches(ssc.queueStream(data).reduceByKey(seedsMaxByKey));
  ssc.runBatches(4);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<IntPair>>{
                                       {{1999, 10}, {2000, 3}},
                                       {{1999, 20}, {2000, 10}, {2001, 3}},
                                       {{1999, 3}},
                                       {}}));
  // Without a number, a shuffle has the default parallelism's partitions, even when empty.
  for (const auto& partitions : log->batches) EXPECT_EQ(partitions.size(), 2u);
}

TEST(DStreamReduceByKey, NumPartitionsAndEmptyPartitions) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 1}}, {}, {{"b", 2}, {"a", 3}}}, {{}, {}}};
  auto log = recordBatches(ssc.queueStream(data).reduceByKey([](int x, int y) { return x + y; }, 5));
  ssc.runBatches(3);
  ASSERT_EQ(log->batches.size(), 3u);
  for (const auto& partitions : log->batches) EXPECT_EQ(partitions.size(), 5u);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<StringInt>>{{{"a", 4}, {"b", 2}}, {}, {}}));
}

TEST(DStreamGroupByKey, AllValuesOfEachKey) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 1}, {"b", 2}}, {}, {{"a", 3}, {"a", 1}}}, {{{"c", 9}}}};
  auto log = recordBatches(ssc.queueStream(data).groupByKey());
  ssc.runBatches(3);
  using Group = std::pair<std::string, std::vector<int>>;
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(normalizeGroups(log->records(0)), (std::vector<Group>{{"a", {1, 1, 3}}, {"b", {2}}}));
  EXPECT_EQ(normalizeGroups(log->records(1)), (std::vector<Group>{{"c", {9}}}));
  EXPECT_TRUE(log->records(2).empty());
}

TEST(DStreamGroupByKey, NumPartitions) {
  auto ssc = makeContext();
  Batches<IntPair> data = {{{{1, 1}, {2, 2}, {3, 3}}, {{1, 4}}}};
  auto log = recordBatches(ssc.queueStream(data).groupByKey(4));
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0].size(), 4u);
  EXPECT_EQ(normalizeGroups(log->records(0)),
            (std::vector<std::pair<int, std::vector<int>>>{{1, {1, 4}}, {2, {2}}, {3, {3}}}));
}

TEST(DStreamCombineByKey, AveragePerKey) {
  auto ssc = makeContext();
  // Key "a" is in three partitions, so partial (sum, count)s are merged across partitions.
  Batches<StringInt> data = {{{{"a", 1}, {"b", 4}}, {}, {{"a", 2}}, {{"a", 6}, {"b", 5}}},
                             {{{"c", 3}}}};
  using SumCount = std::pair<double, int>;
  auto averages =
      ssc.queueStream(data)
          .combineByKey([](int v) { return SumCount(v, 1); },
                        [](SumCount c, int v) { return SumCount(c.first + v, c.second + 1); },
                        [](SumCount a, SumCount b) { return SumCount(a.first + b.first, a.second + b.second); })
          .mapValues([](SumCount c) { return c.first / c.second; });
  auto log = recordBatches(averages);
  ssc.runBatches(3);
  using Average = std::pair<std::string, double>;
  EXPECT_EQ(log->sortedPerBatch(),
            (std::vector<std::vector<Average>>{{{"a", 3.0}, {"b", 4.5}}, {{"c", 3.0}}, {}}));
}

TEST(DStreamCombineByKey, NumPartitions) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 1}}, {{"a", 2}}}};
  auto lists = ssc.queueStream(data).combineByKey(
      [](int v) { return std::to_string(v); },
      [](std::string c, int v) { return c + "," + std::to_string(v); },
      [](std::string a, std::string b) { return a < b ? a + "," + b : b + "," + a; }, 3);
  auto log = recordBatches(lists);
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0].size(), 3u);
  EXPECT_EQ(log->records(0), (std::vector<std::pair<std::string, std::string>>{{"a", "1,2"}}));
}

TEST(DStreamMapValues, KeepsKeysAndPartitioning) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 1}, {"b", 2}}, {}, {{"a", 3}}}};
  auto log = recordBatches(ssc.queueStream(data).mapValues([](int v) { return std::to_string(v * 10); }));
  ssc.runBatches(2);
  using StringString = std::pair<std::string, std::string>;
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<StringString>{{{"a", "10"}, {"b", "20"}}, {}, {{"a", "30"}}}));
  EXPECT_EQ(log->batches[1], Partitions<StringString>{});
}

TEST(DStreamFlatMapValues, EachValueExpandsAndAnEmptyRangeDropsTheKey) {
  auto ssc = makeContext();
  Batches<StringInt> data = {{{{"a", 2}, {"b", 0}}, {}, {{"c", 1}}}};
  auto log = recordBatches(ssc.queueStream(data).flatMapValues([](int v) { return std::views::iota(0, v); }));
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<StringInt>{{{"a", 0}, {"a", 1}}, {}, {{"c", 0}}}));
  EXPECT_EQ(log->batches[1], Partitions<StringInt>{});
}

// Joins: batch 1 has keys in both, one side only, and several values per key; batch 2 has
// only a left side (the right queue ran dry); batch 3 has neither.
using StringString = std::pair<std::string, std::string>;
Batches<StringInt> joinLeft() { return {{{{"a", 1}, {"b", 2}}, {}, {{"a", 3}}}, {{{"d", 4}}}}; }
Batches<StringString> joinRight() { return {{{{"a", "x"}, {"c", "y"}}, {{"a", "z"}}}}; }

TEST(DStreamJoin, InnerJoinPerBatch) {
  auto ssc = makeContext();
  auto joined = ssc.queueStream(joinLeft()).join(ssc.queueStream(joinRight()));
  auto log = recordBatches(joined);
  ssc.runBatches(3);
  using Joined = std::pair<std::string, std::pair<int, std::string>>;
  EXPECT_EQ(log->sortedPerBatch(),
            (std::vector<std::vector<Joined>>{
                {{"a", {1, "x"}}, {"a", {1, "z"}}, {"a", {3, "x"}}, {"a", {3, "z"}}}, {}, {}}));
  for (const auto& partitions : log->batches) EXPECT_EQ(partitions.size(), 2u);
}

TEST(DStreamJoin, NumPartitions) {
  auto ssc = makeContext();
  auto joined = ssc.queueStream(joinLeft()).join(ssc.queueStream(joinRight()), 3);
  auto log = recordBatches(joined);
  ssc.runBatches(1);
  ASSERT_EQ(log->batches.size(), 1u);
  EXPECT_EQ(log->batches[0].size(), 3u);
  EXPECT_EQ(log->records(0).size(), 4u);
}

TEST(DStreamJoin, LeftOuterJoin) {
  auto ssc = makeContext();
  auto joined = ssc.queueStream(joinLeft()).leftOuterJoin(ssc.queueStream(joinRight()));
  auto log = recordBatches(joined);
  ssc.runBatches(3);
  using Opt = std::optional<std::string>;
  using Joined = std::pair<std::string, std::pair<int, Opt>>;
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<Joined>>{
                                       {{"a", {1, Opt("x")}},
                                        {"a", {1, Opt("z")}},
                                        {"a", {3, Opt("x")}},
                                        {"a", {3, Opt("z")}},
                                        {"b", {2, std::nullopt}}},
                                       {{"d", {4, std::nullopt}}},
                                       {}}));
}

TEST(DStreamJoin, RightOuterJoin) {
  auto ssc = makeContext();
  auto joined = ssc.queueStream(joinLeft()).rightOuterJoin(ssc.queueStream(joinRight()));
  auto log = recordBatches(joined);
  ssc.runBatches(3);
  using Opt = std::optional<int>;
  using Joined = std::pair<std::string, std::pair<Opt, std::string>>;
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<Joined>>{
                                       {{"a", {Opt(1), "x"}},
                                        {"a", {Opt(1), "z"}},
                                        {"a", {Opt(3), "x"}},
                                        {"a", {Opt(3), "z"}},
                                        {"c", {std::nullopt, "y"}}},
                                       {},
                                       {}}));
}

TEST(DStreamJoin, FullOuterJoin) {
  auto ssc = makeContext();
  auto joined = ssc.queueStream(joinLeft()).fullOuterJoin(ssc.queueStream(joinRight()));
  auto log = recordBatches(joined);
  ssc.runBatches(3);
  using OptInt = std::optional<int>;
  using OptString = std::optional<std::string>;
  using Joined = std::pair<std::string, std::pair<OptInt, OptString>>;
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<Joined>>{
                                       {{"a", {OptInt(1), OptString("x")}},
                                        {"a", {OptInt(1), OptString("z")}},
                                        {"a", {OptInt(3), OptString("x")}},
                                        {"a", {OptInt(3), OptString("z")}},
                                        {"b", {OptInt(2), std::nullopt}},
                                        {"c", {std::nullopt, OptString("y")}}},
                                       {{"d", {OptInt(4), std::nullopt}}},
                                       {}}));
}

TEST(DStreamJoin, Cogroup) {
  auto ssc = makeContext();
  auto grouped = ssc.queueStream(joinLeft()).cogroup(ssc.queueStream(joinRight()));
  auto log = recordBatches(grouped);
  ssc.runBatches(3);
  using CoGroup = std::pair<std::string, std::pair<std::vector<int>, Strings>>;
  ASSERT_EQ(log->batches.size(), 3u);
  EXPECT_EQ(normalizeCoGroups(log->records(0)), (std::vector<CoGroup>{{"a", {{1, 3}, {"x", "z"}}},
                                                                      {"b", {{2}, {}}},
                                                                      {"c", {{}, {"y"}}}}));
  EXPECT_EQ(normalizeCoGroups(log->records(1)), (std::vector<CoGroup>{{"d", {{4}, {}}}}));
  EXPECT_TRUE(log->records(2).empty());
}

TEST(DStreamJoin, WithAWindowOfTheSameSlide) {
  // Spark's classic stream-join-window: each batch joined with the last two batches.
  auto ssc = makeContext();
  Batches<StringInt> clicks = {{{{"a", 1}}}, {{{"a", 2}, {"b", 3}}}, {{{"b", 4}}}};
  auto in = ssc.queueStream(clicks);
  auto joined = in.join(in.window(Seconds(2)));
  auto log = recordBatches(joined);
  ssc.runBatches(4);
  EXPECT_EQ(log->sortedPerBatch(), (std::vector<std::vector<std::pair<std::string, IntPair>>>{
                                       {{"a", {1, 1}}},
                                       {{"a", {2, 1}}, {"a", {2, 2}}, {"b", {3, 3}}},
                                       {{"b", {4, 3}}, {"b", {4, 4}}},
                                       {}}));
}

// ---- queueStream ---------------------------------------------------------------------------------

TEST(DStreamQueueStream, AllAtOnceTakesEveryRddAtTheFirstBatch) {
  auto ssc = makeContext();
  auto log = recordBatches(ssc.queueStream(spanishWords(), /*one_at_a_time=*/false));
  ssc.runBatches(2);
  ASSERT_EQ(log->batches.size(), 2u);
  EXPECT_EQ(log->batches[0], (Partitions<std::string>{
                                 {"uno", "dos", "tres"}, {"cuatro", "cinco"}, {"seis", "siete", "ocho"}, {"nueve"}}));
  EXPECT_EQ(log->batches[1], Partitions<std::string>{});
}

TEST(DStreamQueueStream, OfRdds) {
  auto ssc = makeContext();
  std::vector<RDD<int>> rdds = {ssc.parallelize<int>({1, 2, 3, 4}, 2), ssc.emptyRDD<int>(),
                                ssc.fromPartitions<int>({{}, {5}})};
  auto log = recordBatches(ssc.queueStream(rdds));
  ssc.runBatches(4);
  EXPECT_EQ(log->batches,
            (std::vector<Partitions<int>>{{{1, 2}, {3, 4}}, {}, {{}, {5}}, {}}));
}

}  // namespace
}  // namespace caudal
