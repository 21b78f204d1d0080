// RDD<T>: one batch's data, a list of partitions computed lazily, as Spark's RDD.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/detail/narrow_nodes.h"
#include "caudal/detail/shuffle_nodes.h"
#include "caudal/detail/type_traits.h"
#include "caudal/error.h"

namespace caudal {

/// A resilient distributed dataset: an immutable list of partitions of `T`, described by its
/// lineage and computed only when an action (`collect`, `count`, …) runs. Transformations
/// return new RDDs and never block; narrow ones (map, filter, flatMap, …) fuse into one pass
/// per partition; wide ones (`reduceByKey`, `join`, `repartition`, …) shuffle by key hash.
/// User functions may run concurrently on several worker threads, so they are called as
/// `const` and must be safe to call in parallel. Order inside a shuffle's output is not
/// specified, as in Spark. A handle is cheap to copy; copies share the lineage.
template <class T>
class RDD {
 public:
  using value_type = T;

  /// Wraps a lineage node. Users get RDDs from `StreamingContext::parallelize`, a DStream's
  /// `transform`/`foreachRDD`, or another RDD's transformations.
  explicit RDD(std::shared_ptr<const detail::RddNode<T>> node) : node_(std::move(node)) {}

  /// Number of partitions (tasks an action on it runs).
  size_t getNumPartitions() const { return node_->numPartitions(); }

  // ---- Narrow transformations -----------------------------------------------------------

  /// Applies `f(T) -> U` to every record.
  template <class F>
    requires std::invocable<const F&, T&&>
  auto map(F f) const {
    using U = detail::ResultOf<const F, T>;
    return narrow<U>([f = std::move(f)](const detail::RddNode<T>& parent, size_t partition,
                                        detail::FunctionRef<void(U&&)> sink) {
      detail::forEachRecord<std::is_invocable_v<const F&, const T&>>(
          parent, partition,
          [&](auto&& record) { sink(U(std::invoke(f, std::forward<decltype(record)>(record)))); });
    });
  }

  /// Applies `f(T) -> range of U` to every record and flattens the results.
  template <class F>
    requires std::invocable<const F&, T&&> &&
             detail::RecordRange<std::invoke_result_t<const F&, T&&>>
  auto flatMap(F f) const {
    using U = detail::RangeValue<std::invoke_result_t<const F&, T&&>>;
    return narrow<U>([f = std::move(f)](const detail::RddNode<T>& parent, size_t partition,
                                        detail::FunctionRef<void(U&&)> sink) {
      detail::forEachRecord<std::is_invocable_v<const F&, const T&>>(
          parent, partition, [&](auto&& record) {
            detail::forEachMoved(std::invoke(f, std::forward<decltype(record)>(record)), sink);
          });
    });
  }

  /// Keeps the records for which `predicate(const T&)` is true.
  template <class F>
    requires std::predicate<const F&, const T&>
  RDD<T> filter(F predicate) const {
    return narrow<T>([predicate = std::move(predicate)](const detail::RddNode<T>& parent,
                                                        size_t partition,
                                                        detail::FunctionRef<void(T&&)> sink) {
      // Only kept records are copied out of a parent that lends its records.
      detail::forEachRecord<true>(parent, partition, [&](auto&& record) {
        if (std::invoke(predicate, std::as_const(record))) {
          sink(T(std::forward<decltype(record)>(record)));
        }
      });
    });
  }

  /// Applies `f(std::vector<T>) -> range of U` to each whole partition.
  template <class F>
    requires std::invocable<const F&, std::vector<T>&&>
  auto mapPartitions(F f) const {
    return mapPartitionsWithIndex(
        [f = std::move(f)](size_t, std::vector<T>&& records) -> decltype(auto) {
          return std::invoke(f, std::move(records));
        });
  }

