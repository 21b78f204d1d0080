// Keyed state kept across batches: one table per partition, entries in a slab with stable slot
// numbers, an index from key to slot, and (with a timeout) buckets of slots by update time.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/stable_hash.h"
#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/serde.h"

namespace caudal::detail {

/// One partition of a keyed state: `(key, state)` entries, each stamped with the batch time
/// that last touched it. Entries live in fixed-size chunks, so a slot number stays valid until
/// the entry is erased and growing never moves entries (nor doubles memory, as a vector would).
/// The index is a hash set of 4-byte slot numbers that hashes and compares through the slab.
/// With `track_idle`, every touch also appends the slot to the bucket of its batch time, so the
/// entries idle since before some time are found by reading the oldest buckets: the cost of a
/// timeout scan is the number of touches it passes, not the number of keys. Not thread-safe;
/// each partition is used by one task at a time. Not movable (the index points into it).
template <class K, class S>
class StateTable {
 public:
  using Entry = std::pair<K, S>;
  /// The slot number of "no entry".
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  /// An empty table; with `track_idle`, touches are also recorded by time, for timeouts.
  explicit StateTable(bool track_idle) : track_idle_(track_idle), index_(0, SlotHash{this}, SlotEq{this}) {}
  ~StateTable() { clear(); }
  StateTable(const StateTable&) = delete;
  StateTable& operator=(const StateTable&) = delete;

  /// The number of entries.
  size_t size() const { return index_.size(); }

  /// The slot of `key`'s entry, or `kNone`.
  uint32_t find(const K& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? kNone : *it;
  }

  /// Adds an entry for `key` (which must have none), touched at `time`; returns its slot.
  uint32_t insert(K key, S state, Time time) {
    uint32_t slot = allocate();
    Node& node = nodeAt(slot);
    ::new (static_cast<void*>(node.storage)) Entry(std::move(key), std::move(state));
    node.updated = time.milliseconds();
    index_.insert(slot);
    if (track_idle_) remember(slot, node.updated);
    return slot;
  }

  /// The entry in `slot` (valid until it is erased).
  Entry& entry(uint32_t slot) { return *nodeAt(slot).entry(); }
  const Entry& entry(uint32_t slot) const { return *nodeAt(slot).entry(); }
  /// When `slot`'s entry was last touched.
  Time updated(uint32_t slot) const { return Time(nodeAt(slot).updated); }

  /// Marks `slot`'s entry as touched at `time` (not before its last touch).
  void touch(uint32_t slot, Time time) {
    Node& node = nodeAt(slot);
    if (node.updated == time.milliseconds()) return;
    node.updated = time.milliseconds();
    if (track_idle_) remember(slot, node.updated);
  }

  /// Removes the entry in `slot`.
  void erase(uint32_t slot) {
    Node& node = nodeAt(slot);
    index_.erase(slot);  // hashes the key, so before it is destroyed
    if (track_removals_) removed_.push_back(std::move(node.entry()->first));
    node.entry()->~Entry();
    node.updated = kFree;
    free_.push_back(slot);
  }

  /// Calls `visit(slot)` for every entry, in slot order. `visit` may erase the entry it is given
  /// and touch any entry, but not insert.
  template <class Visit>
  void forEachSlot(Visit&& visit) {
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      if (nodeAt(slot).updated != kFree) visit(slot);
    }
  }

