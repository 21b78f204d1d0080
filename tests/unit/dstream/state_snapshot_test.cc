// A keyed state saved entry by entry and restored into a new one is the same state: same
// entries, same update times, and the same keys time out afterwards.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "caudal/detail/state_table.h"

namespace caudal::detail {
namespace {

using Table = StateTable<std::string, int64_t>;
using Saved = std::vector<std::tuple<size_t, std::string, int64_t, int64_t>>;  // p, key, state, ms

Saved saveAll(const KeyedState<std::string, int64_t>& state) {
  Saved saved;
  for (size_t p = 0; p < state.numPartitions(); ++p) {
    state.snapshot(p, [&](const std::pair<std::string, int64_t>& entry, Time updated) {
      saved.emplace_back(p, entry.first, entry.second, updated.milliseconds());
    });
  }
  std::sort(saved.begin(), saved.end());
  return saved;
}

std::vector<std::string> idleBefore(KeyedState<std::string, int64_t>& state, Time threshold) {
  std::vector<std::string> keys;
  for (size_t p = 0; p < state.numPartitions(); ++p) {
    auto& table = state.partition(p);
    table.forEachIdleBefore(threshold, [&](uint32_t slot) {
      keys.push_back(table.entry(slot).first);
      table.erase(slot);
    });
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

TEST(KeyedStateSnapshot, RestoredStateEqualsTheSavedOne) {
  KeyedState<std::string, int64_t> original("test", 3, /*track_idle=*/true);
  // Ten keys touched at 1 s and later; some erased (their slots reused), some touched again.
  for (int64_t t = 1; t <= 5; ++t) {
    for (int i = 0; i < 10; ++i) {
      if ((i + t) % 3 != 0) continue;
      std::string key = std::string("k").append(std::to_string(i));
      size_t p = partitionOf(key, 3);
      auto& table = original.partition(p);
      uint32_t slot = table.find(key);
      if (slot == Table::kNone) {
        table.insert(key, t * 100 + i, Time(t * 1000));
      } else if (i % 4 == 0) {
        table.erase(slot);
      } else {
        table.entry(slot).second += t;
        table.touch(slot, Time(t * 1000));
      }
    }
  }
  original.setVersion(Time(5000));
  Saved saved = saveAll(original);
  ASSERT_FALSE(saved.empty());

  KeyedState<std::string, int64_t> restored("test", 3, /*track_idle=*/true);
  // In reverse order: a restore must not depend on the order entries come back in.
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    auto [p, key, value, ms] = *it;
    restored.restore(p, key, value, Time(ms));
  }
  restored.finishRestore(Time(5000));

  EXPECT_EQ(saveAll(restored), saved);
  EXPECT_EQ(restored.numKeys(), original.numKeys());
  EXPECT_EQ(restored.version(), Time(5000));
  // The same keys are idle before each threshold in both.
  for (int64_t threshold : {2000, 4000, 6000}) {
    EXPECT_EQ(idleBefore(restored, Time(threshold)), idleBefore(original, Time(threshold)))
        << "threshold " << threshold;
  }
  EXPECT_EQ(restored.numKeys(), 0u);
}

TEST(KeyedStateSnapshot, RestoreReplacesAnExistingEntry) {
  KeyedState<std::string, int64_t> state("test", 1, /*track_idle=*/false);
  state.partition(0).insert("a", 1, Time(1000));
  state.restore(0, "a", 7, Time(3000));
  state.finishRestore(Time(3000));
  auto& table = state.partition(0);
  uint32_t slot = table.find("a");
  ASSERT_NE(slot, Table::kNone);
  EXPECT_EQ(table.entry(slot).second, 7);
  EXPECT_EQ(table.updated(slot), Time(3000));
  EXPECT_EQ(state.numKeys(), 1u);
}

}  // namespace
}  // namespace caudal::detail
