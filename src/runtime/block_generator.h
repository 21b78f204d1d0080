// Receiver side of a source: records stored by a receiver thread, cut into blocks.
#pragma once

#include <absl/base/thread_annotations.h>

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace caudal {

/// Collects what a receiver stores into the current block; `cutBlock` closes it and
/// `takeBlocks` hands the closed blocks to a batch (each becomes one partition). Thread-safe.
template <class T>
class BlockGenerator {
 public:
  /// Appends `records` to the current block.
  void store(std::vector<T>&& records) {
    std::lock_guard lock(mutex_);
    if (current_.empty()) {
      current_ = std::move(records);
    } else {
      current_.insert(current_.end(), std::make_move_iterator(records.begin()),
                      std::make_move_iterator(records.end()));
    }
  }

  /// Closes the current block, if it has any record.
  void cutBlock() {
    std::lock_guard lock(mutex_);
    if (current_.empty()) return;
    ready_.push_back(std::move(current_));
    current_.clear();
  }

  /// Every closed block, oldest first; they are the caller's now.
  std::vector<std::vector<T>> takeBlocks() {
    std::lock_guard lock(mutex_);
    return std::exchange(ready_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<T> current_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::vector<T>> ready_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caudal
