// RDD::sortBy / sortByKey: a global order across range partitions, checked against
// std::stable_sort of the same data.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"

namespace caudal {
namespace {

std::vector<std::pair<int, std::string>> randomPairs(size_t n, int max_key, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::pair<int, std::string>> pairs;
  for (size_t i = 0; i < n; ++i) {
    pairs.emplace_back(static_cast<int>(random() % static_cast<uint64_t>(max_key)),
                       std::string("v").append(std::to_string(i)));
  }
  return pairs;
}

TEST(SortBy, AscendingAcrossPartitionsEqualsStableSort) {
  for (size_t partitions : {1u, 2u, 5u}) {
    SCOPED_TRACE("partitions " + std::to_string(partitions));
    StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 2});
    auto data = randomPairs(2000, 300, partitions);
    auto sorted = ssc.parallelize(data, 4).sortByKey(true, partitions);
    EXPECT_EQ(sorted.getNumPartitions(), partitions);

    // Equal keys keep the order they had within their map partition; the input order of
    // equal keys across partitions is partition order, which is what stable_sort sees.
    auto expected = data;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    EXPECT_EQ(sorted.collect(), expected);
  }
}

TEST(SortBy, DescendingByComputedKey) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 3});
  std::vector<std::string> words = {"tres", "uno", "cuatro", "dos", "cinco", "seis", "a", ""};
  auto sorted = ssc.parallelize(words, 3).sortBy(
      [](const std::string& w) { return w.size(); }, /*ascending=*/false, 3);
  std::vector<std::string> expected = {"cuatro", "cinco", "tres", "seis", "uno", "dos", "a", ""};
  EXPECT_EQ(sorted.collect(), expected);
}

TEST(SortBy, EmptyAndSkewedInputs) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 2});
  EXPECT_TRUE(ssc.emptyRDD<int>().sortBy([](int x) { return x; }).collect().empty());
  EXPECT_TRUE(ssc.fromPartitions<int>({{}, {}, {}}).sortBy([](int x) { return x; }, true, 3)
                  .collect()
                  .empty());
  // One key everywhere: every record lands in one range, still in order.
  std::vector<int> same(500, 7);
  EXPECT_EQ(ssc.parallelize(same, 4).sortBy([](int x) { return x; }, true, 4).collect(), same);
}

TEST(SortBy, InsideTransformGivesOrderedBatches) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 2});
  std::vector<std::vector<std::vector<int>>> batches = {{{5, 1}, {4, 2, 3}}, {{9}, {}, {8, 7}}};
  std::vector<std::vector<int>> seen;
  ssc.queueStream(batches)
      .transform([](const RDD<int>& rdd) { return rdd.sortBy([](int x) { return x; }, true, 2); })
      .foreachRDD([&](const RDD<int>& rdd) { seen.push_back(rdd.collect()); });
  ssc.runBatches(3);
  EXPECT_EQ(seen, (std::vector<std::vector<int>>{{1, 2, 3, 4, 5}, {7, 8, 9}, {}}));
}

}  // namespace
}  // namespace caudal
