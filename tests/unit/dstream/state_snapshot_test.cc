// A keyed state saved entry by entry and restored into a new one is the same state: same
// entries, same update times, and the same keys time out afterwards; also through its bytes in
// a checkpoint file.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "caudal/detail/sliding_window.h"
#include "caudal/detail/state_table.h"
#include "caudal/error.h"
#include "caudal/serde.h"
#include "storage/checkpoint_file.h"
#include "support/dstream_testing.h"
#include "support/temp_directory.h"

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

TEST(KeyedStateSnapshot, PartitionsThroughACheckpointFileComeBackEqual) {
  KeyedState<std::string, int64_t> original("test", 2, /*track_idle=*/true);
  for (int i = 0; i < 500; ++i) {  // touched at 1 s to 5 s, in time order as batches do
    std::string key = test::tagged("key", i);
    original.partition(partitionOf(key, 2)).insert(key, i * 7 - 1000, Time(1000 * (1 + i / 100)));
  }
  original.setVersion(Time(5000));
  test::TempDirectory temp;
  for (size_t p = 0; p < 2; ++p) {
    std::vector<std::byte> bytes;
    {
      ByteWriter out(bytes);
      original.writePartition(p, out);
    }
    auto path = temp / ("partition-" + std::to_string(p));
    Status written = storage::writeCheckpointFile(path, bytes, storage::Codec::kZstd);
    ASSERT_TRUE(written.isOk()) << written.message();
  }

  KeyedState<std::string, int64_t> restored("test", 2, /*track_idle=*/true);
  for (size_t p = 0; p < 2; ++p) {
    auto bytes = storage::readCheckpointFile(temp / ("partition-" + std::to_string(p)));
    ASSERT_TRUE(bytes.isOk());
    ByteReader in(std::span<const std::byte>(bytes.value()));
    restored.readPartition(p, in);
    EXPECT_TRUE(in.atEnd());
  }
  restored.finishRestore(Time(5000));
  EXPECT_EQ(saveAll(restored), saveAll(original));
  EXPECT_EQ(idleBefore(restored, Time(3000)), idleBefore(original, Time(3000)));
}

