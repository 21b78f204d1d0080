// A keyed state saved entry by entry and restored into a new one is the same state: same
// entries, same update times, and the same keys time out afterwards; also through its bytes in
// a checkpoint file.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

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
