// DStream<T>: a stream of RDDs, one per batch interval, as Spark Streaming's DStream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "caudal/detail/dstream_node.h"
#include "caudal/detail/sliding_window.h"
#include "caudal/detail/stateful_nodes.h"
#include "caudal/detail/text_output.h"
#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/rdd.h"
#include "caudal/record_format.h"
#include "caudal/state.h"

namespace caudal {

template <class T>
class DStream;
template <class K, class V, class S, class U, class F>
class MapWithStateDStream;

namespace detail {

/// `RDD<A>` with one record: the fold of every record of `rdd` with `step(std::optional<A>&,
/// T&&)` and `combine(A, A) -> A`, or `empty_value` (if set) when `rdd` is empty.
template <class A, class T, class Step, class Combine>
RDD<A> foldToOne(const RDD<T>& rdd, Step step, Combine combine, std::optional<A> empty_value) {
  using Dependency = FoldDependency<T, A, Step>;
  auto dependency = std::make_shared<Dependency>(rdd.node(), std::move(step));
  return RDD<A>(std::make_shared<FoldedNode<A, Dependency, Combine>>(
      rdd.node()->sharedContext(), std::move(dependency), std::move(combine),
      std::move(empty_value)));
}

/// `window`: the union of the parent's RDDs over the last `window`, every `slide`.
template <class T>
class WindowedNode final : public DStreamNode<T> {
 public:
  WindowedNode(const std::shared_ptr<StreamingCore>& core, std::shared_ptr<DStreamNode<T>> parent,
               Duration window, Duration slide)
      : DStreamNode<T>(core, "window", {parent}),
        parent_(std::move(parent)),
        window_(window),
        slide_(slide) {
    parent_->remember(window_);
  }

  Duration slideDuration() const override { return slide_; }

 protected:
  Duration parentRememberDuration() const override { return this->rememberDuration() + window_; }

  std::optional<RDD<T>> compute(Time time) override {
    std::vector<RDD<T>> in_window;
    Duration step = parent_->slideDuration();
    for (Time t = time - window_ + step; t <= time; t = t + step) {
      if (auto rdd = parent_->getOrCompute(t)) in_window.push_back(std::move(*rdd));
    }
    if (in_window.empty()) return emptyRdd<T>(this->sharedCore()->executionContext());
    return RDD<T>::unionOf(in_window);
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  Duration window_;
  Duration slide_;
};

}  // namespace detail

/// A discretized stream: a sequence of `RDD<T>`, one per batch interval, built by a
/// `StreamingContext` source and transformed like an RDD. Transformations define the graph and
/// must be called before the context starts (they throw `caudal::Error` after). User functions
/// follow `RDD`'s rules: they may run concurrently and are called as `const`. A handle is cheap
/// to copy; copies are the same stream.
template <class T>
class DStream {
 public:
  using value_type = T;

  /// Wraps a graph node (users get DStreams from a context's sources and transformations).
  explicit DStream(std::shared_ptr<detail::DStreamNode<T>> node) : node_(std::move(node)) {}

  /// How often the stream yields an RDD (the batch duration, or a window's slide).
  Duration slideDuration() const { return node_->slideDuration(); }

  /// Applies `f(T) -> U` to every record.
  template <class F>
    requires std::invocable<const F&, T&&>
  auto map(F f) const {
    return perBatch("map", [f = std::move(f)](const RDD<T>& rdd) { return rdd.map(f); });
  }

  /// Applies `f(T) -> range of U` to every record and flattens the results.
  template <class F>
    requires std::invocable<const F&, T&&>
  auto flatMap(F f) const {
    return perBatch("flatMap", [f = std::move(f)](const RDD<T>& rdd) { return rdd.flatMap(f); });
  }

  /// Keeps the records for which `predicate(const T&)` is true.
  template <class F>
    requires std::predicate<const F&, const T&>
  DStream<T> filter(F predicate) const {
    return perBatch("filter", [predicate = std::move(predicate)](const RDD<T>& rdd) {
      return rdd.filter(predicate);
    });
  }