  /// Applies `f(partitionIndex, std::vector<T>) -> range of U` to each whole partition.
  template <class F>
    requires std::invocable<const F&, size_t, std::vector<T>&&>
  auto mapPartitionsWithIndex(F f) const {
    using U = detail::RangeValue<std::invoke_result_t<const F&, size_t, std::vector<T>&&>>;
    return narrow<U>([f = std::move(f)](const detail::RddNode<T>& parent, size_t partition,
                                        detail::FunctionRef<void(U&&)> sink) {
      detail::forEachMoved(std::invoke(f, partition, gather(parent, partition)), sink);
    });
  }

  /// One record per partition: the partition's records as a vector (empty partitions too).
  RDD<std::vector<T>> glom() const {
    return narrow<std::vector<T>>([](const detail::RddNode<T>& parent, size_t partition,
                                     detail::FunctionRef<void(std::vector<T>&&)> sink) {
      sink(gather(parent, partition));
    });
  }

  /// The partitions of this RDD followed by those of `other`.
  // NOLINTNEXTLINE(readability-identifier-naming): `union` is a keyword
  RDD<T> union_(const RDD<T>& other) const { return unionOf({*this, other}); }

  /// The RDD of all partitions of `rdds`, in order (Spark's `SparkContext.union`). `rdds` must
  /// not be empty.
  static RDD<T> unionOf(const std::vector<RDD<T>>& rdds) {
    if (rdds.empty()) throw Error("union of an empty list of RDDs");
    std::vector<std::shared_ptr<const detail::RddNode<T>>> nodes;
    for (const RDD<T>& rdd : rdds) nodes.push_back(rdd.node_);
    return RDD<T>(std::make_shared<detail::UnionNode<T>>(rdds.front().node_->sharedContext(),
                                                         std::move(nodes)));
  }

  /// Keeps each partition in memory after its first computation, so later uses (through this
  /// handle or any copy) do not recompute it. Returns this RDD.
  RDD<T> cache() const {
    node_->persist();
    return *this;
  }
  /// Same as `cache()` (memory is the only storage level).
  RDD<T> persist() const { return cache(); }

  // ---- Wide transformations -------------------------------------------------------------

  /// The distinct records (by `==` and the stable hash), in `num_partitions` partitions
  /// (0: the context's default parallelism).
  RDD<T> distinct(size_t num_partitions = 0) const {
    auto pairs = map([](T&& record) { return std::pair<T, bool>(std::move(record), true); });
    auto keep = [](bool, bool) { return true; };
    return pairs.reduceByKey(keep, num_partitions).map([](std::pair<T, bool>&& entry) {
      return std::move(entry.first);
    });
  }

  /// The same records spread round-robin over `num_partitions` partitions (> 0).
  RDD<T> repartition(size_t num_partitions) const {
    if (num_partitions == 0) throw Error("repartition: the number of partitions must be positive");
    auto dependency = std::make_shared<detail::RepartitionDependency<T>>(node_, num_partitions);
    return RDD<T>(
        std::make_shared<detail::RepartitionedNode<T>>(dependency, node_->sharedContext()));
  }

  /// The records sorted by `key_func(const T&) -> Key` (`Key` ordered by `<`), ascending or
  /// descending, in `num_partitions` partitions holding consecutive key ranges (0: as many as
  /// this RDD has, at least one), so `collect()` returns them in order. Equal keys keep their
  /// relative order. As in Spark, the ranges come from a sample of the keys, taken with an
  /// extra pass over this RDD when the sort runs.
  template <class F>
    requires std::invocable<const F&, const T&>
  RDD<T> sortBy(F key_func, bool ascending = true, size_t num_partitions = 0) const {
    using Key = std::remove_cvref_t<std::invoke_result_t<const F&, const T&>>;
    size_t partitions = num_partitions > 0 ? num_partitions : std::max<size_t>(1, getNumPartitions());
    using Dependency = detail::SortDependency<T, Key, F>;
    auto dependency = std::make_shared<Dependency>(node_, partitions, std::move(key_func), ascending);
    return RDD<T>(std::make_shared<detail::SortedNode<T, Dependency>>(node_->sharedContext(),
                                                                      std::move(dependency)));
  }

