// The stable hash decides which partition a key lands in, and checkpointed state is partitioned
// by it: a change of hash would move keys between partitions across a restart. The expected
// values below were computed once and are fixed on purpose; do not update them to make a
// changed hash pass.

#include "caudal/detail/stable_hash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace caudal::detail {
namespace {

template <class T>
uint64_t hashOf(const T& value) {
  return StableHash<T>{}(value);
}

TEST(StableHash, FixedValuesOfIntegers) {
  EXPECT_EQ(hashOf(0), 0x0000000000000000ULL);
  EXPECT_EQ(hashOf(1), 0x5692161d100b05e5ULL);
  EXPECT_EQ(hashOf(42), 0xa759ea27d4727622ULL);
  EXPECT_EQ(hashOf(-1), 0xb4d055fcf2cbbd7bULL);
  EXPECT_EQ(hashOf(int64_t{1999}), 0x127222015fb368aeULL);
}

TEST(StableHash, FixedValuesOfStrings) {
  // One string per path of hashBytes: empty, 1..3-byte tail, 4..7-byte tail, whole words.
  EXPECT_EQ(hashOf(std::string()), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(hashOf(std::string("a")), 0xf664685f6890c56dULL);
  EXPECT_EQ(hashOf(std::string("ab")), 0xa5de2b1cec131ecdULL);
  EXPECT_EQ(hashOf(std::string("uno")), 0x0241fe7b941b5403ULL);
  EXPECT_EQ(hashOf(std::string("tres")), 0xd0ae16c84222efc4ULL);
  EXPECT_EQ(hashOf(std::string("cinco")), 0x1001c61eeea4e960ULL);
  EXPECT_EQ(hashOf(std::string("abcdefg")), 0x2a432fd81eff0821ULL);
  EXPECT_EQ(hashOf(std::string("12345678")), 0xef0b1179d7995630ULL);
  EXPECT_EQ(hashOf(std::string("the quick brown f")), 0xdb771e1894be144fULL);  // 8 + 8 + 1 bytes
}

TEST(StableHash, FixedValuesOfCompositeKeys) {
  EXPECT_EQ(hashOf(1.5), 0xe72b41d4576e3468ULL);
  EXPECT_EQ(hashOf(std::pair<std::string, int>("a", 1)), 0x6969db4b6310cd3cULL);
  EXPECT_EQ(hashOf(std::tuple<int, std::string>(1, "a")), 0x36c23daa8af1c91dULL);
  EXPECT_EQ(hashOf(std::optional<int>()), 0x0000000000000000ULL);
  EXPECT_EQ(hashOf(std::optional<int>(7)), 0x781a5ea05a5e59f0ULL);
  EXPECT_EQ(hashOf(std::vector<int>{1, 2, 3}), 0x755d50d607761b32ULL);
}

TEST(StableHash, FixedPartitionsOfSeedsKeys) {
  EXPECT_EQ(partitionOf(std::string("uno"), 8), 0u);
  EXPECT_EQ(partitionOf(std::string("dos"), 8), 2u);
  EXPECT_EQ(partitionOf(std::string("tres"), 8), 6u);
  EXPECT_EQ(partitionOf(std::string("cuatro"), 8), 7u);
  EXPECT_EQ(partitionOf(std::string("cinco"), 8), 0u);
  EXPECT_EQ(partitionOf(1999, 8), 0u);
  EXPECT_EQ(partitionOf(2000, 8), 0u);
  EXPECT_EQ(partitionOf(2001, 8), 4u);
  EXPECT_EQ(partitionOf(42, 8), 5u);
}

TEST(StableHash, SameValueSameHashWhateverItsType) {
  EXPECT_EQ(hashOf(std::string("clave")), hashOf(std::string_view("clave")));
  EXPECT_EQ(hashOf(int32_t{12345}), hashOf(int64_t{12345}));
  EXPECT_EQ(hashOf(int32_t{-5}), hashOf(int64_t{-5}));
  EXPECT_EQ(hashOf(1.5f), hashOf(1.5));
}

TEST(StableHash, NegativeZeroAndZeroHashEqual) {
  EXPECT_EQ(hashOf(-0.0), hashOf(0.0));
  EXPECT_EQ(hashOf(-0.0f), hashOf(0.0f));
  EXPECT_EQ(partitionOf(-0.0, 7), partitionOf(0.0, 7));
}

TEST(StableHash, EveryNaNHashesEqual) {
  double quiet = std::numeric_limits<double>::quiet_NaN();
  double negative = -quiet;
  double computed = std::sqrt(-1.0);
  EXPECT_EQ(hashOf(quiet), hashOf(negative));
  EXPECT_EQ(hashOf(quiet), hashOf(computed));
}

TEST(StableHash, OrderMattersInCompositeKeys) {
  EXPECT_NE(hashOf(std::pair<int, int>(1, 2)), hashOf(std::pair<int, int>(2, 1)));
  EXPECT_NE(hashOf(std::vector<int>{1, 2}), hashOf(std::vector<int>{2, 1}));
  EXPECT_NE(hashOf(std::vector<int>{}), hashOf(std::vector<int>{0}));
  EXPECT_NE(hashOf(std::string("ab")), hashOf(std::string("ba")));
}

TEST(PartitionOf, SpreadsIntsEvenly) {
  constexpr size_t kPartitions = 8;
  constexpr int kKeys = 10000;
  std::vector<int> counts(kPartitions);
  for (int key = 0; key < kKeys; ++key) {
    size_t p = partitionOf(key, kPartitions);
    ASSERT_LT(p, kPartitions);
    ++counts[p];
  }
  const double even = static_cast<double>(kKeys) / kPartitions;
  for (size_t p = 0; p < kPartitions; ++p) {
    EXPECT_GE(counts[p], even * 0.8) << "partition " << p;
    EXPECT_LE(counts[p], even * 1.2) << "partition " << p;
  }
}

TEST(PartitionOf, SpreadsStringsEvenly) {
  constexpr size_t kPartitions = 8;
  constexpr int kKeys = 10000;
  std::vector<int> counts(kPartitions);
  for (int key = 0; key < kKeys; ++key) ++counts[partitionOf("user-" + std::to_string(key), kPartitions)];
  const double even = static_cast<double>(kKeys) / kPartitions;
  for (size_t p = 0; p < kPartitions; ++p) {
    EXPECT_GE(counts[p], even * 0.8) << "partition " << p;
    EXPECT_LE(counts[p], even * 1.2) << "partition " << p;
  }
}

TEST(PartitionOf, OnePartitionAndInRange) {
  for (int key = -50; key < 50; ++key) {
    EXPECT_EQ(partitionOf(key, 1), 0u);
    EXPECT_LT(partitionOf(key, 3), 3u);
    EXPECT_LT(partitionOf(std::to_string(key), 7), 7u);
  }
}

TEST(StableHasher, IsTheStableHash) {
  EXPECT_EQ(StableHasher<std::string>{}("uno"), hashOf(std::string("uno")));
  EXPECT_EQ(StableHasher<int>{}(42), hashOf(42));
}

}  // namespace
}  // namespace caudal::detail