  /// Applies `f(std::vector<T>) -> range of U` to each partition of each batch.
  template <class F>
    requires std::invocable<const F&, std::vector<T>&&>
  auto mapPartitions(F f) const {
    return perBatch("mapPartitions",
                    [f = std::move(f)](const RDD<T>& rdd) { return rdd.mapPartitions(f); });
  }

  /// Each partition of each batch as one vector record.
  DStream<std::vector<T>> glom() const {
    return perBatch("glom", [](const RDD<T>& rdd) { return rdd.glom(); });
  }

  /// Each batch's records spread over `num_partitions` partitions (> 0).
  DStream<T> repartition(size_t num_partitions) const {
    if (num_partitions == 0) throw Error("repartition: the number of partitions must be positive");
    return perBatch("repartition",
                    [num_partitions](const RDD<T>& rdd) { return rdd.repartition(num_partitions); });
  }

  /// The records of this stream and of `other` (same slide duration), batch by batch.
  // NOLINTNEXTLINE(readability-identifier-naming): `union` is a keyword
  DStream<T> union_(const DStream<T>& other) const {
    return unionOf(std::vector<DStream<T>>{*this, other});
  }

  /// Each batch's number of records, as one `int64_t` record (0 for an empty batch).
  DStream<int64_t> count() const {
    return perBatch("count", [](const RDD<T>& rdd) {
      return detail::foldToOne<int64_t>(
          rdd, [](std::optional<int64_t>& acc, T&&) { acc = acc.value_or(0) + 1; },
          [](int64_t a, int64_t b) { return a + b; }, std::optional<int64_t>(0));
    });
  }

  /// Each batch's records folded with the associative, commutative `f(T, T) -> T`, as one
  /// record (none for an empty batch).
  template <class F>
    requires std::is_invocable_r_v<T, const F&, T&&, T&&>
  DStream<T> reduce(F f) const {
    return perBatch("reduce", [f = std::move(f)](const RDD<T>& rdd) {
      auto step = [f](std::optional<T>& acc, T&& record) {
        acc = acc ? T(std::invoke(f, std::move(*acc), std::move(record))) : std::move(record);
      };
      auto combine = [f](T&& a, T&& b) { return T(std::invoke(f, std::move(a), std::move(b))); };
      return detail::foldToOne<T>(rdd, step, combine, std::nullopt);
    });
  }

  /// `DStream<std::pair<T, int64_t>>`: each distinct record of a batch with its count.
  auto countByValue(size_t num_partitions = 0) const {
    return map([](T&& record) { return std::pair<T, int64_t>(std::move(record), 1); })
        .reduceByKey([](int64_t a, int64_t b) { return a + b; }, num_partitions);
  }

  /// The union of the batches of the last `window_duration`, every `slide_duration` (both
  /// multiples of this stream's slide; the slide defaults to it and must not exceed the
  /// window). Throws `caudal::Error` for invalid durations. As in Spark, a window is emitted
  /// at every multiple of the slide counted from the context's zero time, and the first
  /// windows hold only what exists so far.
  DStream<T> window(Duration window_duration, std::optional<Duration> slide_duration = {}) const {
    Duration slide = checkedSlide("window", window_duration, slide_duration);
    auto core = definingCore("window");
    return DStream<T>(
        std::make_shared<detail::WindowedNode<T>>(core, node_, window_duration, slide));
  }

  /// The number of records in each window, as one `int64_t` record per slide. Incremental (an
  /// inverse function): once the stream has had records, empty windows give 0, as in Spark.
  DStream<int64_t> countByWindow(Duration window_duration, Duration slide_duration) const {
    checkedSlide("countByWindow", window_duration, slide_duration);
    return map([](const T&) { return int64_t{1}; })
        .reduceByWindow([](int64_t a, int64_t b) { return a + b; },
                        [](int64_t a, int64_t b) { return a - b; }, window_duration, slide_duration);
  }

