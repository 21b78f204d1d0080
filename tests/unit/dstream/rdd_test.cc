// RDD<T> on its own: how parallelize slices, the actions, the wide operations, caching, and
// lineages that share parents (diamonds, nested shuffles).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using ::testing::HasSubstr;
using test::makeContext;
using test::Partitions;
using test::sorted;

using StringInt = std::pair<std::string, int>;

std::vector<int> range(int from, int to) {
  std::vector<int> values(static_cast<size_t>(to - from));
  std::iota(values.begin(), values.end(), from);
  return values;
}

// A map function that counts its calls (copies share the counter).
struct CountingIdentity {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  int operator()(int x) const {
    calls->fetch_add(1);
    return x;
  }
};

// ---- parallelize and fromPartitions -------------------------------------------------------------

TEST(RddParallelize, SlicesContiguouslyAsSpark) {
  auto ssc = makeContext();
  EXPECT_EQ(ssc.parallelize(range(1, 11), 3).collectPartitions(),
            (Partitions<int>{{1, 2, 3}, {4, 5, 6}, {7, 8, 9, 10}}));
  EXPECT_EQ(ssc.parallelize(range(1, 7), 2).collectPartitions(), (Partitions<int>{{1, 2, 3}, {4, 5, 6}}));
  EXPECT_EQ(ssc.parallelize(range(1, 4), 1).collectPartitions(), (Partitions<int>{{1, 2, 3}}));
}

TEST(RddParallelize, MorePartitionsThanRecordsLeavesSomeEmpty) {
  auto ssc = makeContext();
  // Spark's positions(3, 5): (0,0) (0,1) (1,1) (1,2) (2,3).
  EXPECT_EQ(ssc.parallelize(range(1, 4), 5).collectPartitions(), (Partitions<int>{{}, {1}, {}, {2}, {3}}));
  EXPECT_EQ(ssc.parallelize(std::vector<int>{}, 3).collectPartitions(), (Partitions<int>{{}, {}, {}}));
}

TEST(RddParallelize, ZeroMeansTheDefaultParallelism) {
  auto ssc = makeContext(/*threads=*/2, /*parallelism=*/3);
  auto rdd = ssc.parallelize(range(0, 7));
  EXPECT_EQ(rdd.getNumPartitions(), 3u);
  EXPECT_EQ(rdd.collectPartitions(), (Partitions<int>{{0, 1}, {2, 3}, {4, 5, 6}}));
}

TEST(RddFromPartitions, KeepsThePartitionsExactly) {
  auto ssc = makeContext();
  Partitions<std::string> partitions = {{"a"}, {}, {"b", "c"}, {}};
  auto rdd = ssc.fromPartitions(partitions);
  EXPECT_EQ(rdd.getNumPartitions(), 4u);
  EXPECT_EQ(rdd.collectPartitions(), partitions);
  EXPECT_EQ(rdd.glom().collect(), partitions);
}

TEST(RddEmpty, HasNoPartition) {
  auto ssc = makeContext();
  auto rdd = ssc.emptyRDD<int>();
  EXPECT_EQ(rdd.getNumPartitions(), 0u);
  EXPECT_TRUE(rdd.collect().empty());
  EXPECT_EQ(rdd.count(), 0);
  EXPECT_TRUE(rdd.isEmpty());
}

// ---- actions ------------------------------------------------------------------------------------

TEST(RddActions, CollectAndCountInPartitionOrder) {
  auto ssc = makeContext();
  auto rdd = ssc.fromPartitions<int>({{3, 1}, {}, {2}, {9, 8, 7}});
  EXPECT_EQ(rdd.collect(), (std::vector<int>{3, 1, 2, 9, 8, 7}));
  EXPECT_EQ(rdd.count(), 6);
  EXPECT_EQ(rdd.collectPartitions(), (Partitions<int>{{3, 1}, {}, {2}, {9, 8, 7}}));
}

