// The lineage graph of an RDD: one node per operation, computed lazily, partition by partition.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/execution_context.h"
#include "caudal/detail/function_ref.h"

namespace caudal::detail {

class ShuffleDependencyBase;

/// What every node of an RDD's lineage has, whatever its record type.
class RddNodeBase {
 public:
  RddNodeBase(std::shared_ptr<ExecutionContext> context, size_t num_partitions)
      : context_(std::move(context)), num_partitions_(num_partitions) {}
  virtual ~RddNodeBase() = default;
  RddNodeBase(const RddNodeBase&) = delete;
  RddNodeBase& operator=(const RddNodeBase&) = delete;

  size_t numPartitions() const { return num_partitions_; }
  ExecutionContext& context() const { return *context_; }
  const std::shared_ptr<ExecutionContext>& sharedContext() const { return context_; }

  /// Parents whose partitions this node reads within the same task (no shuffle between).
  virtual std::vector<const RddNodeBase*> narrowParents() const { return {}; }
  /// Shuffles whose map side must have run before this node's partitions can be computed.
  virtual std::vector<ShuffleDependencyBase*> shuffleParents() const { return {}; }
  /// The number of records, when known without computing (in-memory collections).
  virtual std::optional<size_t> knownRecordCount() const { return std::nullopt; }

 private:
  std::shared_ptr<ExecutionContext> context_;
  size_t num_partitions_;
};

/// A node producing records of type `T`. Records reach consumers in one of two ways: owned
/// (`compute`: the sink may move from each record) or borrowed (`computeShared`: the sink sees
/// a const reference valid during the call, and copies what it keeps). Nodes that already hold
/// their records (`sharesRecords()`) lend them without copying; consumers that only read a
/// record (a `map` whose function takes `const T&`, `filter`, `count`) use that path then.
template <class T>
class RddNode : public RddNodeBase {
 public:
  using RddNodeBase::RddNodeBase;

  /// Pushes every record of partition `partition` into `sink`, in order, as records the sink
  /// owns. Runs on a worker thread. Without `persist()` it recomputes the partition from the
  /// parents on every call; after it, the first call keeps the records and later calls read
  /// them.
  void compute(size_t partition, FunctionRef<void(T&&)> sink) const {
    if (const PartitionCache* cache = cache_.load(std::memory_order_acquire)) {
      for (const T& record : cache->records(*this, partition)) sink(T(record));
    } else {
      computePartition(partition, sink);
    }
  }

  /// As `compute`, lending each record by const reference (valid only during the call).
  void computeShared(size_t partition, FunctionRef<void(const T&)> sink) const {
    if (const PartitionCache* cache = cache_.load(std::memory_order_acquire)) {
      for (const T& record : cache->records(*this, partition)) sink(record);
    } else {
      computePartitionShared(partition, sink);
    }
  }

  /// True when `computeShared` lends records this node holds, so reading them through it
  /// copies nothing (otherwise `compute` is as cheap, and lets consumers move).
  bool sharesRecords() const {
    return cache_.load(std::memory_order_acquire) != nullptr || holdsRecords();
  }

  /// Keeps each partition in memory once computed (`RDD::cache()`), for every handle of this
  /// node. Idempotent and thread-safe.
  void persist() const {
    std::call_once(persist_once_, [&] {
      owned_cache_ = std::make_unique<PartitionCache>(this->numPartitions());
      cache_.store(owned_cache_.get(), std::memory_order_release);
    });
  }

 protected:
  /// Computes partition `partition` from the parents. May run more than once per partition
  /// (when the node is not persisted and used twice), so it must not consume what it reads.
  virtual void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const = 0;

  /// Lends the partition's records; by default computes them and lends each one.
  virtual void computePartitionShared(size_t partition, FunctionRef<void(const T&)> sink) const {
    computePartition(partition, [&](T&& record) { sink(record); });
  }

  /// True for nodes whose `computePartitionShared` lends records they hold.
  virtual bool holdsRecords() const { return false; }

 private:
  // One slot per partition, filled on first use. A computation that throws leaves its slot
  // empty, and call_once lets the next use retry from the start.
  class PartitionCache {
   public:
    explicit PartitionCache(size_t partitions) : slots_(partitions) {}
    const std::vector<T>& records(const RddNode& node, size_t partition) const {
      Slot& slot = slots_[partition];
      std::call_once(slot.once, [&] {
        std::vector<T> records;
        node.computePartition(partition, [&](T&& record) { records.push_back(std::move(record)); });
        slot.records = std::move(records);
      });
      return slot.records;
    }

   private:
    struct Slot {
      std::once_flag once;
      std::vector<T> records;
    };
    mutable std::vector<Slot> slots_;
  };

  mutable std::once_flag persist_once_;
  mutable std::unique_ptr<PartitionCache> owned_cache_;
  mutable std::atomic<const PartitionCache*> cache_{nullptr};
};

/// Calls `visit(record)` for every record of `node`'s partition: with borrowed const references
/// when `kCanBorrow` (the visitor can read a `const T&`) and the node holds its records, so
/// nothing is copied; with owned records otherwise, so the visitor may move from them.
template <bool kCanBorrow, class T, class Visit>
void forEachRecord(const RddNode<T>& node, size_t partition, Visit&& visit) {
  if constexpr (kCanBorrow) {
    if (node.sharesRecords()) {
      node.computeShared(partition, [&](const T& record) { visit(record); });
      return;
    }
  }
  node.compute(partition, [&](T&& record) { visit(std::move(record)); });
}

/// The map side of a shuffle: runs once per map partition, storing output for the reduce side.
class ShuffleDependencyBase {
 public:
  virtual ~ShuffleDependencyBase() = default;
  /// The RDD whose partitions the map tasks read.
  virtual const RddNodeBase& mapSide() const = 0;
  /// Sizes the output slots, one per map partition; called once before the map tasks run.
  virtual void prepare() = 0;
  /// Runs map task `map_partition`; tasks of one dependency run concurrently, each writing only
  /// its own slot.
  virtual void runMapTask(size_t map_partition) = 0;

  /// Serializes the scheduler's check-and-run of this dependency's map stage.
  std::mutex& stageMutex() { return stage_mutex_; }
  /// True once every map task has run (guarded by `stageMutex()`).
  bool& completed() { return completed_; }

 private:
  std::mutex stage_mutex_;
  bool completed_ = false;
};

}  // namespace caudal::detail
