// Wide operations: a map side that runs over every parent partition first (combining by key
// where it can), and a reduce side that reads what the map side wrote for its partition.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <type_traits>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/rdd_node.h"
#include "caudal/detail/stable_hash.h"

namespace caudal::detail {

/// Hash table keyed by record keys; hashes with the stable hash the partitioner uses.
template <class K, class V>
using KeyMap = absl::flat_hash_map<K, V, StableHasher<K>, KeyEqual<K>>;

/// Empties `map` into `sink` as pairs, moving keys and values out.
template <class K, class V, class Sink>
void drainInto(KeyMap<K, V>& map, Sink&& sink) {
  for (auto it = map.begin(); it != map.end();) {
    auto node = map.extract(it++);
    sink(std::pair<K, V>(std::move(node.key()), std::move(node.mapped())));
  }
}

/// Map side of a by-key shuffle with map-side combining (Spark's `combineByKey`): each map task
/// folds its partition into one combiner per key, then splits the combiners by key partition.
template <class K, class V, class C, class Create, class MergeValue>
class CombineDependency final : public ShuffleDependencyBase {
 public:
  using Bucket = std::vector<std::pair<K, C>>;

  CombineDependency(std::shared_ptr<const RddNode<std::pair<K, V>>> parent, size_t num_reduce,
                    Create create, MergeValue merge_value)
      : parent_(std::move(parent)),
        num_reduce_(num_reduce),
        create_(std::move(create)),
        merge_value_(std::move(merge_value)) {}

  const RddNodeBase& mapSide() const override { return *parent_; }
  void prepare() override {
    outputs_.assign(parent_->numPartitions(), std::vector<Bucket>(num_reduce_));
  }

  void runMapTask(size_t map_partition) override {
    KeyMap<K, C> combined;
    parent_->compute(map_partition, [&](std::pair<K, V>&& record) {
      // One hash and one probe per record: a new key is constructed in the slot found.
      bool inserted = false;
      auto it = combined.lazy_emplace(record.first, [&](const auto& construct) {
        inserted = true;
        construct(std::move(record.first), create_(std::move(record.second)));
      });
      if (!inserted) it->second = merge_value_(std::move(it->second), std::move(record.second));
    });
    std::vector<Bucket>& buckets = outputs_[map_partition];
    if (num_reduce_ == 1) buckets[0].reserve(combined.size());
    drainInto(combined, [&](std::pair<K, C>&& entry) {
      size_t target = num_reduce_ == 1 ? 0 : partitionOf(entry.first, num_reduce_);
      buckets[target].push_back(std::move(entry));
    });
  }

  size_t numReducePartitions() const { return num_reduce_; }
  /// What map task `m` wrote for reduce partition `r`: `outputs()[m][r]`.
  const std::vector<std::vector<Bucket>>& outputs() const { return outputs_; }

 private:
  std::shared_ptr<const RddNode<std::pair<K, V>>> parent_;
  size_t num_reduce_;
  Create create_;
  MergeValue merge_value_;
  std::vector<std::vector<Bucket>> outputs_;
};

/// Reduce side of a by-key shuffle: merges every map task's combiners for one partition.
template <class K, class C, class Dependency, class MergeCombiners>
class CombinedNode final : public RddNode<std::pair<K, C>> {
 public:
  CombinedNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<Dependency> dependency,
               MergeCombiners merge_combiners)
      : RddNode<std::pair<K, C>>(std::move(context), dependency->numReducePartitions()),
        dependency_(std::move(dependency)),
        merge_combiners_(std::move(merge_combiners)) {}

  void computePartition(size_t partition, FunctionRef<void(std::pair<K, C>&&)> sink) const override {
    const auto& outputs = dependency_->outputs();
    if (outputs.size() == 1) {  // one map task: its combiners are already final
      for (const auto& entry : outputs[0][partition]) sink(std::pair<K, C>(entry));
      return;
    }
    KeyMap<K, C> merged;
    for (const auto& buckets : outputs) {
      for (const auto& [key, combiner] : buckets[partition]) {
        auto it = merged.find(key);
        if (it == merged.end()) {
          merged.emplace(key, combiner);
        } else {
          it->second = merge_combiners_(std::move(it->second), C(combiner));
        }
      }
    }
    drainInto(merged, sink);
  }

  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {dependency_.get()};
  }

 private:
  std::shared_ptr<Dependency> dependency_;
  MergeCombiners merge_combiners_;
};

