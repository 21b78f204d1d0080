#include "sql/execution/group_state_store.h"

#include <algorithm>

namespace caudal::sql {

GroupStateStore::GroupStateStore(std::string name, std::vector<DataType> key_types, uint32_t payload_size,
                                 size_t partitions, PayloadFunction initialize, PayloadFunction destroy)
    : name_(std::move(name)), global_(key_types.empty()), destroy_(std::move(destroy)) {
  if (global_) {
    global_payload_.assign(payload_size / 8 + 1, 0);
    if (initialize) initialize(globalPayload());
    return;
  }
  for (size_t p = 0; p < std::max<size_t>(partitions, 1); ++p) {
    tables_.push_back(std::make_unique<GroupHashTable>(key_types, payload_size, initialize));
  }
}

GroupStateStore::~GroupStateStore() {
  if (!destroy_) return;
  if (global_) {
    destroy_(globalPayload());
    return;
  }
  for (auto& table : tables_) table->forEachGroup([&](uint32_t id) { destroy_(table->payload(id)); });
}

size_t GroupStateStore::numKeys() const {
  if (global_) return 1;
  size_t total = 0;
  for (const auto& table : tables_) total += table->size();
  return total;
}

void GroupStateStore::erase(size_t p, uint32_t id) {
  if (destroy_) destroy_(tables_[p]->payload(id));
  tables_[p]->erase(id);
}

size_t GroupStateStore::memoryUsage() const {
  if (global_) return global_payload_.size() * sizeof(uint64_t);
  size_t total = 0;
  for (const auto& table : tables_) total += table->memoryUsage();
  return total;
}

}  // namespace caudal::sql