  /// Calls `visit(const Entry&)` for every entry, in slot order.
  template <class Visit>
  void forEachEntry(Visit&& visit) const {
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      const Node& node = nodeAt(slot);
      if (node.updated != kFree) visit(*node.entry());
    }
  }

  /// With `track_idle`: calls `expire(slot)` for every entry last touched before `threshold`,
  /// oldest first, and forgets them from the buckets; `expire` must erase or touch the entry.
  template <class Expire>
  void forEachIdleBefore(Time threshold, Expire&& expire) {
    while (!buckets_.empty() && buckets_.front().time < threshold.milliseconds()) {
      Bucket bucket = std::move(buckets_.front());
      buckets_.pop_front();
      for (uint32_t slot : bucket.slots) {
        // A slot touched again later is in a newer bucket too; only its latest one counts.
        if (nodeAt(slot).updated == bucket.time) expire(slot);
      }
    }
  }

  /// Calls `visit(const Entry&, Time updated)` for every entry, in slot order: what a
  /// checkpoint saves of the table.
  template <class Visit>
  void snapshot(Visit&& visit) const {
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      const Node& node = nodeAt(slot);
      if (node.updated != kFree) visit(*node.entry(), Time(node.updated));
    }
  }

  /// Puts back an entry `snapshot` gave (replacing `key`'s entry if it has one). Entries may come
  /// in any order; call `finishRestore()` after the last one.
  void restore(K key, S state, Time updated) {
    uint32_t slot = find(key);
    if (slot == kNone) {
      slot = allocate();
      ::new (static_cast<void*>(nodeAt(slot).storage)) Entry(std::move(key), std::move(state));
      index_.insert(slot);
    } else {
      entry(slot).second = std::move(state);
    }
    nodeAt(slot).updated = updated.milliseconds();
  }

  /// Makes room for `count` more entries, so that a restore does not grow the index step by
  /// step (growing rehashes every slot).
  void reserve(size_t count) {
    index_.reserve(index_.size() + count);
    chunks_.reserve((allocated_ + count) / kChunkSize + 1);
  }

  /// Puts back an entry of a snapshot that has no entry in the table yet (a snapshot's keys are
  /// distinct): one probe of the index instead of a lookup and an insert. Call `finishRestore()`
  /// after the last one.
  void restoreNew(K key, S state, Time updated) {
    uint32_t slot = allocate();
    Node& node = nodeAt(slot);
    ::new (static_cast<void*>(node.storage)) Entry(std::move(key), std::move(state));
    node.updated = updated.milliseconds();
    if (!index_.insert(slot).second) {
      node.entry()->~Entry();
      node.updated = kFree;
      free_.push_back(slot);
      throw Error("a state snapshot holds the same key twice");
    }
  }

  /// Removes `key`'s entry, if it has one (a restore applying a checkpoint's delta).
  void restoreRemoval(const K& key) {
    uint32_t slot = find(key);
    if (slot != kNone) erase(slot);
  }

  /// From now on, remembers the keys of erased entries until `takeRemoved()`: what a
  /// checkpoint's delta must remove.
  void trackRemovals() { track_removals_ = true; }
  /// The keys erased since the previous call (with `trackRemovals`), oldest first.
  std::vector<K> takeRemoved() { return std::exchange(removed_, {}); }

  /// Calls `visit(const Entry&, Time updated)` for every entry touched after `time`.
  template <class Visit>
  void forEachUpdatedAfter(Time time, Visit&& visit) const {
    int64_t after = time.milliseconds();
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      const Node& node = nodeAt(slot);
      if (node.updated != kFree && node.updated > after) visit(*node.entry(), Time(node.updated));
    }
  }

  /// Rebuilds the idle buckets (oldest first) after `restore` calls.
  void finishRestore() {
    buckets_.clear();
    if (!track_idle_) return;
    std::map<int64_t, std::vector<uint32_t>> by_time;
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      int64_t updated = nodeAt(slot).updated;
      if (updated != kFree) by_time[updated].push_back(slot);
    }
    for (auto& [time, slots] : by_time) buckets_.push_back(Bucket{time, std::move(slots)});
  }

  /// Removes every entry.
  void clear() {
    for (uint32_t slot = 0; slot < allocated_; ++slot) {
      Node& node = nodeAt(slot);
      if (node.updated != kFree) node.entry()->~Entry();
    }
    index_.clear();
    chunks_.clear();
    free_.clear();
    buckets_.clear();
    allocated_ = 0;
  }

  /// Bytes held beyond the entries themselves: slot stamps, free list, index and buckets (an
  /// estimate for benchmarks and metrics).
  size_t overheadBytes() const {
    size_t bytes = chunks_.size() * kChunkSize * (sizeof(Node) - sizeof(Entry));
    bytes += (chunks_.size() * kChunkSize - size()) * sizeof(Entry);  // unused slots
    bytes += free_.capacity() * sizeof(uint32_t);
    bytes += index_.capacity() * (sizeof(uint32_t) + 1);
    for (const Bucket& bucket : buckets_) bytes += bucket.slots.capacity() * sizeof(uint32_t);
    return bytes;
  }

 private:
  static constexpr int64_t kFree = std::numeric_limits<int64_t>::min();
  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kChunkSize = uint32_t{1} << kChunkBits;

  struct Node {
    int64_t updated;  // ms; kFree when the slot holds no entry
    alignas(Entry) unsigned char storage[sizeof(Entry)];
    Entry* entry() { return std::launder(reinterpret_cast<Entry*>(storage)); }
    const Entry* entry() const { return std::launder(reinterpret_cast<const Entry*>(storage)); }
  };

  struct Bucket {
    int64_t time;
    std::vector<uint32_t> slots;
  };

  // Index hashing and equality through the slab, with lookups by key.
  struct SlotHash {
    using is_transparent = void;
    const StateTable* table;
    size_t operator()(uint32_t slot) const { return StableHash<K>{}(table->nodeAt(slot).entry()->first); }
    size_t operator()(const K& key) const { return StableHash<K>{}(key); }
  };
  struct SlotEq {
    using is_transparent = void;
    const StateTable* table;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t slot, const K& key) const { return KeyEqual<K>{}(table->keyAt(slot), key); }
    bool operator()(const K& key, uint32_t slot) const { return KeyEqual<K>{}(key, table->keyAt(slot)); }
  };

  const K& keyAt(uint32_t slot) const { return nodeAt(slot).entry()->first; }
  Node& nodeAt(uint32_t slot) { return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)]; }
  const Node& nodeAt(uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }

  uint32_t allocate() {
    if (!free_.empty()) {
      uint32_t slot = free_.back();
      free_.pop_back();
      return slot;
    }
    if (allocated_ == chunks_.size() * kChunkSize) {
      chunks_.push_back(std::make_unique<Node[]>(kChunkSize));
      Node* chunk = chunks_.back().get();
      for (uint32_t i = 0; i < kChunkSize; ++i) chunk[i].updated = kFree;
    }
    return allocated_++;
  }

  void remember(uint32_t slot, int64_t time) {
    if (buckets_.empty() || buckets_.back().time != time) buckets_.push_back(Bucket{time, {}});
    buckets_.back().slots.push_back(slot);
  }

  bool track_idle_;
  bool track_removals_ = false;
  std::vector<K> removed_;  // with track_removals_: keys erased since takeRemoved()
  std::vector<std::unique_ptr<Node[]>> chunks_;
  uint32_t allocated_ = 0;  // slots ever handed out (free or not)
  std::vector<uint32_t> free_;
  absl::flat_hash_set<uint32_t, SlotHash, SlotEq> index_;
  std::deque<Bucket> buckets_;
};

