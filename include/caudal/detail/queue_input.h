// queueStream: batches from RDDs held in memory.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/dstream_node.h"

namespace caudal::detail {

/// Yields the queued RDDs: one per batch (then empty RDDs) with `one_at_a_time`, else all that
/// are queued, as one union, at the first batch.
template <class T>
class QueueInputNode final : public InputNode<T> {
 public:
  QueueInputNode(const std::shared_ptr<StreamingCore>& core, std::vector<RDD<T>> rdds,
                 bool one_at_a_time)
      : InputNode<T>(core, "queueStream"),
        queue_(std::make_move_iterator(rdds.begin()), std::make_move_iterator(rdds.end())),
        one_at_a_time_(one_at_a_time) {}

 protected:
  std::optional<RDD<T>> compute(Time) override {
    std::vector<RDD<T>> taken;
    if (one_at_a_time_) {
      if (!queue_.empty()) {
        taken.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    } else {
      taken.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
    }
    auto core = this->sharedCore();
    if (taken.empty()) return emptyRdd<T>(core->executionContext());
    RDD<T> rdd = taken.size() == 1 ? std::move(taken.front()) : RDD<T>::unionOf(taken);
    if (auto known = rdd.node()->knownRecordCount()) {
      core->reportInputRecords(static_cast<int64_t>(*known));
    }
    return rdd;
  }

 private:
  std::deque<RDD<T>> queue_;
  bool one_at_a_time_;
};

}  // namespace caudal::detail