  /// Each window's records folded with the associative `f(T, T) -> T`, as one record per
  /// slide (none for an empty window). Without an inverse, the window is kept as per-pane
  /// partial results combined in O(1) amortized calls of `f` per slide (see
  /// `reduceByKeyAndWindow`), not recomputed.
  template <class F>
    requires std::is_invocable_r_v<T, const F&, T&&, T&&>
  DStream<T> reduceByWindow(F f, Duration window_duration, Duration slide_duration) const {
    checkedSlide("reduceByWindow", window_duration, slide_duration);
    return map([](T&& record) { return std::pair<uint8_t, T>(0, std::move(record)); })
        .reduceByKeyAndWindow(std::move(f), window_duration, slide_duration, 1)
        .map([](std::pair<uint8_t, T>&& entry) { return std::move(entry.second); });
  }

  /// As `reduceByWindow(f, …)`, updated incrementally: what enters the window is added with
  /// `f`, what leaves it is taken out with its inverse `inv_f(T, T) -> T`. Once the stream has
  /// had records, every slide emits a record (the "zero" value for an empty window).
  template <class F, class InvF>
    requires std::is_invocable_r_v<T, const F&, T&&, T&&> &&
             std::is_invocable_r_v<T, const InvF&, T&&, T&&>
  DStream<T> reduceByWindow(F f, InvF inv_f, Duration window_duration, Duration slide_duration) const {
    checkedSlide("reduceByWindow", window_duration, slide_duration);
    return map([](T&& record) { return std::pair<uint8_t, T>(0, std::move(record)); })
        .reduceByKeyAndWindow(std::move(f), std::move(inv_f), window_duration, slide_duration, 1)
        .map([](std::pair<uint8_t, T>&& entry) { return std::move(entry.second); });
  }

  /// Applies `f(RDD<T>) -> RDD<U>` or `f(RDD<T>, Time) -> RDD<U>` to each batch's RDD; any RDD
  /// operation can be used this way. `f` runs on the batch-generating thread.
  template <class F>
  auto transform(F f) const {
    if constexpr (std::is_invocable_v<const F&, const RDD<T>&, Time>) {
      using U = typename std::invoke_result_t<const F&, const RDD<T>&, Time>::value_type;
      auto parent = node_;
      return derive<U>("transform", {node_},
                       [parent, f = std::move(f)](Time time) -> std::optional<RDD<U>> {
                         auto rdd = parent->getOrCompute(time);
                         if (!rdd) return std::nullopt;
                         return std::invoke(f, *rdd, time);
                       });
    } else {
      static_assert(std::is_invocable_v<const F&, const RDD<T>&>,
                    "transform: the function must take (RDD<T>) or (RDD<T>, Time) and return "
                    "an RDD");
      return perBatch("transform", std::move(f));
    }
  }

  /// Applies `f(RDD<T>, RDD<U>) -> RDD<V>` (or with a third `Time` argument) to the RDDs of
  /// this stream and `other` at each batch.
  template <class U, class F>
  auto transformWith(const DStream<U>& other, F f) const {
    constexpr bool kWithTime = std::is_invocable_v<const F&, const RDD<T>&, const RDD<U>&, Time>;
    static_assert(kWithTime || std::is_invocable_v<const F&, const RDD<T>&, const RDD<U>&>,
                  "transformWith: the function must take (RDD<T>, RDD<U>) or (RDD<T>, RDD<U>, "
                  "Time) and return an RDD");
    auto call = [f = std::move(f)](const RDD<T>& a, const RDD<U>& b, Time time) {
      if constexpr (kWithTime) {
        return std::invoke(f, a, b, time);
      } else {
        return std::invoke(f, a, b);
      }
    };
    using V = typename std::invoke_result_t<decltype(call)&, const RDD<T>&, const RDD<U>&,
                                            Time>::value_type;
    auto left = node_;
    auto right = other.node();
    return derive<V>("transformWith", {left, right},
                     [left, right, call = std::move(call)](Time time) -> std::optional<RDD<V>> {
                       auto a = left->getOrCompute(time);
                       auto b = right->getOrCompute(time);
                       if (!a || !b) return std::nullopt;
                       return call(*a, *b, time);
                     });
  }