  // ---- Key-value transformations (T = std::pair<K, V>) ----------------------------------

  /// `RDD<std::pair<K, C>>`: per key, values folded with `create_combiner(V) -> C`,
  /// `merge_value(C, V) -> C` and `merge_combiners(C, C) -> C`; combined on the map side first.
  template <class Create, class MergeValue, class MergeCombiners>
    requires detail::KeyValue<T>
  auto combineByKey(Create create_combiner, MergeValue merge_value, MergeCombiners merge_combiners,
                    size_t num_partitions = 0) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    using C = detail::ResultOf<const Create, V>;
    static_assert(std::is_invocable_r_v<C, const MergeValue&, C&&, V&&>,
                  "combineByKey: merge_value must be callable as (C, V) -> C");
    static_assert(std::is_invocable_r_v<C, const MergeCombiners&, C&&, C&&>,
                  "combineByKey: merge_combiners must be callable as (C, C) -> C");
    return RDD<std::pair<K, C>>(detail::makeCombineByKey<K, V, C>(
        node_, partitionsOr(num_partitions), std::move(create_combiner), std::move(merge_value),
        std::move(merge_combiners)));
  }

  /// Per key, the values merged with the associative `f(V, V) -> V` (map-side combined).
  template <class F>
    requires detail::KeyValue<T>
  RDD<T> reduceByKey(F f, size_t num_partitions = 0) const {
    using V = typename T::second_type;
    static_assert(std::is_invocable_r_v<V, const F&, V&&, V&&>,
                  "reduceByKey: the function must be callable as (V, V) -> V");
    auto identity = [](V&& value) { return std::move(value); };
    return combineByKey(identity, f, f, num_partitions);
  }

  /// `RDD<std::pair<K, std::vector<V>>>`: per key, all its values.
  auto groupByKey(size_t num_partitions = 0) const
    requires detail::KeyValue<T>
  {
    using K = typename T::first_type;
    using V = typename T::second_type;
    auto dependency = detail::makeGroupDependency<K, V>(node_, partitionsOr(num_partitions));
    auto concat = [](std::vector<V>&& left, std::vector<V>&& right) {
      left.insert(left.end(), std::make_move_iterator(right.begin()),
                  std::make_move_iterator(right.end()));
      return std::move(left);
    };
    using Node = detail::CombinedNode<K, std::vector<V>, typename decltype(dependency)::element_type,
                                      decltype(concat)>;
    return RDD<std::pair<K, std::vector<V>>>(
        std::make_shared<Node>(node_->sharedContext(), std::move(dependency), concat));
  }