TEST(KeyedStateSnapshot, MalformedPartitionBytesAreAnErrorNamingTheOffset) {
  KeyedState<std::string, int64_t> state("test", 1, /*track_idle=*/false);
  state.partition(0).insert("a", 1, Time(1000));
  std::string bytes;
  {
    ByteWriter out(bytes);
    state.writePartition(0, out);
  }
  KeyedState<std::string, int64_t> restored("test", 1, /*track_idle=*/false);
  ByteReader in(std::string_view(bytes).substr(0, bytes.size() - 1));  // the time cut short
  try {
    restored.readPartition(0, in);
    ADD_FAILURE() << "readPartition accepted a truncated partition";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace caudal::detail

namespace caudal::detail {
namespace {

// Writes every partition of `state` as a checkpoint would (`full` or a delta).
std::vector<std::string> writeCheckpoint(KeyedState<std::string, int64_t>& state, bool full) {
  std::vector<std::string> parts(state.numPartitions());
  for (size_t p = 0; p < state.numPartitions(); ++p) {
    ByteWriter out(parts[p]);
    state.writeCheckpoint(p, full, out);
  }
  return parts;
}

void applyCheckpoint(KeyedState<std::string, int64_t>& state, const std::vector<std::string>& parts, bool full) {
  for (size_t p = 0; p < parts.size(); ++p) {
    ByteReader in(parts[p]);
    state.readCheckpoint(p, full, in);
    in.expectEnd();
  }
}

// Random inserts, updates, touches and erases between checkpoints; a snapshot followed by the
// deltas, applied to an empty state, gives the same entries and times at every step, and a
// delta holds only what changed.
TEST(KeyedStateCheckpoint, SnapshotThenDeltasRebuildTheState) {
  std::mt19937 random(7);
  KeyedState<std::string, int64_t> state("test", 3, /*track_idle=*/true);
  KeyedState<std::string, int64_t> restored("test", 3, /*track_idle=*/true);
  bool first = true;
  for (int64_t t = 1; t <= 12; ++t) {
    Time now(t * 1000);
    int changes = t == 1 ? 300 : 12;
    for (int c = 0; c < changes; ++c) {
      std::string key = test::tagged("k", static_cast<int64_t>(random() % 400));
      auto& table = state.partition(partitionOf(key, 3));
      uint32_t slot = table.find(key);
      int action = static_cast<int>(random() % 4);
      if (slot == Table::kNone) {
        table.insert(key, t, now);
      } else if (action == 0) {
        table.erase(slot);
      } else if (action == 1) {
        table.touch(slot, now);  // data without an update: the time still changes
      } else {
        table.entry(slot).second += 1;
        table.touch(slot, now);
      }
    }
    state.setVersion(now);
    auto parts = writeCheckpoint(state, first);
    if (!first && t > 2) {
      size_t bytes = 0;
      for (const auto& part : parts) bytes += part.size();
      EXPECT_LT(bytes, 12u * 16 + 3 * 4) << "a delta of at most 12 changes at " << t;
    }
    applyCheckpoint(restored, parts, first);
    restored.finishRestore(now);
    first = false;
    ASSERT_EQ(saveAll(restored), saveAll(state)) << "after the checkpoint of " << t << " s";
  }
  // The timeouts of the rebuilt state are the original's.
  EXPECT_EQ(idleBefore(restored, Time(9000)), idleBefore(state, Time(9000)));
}

TEST(KeyedStateCheckpoint, AKeyRemovedAndAddedAgainBetweenCheckpointsIsThere) {
  KeyedState<std::string, int64_t> state("test", 1, false);
  KeyedState<std::string, int64_t> restored("test", 1, false);
  state.partition(0).insert("a", 1, Time(1000));
  applyCheckpoint(restored, writeCheckpoint(state, true), true);
  auto& table = state.partition(0);
  table.erase(table.find("a"));
  table.insert("a", 2, Time(2000));
  table.insert("b", 3, Time(2000));
  table.erase(table.find("b"));
  state.setVersion(Time(2000));
  applyCheckpoint(restored, writeCheckpoint(state, false), false);
  restored.finishRestore(Time(2000));
  EXPECT_EQ(saveAll(restored), (Saved{{0, "a", 2, 2000}}));
}

TEST(KeyedStateCheckpoint, MalformedDeltaIsAnErrorNamingTheOffset) {
  KeyedState<std::string, int64_t> state("test", 1, false);
  std::string bytes("\x01\x05" "ab", 4);  // one removed key of 5 bytes, cut short
  ByteReader in(bytes);
  try {
    state.readCheckpoint(0, false, in);
    FAIL() << "read a truncated delta";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
  }
}

// A pane window written and read back aggregates, evicts and grows as the original does,
// without calling the reduce function to rebuild (the front stack's aggregates are saved).
TEST(PaneWindowCheckpoint, ReadBackWindowBehavesAsTheOriginal) {
  auto concat = [](std::string a, std::string b) { return a + b; };
  std::mt19937 random(3);
  PaneWindow<std::string> window;
  int64_t next_pane = 0;
  for (int step = 0; step < 200; ++step) {
    if (random() % 3 != 0) {
      window.push(next_pane, test::tagged("p", next_pane), concat);
      ++next_pane;
    } else {
      window.evictBefore(next_pane - static_cast<int64_t>(random() % 6), concat);
    }
    std::string bytes;
    {
      ByteWriter out(bytes);
      window.write(out);
    }
    ByteReader in(bytes);
    PaneWindow<std::string> copy = PaneWindow<std::string>::read(in);
    in.expectEnd();
    ASSERT_EQ(copy.size(), window.size());
    if (window.empty()) continue;
    ASSERT_EQ(copy.aggregate(concat), window.aggregate(concat)) << "step " << step;
    // Both go on the same way: a push and an eviction that may flip the stacks.
    for (PaneWindow<std::string>* each : {&window, &copy}) {
      each->push(next_pane, test::tagged("p", next_pane), concat);
      each->evictBefore(next_pane - 2, concat);
    }
    ++next_pane;
    ASSERT_EQ(copy.aggregate(concat), window.aggregate(concat)) << "step " << step;
  }
}

}  // namespace
}  // namespace caudal::detail