  /// Output operation: calls `f(RDD<T>, Time)` (or `f(RDD<T>)`) with each batch's RDD, on the
  /// job thread, batches in order. An exception from `f` fails the batch and stops the context.
  template <class F>
  void foreachRDD(F f) const {
    if constexpr (std::is_invocable_v<const F&, const RDD<T>&, Time>) {
      addOutput("foreachRDD", std::move(f));
    } else {
      static_assert(std::is_invocable_v<const F&, const RDD<T>&>,
                    "foreachRDD: the function must take (RDD<T>, Time) or (RDD<T>)");
      addOutput("foreachRDD", [f = std::move(f)](const RDD<T>& rdd, Time) { f(rdd); });
    }
  }

  /// Output operation: prints the first `num` records of each batch under Spark's header
  /// (a dashed line, `Time: <ms> ms`, a dashed line), "..." if there are more, then a blank line.
  void print(size_t num = 10) const {
    addOutput("print", [num](const RDD<T>& rdd, Time time) {
      std::vector<T> first = rdd.take(num + 1);
      std::vector<std::string> lines;
      for (size_t i = 0; i < first.size() && i < num; ++i) lines.push_back(formatRecord(first[i]));
      detail::printBatch(time, lines, first.size() > num);
    });
  }
  /// Same as `print` (Python's name).
  void pprint(size_t num = 10) const { print(num); }

  /// Output operation: writes each batch as text (one record per line, formatted as `print`
  /// does) to the directory `prefix-<time ms>[.suffix]`, one `part-NNNNN` file per partition,
  /// appearing atomically.
  void saveAsTextFiles(const std::string& prefix, const std::string& suffix = "") const {
    addOutput("saveAsTextFiles", [prefix, suffix](const RDD<T>& rdd, Time time) {
      detail::AtomicDirectoryWriter writer(detail::batchOutputPath(prefix, suffix, time));
      const auto& node = *rdd.node();
      node.context().runJob(node, [&](size_t p) {
        std::string text;
        detail::forEachRecord<true>(node, p, [&](const T& record) {
          appendRecord(text, record);
          text += '\n';
        });
        writer.writePart(p, text);
      });
      writer.commit();
    });
  }

  /// Keeps each batch's RDD in memory once computed, so several outputs do not recompute it.
  /// Returns this stream.
  DStream<T> cache() const {
    node_->setCached();
    return *this;
  }
  /// Same as `cache()`.
  DStream<T> persist() const { return cache(); }

  /// Checkpoints this stream's state every `interval` (a positive multiple of its slide) rather
  /// than at the default: the multiple of the slide that is at least 10 s, as in Spark. A job
  /// saves all its states together, so that a recovery restores one consistent moment: its
  /// checkpoints come at the shortest interval among its streams. Returns this stream. Throws
  /// `caudal::Error` for an invalid interval or a started context.
  DStream<T> checkpoint(Duration interval) const {
    node_->sharedCore()->checkCanDefine("checkpoint");
    node_->setCheckpointInterval(interval);
    return *this;
  }

  // ---- Key-value operations (T = std::pair<K, V>), per batch as on RDD --------------------

  /// Per key, the batch's values merged with `f(V, V) -> V`.
  template <class F>
    requires detail::KeyValue<T>
  DStream<T> reduceByKey(F f, size_t num_partitions = 0) const {
    return perBatch("reduceByKey", [f = std::move(f), n = partitionsOr(num_partitions)](
                                       const RDD<T>& rdd) { return rdd.reduceByKey(f, n); });
  }

  /// `DStream<std::pair<K, std::vector<V>>>`: per key, the batch's values.
  auto groupByKey(size_t num_partitions = 0) const
    requires detail::KeyValue<T>
  {
    return perBatch("groupByKey", [n = partitionsOr(num_partitions)](const RDD<T>& rdd) {
      return rdd.groupByKey(n);
    });
  }

  /// Per key, the batch's values combined as `RDD::combineByKey` does.
  template <class Create, class MergeValue, class MergeCombiners>
    requires detail::KeyValue<T>
  auto combineByKey(Create create_combiner, MergeValue merge_value, MergeCombiners merge_combiners,
                    size_t num_partitions = 0) const {
    return perBatch("combineByKey", [=, n = partitionsOr(num_partitions)](const RDD<T>& rdd) {
      return rdd.combineByKey(create_combiner, merge_value, merge_combiners, n);
    });
  }

