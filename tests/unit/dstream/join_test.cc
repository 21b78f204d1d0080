// The four joins against a nested-loop oracle, on random pair RDDs with repeated keys on both
// sides, keys present on one side only, and empty partitions, for several partition counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using test::sorted;

using Left = std::pair<int, std::string>;
using Right = std::pair<int, int>;

std::vector<std::vector<Left>> randomLeft(std::mt19937& random) {
  std::vector<std::vector<Left>> partitions(4);  // partition 2 stays empty
  for (int i = 0; i < 60; ++i) {
    size_t p = random() % 4;
    if (p == 2) p = 3;
    // Appended, not "v" + to_string: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
    partitions[p].emplace_back(static_cast<int>(random() % 15),
                               std::string("v").append(std::to_string(i)));
  }
  return partitions;
}

std::vector<std::vector<Right>> randomRight(std::mt19937& random) {
  std::vector<std::vector<Right>> partitions(3);
  for (int i = 0; i < 40; ++i) {
    partitions[random() % 3].emplace_back(static_cast<int>(5 + random() % 15), i);
  }
  return partitions;
}

template <class T>
std::vector<T> flatten(const std::vector<std::vector<T>>& partitions) {
  std::vector<T> all;
  for (const auto& partition : partitions) all.insert(all.end(), partition.begin(), partition.end());
  return all;
}

// Every (left, right) pair with equal keys; with `keep_left` / `keep_right`, the records whose
// key has no partner on the other side, paired with nullopt.
auto oracle(const std::vector<Left>& left, const std::vector<Right>& right, bool keep_left,
            bool keep_right) {
  using Out = std::pair<int, std::pair<std::optional<std::string>, std::optional<int>>>;
  std::vector<Out> out;
  for (const auto& [k, v] : left) {
    bool matched = false;
    for (const auto& [k2, w] : right) {
      if (k == k2) {
        out.push_back({k, {v, w}});
        matched = true;
      }
    }
    if (!matched && keep_left) out.push_back({k, {v, std::nullopt}});
  }
  if (keep_right) {
    for (const auto& [k2, w] : right) {
      bool matched = std::any_of(left.begin(), left.end(), [&](const Left& l) { return l.first == k2; });
      if (!matched) out.push_back({k2, {std::nullopt, w}});
    }
  }
  return sorted(out);
}

// Widens a join's records to optionals on both sides, to compare with the oracle.
template <class L, class R>
auto widen(const std::vector<std::pair<int, std::pair<L, R>>>& records) {
  std::vector<std::pair<int, std::pair<std::optional<std::string>, std::optional<int>>>> out;
  for (const auto& [k, lr] : records) out.push_back({k, {lr.first, lr.second}});
  return sorted(out);
}

TEST(Joins, AllFourEqualTheNestedLoopOracle) {
  for (unsigned seed : {1u, 2u, 3u}) {
    for (size_t partitions : {1u, 2u, 5u}) {
      for (int threads : {1, 3}) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", partitions " + std::to_string(partitions) +
                     ", threads " + std::to_string(threads));
        std::mt19937 random(seed);
        auto left_parts = randomLeft(random);
        auto right_parts = randomRight(random);
        auto left_all = flatten(left_parts);
        auto right_all = flatten(right_parts);
        StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = threads});
        auto left = ssc.fromPartitions(left_parts);
        auto right = ssc.fromPartitions(right_parts);

        auto inner = left.join(right, partitions);
        EXPECT_EQ(inner.getNumPartitions(), partitions);
        EXPECT_EQ(widen(inner.collect()), oracle(left_all, right_all, false, false));
        EXPECT_EQ(widen(left.leftOuterJoin(right, partitions).collect()),
                  oracle(left_all, right_all, true, false));
        EXPECT_EQ(widen(left.rightOuterJoin(right, partitions).collect()),
                  oracle(left_all, right_all, false, true));
        EXPECT_EQ(widen(left.fullOuterJoin(right, partitions).collect()),
                  oracle(left_all, right_all, true, true));
      }
    }
  }
}

TEST(Joins, EmptySides) {
  StreamingContext ssc(Seconds(1), Config{.numWorkerThreads = 2});
  auto left = ssc.fromPartitions<Left>({{{1, "a"}, {2, "b"}}});
  auto none = ssc.emptyRDD<Right>();
  EXPECT_TRUE(left.join(none).collect().empty());
  EXPECT_EQ(widen(left.leftOuterJoin(none).collect()),
            oracle({{1, "a"}, {2, "b"}}, {}, true, false));
  EXPECT_TRUE(left.rightOuterJoin(none).collect().empty());
  EXPECT_EQ(widen(ssc.emptyRDD<Left>().fullOuterJoin(ssc.fromPartitions<Right>({{{3, 30}}})).collect()),
            oracle({}, {{3, 30}}, true, true));
}

}  // namespace
}  // namespace caudal
