// Nodes computed from their parents' partitions within one task: sources held in memory and
// the narrow transformations, which fuse into one pass per partition.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/rdd_node.h"

namespace caudal::detail {

/// Partitions held in memory (`parallelize`, `queueStream`, receiver blocks).
template <class T>
class ParallelCollectionNode final : public RddNode<T> {
 public:
  using Partitions = std::vector<std::vector<T>>;

  ParallelCollectionNode(std::shared_ptr<ExecutionContext> context,
                         std::shared_ptr<const Partitions> partitions)
      : RddNode<T>(std::move(context), partitions->size()), partitions_(std::move(partitions)) {}

  void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const override {
    for (const T& record : (*partitions_)[partition]) sink(T(record));
  }
  void computePartitionShared(size_t partition, FunctionRef<void(const T&)> sink) const override {
    for (const T& record : (*partitions_)[partition]) sink(record);
  }
  bool holdsRecords() const override { return true; }

  std::optional<size_t> knownRecordCount() const override {
    size_t total = 0;
    for (const auto& partition : *partitions_) total += partition.size();
    return total;
  }

 private:
  std::shared_ptr<const Partitions> partitions_;
};

/// One narrow transformation of a single parent: `body(parent, partition, sink)` reads the
/// parent's partition and pushes results. map, flatMap, filter, mapPartitions, glom… are this
/// node with different bodies; a chain of them runs as one pass over each partition.
template <class T, class ParentT, class Body>
class NarrowNode final : public RddNode<T> {
 public:
  NarrowNode(std::shared_ptr<const RddNode<ParentT>> parent, Body body)
      : RddNode<T>(parent->sharedContext(), parent->numPartitions()),
        parent_(std::move(parent)),
        body_(std::move(body)) {}

  void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const override {
    body_(*parent_, partition, sink);
  }

  std::vector<const RddNodeBase*> narrowParents() const override { return {parent_.get()}; }

 private:
  std::shared_ptr<const RddNode<ParentT>> parent_;
  Body body_;
};

template <class T, class ParentT, class Body>
std::shared_ptr<const RddNode<T>> makeNarrowNode(std::shared_ptr<const RddNode<ParentT>> parent,
                                                 Body body) {
  return std::make_shared<NarrowNode<T, ParentT, Body>>(std::move(parent), std::move(body));
}

/// The partitions of several RDDs, one after the other.
template <class T>
class UnionNode final : public RddNode<T> {
 public:
  UnionNode(std::shared_ptr<ExecutionContext> context,
            std::vector<std::shared_ptr<const RddNode<T>>> parents)
      : RddNode<T>(std::move(context), totalPartitions(parents)), parents_(std::move(parents)) {}

  void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const override {
    auto [parent, local] = locate(partition);
    parent.compute(local, sink);
  }
  void computePartitionShared(size_t partition, FunctionRef<void(const T&)> sink) const override {
    auto [parent, local] = locate(partition);
    parent.computeShared(local, sink);
  }
  bool holdsRecords() const override {
    return std::all_of(parents_.begin(), parents_.end(),
                       [](const auto& parent) { return parent->sharesRecords(); });
  }

  std::vector<const RddNodeBase*> narrowParents() const override {
    std::vector<const RddNodeBase*> result;
    for (const auto& parent : parents_) result.push_back(parent.get());
    return result;
  }

  std::optional<size_t> knownRecordCount() const override {
    size_t total = 0;
    for (const auto& parent : parents_) {
      auto count = parent->knownRecordCount();
      if (!count) return std::nullopt;
      total += *count;
    }
    return total;
  }

 private:
  // The parent holding union partition `partition`, and its index there.
  std::pair<const RddNode<T>&, size_t> locate(size_t partition) const {
    for (const auto& parent : parents_) {
      if (partition < parent->numPartitions()) return {*parent, partition};
      partition -= parent->numPartitions();
    }
    return {*parents_.back(), partition};  // unreachable: partition < numPartitions()
  }

  static size_t totalPartitions(const std::vector<std::shared_ptr<const RddNode<T>>>& parents) {
    size_t total = 0;
    for (const auto& parent : parents) total += parent->numPartitions();
    return total;
  }

  std::vector<std::shared_ptr<const RddNode<T>>> parents_;
};

}  // namespace caudal::detail
