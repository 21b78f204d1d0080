// The data structures under the stateful streams, against naive oracles: StateTable (keyed
// state with stable slots and idle-time buckets) against a std::map, PaneWindow (two-stacks
// sliding aggregation) against recombining a std::deque, and PaneClock against the window
// definition (t - window, t].

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/sliding_window.h"
#include "caudal/detail/state_table.h"
#include "support/dstream_testing.h"
#include "caudal/duration.h"

namespace caudal::detail {
namespace {

using test::tagged;

template <class T>
std::vector<T> sortedCopy(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// ---- StateTable ---------------------------------------------------------------------------------

// Key number `n` as a key of type K (every third string is too long to be stored inline, so
// moving entries around would show).
template <class K>
K keyOf(int n);
template <>
int keyOf<int>(int n) {
  return n * 7919 - 50000;  // negative keys too
}
template <>
std::string keyOf<std::string>(int n) {
  std::string key = n % 3 == 0 ? "a key longer than any inline string buffer #" : "k";
  key += std::to_string(n);
  return key;
}

// A StateTable<K, int> driven by random operations next to a std::map oracle of
// key -> (state, last touch), checking every answer the table gives.
template <class K>
class StateTableChecker {
 public:
  using Table = StateTable<K, int>;

  StateTableChecker(bool track_idle, uint32_t seed)
      : table_(track_idle), track_idle_(track_idle), rng_(seed) {}

  void insert(int n) {
    K key = keyOf<K>(n);
    ASSERT_FALSE(oracle_.contains(key));
    int state = draw(0, 1000);
    uint32_t slot = table_.insert(key, state, Time(now_));
    ASSERT_NE(slot, Table::kNone);
    // An erased entry's slot is handed out again before any new one.
    if (!free_slots_.empty()) {
      ASSERT_TRUE(free_slots_.contains(slot))
          << "slot " << slot << " is new while erased slots wait";
      free_slots_.erase(slot);
    } else {
      ASSERT_EQ(slot, slots_handed_out_) << "slots are handed out in order";
      ++slots_handed_out_;
    }
    ASSERT_FALSE(used_slots_.contains(slot));
    used_slots_.insert(slot);
    oracle_[key] = Expected{state, now_, slot};
  }

  void erase(const K& key) {
    uint32_t slot = oracle_.at(key).slot;
    table_.erase(slot);
    forget(key);
  }

  void touch(const K& key) {
    Expected& expected = oracle_.at(key);
    table_.entry(expected.slot).second += 1;
    expected.state += 1;
    table_.touch(expected.slot, Time(now_));
    expected.touched = now_;
  }

  void find(int n) {
    K key = keyOf<K>(n);
    uint32_t slot = table_.find(key);
    auto it = oracle_.find(key);
    if (it == oracle_.end()) {
      EXPECT_EQ(slot, Table::kNone) << "found an absent key";
    } else {
      ASSERT_EQ(slot, it->second.slot);
      EXPECT_EQ(table_.entry(slot).first, key);
      EXPECT_EQ(table_.entry(slot).second, it->second.state);
      EXPECT_EQ(table_.updated(slot), Time(it->second.touched));
    }
  }

  // forEachSlot visits every entry once, in slot order; the visitor erases some of them.
  void forEachSlot() {
    std::vector<uint32_t> visited;
    std::vector<K> erased;
    table_.forEachSlot([&](uint32_t slot) {
      visited.push_back(slot);
      const auto& [key, state] = table_.entry(slot);
      if (state % 5 == 0) {
        erased.push_back(key);
        table_.erase(slot);
      }
    });
    ASSERT_TRUE(std::is_sorted(visited.begin(), visited.end()));
    ASSERT_EQ(std::adjacent_find(visited.begin(), visited.end()), visited.end())
        << "a slot visited twice";
    std::vector<uint32_t> expected(used_slots_.begin(), used_slots_.end());
    ASSERT_EQ(visited, expected);
    for (const K& key : erased) forget(key);
  }

  // forEachIdleBefore visits exactly the entries last touched before the threshold, each once,
  // oldest first; the visitor erases some and touches the others (at now, not before it).
  void forEachIdleBefore() {
    int64_t threshold = draw64(oldest(), now_);
    std::multiset<K> expected;
    for (const auto& [key, entry] : oracle_) {
      if (entry.touched < threshold) expected.insert(key);
    }
    std::multiset<K> visited;
    std::vector<K> erased;
    int64_t previous_touch = std::numeric_limits<int64_t>::min();
    table_.forEachIdleBefore(Time(threshold), [&](uint32_t slot) {
      auto& [key, state] = table_.entry(slot);
      visited.insert(key);
      int64_t touched = table_.updated(slot).milliseconds();
      EXPECT_LT(touched, threshold);
      EXPECT_GE(touched, previous_touch) << "not oldest first";
      previous_touch = touched;
      if (state % 2 == 0) {
        erased.push_back(key);
        table_.erase(slot);
      } else {
        table_.touch(slot, Time(now_));
      }
    });
    ASSERT_EQ(visited, expected);
    for (const K& key : erased) forget(key);
    for (const K& key : visited) {
      if (auto it = oracle_.find(key); it != oracle_.end()) it->second.touched = now_;
    }
  }

  // Every entry, looked up by key, as the oracle has it.
  void checkAll() {
    ASSERT_EQ(table_.size(), oracle_.size());
    for (const auto& [key, expected] : oracle_) {
      uint32_t slot = table_.find(key);
      ASSERT_EQ(slot, expected.slot);
      ASSERT_EQ(table_.entry(slot).first, key);
      ASSERT_EQ(table_.entry(slot).second, expected.state);
      ASSERT_EQ(table_.updated(slot), Time(expected.touched));
    }
    std::map<K, int> entries;
    table_.forEachEntry(
        [&](const std::pair<K, int>& entry) { entries.emplace(entry.first, entry.second); });
    ASSERT_EQ(entries.size(), oracle_.size());
    for (const auto& [key, expected] : oracle_) ASSERT_EQ(entries.at(key), expected.state);
  }

  // `operations` random operations over keys 0..key_space-1.
  void run(int operations, int key_space) {
    for (int i = 0; i < operations; ++i) {
      int choice = draw(0, 99);
      int n = draw(0, key_space - 1);
      if (choice < 35) {
        if (oracle_.contains(keyOf<K>(n))) {
          find(n);
        } else {
          insert(n);
        }
      } else if (choice < 55) {
        if (auto key = keyNear(n)) erase(*key);
      } else if (choice < 75) {
        if (auto key = keyNear(n)) touch(*key);
      } else if (choice < 85) {
        now_ += draw(0, 3);
      } else if (choice < 97) {
        find(n);
      } else if (choice < 98) {
        forEachSlot();
      } else if (track_idle_) {
        forEachIdleBefore();
      }
      if (::testing::Test::HasFatalFailure()) return;
      ASSERT_EQ(table_.size(), oracle_.size());
    }
    checkAll();
  }

  // Inserts keys 0..count-1 (absent ones).
  void insertRange(int count) {
    for (int n = 0; n < count; ++n) {
      if (!oracle_.contains(keyOf<K>(n))) insert(n);
    }
  }

  void eraseAll() {
    while (!oracle_.empty()) erase(oracle_.begin()->first);
  }

  Table& table() { return table_; }
  size_t size() const { return oracle_.size(); }
  uint32_t slotsHandedOut() const { return slots_handed_out_; }
  void advance(int64_t ms) { now_ += ms; }

 private:
  struct Expected {
    int state;
    int64_t touched;
    uint32_t slot;
  };

  void forget(const K& key) {
    uint32_t slot = oracle_.at(key).slot;
    oracle_.erase(key);
    used_slots_.erase(slot);
    free_slots_.insert(slot);
  }

  // The key of number `n` if it has an entry, else the next key with one (in key order).
  std::optional<K> keyNear(int n) {
    if (oracle_.empty()) return std::nullopt;
    auto it = oracle_.lower_bound(keyOf<K>(n));
    if (it == oracle_.end()) it = oracle_.begin();
    return it->first;
  }

  int64_t oldest() const {
    int64_t oldest = now_;
    for (const auto& [key, entry] : oracle_) oldest = std::min(oldest, entry.touched);
    return oldest;
  }

  int draw(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  int64_t draw64(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng_);
  }

  Table table_;
  bool track_idle_;
  std::mt19937 rng_;
  int64_t now_ = 1000;
  std::map<K, Expected> oracle_;
  std::set<uint32_t> used_slots_;
  std::set<uint32_t> free_slots_;
  uint32_t slots_handed_out_ = 0;
};

TEST(StateTable, RandomOperationsIntKeys) {
  for (bool track_idle : {false, true}) {
    for (uint32_t seed : {1u, 2u, 3u}) {
      SCOPED_TRACE("track_idle=" + std::to_string(track_idle) + " seed=" + std::to_string(seed));
      StateTableChecker<int> checker(track_idle, seed);
      checker.run(5000, 300);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(StateTable, RandomOperationsStringKeys) {
  for (bool track_idle : {false, true}) {
    for (uint32_t seed : {4u, 5u}) {
      SCOPED_TRACE("track_idle=" + std::to_string(track_idle) + " seed=" + std::to_string(seed));
      StateTableChecker<std::string> checker(track_idle, seed);
      checker.run(5000, 300);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(StateTable, SeveralChunks) {
  // More than 4096 entries (one chunk), then random operations over all of them.
  for (bool track_idle : {false, true}) {
    SCOPED_TRACE("track_idle=" + std::to_string(track_idle));
    StateTableChecker<std::string> checker(track_idle, 6);
    checker.insertRange(10000);
    checker.checkAll();
    if (HasFatalFailure()) return;
    checker.run(30000, 12000);
    if (HasFatalFailure()) return;
    EXPECT_GT(checker.slotsHandedOut(), 8192u);
  }
}

TEST(StateTable, EntriesDoNotMoveWhenTheTableGrows) {
  StateTable<std::string, std::string> table(false);
  uint32_t first =
      table.insert("first", "state of the first key, long enough not to be inline", Time(1));
  const auto* address = &table.entry(first);
  for (int i = 0; i < 10000; ++i) table.insert(tagged("k", i), "s", Time(1));
  EXPECT_EQ(&table.entry(first), address);
  EXPECT_EQ(table.entry(first).second, "state of the first key, long enough not to be inline");
  EXPECT_EQ(table.find("first"), first);
  EXPECT_EQ(table.size(), 10001u);
}

TEST(StateTable, ErasedSlotsAreReusedBeforeTheTableGrows) {
  StateTableChecker<int> checker(true, 7);
  checker.insertRange(5000);
  checker.eraseAll();
  checker.checkAll();
  EXPECT_EQ(checker.table().size(), 0u);
  for (int n = 5000; n < 10000; ++n) checker.insert(n);  // asserts each slot is a reused one
  EXPECT_EQ(checker.slotsHandedOut(), 5000u);
  checker.checkAll();
}

TEST(StateTable, IdleEntriesAreVisitedOnceEvenWhenTheirSlotWasReused) {
  StateTable<std::string, int> table(true);
  uint32_t a = table.insert("a", 1, Time(1));
  table.insert("b", 2, Time(1));
  table.touch(a, Time(2));
  table.erase(a);
  uint32_t c = table.insert("c", 3, Time(2));  // a's slot, now listed twice under time 2
  EXPECT_EQ(c, a);
  table.insert("d", 4, Time(3));

  std::vector<std::string> visited;
  table.forEachIdleBefore(Time(2), [&](uint32_t slot) {
    visited.push_back(table.entry(slot).first);
    table.touch(slot, Time(3));
  });
  EXPECT_EQ(visited, (std::vector<std::string>{"b"}));

  visited.clear();
  table.forEachIdleBefore(Time(3), [&](uint32_t slot) {
    visited.push_back(table.entry(slot).first);
    table.erase(slot);
  });
  EXPECT_EQ(visited, (std::vector<std::string>{"c"}));  // b was touched at 3, d inserted at 3

  visited.clear();
  table.forEachIdleBefore(Time(4), [&](uint32_t slot) {
    visited.push_back(table.entry(slot).first);
    table.erase(slot);
  });
  EXPECT_EQ(sortedCopy(visited), (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find("b"), (StateTable<std::string, int>::kNone));
}

TEST(StateTable, WithoutIdleTrackingNothingIsIdle) {
  StateTable<int, int> table(false);
  table.insert(1, 1, Time(1));
  int visits = 0;
  table.forEachIdleBefore(Time(100), [&](uint32_t) { ++visits; });
  EXPECT_EQ(visits, 0);
  EXPECT_EQ(table.size(), 1u);
}

TEST(StateTable, ClearEmptiesTheTable) {
  StateTable<std::string, std::string> table(true);
  for (int i = 0; i < 5000; ++i) table.insert(tagged("k", i), std::string(40, 'x'), Time(i));
  table.clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find("k1"), (StateTable<std::string, std::string>::kNone));
  int visits = 0;
  table.forEachSlot([&](uint32_t) { ++visits; });
  table.forEachIdleBefore(Time(10000), [&](uint32_t) { ++visits; });
  EXPECT_EQ(visits, 0);
  EXPECT_EQ(table.insert("again", "s", Time(1)), 0u);
}

// ---- PaneWindow ---------------------------------------------------------------------------------

// Combines with `combine`, counting the calls.
template <class V, class Combine>
struct CountingCombine {
  Combine combine;
  int* calls;
  V operator()(V a, V b) const {
    ++*calls;
    return combine(std::move(a), std::move(b));
  }
};

// Random pushes, evictions and aggregates on a PaneWindow, each aggregate compared with the
// oldest-first combination of a std::deque of the panes held. Panes start at `first_pane`.
template <class V, class Combine, class MakeValue>
void checkPaneWindow(Combine combine, MakeValue make_value, uint32_t seed, int64_t first_pane,
                     int operations) {
  std::mt19937 rng(seed);
  auto draw = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  int calls = 0;
  CountingCombine<V, Combine> counting{combine, &calls};
  PaneWindow<V> window;
  std::deque<std::pair<int64_t, V>> oracle;
  int64_t next_pane = first_pane;
  int64_t first_kept = first_pane;
  int pushes = 0;
  int aggregates = 0;
  for (int i = 0; i < operations; ++i) {
    int choice = draw(0, 9);
    if (choice < 5) {
      V value = make_value(next_pane, rng);
      window.push(next_pane, value, counting);
      oracle.emplace_back(next_pane, value);
      ++pushes;
      next_pane += draw(1, 3);  // panes without data leave gaps
    } else if (choice < 8) {
      first_kept =
          std::min<int64_t>(first_kept + draw(0, 4), next_pane);  // never past the next push
      window.evictBefore(first_kept, counting);
      while (!oracle.empty() && oracle.front().first < first_kept) oracle.pop_front();
    } else if (!oracle.empty()) {
      V expected = oracle.front().second;
      for (size_t j = 1; j < oracle.size(); ++j)
        expected = combine(std::move(expected), V(oracle[j].second));
      ASSERT_EQ(window.aggregate(counting), expected) << "after " << i << " operations";
      ++aggregates;
    }
    ASSERT_EQ(window.size(), oracle.size());
    ASSERT_EQ(window.empty(), oracle.empty());
  }
  // Each pane is combined O(1) times: once when pushed, at most once when the back is turned
  // into suffix aggregates; plus one per aggregate.
  EXPECT_LE(calls, 2 * pushes + aggregates);
}

std::string concatenate(std::string a, std::string b) { return a + b; }
int maxOf(int a, int b) { return std::max(a, b); }

std::string paneLabel(int64_t pane, std::mt19937& rng) {
  return std::to_string(pane) + "." +
         std::to_string(std::uniform_int_distribution<int>(0, 9)(rng)) + ";";
}
int randomInt(int64_t, std::mt19937& rng) {
  return std::uniform_int_distribution<int>(-1000, 1000)(rng);
}

TEST(PaneWindow, ConcatenationKeepsPaneOrder) {
  // Not commutative: any reordering of the panes would show.
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    checkPaneWindow<std::string>(concatenate, paneLabel, seed, 1, 3000);
  }
}

TEST(PaneWindow, Max) {
  for (uint32_t seed : {5u, 6u, 7u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    checkPaneWindow<int>(maxOf, randomInt, seed, 1, 3000);
  }
}

TEST(PaneWindow, PaneNumbersPastThirtyTwoBits) {
  // Panes are held as 32 bits relative to one another: crossing 2^32 changes nothing.
  checkPaneWindow<std::string>(concatenate, paneLabel, 8, (int64_t{1} << 32) - 50, 3000);
  checkPaneWindow<int>(maxOf, randomInt, 9, (int64_t{1} << 32) - 50, 3000);
}

TEST(PaneWindow, SlidingWindowOfThreePanes) {
  // The window's typical use: push one pane, evict what left, aggregate.
  PaneWindow<std::string> window;
  std::vector<std::string> aggregates;
  for (int64_t pane = 1; pane <= 6; ++pane) {
    window.push(pane, std::to_string(pane), concatenate);
    window.evictBefore(pane - 2, concatenate);
    aggregates.push_back(window.aggregate(concatenate));
  }
  EXPECT_EQ(aggregates, (std::vector<std::string>{"1", "12", "123", "234", "345", "456"}));
  window.evictBefore(7, concatenate);
  EXPECT_TRUE(window.empty());
  window.push(9, "9", concatenate);  // usable again after emptying
  EXPECT_EQ(window.aggregate(concatenate), "9");
}

// ---- PaneClock ----------------------------------------------------------------------------------

TEST(PaneClock, PanesOfFourSecondWindowsSlidingByTwo) {
  PaneClock clock(Seconds(4), Seconds(2));
  EXPECT_EQ(clock.paneDuration(), Seconds(2));  // gcd(4, 2)
  EXPECT_EQ(clock.panesPerWindow(), 2);
  EXPECT_EQ(clock.panesPerSlide(), 1);
  // Pane i holds the batches in ((i-1)·2 s, i·2 s].
  EXPECT_EQ(clock.paneOf(Time(1000)), 1);
  EXPECT_EQ(clock.paneOf(Time(2000)), 1);
  EXPECT_EQ(clock.paneOf(Time(3000)), 2);
  EXPECT_EQ(clock.paneOf(Time(4000)), 2);
  EXPECT_EQ(clock.paneOf(Time(5000)), 3);
  EXPECT_FALSE(clock.closesPane(Time(1000)));
  EXPECT_TRUE(clock.closesPane(Time(2000)));
  EXPECT_FALSE(clock.closesPane(Time(3000)));
  EXPECT_TRUE(clock.closesPane(Time(4000)));
  EXPECT_EQ(clock.firstPaneOfWindow(2), 1);  // the window at 4 s: panes 1 and 2, (0, 4 s]
  EXPECT_EQ(clock.firstPaneOfWindow(3), 2);  // at 6 s: (2 s, 6 s]
}

TEST(PaneClock, PanesOfFiveSecondWindowsSlidingByTwo) {
  PaneClock clock(Seconds(5), Seconds(2));
  EXPECT_EQ(clock.paneDuration(), Seconds(1));  // gcd(5, 2)
  EXPECT_EQ(clock.panesPerWindow(), 5);
  EXPECT_EQ(clock.panesPerSlide(), 2);
  EXPECT_EQ(clock.paneOf(Time(1000)), 1);
  EXPECT_EQ(clock.paneOf(Time(6000)), 6);
  EXPECT_TRUE(clock.closesPane(Time(3000)));
  EXPECT_EQ(clock.firstPaneOfWindow(6), 2);   // the window at 6 s: (1 s, 6 s], batches 2..6 s
  EXPECT_EQ(clock.firstPaneOfWindow(2), -2);  // at 2 s: only panes 1 and 2 exist
}

TEST(PaneClock, PanesOfTumblingThreeSecondWindows) {
  PaneClock clock(Seconds(3), Seconds(3));
  EXPECT_EQ(clock.paneDuration(), Seconds(3));
  EXPECT_EQ(clock.panesPerWindow(), 1);
  EXPECT_EQ(clock.panesPerSlide(), 1);
  EXPECT_EQ(clock.paneOf(Time(1000)), 1);
  EXPECT_EQ(clock.paneOf(Time(3000)), 1);
  EXPECT_EQ(clock.paneOf(Time(4000)), 2);
  EXPECT_EQ(clock.paneOf(Time(6000)), 2);
  EXPECT_FALSE(clock.closesPane(Time(5000)));
  EXPECT_TRUE(clock.closesPane(Time(6000)));
  EXPECT_EQ(clock.firstPaneOfWindow(2), 2);
}

TEST(PaneClock, CountsFromTheZeroTime) {
  PaneClock clock(Seconds(4), Seconds(2));
  clock.setZeroTime(Time(500));
  EXPECT_EQ(clock.paneOf(Time(500)), 0);
  EXPECT_EQ(clock.paneOf(Time(1500)), 1);
  EXPECT_EQ(clock.paneOf(Time(2500)), 1);
  EXPECT_EQ(clock.paneOf(Time(3500)), 2);
  EXPECT_FALSE(clock.closesPane(Time(2000)));
  EXPECT_TRUE(clock.closesPane(Time(2500)));
}

TEST(PaneClock, WindowsAreTheirPanes) {
  // For every window/slide pair up to 6 s over 1 s batches (and two zero times): at each slide
  // time t, the batches in panes firstPaneOfWindow(paneOf(t))..paneOf(t) are exactly those in
  // (t - window, t], and t closes a pane.
  for (int64_t zero_ms : {0, 700}) {
    for (int64_t window_s = 1; window_s <= 6; ++window_s) {
      for (int64_t slide_s = 1; slide_s <= window_s; ++slide_s) {
        SCOPED_TRACE("zero " + std::to_string(zero_ms) + " ms, window " + std::to_string(window_s) +
                     " s, slide " + std::to_string(slide_s) + " s");
        PaneClock clock(Seconds(window_s), Seconds(slide_s));
        clock.setZeroTime(Time(zero_ms));
        EXPECT_EQ(clock.panesPerWindow() * clock.paneDuration().milliseconds(), window_s * 1000);
        EXPECT_EQ(clock.panesPerSlide() * clock.paneDuration().milliseconds(), slide_s * 1000);
        for (int64_t t = zero_ms + slide_s * 1000; t <= zero_ms + 30000; t += slide_s * 1000) {
          EXPECT_TRUE(clock.closesPane(Time(t))) << "t = " << t;
          int64_t last = clock.paneOf(Time(t));
          int64_t first = clock.firstPaneOfWindow(last);
          for (int64_t b = zero_ms + 1000; b <= zero_ms + 36000; b += 1000) {
            bool in_window = b > t - window_s * 1000 && b <= t;
            int64_t pane = clock.paneOf(Time(b));
            EXPECT_EQ(pane >= first && pane <= last, in_window) << "t = " << t << ", batch " << b;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace caudal::detail