/// Builds `parent.combineByKey(create, merge_value, merge_combiners, num_partitions)`.
template <class K, class V, class C, class Create, class MergeValue, class MergeCombiners>
std::shared_ptr<const RddNode<std::pair<K, C>>> makeCombineByKey(
    std::shared_ptr<const RddNode<std::pair<K, V>>> parent, size_t num_partitions,
    Create create, MergeValue merge_value, MergeCombiners merge_combiners) {
  using Dependency = CombineDependency<K, V, C, Create, MergeValue>;
  auto context = parent->sharedContext();
  auto dependency = std::make_shared<Dependency>(std::move(parent), num_partitions,
                                                 std::move(create), std::move(merge_value));
  return std::make_shared<CombinedNode<K, C, Dependency, MergeCombiners>>(
      std::move(context), std::move(dependency), std::move(merge_combiners));
}

/// Groups a pair RDD's values by key into a vector per key (map-side combined).
template <class K, class V>
auto makeGroupDependency(std::shared_ptr<const RddNode<std::pair<K, V>>> parent,
                         size_t num_partitions) {
  auto create = [](V&& value) {
    std::vector<V> values;
    values.push_back(std::move(value));
    return values;
  };
  auto append = [](std::vector<V>&& values, V&& value) {
    values.push_back(std::move(value));
    return std::move(values);
  };
  using Dependency = CombineDependency<K, V, std::vector<V>, decltype(create), decltype(append)>;
  return std::make_shared<Dependency>(std::move(parent), num_partitions, create, append);
}

/// Reduce side of `cogroup`: for each key, the values it has on the left and on the right.
template <class K, class V, class W, class LeftDependency, class RightDependency>
class CoGroupedNode final
    : public RddNode<std::pair<K, std::pair<std::vector<V>, std::vector<W>>>> {
 public:
  using Groups = std::pair<std::vector<V>, std::vector<W>>;
  using Record = std::pair<K, Groups>;

  CoGroupedNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<LeftDependency> left,
                std::shared_ptr<RightDependency> right)
      : RddNode<Record>(std::move(context), left->numReducePartitions()),
        left_(std::move(left)),
        right_(std::move(right)) {}

  void computePartition(size_t partition, FunctionRef<void(Record&&)> sink) const override {
    KeyMap<K, Groups> groups;
    for (const auto& buckets : left_->outputs()) {
      for (const auto& [key, values] : buckets[partition]) {
        auto& side = groups[key].first;
        side.insert(side.end(), values.begin(), values.end());
      }
    }
    for (const auto& buckets : right_->outputs()) {
      for (const auto& [key, values] : buckets[partition]) {
        auto& side = groups[key].second;
        side.insert(side.end(), values.begin(), values.end());
      }
    }
    drainInto(groups, sink);
  }

  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {left_.get(), right_.get()};
  }

 private:
  std::shared_ptr<LeftDependency> left_;
  std::shared_ptr<RightDependency> right_;
};

/// Map side of a shuffle without combining: each map task sends every record to the partition
/// its `Router` picks (a router is made per map task from the map partition and the number of
/// targets, and called as `size_t(const T&)`).
template <class T, class Router>
class RoutingDependency final : public ShuffleDependencyBase {
 public:
  RoutingDependency(std::shared_ptr<const RddNode<T>> parent, size_t num_reduce)
      : parent_(std::move(parent)), num_reduce_(num_reduce) {}

  const RddNodeBase& mapSide() const override { return *parent_; }
  void prepare() override {
    outputs_.assign(parent_->numPartitions(), std::vector<std::vector<T>>(num_reduce_));
  }
  void runMapTask(size_t map_partition) override {
    auto& buckets = outputs_[map_partition];
    Router route(map_partition, num_reduce_);
    parent_->compute(map_partition, [&](T&& record) {
      buckets[route(std::as_const(record))].push_back(std::move(record));
    });
  }