/// What every keyed state has, whatever its types: what metrics and checkpoints see. The typed
/// `KeyedState` adds the snapshot (`snapshot`, `writePartition`) and restore (`restore`,
/// `readPartition`, `finishRestore`) of its partitions, entry by entry with each entry's last
/// update time, so that a checkpoint can save it and a restarted job rebuild it, timeouts
/// included.
class StateStoreBase {
 public:
  virtual ~StateStoreBase() = default;
  /// The operation that owns the state ("updateStateByKey", "mapWithState", …).
  virtual const std::string& name() const = 0;
  /// The number of key partitions (the same partitioner as the shuffle's).
  virtual size_t numPartitions() const = 0;
  /// The number of keys with state.
  virtual size_t numKeys() const = 0;
  /// The last batch whose data the state includes (zero before the first).
  virtual Time version() const = 0;
};

/// A keyed state split into partitions by `partitionOf(key, n)`, as the shuffle splits keys,
/// so step task `p` of a batch owns partition `p`. Its version is the time of the last batch
/// applied: views of the state check it, because the tables are updated in place.
template <class K, class S>
class KeyedState final : public StateStoreBase {
 public:
  using Table = StateTable<K, S>;

  /// An empty state of `num_partitions` tables, owned by the operation `name`.
  KeyedState(std::string name, size_t num_partitions, bool track_idle) : name_(std::move(name)) {
    for (size_t p = 0; p < num_partitions; ++p) tables_.push_back(std::make_unique<Table>(track_idle));
  }

  const std::string& name() const override { return name_; }
  size_t numPartitions() const override { return tables_.size(); }
  size_t numKeys() const override {
    size_t total = 0;
    for (const auto& table : tables_) total += table->size();
    return total;
  }
  Time version() const override { return version_; }
  /// Records that batch `time` has been applied.
  void setVersion(Time time) { version_ = time; }

  /// Partition `p`'s table (used by one step task at a time).
  Table& partition(size_t p) { return *tables_[p]; }
  const Table& partition(size_t p) const { return *tables_[p]; }

  /// Calls `visit(const std::pair<K, S>&, Time updated)` for every entry of partition `p`.
  template <class Visit>
  void snapshot(size_t p, Visit&& visit) const {
    tables_[p]->snapshot(visit);
  }
  /// Puts back an entry of partition `p` that `snapshot` gave.
  void restore(size_t p, K key, S state, Time updated) {
    tables_[p]->restore(std::move(key), std::move(state), updated);
  }
  /// Appends partition `p` to `out`: its number of entries, then each entry's key, state and
  /// update time, in `caudal::Serializer` encodings (what a checkpoint stores of it).
  void writePartition(size_t p, ByteWriter& out) const {
    out.writeVarint(tables_[p]->size());
    tables_[p]->snapshot([&](const std::pair<K, S>& entry, Time updated) {
      out.write(entry.first);
      out.write(entry.second);
      out.write(updated);
    });
  }