  /// Applies `f(V) -> U` to every value, keeping keys (and partitioning).
  template <class F>
    requires detail::KeyValue<T>
  auto mapValues(F f) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    using U = detail::ResultOf<const F, V>;
    return map([f = std::move(f)](T&& record) {
      return std::pair<K, U>(std::move(record.first), std::invoke(f, std::move(record.second)));
    });
  }

  /// Applies `f(V) -> range of U` to every value, pairing each result with the key.
  template <class F>
    requires detail::KeyValue<T>
  auto flatMapValues(F f) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    using U = detail::RangeValue<std::invoke_result_t<const F&, V&&>>;
    return flatMap([f = std::move(f)](T&& record) {
      std::vector<std::pair<K, U>> out;
      detail::forEachMoved(std::invoke(f, std::move(record.second)),
                           [&](U&& value) { out.emplace_back(record.first, std::move(value)); });
      return out;
    });
  }

  /// The pairs sorted by key, as `sortBy` with the key.
  auto sortByKey(bool ascending = true, size_t num_partitions = 0) const
    requires detail::KeyValue<T>
  {
    return sortBy([](const T& record) { return record.first; }, ascending, num_partitions);
  }

  /// The keys of a pair RDD.
  auto keys() const
    requires detail::KeyValue<T>
  {
    return map([](T&& record) { return std::move(record.first); });
  }

  /// The values of a pair RDD.
  auto values() const
    requires detail::KeyValue<T>
  {
    return map([](T&& record) { return std::move(record.second); });
  }

  /// `RDD<std::pair<K, std::pair<std::vector<V>, std::vector<W>>>>`: for every key in either
  /// RDD, its values in this one and in `other`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto cogroup(const RDD<std::pair<K2, W>>& other,
               size_t num_partitions = 0) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    size_t partitions = partitionsOr(num_partitions);
    auto left = detail::makeGroupDependency<K, V>(node_, partitions);
    auto right = detail::makeGroupDependency<K, W>(other.node(), partitions);
    using Node = detail::CoGroupedNode<K, V, W, typename decltype(left)::element_type,
                                       typename decltype(right)::element_type>;
    return RDD<typename Node::Record>(
        std::make_shared<Node>(node_->sharedContext(), std::move(left), std::move(right)));
  }

  /// `RDD<std::pair<K, std::pair<V, W>>>`: every pair of values of keys present in both.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto join(const RDD<std::pair<K2, W>>& other, size_t num_partitions = 0) const {
    return joinOf<false, false>(other, num_partitions);
  }

  /// `RDD<std::pair<K, std::pair<V, std::optional<W>>>>`: every value of this RDD, with each
  /// matching value of `other`, or `std::nullopt` when the key has none there.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto leftOuterJoin(const RDD<std::pair<K2, W>>& other, size_t num_partitions = 0) const {
    return joinOf<true, false>(other, num_partitions);
  }

  /// `RDD<std::pair<K, std::pair<std::optional<V>, W>>>`: the mirror of `leftOuterJoin`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto rightOuterJoin(const RDD<std::pair<K2, W>>& other, size_t num_partitions = 0) const {
    return joinOf<false, true>(other, num_partitions);
  }

  /// `RDD<std::pair<K, std::pair<std::optional<V>, std::optional<W>>>>`: every key of either
  /// side, with `std::nullopt` on the side that lacks it.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto fullOuterJoin(const RDD<std::pair<K2, W>>& other, size_t num_partitions = 0) const {
    return joinOf<true, true>(other, num_partitions);
  }

  // ---- Actions (run a job on the worker pool and block until it ends) --------------------

  /// All records, partition by partition in order.
  std::vector<T> collect() const {
    std::vector<std::vector<T>> parts = collectPartitions();
    std::vector<T> all;
    size_t total = 0;
    for (const auto& part : parts) total += part.size();
    all.reserve(total);
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    return all;
  }

  /// All records, as one vector per partition (what `glom().collect()` returns).
  std::vector<std::vector<T>> collectPartitions() const {
    std::vector<std::vector<T>> parts(getNumPartitions());
    node_->context().runJob(*node_, [&](size_t p) { parts[p] = gather(*node_, p); });
    return parts;
  }

  /// The number of records.
  int64_t count() const {
    std::vector<int64_t> counts(getNumPartitions());
    node_->context().runJob(*node_, [&](size_t p) {
      int64_t n = 0;
      detail::forEachRecord<true>(*node_, p, [&](const T&) { ++n; });
      counts[p] = n;
    });
    return std::accumulate(counts.begin(), counts.end(), int64_t{0});
  }

  /// The first `n` records in partition order, computing as few partitions as it can (one,
  /// then four times more each round, as Spark's `take`).
  std::vector<T> take(size_t n) const {
    std::vector<T> result;
    size_t next = 0;
    size_t step = 1;
    while (result.size() < n && next < getNumPartitions()) {
      size_t end = std::min(getNumPartitions(), next + step);
      std::vector<size_t> ids(end - next);
      std::iota(ids.begin(), ids.end(), next);
      std::vector<std::vector<T>> parts(ids.size());
      node_->context().runJob(*node_, ids, [&](size_t p) { parts[p - next] = gather(*node_, p); });
      for (auto& part : parts) {
        for (T& record : part) {
          if (result.size() == n) break;
          result.push_back(std::move(record));
        }
      }
      next = end;
      step *= 4;
    }
    return result;
  }

  /// The first record. Throws `caudal::Error` if the RDD is empty.
  T first() const {
    std::vector<T> one = take(1);
    if (one.empty()) throw Error("first() on an empty RDD");
    return std::move(one.front());
  }

  /// True when the RDD has no record.
  bool isEmpty() const { return getNumPartitions() == 0 || take(1).empty(); }

  /// All records folded with the associative, commutative `f(T, T) -> T`. Throws
  /// `caudal::Error` if the RDD is empty.
  template <class F>
    requires std::is_invocable_r_v<T, const F&, T&&, T&&>
  T reduce(F f) const {
    std::vector<std::optional<T>> partials(getNumPartitions());
    node_->context().runJob(*node_, [&](size_t p) {
      std::optional<T> acc;
      node_->compute(p, [&](T&& record) {
        acc = acc ? T(std::invoke(f, std::move(*acc), std::move(record))) : std::move(record);
      });
      partials[p] = std::move(acc);
    });
    std::optional<T> result;
    for (auto& partial : partials) {
      if (!partial) continue;
      result = result ? T(std::invoke(f, std::move(*result), std::move(*partial)))
                      : std::move(*partial);
    }
    if (!result) throw Error("reduce() on an empty RDD");
    return std::move(*result);
  }

  /// Calls `f(T)` on every record, on the worker threads (concurrently across partitions).
  template <class F>
    requires std::invocable<const F&, T&&>
  void foreach(F f) const {
    node_->context().runJob(*node_, [&](size_t p) {
      node_->compute(p, [&](T&& record) { std::invoke(f, std::move(record)); });
    });
  }

  /// Calls `f(std::vector<T>)` once per partition, on the worker threads.
  template <class F>
    requires std::invocable<const F&, std::vector<T>&&>
  void foreachPartition(F f) const {
    node_->context().runJob(*node_, [&](size_t p) { std::invoke(f, gather(*node_, p)); });
  }

  /// The lineage node (engine internals, not a stable API).
  const std::shared_ptr<const detail::RddNode<T>>& node() const { return node_; }

 private:
  // The joins: both sides shuffled by key, then a hash join per partition (see HashJoinNode).
  template <bool kKeepUnmatchedLeft, bool kKeepUnmatchedRight, class K2, class W>
  auto joinOf(const RDD<std::pair<K2, W>>& other, size_t num_partitions) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    size_t partitions = partitionsOr(num_partitions);
    auto left = std::make_shared<detail::PartitionByKeyDependency<K, V>>(node_, partitions);
    auto right = std::make_shared<detail::PartitionByKeyDependency<K, W>>(other.node(), partitions);
    using Node = detail::HashJoinNode<K, V, W, kKeepUnmatchedLeft, kKeepUnmatchedRight>;
    return RDD<typename Node::Record>(
        std::make_shared<Node>(node_->sharedContext(), std::move(left), std::move(right)));
  }

  template <class U, class Body>
  RDD<U> narrow(Body body) const {
    return RDD<U>(detail::makeNarrowNode<U, T>(node_, std::move(body)));
  }

  static std::vector<T> gather(const detail::RddNode<T>& node, size_t partition) {
    std::vector<T> records;
    node.compute(partition, [&](T&& record) { records.push_back(std::move(record)); });
    return records;
  }

  size_t partitionsOr(size_t requested) const {
    return requested > 0 ? requested : node_->context().defaultParallelism();
  }

  std::shared_ptr<const detail::RddNode<T>> node_;
};

namespace detail {

/// The RDD of nothing, with no partitions.
template <class T>
RDD<T> emptyRdd(const std::shared_ptr<ExecutionContext>& context) {
  return RDD<T>(std::make_shared<ParallelCollectionNode<T>>(
      context, std::make_shared<const std::vector<std::vector<T>>>()));
}

}  // namespace detail
}  // namespace caudal