  size_t numReducePartitions() const { return num_reduce_; }
  /// What map task `m` sent to reduce partition `r`: `outputs()[m][r]`.
  const std::vector<std::vector<std::vector<T>>>& outputs() const { return outputs_; }

 private:
  std::shared_ptr<const RddNode<T>> parent_;
  size_t num_reduce_;
  std::vector<std::vector<std::vector<T>>> outputs_;
};

/// `repartition`'s routing: round-robin, starting at a position that depends on the map
/// partition so that small partitions spread out.
class RoundRobinRouter {
 public:
  RoundRobinRouter(size_t map_partition, size_t num_reduce)
      : next_(static_cast<size_t>(mix64(map_partition) % num_reduce)), num_reduce_(num_reduce) {}
  template <class T>
  size_t operator()(const T&) {
    size_t target = next_;
    if (++next_ == num_reduce_) next_ = 0;
    return target;
  }

 private:
  size_t next_;
  size_t num_reduce_;
};

/// A join input's routing: by the partition of the record's key.
class KeyRouter {
 public:
  KeyRouter(size_t, size_t num_reduce) : num_reduce_(num_reduce) {}
  template <class Record>
  size_t operator()(const Record& record) const {
    return num_reduce_ == 1 ? 0 : partitionOf(record.first, num_reduce_);
  }

 private:
  size_t num_reduce_;
};

/// Map side of `repartition`.
template <class T>
using RepartitionDependency = RoutingDependency<T, RoundRobinRouter>;

/// Map side of a join input: pairs routed by key, not combined.
template <class K, class V>
using PartitionByKeyDependency = RoutingDependency<std::pair<K, V>, KeyRouter>;

/// Reduce side of `repartition`: the records dealt to one partition, in map-partition order.
template <class T>
class RepartitionedNode final : public RddNode<T> {
 public:
  explicit RepartitionedNode(std::shared_ptr<RepartitionDependency<T>> dependency,
                             std::shared_ptr<ExecutionContext> context)
      : RddNode<T>(std::move(context), dependency->numReducePartitions()),
        dependency_(std::move(dependency)) {}

  void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const override {
    for (const auto& buckets : dependency_->outputs()) {
      for (const T& record : buckets[partition]) sink(T(record));
    }
  }
  void computePartitionShared(size_t partition, FunctionRef<void(const T&)> sink) const override {
    for (const auto& buckets : dependency_->outputs()) {
      for (const T& record : buckets[partition]) sink(record);
    }
  }
  bool holdsRecords() const override { return true; }
  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {dependency_.get()};
  }

 private:
  std::shared_ptr<RepartitionDependency<T>> dependency_;
};

/// Map side of a whole-RDD aggregation (`count`, `reduce` as transformations): each map task
/// folds its partition into at most one partial result with `step(std::optional<A>&, T&&)`.
template <class T, class A, class Step>
class FoldDependency final : public ShuffleDependencyBase {
 public:
  FoldDependency(std::shared_ptr<const RddNode<T>> parent, Step step)
      : parent_(std::move(parent)), step_(std::move(step)) {}

  const RddNodeBase& mapSide() const override { return *parent_; }
  void prepare() override { partials_.assign(parent_->numPartitions(), std::nullopt); }
  void runMapTask(size_t map_partition) override {
    std::optional<A> partial;
    parent_->compute(map_partition, [&](T&& record) { step_(partial, std::move(record)); });
    partials_[map_partition] = std::move(partial);
  }
  const std::vector<std::optional<A>>& partials() const { return partials_; }

 private:
  std::shared_ptr<const RddNode<T>> parent_;
  Step step_;
  std::vector<std::optional<A>> partials_;
};

