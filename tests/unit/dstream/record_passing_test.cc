// How records travel between operators: borrowed from nodes that hold them (no copies) when the
// consumer only reads, owned and moved otherwise. Counted with a record type that counts its
// copies.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"

namespace caudal {
namespace {

std::atomic<int> copies{0};

struct Counted {
  int value = 0;
  explicit Counted(int v) : value(v) {}
  Counted(const Counted& other) : value(other.value) { ++copies; }
  Counted(Counted&& other) noexcept = default;
  Counted& operator=(const Counted& other) {
    value = other.value;
    ++copies;
    return *this;
  }
  Counted& operator=(Counted&&) noexcept = default;
};

std::vector<Counted> countedRange(int n) {
  std::vector<Counted> records;
  for (int i = 0; i < n; ++i) records.emplace_back(i);
  return records;
}

class RecordPassing : public ::testing::Test {
 protected:
  void SetUp() override { copies = 0; }
  StreamingContext ssc{Seconds(1), Config{.numWorkerThreads = 2}};
};

TEST_F(RecordPassing, MapReadingConstRefsOfAnInMemoryRddCopiesNothing) {
  auto rdd = ssc.parallelize(countedRange(100), 4);
  copies = 0;
  auto doubled = rdd.map([](const Counted& c) { return c.value * 2; }).collect();
  EXPECT_EQ(copies.load(), 0);
  EXPECT_EQ(doubled.size(), 100u);
  EXPECT_EQ(doubled[99], 198);
}

TEST_F(RecordPassing, FlatMapAndCountBorrowToo) {
  auto rdd = ssc.parallelize(countedRange(50), 3);
  copies = 0;
  EXPECT_EQ(rdd.count(), 50);
  auto values = rdd.flatMap([](const Counted& c) { return std::vector<int>{c.value, c.value}; })
                    .count();
  EXPECT_EQ(values, 100);
  EXPECT_EQ(copies.load(), 0);
}

TEST_F(RecordPassing, FilterCopiesOnlyTheRecordsItKeeps) {
  auto rdd = ssc.parallelize(countedRange(100), 4);
  copies = 0;
  auto kept = rdd.filter([](const Counted& c) { return c.value % 10 == 0; })
                  .map([](Counted&& c) { return c.value; })
                  .collect();
  EXPECT_EQ(kept.size(), 10u);
  EXPECT_EQ(copies.load(), 10);
}

TEST_F(RecordPassing, UnionOfInMemoryRddsAndCachedRddsLend) {
  auto a = ssc.parallelize(countedRange(10), 2);
  auto b = ssc.parallelize(countedRange(5), 1);
  auto mapped = a.map([](const Counted& c) { return Counted(c.value + 1); }).cache();
  copies = 0;
  EXPECT_EQ(a.union_(b).map([](const Counted& c) { return c.value; }).count(), 15);
  EXPECT_EQ(mapped.count(), 10);  // fills the cache by moving computed records in
  EXPECT_EQ(mapped.map([](const Counted& c) { return c.value; }).collect().back(), 10);
  EXPECT_EQ(copies.load(), 0);
}

TEST_F(RecordPassing, ComputedRecordsAreMovedNotCopiedDownAChain) {
  auto rdd = ssc.parallelize(std::vector<int>{1, 2, 3, 4}, 2);
  copies = 0;
  auto out = rdd.map([](int x) { return Counted(x); })
                 .map([](Counted&& c) {
                   c.value *= 10;
                   return std::move(c);
                 })
                 .filter([](const Counted& c) { return c.value > 10; })
                 .collect();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].value, 20);
  EXPECT_EQ(copies.load(), 0);
}

TEST_F(RecordPassing, FunctionsTakingOwnershipGetOwnedCopiesOfHeldRecords) {
  // A function taking its record by rvalue may consume it: the source's records stay intact.
  auto rdd = ssc.parallelize(std::vector<std::string>{"uno", "dos"}, 1);
  auto consumed = rdd.map([](std::string&& s) { return std::move(s) + "!"; }).collect();
  EXPECT_EQ(consumed, (std::vector<std::string>{"uno!", "dos!"}));
  EXPECT_EQ(rdd.collect(), (std::vector<std::string>{"uno", "dos"}));
}

}  // namespace
}  // namespace caudal