  /// Applies `f(V) -> U` to every value.
  template <class F>
    requires detail::KeyValue<T>
  auto mapValues(F f) const {
    return perBatch("mapValues", [f = std::move(f)](const RDD<T>& rdd) { return rdd.mapValues(f); });
  }

  /// Applies `f(V) -> range of U` to every value, pairing each result with the key.
  template <class F>
    requires detail::KeyValue<T>
  auto flatMapValues(F f) const {
    return perBatch("flatMapValues",
                    [f = std::move(f)](const RDD<T>& rdd) { return rdd.flatMapValues(f); });
  }

  // ---- Windowed and stateful key-value operations (T = std::pair<K, V>) -------------------

  /// Per key, the values of the last `window_duration` merged with the associative
  /// `f(V, V) -> V`, every `slide_duration` (default: this stream's slide), in `num_partitions`
  /// partitions (0: the default parallelism). Keys with no value left in the window disappear.
  /// Spark recomputes the whole window at every slide; here each batch is reduced once into
  /// per-pane values (a pane is gcd(window, slide) long) that each key combines with the
  /// two-stacks algorithm, so a slide costs O(1) amortized calls of `f` per key, however long
  /// the window. `V` must be default-constructible. Throws `caudal::Error` for invalid
  /// durations (see `window`).
  template <class F>
    requires detail::KeyValue<T> &&
             std::is_invocable_r_v<typename T::second_type, const F&, typename T::second_type&&,
                                   typename T::second_type&&>
  DStream<T> reduceByKeyAndWindow(F f, Duration window_duration,
                                  std::optional<Duration> slide_duration = {},
                                  size_t num_partitions = 0) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    Duration slide = checkedSlide("reduceByKeyAndWindow", window_duration, slide_duration);
    auto core = definingCore("reduceByKeyAndWindow");
    size_t partitions = partitionsOr(num_partitions);
    using Panes = detail::SlidingPanes<K, V, F>;
    return DStream<T>(std::make_shared<detail::WindowReduceNode<K, V, Panes>>(
        core, node_, std::make_shared<Panes>(std::move(f), partitions), window_duration, slide,
        partitions));
  }

  /// As `reduceByKeyAndWindow(f, …)`, updated incrementally as Spark does: at every slide the
  /// values that left the window are taken out with the inverse `inv_f(V, V) -> V` and those
  /// that entered are added with `f`. A key whose value comes back to "zero" stays in the
  /// output unless `filter(const std::pair<K, V>&)` returns false for it, which drops it from
  /// the window's state.
  template <class F, class InvF, class Filter = detail::KeepEveryKey>
    requires detail::KeyValue<T> &&
             std::is_invocable_r_v<typename T::second_type, const InvF&,
                                   typename T::second_type&&, typename T::second_type&&> &&
             std::predicate<const Filter&, const T&>
  DStream<T> reduceByKeyAndWindow(F f, InvF inv_f, Duration window_duration, Duration slide_duration,
                                  size_t num_partitions = 0, Filter filter = {}) const {
    using K = typename T::first_type;
    using V = typename T::second_type;
    checkedSlide("reduceByKeyAndWindow", window_duration, slide_duration);
    auto core = definingCore("reduceByKeyAndWindow");
    size_t partitions = partitionsOr(num_partitions);
    using Panes = detail::InversePanes<K, V, F, InvF, Filter>;
    return DStream<T>(std::make_shared<detail::WindowReduceNode<K, V, Panes>>(
        core, node_,
        std::make_shared<Panes>(std::move(f), std::move(inv_f), std::move(filter), partitions),
        window_duration, slide_duration, partitions));
  }

  /// `DStream<std::pair<T, int64_t>>`: each distinct record of the window with its count,
  /// every slide, updated incrementally; records whose count falls to 0 are dropped.
  auto countByValueAndWindow(Duration window_duration, Duration slide_duration,
                             size_t num_partitions = 0) const {
    checkedSlide("countByValueAndWindow", window_duration, slide_duration);
    return map([](T&& record) { return std::pair<T, int64_t>(std::move(record), 1); })
        .reduceByKeyAndWindow([](int64_t a, int64_t b) { return a + b; },
                              [](int64_t a, int64_t b) { return a - b; }, window_duration,
                              slide_duration, num_partitions,
                              [](const std::pair<T, int64_t>& entry) { return entry.second != 0; });
  }

