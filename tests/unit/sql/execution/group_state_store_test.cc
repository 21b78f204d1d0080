#include "sql/execution/group_state_store.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <vector>

namespace caudal::sql {
namespace {

int64_t read64(const uint8_t* payload) {
  int64_t value;
  std::memcpy(&value, payload, sizeof value);
  return value;
}

// A store whose payloads start at 7 and append, when released, their value to `released`.
std::unique_ptr<GroupStateStore> makeStore(std::vector<DataType> keys, size_t partitions,
                                           std::vector<int64_t>& released) {
  return std::make_unique<GroupStateStore>(
      "aggregate", std::move(keys), 8, partitions,
      [](uint8_t* payload) {
        const int64_t seven = 7;
        std::memcpy(payload, &seven, sizeof seven);
      },
      [&released](uint8_t* payload) { released.push_back(read64(payload)); });
}

// Inserts keys 0..n-1 into their partitions; returns each key's (partition, group id).
std::vector<std::pair<size_t, uint32_t>> insertKeys(GroupStateStore& store, int64_t n) {
  Vector keys(DataType::bigInt(), static_cast<uint32_t>(n));
  for (int64_t k = 0; k < n; ++k) keys.setValue(static_cast<uint32_t>(k), Value::bigInt(k));
  std::vector<Vector> columns;
  columns.push_back(std::move(keys));
  std::vector<uint64_t> hashes(static_cast<size_t>(n));
  hashColumns(columns, Rows{nullptr, static_cast<uint32_t>(n)}, hashes.data());
  std::vector<std::pair<size_t, uint32_t>> placed;
  for (uint32_t k = 0; k < n; ++k) {
    const size_t p = store.partitionOf(hashes[k]);
    uint32_t id = 0;
    const uint32_t row = k;
    store.partition(p).findOrInsert(columns, Rows{&row, 1}, &hashes[k], &id);
    placed.emplace_back(p, id);
  }
  return placed;
}

TEST(GroupStateStoreTest, IsAStateStoreWhoseKeysAreSplitByHashAcrossPartitions) {
  std::vector<int64_t> released;
  auto owned = makeStore({DataType::bigInt()}, 4, released);
  GroupStateStore& store = *owned;
  const detail::StateStoreBase& base = store;
  EXPECT_EQ(base.name(), "aggregate");
  EXPECT_EQ(base.numPartitions(), 4u);
  EXPECT_EQ(base.numKeys(), 0u);
  EXPECT_EQ(base.version(), Time());

  const auto placed = insertKeys(store, 1000);
  EXPECT_EQ(base.numKeys(), 1000u);
  std::set<size_t> used;
  size_t total = 0;
  for (size_t p = 0; p < 4; ++p) {
    total += store.partition(p).size();
    if (store.partition(p).size() > 0) used.insert(p);
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(used.size(), 4u);  // a thousand keys reach every partition
  for (const auto& [p, id] : placed) EXPECT_EQ(read64(store.partition(p).payload(id)), 7);
  EXPECT_GT(store.memoryUsage(), 1000u * 8);

  store.setVersion(0);
  EXPECT_EQ(base.version(), Time(1));
  store.setVersion(41);
  EXPECT_EQ(base.version(), Time(42));
}

TEST(GroupStateStoreTest, ReleasesPayloadsOnEraseAndOnDestruction) {
  std::vector<int64_t> released;
  auto store = makeStore({DataType::bigInt()}, 2, released);
  const auto placed = insertKeys(*store, 10);
  const int64_t changed = 100;
  std::memcpy(store->partition(placed[3].first).payload(placed[3].second), &changed, sizeof changed);
  store->erase(placed[3].first, placed[3].second);
  EXPECT_EQ(released, (std::vector<int64_t>{100}));
  EXPECT_EQ(store->numKeys(), 9u);
  released.clear();
  store.reset();
  EXPECT_EQ(released, std::vector<int64_t>(9, 7));
}

TEST(GroupStateStoreTest, WithoutKeysHoldsOneGlobalGroup) {
  std::vector<int64_t> released;
  auto store = makeStore({}, 8, released);
  EXPECT_TRUE(store->global());
  EXPECT_EQ(store->numPartitions(), 1u);
  EXPECT_EQ(store->numKeys(), 1u);
  EXPECT_EQ(read64(store->globalPayload()), 7);
  store.reset();
  EXPECT_EQ(released, (std::vector<int64_t>{7}));
}

}  // namespace
}  // namespace caudal::sql
