// The state of a SQL aggregation: its groups, kept across micro-batches behind the engine's
// state-store interface (the one the DStream keyed states implement).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caudal/detail/state_table.h"
#include "sql/execution/group_hash_table.h"

namespace caudal::sql {

/// The groups of one aggregation and their aggregate states, split into partitions by key
/// hash: partition p is a `GroupHashTable` updated by one task at a time. Without key columns
/// (an aggregation with no GROUP BY) the state is one group, always present.
///
/// Each group's payload (`payload_size` bytes) is set up by `initialize` when the group is
/// created and released by `destroy` when it is erased or the store is destroyed. In memory;
/// `version()` says which batch the state includes: SQL micro-batches are numbered, so after
/// batch id n it is `Time(n + 1)` (zero before the first). Not thread-safe beyond "one task
/// per partition".
class GroupStateStore final : public detail::StateStoreBase {
 public:
  using PayloadFunction = std::function<void(uint8_t* payload)>;

  /// `name` is the operation's ("aggregate"); `partitions` at least 1 (forced to 1 without
  /// key columns). `destroy` may be null when payloads own nothing.
  GroupStateStore(std::string name, std::vector<DataType> key_types, uint32_t payload_size, size_t partitions,
                  PayloadFunction initialize, PayloadFunction destroy);
  ~GroupStateStore() override;
  GroupStateStore(const GroupStateStore&) = delete;
  GroupStateStore& operator=(const GroupStateStore&) = delete;

  const std::string& name() const override { return name_; }
  size_t numPartitions() const override { return global_ ? 1 : tables_.size(); }
  size_t numKeys() const override;
  Time version() const override { return version_; }
  /// Records that the state includes batch `batch_id`.
  void setVersion(int64_t batch_id) { version_ = Time(batch_id + 1); }

  /// True when there are no key columns: one global group.
  bool global() const { return global_; }
  /// The partition a key of hash `hash` (from `hashColumns`) belongs to. The high bits pick it,
  /// since the tables probe with the low ones.
  size_t partitionOf(uint64_t hash) const {
    return tables_.size() == 1 ? 0 : static_cast<size_t>((hash >> 40) % tables_.size());
  }
  /// Partition `p`'s groups (with key columns only).
  GroupHashTable& partition(size_t p) { return *tables_[p]; }
  const GroupHashTable& partition(size_t p) const { return *tables_[p]; }
  /// The global group's payload (without key columns only).
  uint8_t* globalPayload() { return reinterpret_cast<uint8_t*>(global_payload_.data()); }
  const uint8_t* globalPayload() const { return reinterpret_cast<const uint8_t*>(global_payload_.data()); }

  /// Releases group `id` of partition `p` and removes it; its id may be reused.
  void erase(size_t p, uint32_t id);
  /// Bytes held by all partitions.
  size_t memoryUsage() const;

 private:
  std::string name_;
  bool global_;
  PayloadFunction destroy_;
  std::vector<std::unique_ptr<GroupHashTable>> tables_;
  std::vector<uint64_t> global_payload_;
  Time version_;
};

}  // namespace caudal::sql