/// Reduce side of a whole-RDD aggregation: one partition holding the combined result, or
/// `empty_value` when no partition had a record (nothing at all if that is unset).
template <class A, class Dependency, class Combine>
class FoldedNode final : public RddNode<A> {
 public:
  FoldedNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<Dependency> dependency,
             Combine combine, std::optional<A> empty_value)
      : RddNode<A>(std::move(context), 1),
        dependency_(std::move(dependency)),
        combine_(std::move(combine)),
        empty_value_(std::move(empty_value)) {}

  void computePartition(size_t, FunctionRef<void(A&&)> sink) const override {
    std::optional<A> result;
    for (const auto& partial : dependency_->partials()) {
      if (!partial) continue;
      result = result ? combine_(std::move(*result), A(*partial)) : A(*partial);
    }
    if (!result) result = empty_value_;
    if (result) sink(std::move(*result));
  }
  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {dependency_.get()};
  }

 private:
  std::shared_ptr<Dependency> dependency_;
  Combine combine_;
  std::optional<A> empty_value_;
};

/// Map side of `sortBy`: when the stage is prepared, a sample of the keys (an extra pass over
/// the parent, as Spark's RangePartitioner makes) fixes `n - 1` range bounds; each map task
/// then sends every record, with its key, to the range the key falls in.
template <class T, class Key, class KeyOf>
class SortDependency final : public ShuffleDependencyBase {
 public:
  using Bucket = std::vector<std::pair<Key, T>>;

  SortDependency(std::shared_ptr<const RddNode<T>> parent, size_t num_reduce, KeyOf key_of,
                 bool ascending)
      : parent_(std::move(parent)),
        num_reduce_(num_reduce),
        key_of_(std::move(key_of)),
        ascending_(ascending) {}

  const RddNodeBase& mapSide() const override { return *parent_; }

  void prepare() override {
    size_t map_partitions = parent_->numPartitions();
    outputs_.assign(map_partitions, std::vector<Bucket>(num_reduce_));
    bounds_.clear();
    if (num_reduce_ == 1 || map_partitions == 0) return;
    // Reservoir-sample each partition with a fixed seed, so the ranges (and so the output
    // partitioning) are the same on every run.
    size_t per_partition = std::max<size_t>(20, 20 * num_reduce_ / map_partitions + 1);
    std::vector<std::vector<Key>> samples(map_partitions);
    parent_->context().runJob(*parent_, [&](size_t p) {
      std::mt19937_64 random(p + 1);
      size_t seen = 0;
      parent_->compute(p, [&](T&& record) {
        ++seen;
        if (samples[p].size() < per_partition) {
          samples[p].push_back(key_of_(std::as_const(record)));
        } else if (size_t slot = random() % seen; slot < per_partition) {
          samples[p][slot] = key_of_(std::as_const(record));
        }
      });
    });
    std::vector<Key> all;
    for (auto& sample : samples) std::move(sample.begin(), sample.end(), std::back_inserter(all));
    if (all.empty()) return;
    std::sort(all.begin(), all.end());
    for (size_t i = 1; i < num_reduce_; ++i) bounds_.push_back(all[i * all.size() / num_reduce_]);
  }

  void runMapTask(size_t map_partition) override {
    std::vector<Bucket>& buckets = outputs_[map_partition];
    parent_->compute(map_partition, [&](T&& record) {
      Key key = key_of_(std::as_const(record));
      size_t range = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), key) -
                                         bounds_.begin());
      if (!ascending_) range = num_reduce_ - 1 - range;
      buckets[range].emplace_back(std::move(key), std::move(record));
    });
  }

  size_t numReducePartitions() const { return num_reduce_; }
  bool ascending() const { return ascending_; }
  const std::vector<std::vector<Bucket>>& outputs() const { return outputs_; }

 private:
  std::shared_ptr<const RddNode<T>> parent_;
  size_t num_reduce_;
  KeyOf key_of_;
  bool ascending_;
  std::vector<Key> bounds_;
  std::vector<std::vector<Bucket>> outputs_;
};