TEST(RddActions, TakeAcrossPartitions) {
  auto ssc = makeContext();
  auto rdd = ssc.fromPartitions<int>({{1, 2, 3}, {}, {4, 5}, {6}});
  EXPECT_EQ(rdd.take(0), std::vector<int>{});
  EXPECT_EQ(rdd.take(2), (std::vector<int>{1, 2}));
  EXPECT_EQ(rdd.take(4), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(rdd.take(6), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(rdd.take(100), (std::vector<int>{1, 2, 3, 4, 5, 6}));  // more than there is
  EXPECT_EQ(ssc.fromPartitions<int>({{}, {}, {}, {}, {}, {}, {7}}).take(3), (std::vector<int>{7}));
}

TEST(RddActions, TakeComputesOnlyThePartitionsItNeeds) {
  auto ssc = makeContext();
  CountingIdentity f;
  auto rdd = ssc.parallelize(range(0, 8), 4).map(f);
  EXPECT_EQ(rdd.take(2), (std::vector<int>{0, 1}));
  EXPECT_EQ(f.calls->load(), 2);  // the first partition was enough
}

TEST(RddActions, First) {
  auto ssc = makeContext();
  EXPECT_EQ(ssc.fromPartitions<int>({{5, 6}, {7}}).first(), 5);
  EXPECT_EQ(ssc.fromPartitions<int>({{}, {}, {7}}).first(), 7);
  EXPECT_THAT([&] { ssc.fromPartitions<int>({{}, {}}).first(); },
              ::testing::ThrowsMessage<Error>(HasSubstr("first() on an empty RDD")));
  EXPECT_THROW(ssc.emptyRDD<int>().first(), Error);
}

TEST(RddActions, Reduce) {
  auto ssc = makeContext();
  auto max = [](int a, int b) { return a > b ? a : b; };
  EXPECT_EQ(ssc.fromPartitions<int>({{4, 2}, {}, {7, 15, 4}}).reduce(max), 15);
  EXPECT_EQ(ssc.fromPartitions<int>({{}, {3}}).reduce(max), 3);
  EXPECT_EQ(ssc.parallelize(range(1, 101), 7).reduce([](int a, int b) { return a + b; }), 5050);
  EXPECT_THAT([&] { ssc.fromPartitions<int>({{}, {}}).reduce(max); },
              ::testing::ThrowsMessage<Error>(HasSubstr("reduce() on an empty RDD")));
  EXPECT_THROW(ssc.emptyRDD<int>().reduce(max), Error);
}

TEST(RddActions, IsEmpty) {
  auto ssc = makeContext();
  EXPECT_TRUE(ssc.emptyRDD<int>().isEmpty());
  EXPECT_TRUE(ssc.fromPartitions<int>({{}, {}, {}}).isEmpty());
  EXPECT_FALSE(ssc.fromPartitions<int>({{}, {}, {1}}).isEmpty());
  EXPECT_TRUE(ssc.parallelize(range(0, 10), 3).filter([](int x) { return x > 100; }).isEmpty());
}

TEST(RddActions, ForeachSeesEveryRecordOnce) {
  auto ssc = makeContext(/*threads=*/3, /*parallelism=*/3);
  std::atomic<int64_t> sum{0};
  std::atomic<int> calls{0};
  ssc.parallelize(range(1, 101), 7).foreach([&](int x) {
    sum.fetch_add(x);
    calls.fetch_add(1);
  });
  EXPECT_EQ(sum.load(), 5050);
  EXPECT_EQ(calls.load(), 100);
}

TEST(RddActions, ForeachPartitionOncePerPartitionIncludingEmptyOnes) {
  auto ssc = makeContext();
  std::mutex mutex;
  std::vector<std::vector<int>> seen;
  ssc.fromPartitions<int>({{1, 2}, {}, {3}}).foreachPartition([&](std::vector<int> partition) {
    std::lock_guard lock(mutex);
    seen.push_back(std::move(partition));
  });
  EXPECT_EQ(sorted(seen), (std::vector<std::vector<int>>{{}, {1, 2}, {3}}));
}

// ---- narrow transformations ----------------------------------------------------------------------

TEST(RddNarrow, ChainKeepsPartitionsAndOrder) {
  auto ssc = makeContext();
  auto rdd = ssc.fromPartitions<int>({{1, 2, 3}, {}, {4, 5, 6}})
                 .map([](int x) { return x * 2; })             // 2 4 6 | | 8 10 12
                 .filter([](int x) { return x % 3 != 0; })     // 2 4 | | 8 10
                 .flatMap([](int x) { return std::vector<int>{x, x + 1}; })
                 .mapPartitionsWithIndex([](size_t index, std::vector<int> records) {
                   std::vector<std::string> out;
                   for (int r : records) out.push_back(std::to_string(index) + ":" + std::to_string(r));
                   return out;
                 });
  EXPECT_EQ(rdd.glom().collect(), (Partitions<std::string>{{"0:2", "0:3", "0:4", "0:5"},
                                                           {},
                                                           {"2:8", "2:9", "2:10", "2:11"}}));
}

TEST(RddNarrow, KeysAndValues) {
  auto ssc = makeContext();
  auto pairs = ssc.fromPartitions<StringInt>({{{"a", 1}}, {}, {{"b", 2}, {"a", 3}}});
  EXPECT_EQ(pairs.keys().collectPartitions(), (Partitions<std::string>{{"a"}, {}, {"b", "a"}}));
  EXPECT_EQ(pairs.values().collectPartitions(), (Partitions<int>{{1}, {}, {2, 3}}));
}

TEST(RddNarrow, UnionConcatenatesPartitions) {
  auto ssc = makeContext();
  auto a = ssc.fromPartitions<int>({{1}, {}});
  auto b = ssc.fromPartitions<int>({{2, 3}});
  EXPECT_EQ(a.union_(b).collectPartitions(), (Partitions<int>{{1}, {}, {2, 3}}));
  EXPECT_EQ(b.union_(a).collectPartitions(), (Partitions<int>{{2, 3}, {1}, {}}));
  EXPECT_EQ(a.union_(ssc.emptyRDD<int>()).collectPartitions(), (Partitions<int>{{1}, {}}));
  EXPECT_EQ(RDD<int>::unionOf({a, b, a}).collectPartitions(), (Partitions<int>{{1}, {}, {2, 3}, {1}, {}}));
  EXPECT_THROW(RDD<int>::unionOf({}), Error);
}

// ---- wide transformations -------------------------------------------------------------------------

TEST(RddWide, Distinct) {
  auto ssc = makeContext();
  auto rdd = ssc.fromPartitions<int>({{1, 2, 1}, {}, {4, 1}});
  auto distinct = rdd.distinct();
  EXPECT_EQ(distinct.getNumPartitions(), 2u);  // the default parallelism
  EXPECT_EQ(sorted(distinct.collect()), (std::vector<int>{1, 2, 4}));
  auto distinct5 = rdd.distinct(5);
  EXPECT_EQ(distinct5.getNumPartitions(), 5u);
  EXPECT_EQ(sorted(distinct5.collect()), (std::vector<int>{1, 2, 4}));
  EXPECT_TRUE(ssc.emptyRDD<int>().distinct().collect().empty());
}

TEST(RddWide, Repartition) {
  auto ssc = makeContext();
  auto rdd = ssc.fromPartitions<int>({{1, 2, 3, 4, 5}, {}, {6}});
  for (size_t n : {1u, 2u, 3u, 4u, 7u}) {
    SCOPED_TRACE("repartition(" + std::to_string(n) + ")");
    auto repartitioned = rdd.repartition(n);
    EXPECT_EQ(repartitioned.getNumPartitions(), n);
    EXPECT_EQ(sorted(repartitioned.collect()), range(1, 7));
  }
  EXPECT_THAT([&] { rdd.repartition(0); },
              ::testing::ThrowsMessage<Error>(HasSubstr("number of partitions must be positive")));
}

TEST(RddWide, ReduceByKeyPlacesEachKeyByItsStableHash) {
  auto ssc = makeContext();
  std::vector<StringInt> pairs;
  for (int i = 0; i < 200; ++i) {
    std::string key = "k";  // appended, not "k" + …: GCC 12 -O3 warns falsely (-Wrestrict) on that
    key += std::to_string(i % 37);
    pairs.emplace_back(std::move(key), 1);
  }
  auto counts = ssc.parallelize(pairs, 5).reduceByKey([](int a, int b) { return a + b; }, 4);
  Partitions<StringInt> partitions = counts.collectPartitions();
  ASSERT_EQ(partitions.size(), 4u);
  size_t keys = 0;
  for (size_t p = 0; p < partitions.size(); ++p) {
    for (const auto& [key, count] : partitions[p]) {
      EXPECT_EQ(detail::partitionOf(key, 4), p) << key;
      int index = std::stoi(key.substr(1));
      EXPECT_EQ(count, 200 / 37 + (index < 200 % 37 ? 1 : 0)) << key;
      ++keys;
    }
  }
  EXPECT_EQ(keys, 37u);
}

TEST(RddWide, GroupByKeyAndCombineByKey) {
  auto ssc = makeContext();
  auto pairs = ssc.fromPartitions<StringInt>({{{"a", 1}, {"b", 2}}, {}, {{"a", 3}}});
  EXPECT_EQ(test::normalizeGroups(pairs.groupByKey(3).collect()),
            (std::vector<std::pair<std::string, std::vector<int>>>{{"a", {1, 3}}, {"b", {2}}}));
  auto maxima = pairs.combineByKey([](int v) { return int64_t{v}; },
                                   [](int64_t c, int v) { return std::max<int64_t>(c, v); },
                                   [](int64_t a, int64_t b) { return std::max(a, b); });
  EXPECT_EQ(sorted(maxima.collect()), (std::vector<std::pair<std::string, int64_t>>{{"a", 3}, {"b", 2}}));
}

TEST(RddWide, NestedShufflesReduceThenJoinThenGroup) {
  auto ssc = makeContext(/*threads=*/3, /*parallelism=*/3);
  auto words = ssc.fromPartitions<std::string>({{"a", "b", "a"}, {}, {"c", "a", "b"}, {"d"}});
  auto counts = words.map([](std::string w) { return StringInt(std::move(w), 1); })
                    .reduceByKey([](int a, int b) { return a + b; });  // a3 b2 c1 d1
  auto lengths = ssc.fromPartitions<std::pair<std::string, std::string>>(
      {{{"a", "uno"}, {"b", "dos"}}, {{"c", "tres"}, {"e", "cinco"}}});
  auto byCount = counts.join(lengths)  // a(3,uno) b(2,dos) c(1,tres)
                     .map([](std::pair<std::string, std::pair<int, std::string>> record) {
                       return std::pair<int, std::string>(record.second.first,
                                                          record.first + "=" + record.second.second);
                     })
                     .groupByKey(2);
  EXPECT_EQ(byCount.getNumPartitions(), 2u);
  EXPECT_EQ(test::normalizeGroups(byCount.collect()),
            (std::vector<std::pair<int, std::vector<std::string>>>{
                {1, {"c=tres"}}, {2, {"b=dos"}}, {3, {"a=uno"}}}));
}

TEST(RddWide, ShuffleOutputIsReusedByLaterActions) {
  // As Spark skips a stage whose shuffle output exists, the map side runs once.
  auto ssc = makeContext();
  CountingIdentity f;
  auto sums = ssc.parallelize(range(0, 10), 3)
                  .map(f)
                  .map([](int x) { return std::pair<int, int>(x % 3, x); })
                  .reduceByKey([](int a, int b) { return a + b; });
  EXPECT_EQ(sums.count(), 3);
  EXPECT_EQ(f.calls->load(), 10);
  EXPECT_EQ(sorted(sums.collect()), (std::vector<std::pair<int, int>>{{0, 18}, {1, 12}, {2, 15}}));
  EXPECT_EQ(f.calls->load(), 10);
}

// ---- cache ---------------------------------------------------------------------------------------------

TEST(RddCache, ComputesEachPartitionOnce) {
  auto ssc = makeContext();
  CountingIdentity f;
  auto rdd = ssc.parallelize(range(0, 10), 3).map(f);
  rdd.cache();
  EXPECT_EQ(rdd.count(), 10);
  EXPECT_EQ(rdd.collect(), range(0, 10));
  EXPECT_EQ(rdd.take(2), (std::vector<int>{0, 1}));
  EXPECT_EQ(f.calls->load(), 10);
}

TEST(RddCache, EveryHandleOfTheRddSharesTheCache) {
  // As in Spark, cache() marks the RDD itself: copies taken before and after read the cache.
  auto ssc = makeContext();
  CountingIdentity f;
  auto rdd = ssc.parallelize(range(0, 4), 2).map(f);
  RDD<int> copy_before = rdd;
  RDD<int> returned = rdd.persist();
  EXPECT_EQ(rdd.collect(), range(0, 4));
  EXPECT_EQ(copy_before.collect(), range(0, 4));
  EXPECT_EQ(returned.collect(), range(0, 4));
  EXPECT_EQ(f.calls->load(), 4);
  // A child of the cached RDD computes its own records from the cache, not from `f`.
  EXPECT_EQ(rdd.map([](int x) { return x * 2; }).collect(), (std::vector<int>{0, 2, 4, 6}));
  EXPECT_EQ(f.calls->load(), 4);
}

TEST(RddCache, SamePartitionReadTwiceInOneJob) {
  auto ssc = makeContext(/*threads=*/4, /*parallelism=*/4);
  CountingIdentity f;
  auto rdd = ssc.parallelize(range(0, 100), 4).map(f);
  rdd.cache();
  // Partitions i and i + 4 of the union are the same cached partition, maybe computed by two
  // workers at once.
  EXPECT_EQ(rdd.union_(rdd).count(), 200);
  EXPECT_EQ(f.calls->load(), 100);
}

TEST(RddCache, PartitionThatFailedIsRecomputedWhole) {
  // A task that throws leaves nothing cached: the next action recomputes the partition from
  // the start, as Spark does when a task fails.
  auto ssc = makeContext();
  auto failures_left = std::make_shared<std::atomic<int>>(1);
  auto rdd = ssc.parallelize(range(1, 5), 1).map([failures_left](int x) {
    if (x == 3 && failures_left->fetch_sub(1) > 0) throw std::runtime_error("flaky");
    return x;
  });
  rdd.cache();
  EXPECT_THROW(rdd.collect(), std::runtime_error);
  EXPECT_EQ(rdd.collect(), range(1, 5));
}

// ---- shared lineage ----------------------------------------------------------------------------------

TEST(RddLineage, DiamondJoinOfAnRddWithItsOwnAggregate) {
  auto ssc = makeContext(/*threads=*/3, /*parallelism=*/3);
  auto base = ssc.fromPartitions<StringInt>({{{"a", 1}, {"b", 2}}, {}, {{"a", 3}}});
  auto totals = base.reduceByKey([](int x, int y) { return x + y; });  // a4 b2
  auto shares = base.join(totals);  // every record with its key's total
  EXPECT_EQ(sorted(shares.collect()), (std::vector<std::pair<std::string, std::pair<int, int>>>{
                                          {"a", {1, 4}}, {"a", {3, 4}}, {"b", {2, 2}}}));
}

TEST(RddLineage, UncachedParentUsedTwiceIsComputedTwice) {
  auto ssc = makeContext();
  CountingIdentity f;
  auto mapped = ssc.parallelize(range(0, 6), 2).map(f);
  auto both = mapped.union_(mapped.map([](int x) { return x + 100; }));
  EXPECT_EQ(both.collectPartitions(), (Partitions<int>{{0, 1, 2}, {3, 4, 5}, {100, 101, 102}, {103, 104, 105}}));
  EXPECT_EQ(f.calls->load(), 12);
}

TEST(RddLineage, TwoShufflesOfTheSameParent) {
  auto ssc = makeContext();
  auto base = ssc.fromPartitions<std::pair<int, int>>({{{1, 10}, {2, 20}}, {{1, 30}}});
  auto sums = base.reduceByKey([](int a, int b) { return a + b; });
  auto groups = base.groupByKey();
  auto joined = sums.join(groups);
  auto records = joined.collect();
  for (auto& record : records) std::sort(record.second.second.begin(), record.second.second.end());
  EXPECT_EQ(sorted(records), (std::vector<std::pair<int, std::pair<int, std::vector<int>>>>{
                                 {1, {40, {10, 30}}}, {2, {20, {20}}}}));
}

// ---- actions inside tasks -------------------------------------------------------------------------

TEST(RddNestedActions, ActionInsideATaskThrows) {
  auto ssc = makeContext();
  auto inner = ssc.parallelize(range(0, 3), 2);
  auto outer = ssc.parallelize(range(0, 4), 2).map([inner](int x) { return inner.count() + x; });
  EXPECT_THAT([&] { outer.collect(); },
              ::testing::ThrowsMessage<Error>(HasSubstr("cannot run inside a task")));
  // The pool is still usable.
  EXPECT_EQ(ssc.parallelize(range(0, 4), 2).count(), 4);
}

TEST(RddNestedActions, ShuffledRddActionInsideATaskThrows) {
  auto ssc = makeContext();
  auto inner = ssc.parallelize<std::pair<int, int>>({{1, 1}, {1, 2}}, 2).reduceByKey(
      [](int a, int b) { return a + b; });
  auto outer = ssc.parallelize(range(0, 4), 2);
  EXPECT_THAT([&] { outer.foreach([inner](int) { inner.collect(); }); },
              ::testing::ThrowsMessage<Error>(HasSubstr("cannot run inside a task")));
  EXPECT_EQ(inner.collect(), (std::vector<std::pair<int, int>>{{1, 3}}));
}

}  // namespace
}  // namespace caudal