  /// `DStream<std::pair<K, std::vector<V>>>`: per key, the values of the window (in batch
  /// order), every slide.
  auto groupByKeyAndWindow(Duration window_duration, std::optional<Duration> slide_duration = {},
                           size_t num_partitions = 0) const
    requires detail::KeyValue<T>
  {
    Duration slide = checkedSlide("groupByKeyAndWindow", window_duration, slide_duration);
    return window(window_duration, slide).groupByKey(num_partitions);
  }

  /// `DStream<std::pair<K, S>>`: a state per key, kept across batches. At every batch,
  /// `f(const std::vector<V>& new_values, std::optional<S> state)` runs for every key that has
  /// new values or a state (as in Spark, also keys with no new values), and returns the new
  /// state: `std::optional<S>` (nullopt removes the key) or `S`. The stream's RDD at each batch
  /// is the whole state, in `num_partitions` partitions (0: the default parallelism), split by
  /// key as the shuffle splits it. Each batch costs one call per key with state; for a cost
  /// proportional to the keys with data, use `mapWithState`. A batch's state RDD can be read
  /// in that batch (later batches change it in place), or in later ones through a window.
  template <class F>
    requires detail::KeyValue<T>
  auto updateStateByKey(F f, size_t num_partitions = 0) const {
    using StateParameter = detail::ParameterOf<F, 1>;
    static_assert(detail::IsOptional<StateParameter>::value,
                  "updateStateByKey: f takes (const std::vector<V>&, std::optional<S>)");
    using S = typename detail::IsOptional<StateParameter>::value_type;
    using K = typename T::first_type;
    return updateStateByKeyImpl<S>(std::move(f), num_partitions,
                                   std::optional<RDD<std::pair<K, S>>>());
  }

  /// As `updateStateByKey(f, num_partitions)`, every key starting with its state in `initial`
  /// (loaded at the first batch; `f` runs on those keys from then on).
  template <class F, class K2, class S>
    requires detail::KeyValueWithKey<T, K2>
  auto updateStateByKey(F f, size_t num_partitions, const RDD<std::pair<K2, S>>& initial) const {
    return updateStateByKeyImpl<S>(std::move(f), num_partitions,
                                   std::optional<RDD<std::pair<K2, S>>>(initial));
  }

  /// Maps every record with its key's state, through `spec`'s function (see `StateSpec`);
  /// returns the stream of what the function returned, whose `stateSnapshots()` is the state.
  /// Each batch costs one call per record plus one per key timing out: idle keys cost nothing.
  template <class K2, class V2, class S, class U, class F>
    requires detail::KeyValue<T> && std::is_same_v<T, std::pair<K2, V2>>
  MapWithStateDStream<K2, V2, S, U, F> mapWithState(StateSpecOf<K2, V2, S, U, F> spec) const {
    auto core = definingCore("mapWithState");
    size_t partitions = partitionsOr(spec.partitions());
    auto node = std::make_shared<detail::MapWithStateNode<K2, V2, S, U, F>>(core, node_, std::move(spec),
                                                                            partitions);
    return MapWithStateDStream<K2, V2, S, U, F>(std::move(node));
  }

  /// Only the stream `mapWithState` returns has state snapshots.
  template <class Unused = void>
  void stateSnapshots() const {
    static_assert(!std::is_void_v<Unused> && std::is_void_v<Unused>,
                  "stateSnapshots(): this stream keeps no state; call it on the stream that "
                  "mapWithState() returned");
  }

  /// Per batch, `RDD::cogroup` of this stream's RDD with `other`'s.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto cogroup(const DStream<std::pair<K2, W>>& other,
               size_t num_partitions = 0) const {
    return joinWith("cogroup", other, [n = partitionsOr(num_partitions)](const auto& a, const auto& b) {
      return a.cogroup(b, n);
    });
  }