/// Reduce side of `sortBy`: one key range, sorted (stably: equal keys keep map order).
template <class T, class Dependency>
class SortedNode final : public RddNode<T> {
 public:
  SortedNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<Dependency> dependency)
      : RddNode<T>(std::move(context), dependency->numReducePartitions()),
        dependency_(std::move(dependency)) {}

  void computePartition(size_t partition, FunctionRef<void(T&&)> sink) const override {
    typename Dependency::Bucket range;
    for (const auto& buckets : dependency_->outputs()) {
      range.insert(range.end(), buckets[partition].begin(), buckets[partition].end());
    }
    if (dependency_->ascending()) {
      std::stable_sort(range.begin(), range.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    } else {
      std::stable_sort(range.begin(), range.end(),
                       [](const auto& a, const auto& b) { return b.first < a.first; });
    }
    for (auto& entry : range) sink(std::move(entry.second));
  }

  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {dependency_.get()};
  }

 private:
  std::shared_ptr<Dependency> dependency_;
};

/// Reduce side of the joins: a hash join per partition. The right side's records are indexed
/// where the shuffle left them (a table from key to a chain of record indices, no copies); the
/// left side's records then stream through it, each paired with every right value of its key.
/// With `kKeepUnmatchedLeft`, a left record whose key has no right value is paired with
/// `std::nullopt`; with `kKeepUnmatchedRight`, so is every right value whose key no left record
/// had (emitted after the left side).
template <class K, class V, class W, bool kKeepUnmatchedLeft, bool kKeepUnmatchedRight>
class HashJoinNode final
    : public RddNode<std::pair<K, std::pair<std::conditional_t<kKeepUnmatchedRight, std::optional<V>, V>,
                                            std::conditional_t<kKeepUnmatchedLeft, std::optional<W>, W>>>> {
 public:
  using Left = std::conditional_t<kKeepUnmatchedRight, std::optional<V>, V>;
  using Right = std::conditional_t<kKeepUnmatchedLeft, std::optional<W>, W>;
  using Record = std::pair<K, std::pair<Left, Right>>;
  using LeftDependency = PartitionByKeyDependency<K, V>;
  using RightDependency = PartitionByKeyDependency<K, W>;

  HashJoinNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<LeftDependency> left,
               std::shared_ptr<RightDependency> right)
      : RddNode<Record>(std::move(context), left->numReducePartitions()),
        left_(std::move(left)),
        right_(std::move(right)) {}

  void computePartition(size_t partition, FunctionRef<void(Record&&)> sink) const override {
    static constexpr uint32_t kEnd = ~uint32_t{0};
    struct Chain {
      uint32_t head;
      bool matched;
    };
    // Index the right side: `next[i]` links the records of one key, newest first.
    std::vector<const std::pair<K, W>*> rights;
    for (const auto& buckets : right_->outputs()) {
      for (const auto& record : buckets[partition]) rights.push_back(&record);
    }
    std::vector<uint32_t> next(rights.size(), kEnd);
    KeyMap<K, Chain> chains;
    chains.reserve(rights.size());
    for (uint32_t i = static_cast<uint32_t>(rights.size()); i-- > 0;) {
      auto [it, inserted] = chains.try_emplace(rights[i]->first, Chain{i, false});
      if (!inserted) {
        next[i] = it->second.head;
        it->second.head = i;
      }
    }
    // Stream the left side through it.
    for (const auto& buckets : left_->outputs()) {
      for (const auto& [key, value] : buckets[partition]) {
        auto it = chains.find(key);
        if (it == chains.end()) {
          if constexpr (kKeepUnmatchedLeft) sink(Record(key, {value, std::nullopt}));
          continue;
        }
        it->second.matched = true;
        for (uint32_t i = it->second.head; i != kEnd; i = next[i]) {
          sink(Record(key, {value, rights[i]->second}));
        }
      }
    }
    if constexpr (kKeepUnmatchedRight) {
      for (const auto& [key, chain] : chains) {
        if (chain.matched) continue;
        for (uint32_t i = chain.head; i != kEnd; i = next[i]) {
          sink(Record(key, {std::nullopt, rights[i]->second}));
        }
      }
    }
  }

  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    return {left_.get(), right_.get()};
  }

 private:
  std::shared_ptr<LeftDependency> left_;
  std::shared_ptr<RightDependency> right_;
};

}  // namespace caudal::detail
