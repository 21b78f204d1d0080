// queueStream: batches from RDDs held in memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <string>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/dstream_node.h"

namespace caudal::detail {

/// Yields the queued RDDs: one per batch (then empty RDDs) with `one_at_a_time`, else all that
/// are queued, as one union, at the first batch. A restarted job rebuilds the same queue (its
/// factory makes it again), so its position is how many RDDs batches have taken, and a logged
/// batch is replayed by taking as many again.
template <class T>
class QueueInputNode final : public InputNode<T> {
 public:
  QueueInputNode(const std::shared_ptr<StreamingCore>& core, std::vector<RDD<T>> rdds,
                 bool one_at_a_time)
      : InputNode<T>(core, "queueStream"),
        queue_(std::make_move_iterator(rdds.begin()), std::make_move_iterator(rdds.end())),
        one_at_a_time_(one_at_a_time) {}

  bool canReplay() const override { return true; }
  void describeBatch(Time, ByteWriter& out) const override { out.writeVarint(last_taken_); }
  void writePosition(ByteWriter& out) const override { out.writeVarint(taken_); }
  void readPosition(ByteReader& in) override {
    uint64_t taken = in.readVarint("queueStream's position");
    if (taken > queue_.size()) {
      throw Error("queueStream: the checkpoint says " + std::to_string(taken) + " RDDs were taken, but the queue has " +
                  std::to_string(queue_.size()));
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
    taken_ = taken;
  }

 protected:
  std::optional<RDD<T>> compute(Time) override {
    return take(one_at_a_time_ ? std::min<size_t>(1, queue_.size()) : queue_.size());
  }

  std::optional<RDD<T>> computeReplay(Time, ByteReader& in) override {
    uint64_t count = in.readVarint("the RDDs a queueStream batch took");
    if (count > queue_.size()) throw Error("queueStream: a logged batch took more RDDs than the queue has left");
    return take(count);
  }

 private:
  // The union of the next `count` queued RDDs (an empty RDD for none).
  RDD<T> take(size_t count) {
    std::vector<RDD<T>> taken(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(count)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
    last_taken_ = count;
    taken_ += count;
    auto core = this->sharedCore();
    if (taken.empty()) return emptyRdd<T>(core->executionContext());
    RDD<T> rdd = taken.size() == 1 ? std::move(taken.front()) : RDD<T>::unionOf(taken);
    if (auto known = rdd.node()->knownRecordCount()) {
      core->reportInputRecords(static_cast<int64_t>(*known));
    }
    return rdd;
  }

  std::deque<RDD<T>> queue_;
  bool one_at_a_time_;
  uint64_t taken_ = 0;       // RDDs taken by all batches so far
  uint64_t last_taken_ = 0;  // by the last batch
};

}  // namespace caudal::detail