  /// Per batch, `RDD::join`: `DStream<std::pair<K, std::pair<V, W>>>`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto join(const DStream<std::pair<K2, W>>& other,
            size_t num_partitions = 0) const {
    return joinWith("join", other, [n = partitionsOr(num_partitions)](const auto& a, const auto& b) {
      return a.join(b, n);
    });
  }

  /// Per batch, `RDD::leftOuterJoin`: `DStream<std::pair<K, std::pair<V, std::optional<W>>>>`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto leftOuterJoin(const DStream<std::pair<K2, W>>& other,
                     size_t num_partitions = 0) const {
    return joinWith("leftOuterJoin", other,
                    [n = partitionsOr(num_partitions)](const auto& a, const auto& b) {
                      return a.leftOuterJoin(b, n);
                    });
  }

  /// Per batch, `RDD::rightOuterJoin`: `DStream<std::pair<K, std::pair<std::optional<V>, W>>>`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto rightOuterJoin(const DStream<std::pair<K2, W>>& other,
                      size_t num_partitions = 0) const {
    return joinWith("rightOuterJoin", other,
                    [n = partitionsOr(num_partitions)](const auto& a, const auto& b) {
                      return a.rightOuterJoin(b, n);
                    });
  }

  /// Per batch, `RDD::fullOuterJoin`:
  /// `DStream<std::pair<K, std::pair<std::optional<V>, std::optional<W>>>>`.
  template <class K2, class W>
    requires detail::KeyValueWithKey<T, K2>
  auto fullOuterJoin(const DStream<std::pair<K2, W>>& other,
                     size_t num_partitions = 0) const {
    return joinWith("fullOuterJoin", other,
                    [n = partitionsOr(num_partitions)](const auto& a, const auto& b) {
                      return a.fullOuterJoin(b, n);
                    });
  }

  /// The union of `streams` (at least one, all with the same slide duration), batch by batch.
  static DStream<T> unionOf(const std::vector<DStream<T>>& streams) {
    if (streams.empty()) throw Error("union_: no streams given");
    std::vector<std::shared_ptr<detail::DStreamNodeBase>> parents;
    std::vector<std::shared_ptr<detail::DStreamNode<T>>> nodes;
    for (const DStream<T>& stream : streams) {
      if (stream.slideDuration() != streams.front().slideDuration()) {
        throw Error("union_: the streams have different slide durations (" +
                    streams.front().slideDuration().toString() + " and " +
                    stream.slideDuration().toString() + ")");
      }
      parents.push_back(stream.node_);
      nodes.push_back(stream.node_);
    }
    return streams.front().template derive<T>(
        "union", std::move(parents), [nodes](Time time) -> std::optional<RDD<T>> {
          std::vector<RDD<T>> rdds;
          for (const auto& node : nodes) {
            auto rdd = node->getOrCompute(time);
            if (!rdd) return std::nullopt;
            rdds.push_back(std::move(*rdd));
          }
          return RDD<T>::unionOf(rdds);
        });
  }

  /// The graph node (engine internals, not a stable API).
  const std::shared_ptr<detail::DStreamNode<T>>& node() const { return node_; }

  /// A stream whose RDD at each batch is `make(time)` (engine internals; `parents` are the
  /// streams `make` reads).
  template <class U, class Make>
  DStream<U> derive(std::string name, std::vector<std::shared_ptr<detail::DStreamNodeBase>> parents,
                    Make make) const {
    auto core = definingCore(name);
    return DStream<U>(std::make_shared<detail::DerivedNode<U, Make>>(
        core, std::move(name), std::move(parents), std::move(make)));
  }

 private:
  // The slide of a window operation (default: this stream's slide), checked with the window.
  Duration checkedSlide(const std::string& operation, Duration window_duration,
                        std::optional<Duration> slide_duration) const {
    Duration slide = slide_duration.value_or(node_->slideDuration());
    detail::validateWindow(operation, node_->slideDuration(), window_duration, slide);
    return slide;
  }

  template <class S, class F, class K>
  auto updateStateByKeyImpl(F f, size_t num_partitions,
                            std::optional<RDD<std::pair<K, S>>> initial) const {
    using V = typename T::second_type;
    using Result = std::invoke_result_t<const F&, const std::vector<V>&, std::optional<S>&&>;
    auto core = definingCore("updateStateByKey");
    auto make = [&](auto update) {
      return DStream<std::pair<K, S>>(
          std::make_shared<detail::UpdateStateNode<K, V, S, decltype(update)>>(
              core, node_, std::move(update), partitionsOr(num_partitions), std::move(initial)));
    };
    if constexpr (detail::IsOptional<std::remove_cvref_t<Result>>::value) {
      static_assert(std::is_same_v<std::remove_cvref_t<Result>, std::optional<S>>,
                    "updateStateByKey: f must return std::optional<S> or S");
      return make(std::move(f));
    } else {
      // f returns S itself: the key keeps a state.
      return make([f = std::move(f)](const std::vector<V>& values, std::optional<S>&& state) {
        return std::optional<S>(std::invoke(f, values, std::move(state)));
      });
    }
  }

  template <class F>
  auto perBatch(std::string name, F op) const {
    using U = typename std::invoke_result_t<const F&, const RDD<T>&>::value_type;
    auto parent = node_;
    return derive<U>(std::move(name), {node_},
                     [parent, op = std::move(op)](Time time) -> std::optional<RDD<U>> {
                       auto rdd = parent->getOrCompute(time);
                       if (!rdd) return std::nullopt;
                       return std::invoke(op, *rdd);
                     });
  }

  template <class U, class F>
  auto joinWith(std::string name, const DStream<U>& other, F op) const {
    if (other.slideDuration() != slideDuration()) {
      throw Error(name + ": the streams have different slide durations (" +
                  slideDuration().toString() + " and " + other.slideDuration().toString() + ")");
    }
    using V = typename std::invoke_result_t<const F&, const RDD<T>&, const RDD<U>&>::value_type;
    auto left = node_;
    auto right = other.node();
    return derive<V>(std::move(name), {left, right},
                     [left, right, op = std::move(op)](Time time) -> std::optional<RDD<V>> {
                       auto a = left->getOrCompute(time);
                       auto b = right->getOrCompute(time);
                       if (!a || !b) return std::nullopt;
                       return std::invoke(op, *a, *b);
                     });
  }

  template <class F>
  void addOutput(std::string name, F f) const {
    auto core = definingCore(name);
    core->addOutput(std::make_shared<detail::ForEachNode<T, F>>(core, std::move(name), node_,
                                                                std::move(f)));
  }

  std::shared_ptr<detail::StreamingCore> definingCore(std::string_view operation) const {
    auto core = node_->sharedCore();
    core->checkCanDefine(operation);
    return core;
  }

  size_t partitionsOr(size_t requested) const {
    return requested > 0 ? requested : node_->sharedCore()->executionContext()->defaultParallelism();
  }

  std::shared_ptr<detail::DStreamNode<T>> node_;
};

/// The stream `mapWithState` returns: what the mapping function returned, batch by batch, plus
/// the state itself through `stateSnapshots()`.
template <class K, class V, class S, class U, class F>
class MapWithStateDStream final : public DStream<U> {
 public:
  using Node = detail::MapWithStateNode<K, V, S, U, F>;

  /// Wraps the stream's graph node (made by `DStream::mapWithState`; shares ownership of it).
  explicit MapWithStateDStream(std::shared_ptr<Node> node)
      : DStream<U>(node), state_node_(std::move(node)) {}

  /// `DStream<std::pair<K, S>>`: after each batch, every key with state and its state, in the
  /// state's partitions. Read a snapshot in the batch that made it (later batches change the
  /// state in place), or in later ones through a window, which keeps copies.
  DStream<std::pair<K, S>> stateSnapshots() const {
    auto core = state_node_->sharedCore();
    core->checkCanDefine("stateSnapshots");
    return DStream<std::pair<K, S>>(
        std::make_shared<detail::StateSnapshotsNode<K, V, S, U, F>>(core, state_node_));
  }

 private:
  std::shared_ptr<Node> state_node_;
};

}  // namespace caudal