  /// Restores partition `p` from what `writePartition` wrote (then call `finishRestore`).
  /// Throws `caudal::Error`, naming the offset, for bytes that are not such a partition.
  void readPartition(size_t p, ByteReader& in) { readEntries(p, in, false); }

  /// Ends a restore: the state is as it was after batch `version`.
  void finishRestore(Time version) {
    for (auto& table : tables_) {
      table->finishRestore();
      table->trackRemovals();  // a restored state is checkpointed: the next delta starts here
      table->takeRemoved();
    }
    version_ = version;
    written_.assign(tables_.size(), version);
    tracking_.store(true);
  }

  /// Appends partition `p` as a checkpoint stores it: all of it (`full`), or a delta of what
  /// changed since the previous call for `p`: the keys removed, then the entries touched. The
  /// first call for a partition must be full; the next batch must not run during the call.
  void writeCheckpoint(size_t p, bool full, ByteWriter& out) {
    Table& table = *tables_[p];
    // The first checkpoint of a state not restored from one writes its partitions at once,
    // one task each: one of them sets the tracking up for all.
    std::call_once(tracking_set_up_, [&] {
      if (!written_.empty()) return;  // restored: finishRestore set it up
      written_.assign(tables_.size(), Time());
      for (auto& each : tables_) each->trackRemovals();
      tracking_.store(true);
    });
    std::vector<K> removed = table.takeRemoved();
    if (full) {
      writePartition(p, out);
    } else {
      out.writeVarint(removed.size());
      for (const K& key : removed) out.write(key);
      std::vector<std::pair<const std::pair<K, S>*, Time>> changed;
      table.forEachUpdatedAfter(written_[p], [&](const std::pair<K, S>& entry, Time updated) {
        changed.emplace_back(&entry, updated);
      });
      out.writeVarint(changed.size());
      for (const auto& [entry, updated] : changed) {
        out.write(entry->first);
        out.write(entry->second);
        out.write(updated);
      }
    }
    written_[p] = version_;
  }

  /// Applies to partition `p` what `writeCheckpoint(p, full, …)` wrote (snapshot first, then
  /// the deltas after it in order; then call `finishRestore`). Throws `caudal::Error`, naming
  /// the offset, for bytes that are not such a record.
  void readCheckpoint(size_t p, bool full, ByteReader& in) {
    if (full) {
      tables_[p]->clear();
      readEntries(p, in, true);
      return;
    }
    uint64_t removed = in.readVarint("the number of keys a state delta removes");
    for (uint64_t i = 0; i < removed; ++i) tables_[p]->restoreRemoval(in.read<K>());
    readEntries(p, in, false);
  }

  /// True when every partition's changes are being tracked for deltas.
  bool tracksChanges() const { return tracking_.load(std::memory_order_relaxed); }

  /// Bytes beyond the entries themselves, summed over the partitions.
  size_t overheadBytes() const {
    size_t total = 0;
    for (const auto& table : tables_) total += table->overheadBytes();
    return total;
  }

 private:
  // Reads a count of entries, then the entries, into partition `p`; `distinct` when the table
  // is empty and the entries come from one snapshot, so each key is new.
  void readEntries(size_t p, ByteReader& in, bool distinct) {
    Table& table = *tables_[p];
    uint64_t entries = in.readVarint("the number of entries of a state partition");
    // Each entry takes at least three bytes: a corrupt count cannot reserve more than that.
    table.reserve(static_cast<size_t>(std::min<uint64_t>(entries, in.remaining() / 3)));
    for (uint64_t i = 0; i < entries; ++i) {
      K key = in.read<K>();
      S state = in.read<S>();
      Time updated = in.read<Time>();
      if (distinct) {
        table.restoreNew(std::move(key), std::move(state), updated);
      } else {
        table.restore(std::move(key), std::move(state), updated);
      }
    }
  }

  std::string name_;
  std::vector<std::unique_ptr<Table>> tables_;
  Time version_;
  std::vector<Time> written_;  // per partition: the version its last checkpoint write saw
  std::once_flag tracking_set_up_;
  std::atomic<bool> tracking_{false};  // written_ is set up: deltas are being tracked
};

}  // namespace caudal::detail
