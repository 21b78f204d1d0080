// Streams that keep state across batches: windowed reductions (with and without an inverse
// function), updateStateByKey and mapWithState. Each batch of the parent runs one "step": a
// shuffle of the batch by key, then one task per key partition that folds its records into
// that partition's state and emits the stream's output. Steps run in batch order, before the
// outputs' jobs, exactly once each (the step RDD is persisted).
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/dstream_node.h"
#include "caudal/detail/shuffle_nodes.h"
#include "caudal/detail/sliding_window.h"
#include "caudal/detail/state_table.h"
#include "caudal/rdd.h"
#include "caudal/state.h"

namespace caudal::detail {

/// Computes every partition of `rdd` once, so that a persisted RDD holds its records (and a
/// step has updated its state) before anything else reads it.
template <class T>
void materialize(const RDD<T>& rdd) {
  const RddNode<T>& node = *rdd.node();
  node.context().runJob(node, [&](size_t p) { node.computeShared(p, [](const T&) {}); });
}

/// A step's RDD: `step(partition, sink)` reads what `dependencies` shuffled to `partition`,
/// updates the state it owns and pushes output records.
template <class Out, class Step>
class StepNode final : public RddNode<Out> {
 public:
  StepNode(std::shared_ptr<ExecutionContext> context, size_t num_partitions,
           std::vector<std::shared_ptr<ShuffleDependencyBase>> dependencies, Step step)
      : RddNode<Out>(std::move(context), num_partitions),
        dependencies_(std::move(dependencies)),
        step_(std::move(step)) {}

  void computePartition(size_t partition, FunctionRef<void(Out&&)> sink) const override {
    step_(partition, sink);
  }

  std::vector<ShuffleDependencyBase*> shuffleParents() const override {
    std::vector<ShuffleDependencyBase*> parents;
    for (const auto& dependency : dependencies_) parents.push_back(dependency.get());
    return parents;
  }

 private:
  std::vector<std::shared_ptr<ShuffleDependencyBase>> dependencies_;
  Step step_;
};

template <class Out, class Step>
RDD<Out> makeStepRdd(const std::shared_ptr<ExecutionContext>& context, size_t num_partitions,
                     std::vector<std::shared_ptr<ShuffleDependencyBase>> dependencies, Step step) {
  RDD<Out> rdd(std::make_shared<StepNode<Out, Step>>(context, num_partitions,
                                                     std::move(dependencies), std::move(step)));
  return rdd.cache();  // each partition's step runs once, however many readers it has
}

/// Why a state of keys `K` and values `S` cannot be checkpointed, or empty when it can.
template <class K, class S>
std::string unserializableStateProblem(const std::string& operation) {
  if constexpr (Serializable<K> && Serializable<S>) {
    return {};
  } else {
    return operation + ": its key or state type has no caudal::Serializer, so its state cannot be "
                       "checkpointed; specialize caudal::Serializer for it (see <caudal/serde.h>)";
  }
}

/// Appends `map`: its size, then each key and value.
template <class K, class V>
void writeKeyMap(const KeyMap<K, V>& map, ByteWriter& out) {
  out.writeVarint(map.size());
  for (const auto& [key, value] : map) {
    out.write(key);
    out.write(value);
  }
}

/// A map `writeKeyMap` wrote.
template <class K, class V>
KeyMap<K, V> readKeyMap(ByteReader& in) {
  return readMap<KeyMap<K, V>>(in, "a window's key map");
}

/// Base of the stateful streams: at every batch where the parent yields an RDD, `makeStep`
/// builds the step RDD, which the update job computes; the stream's RDD at its own (slide)
/// times is `output(time, step)`.
template <class T, class Parent>
class StatefulNode : public DStreamNode<T>, public StatefulStream {
 public:
  StatefulNode(const std::shared_ptr<StreamingCore>& core, std::string name,
               std::shared_ptr<DStreamNode<Parent>> parent, size_t num_partitions)
      : DStreamNode<T>(core, std::move(name), {parent}),
        parent_(std::move(parent)),
        num_partitions_(num_partitions) {}

  /// True when batch `time` has a step that has not been forgotten yet.
  bool hasStepAt(Time time) const { return steps_.contains(time); }

  std::optional<std::function<void()>> generateUpdateJob(Time time) final {
    std::optional<RDD<Parent>> input = parent_->getOrCompute(time);
    if (!input) return std::nullopt;
    RDD<T> step = makeStep(time, *input);
    steps_.emplace(time, step);
    std::function<void()> after = afterStep(time);
    return [step, after = std::move(after)] {
      materialize(step);
      if (after) after();
    };
  }

 protected:
  /// The step of batch `time`, whose input is `input` (the parent's RDD then).
  virtual RDD<T> makeStep(Time time, const RDD<Parent>& input) = 0;
  /// What the update job does once the step has run (nothing by default).
  virtual std::function<void()> afterStep(Time) { return {}; }
  /// The stream's RDD at `time`, given that batch's step (by default, the step's output).
  virtual std::optional<RDD<T>> output(Time, const RDD<T>& step) { return step; }

  std::optional<RDD<T>> compute(Time time) override {
    auto found = steps_.find(time);
    if (found == steps_.end()) return emptyRdd<T>(executionContext());
    return output(time, found->second);
  }

  void forgetBefore(Time time) override {
    DStreamNode<T>::forgetBefore(time);
    steps_.erase(steps_.begin(), steps_.upper_bound(time));
  }

  std::shared_ptr<ExecutionContext> executionContext() const {
    return this->sharedCore()->executionContext();
  }
  size_t numPartitions() const { return num_partitions_; }

 private:
  std::shared_ptr<DStreamNode<Parent>> parent_;
  size_t num_partitions_;
  std::map<Time, RDD<T>> steps_;
};

// ---- Windowed reductions ----------------------------------------------------------------------

/// `reduceByKeyAndWindow` and the window operations built on it. Each batch is reduced by key
/// (combined on the map side) and merged, in its key partition, into the pane being filled;
/// when a pane closes, `Panes` (the algorithm: `SlidingPanes` or `InversePanes`) takes it, and
/// at every slide it emits the window's value per key.
template <class K, class V, class Panes>
class WindowReduceNode final : public StatefulNode<std::pair<K, V>, std::pair<K, V>> {
 public:
  using Record = std::pair<K, V>;

  WindowReduceNode(const std::shared_ptr<StreamingCore>& core,
                   std::shared_ptr<DStreamNode<Record>> parent, std::shared_ptr<Panes> panes,
                   Duration window, Duration slide, size_t num_partitions)
      : StatefulNode<Record, Record>(core, "reduceByKeyAndWindow", std::move(parent), num_partitions),
        panes_(std::move(panes)),
        clock_(window, slide),
        slide_(slide) {}

  Duration slideDuration() const override { return slide_; }

  bool requiresCheckpoint() const override { return Panes::kRequiresCheckpoint; }
  std::string checkpointProblem() const override {
    return unserializableStateProblem<K, V>("reduceByKeyAndWindow");
  }
  size_t statePartitions() const override { return this->numPartitions(); }
  void writeStatePartition(size_t p, bool, ByteWriter& out) override {
    if constexpr (Serializable<K> && Serializable<V>) panes_->writePartition(p, out);
  }
  void readStatePartition(size_t p, bool, ByteReader& in) override {
    if constexpr (Serializable<K> && Serializable<V>) panes_->readPartition(p, in);
  }
  void finishStateRestore(Time) override {}

 protected:
  RDD<Record> makeStep(Time time, const RDD<Record>& input) override {
    PaneClock clock = clock_;  // a copy per step: steps of earlier batches may still be running
    clock.setZeroTime(this->zeroTime());
    auto reduce = [panes = panes_](V&& a, V&& b) { return panes->combine(std::move(a), std::move(b)); };
    auto identity = [](V&& value) { return std::move(value); };
    using Dependency = CombineDependency<K, V, V, decltype(identity), decltype(reduce)>;
    auto dependency =
        std::make_shared<Dependency>(input.node(), this->numPartitions(), identity, reduce);
    bool emits = this->isTimeValid(time);
    auto step = [panes = panes_, dependency, clock, time, emits](size_t p,
                                                                 FunctionRef<void(Record&&)> sink) {
      auto& open = panes->openPane(p);
      for (const auto& buckets : dependency->outputs()) {
        for (const auto& [key, value] : buckets[p]) {
          auto [it, inserted] = open.try_emplace(key, value);
          if (!inserted) it->second = panes->combine(std::move(it->second), V(value));
        }
      }
      if (!clock.closesPane(time)) return;
      panes->closePane(p, clock.paneOf(time));
      if (emits) panes->emit(p, clock, clock.paneOf(time), sink);
    };
    return makeStepRdd<Record>(this->executionContext(), this->numPartitions(), {dependency},
                               std::move(step));
  }

 private:
  std::shared_ptr<Panes> panes_;
  PaneClock clock_;
  Duration slide_;
};

/// Windows without an inverse function: each key keeps the values of its panes still in the
/// window in a `PaneWindow` (two-stacks), so a slide costs O(1) amortized calls of `f` per key,
/// however long the window, where recomputing the window (Spark's way) costs one per key per
/// batch in it.
template <class K, class V, class F>
class SlidingPanes {
 public:
  using Record = std::pair<K, V>;

  /// A window without inverse starts over empty without a checkpoint, as in Spark.
  static constexpr bool kRequiresCheckpoint = false;

  SlidingPanes(F f, size_t num_partitions) : f_(std::move(f)), partitions_(num_partitions) {}

  /// Appends partition `p`: its open pane, then each key's closed panes.
  void writePartition(size_t p, ByteWriter& out) const {
    const Partition& part = partitions_[p];
    writeKeyMap(part.open, out);
    out.writeVarint(part.windows.size());
    for (const auto& [key, window] : part.windows) {
      out.write(key);
      window.write(out);
    }
  }

  /// Replaces partition `p` with what `writePartition` wrote.
  void readPartition(size_t p, ByteReader& in) {
    Partition& part = partitions_[p];
    part.open = readKeyMap<K, V>(in);
    part.windows.clear();
    size_t keys = in.readLength(2, "the keys of a window");
    for (size_t i = 0; i < keys; ++i) {
      K key = in.read<K>();
      part.windows.insert_or_assign(std::move(key), PaneWindow<V>::read(in));
    }
  }

  V combine(V a, V b) const { return V(f_(std::move(a), std::move(b))); }
  KeyMap<K, V>& openPane(size_t p) { return partitions_[p].open; }

  void closePane(size_t p, int64_t pane) {
    Partition& part = partitions_[p];
    drainInto(part.open, [&](Record&& entry) {
      part.windows[std::move(entry.first)].push(pane, std::move(entry.second), combiner());
    });
  }

  void emit(size_t p, const PaneClock& clock, int64_t pane, FunctionRef<void(Record&&)> sink) {
    Partition& part = partitions_[p];
    int64_t first = clock.firstPaneOfWindow(pane);
    for (auto it = part.windows.begin(); it != part.windows.end();) {
      it->second.evictBefore(first, combiner());
      if (it->second.empty()) {
        part.windows.erase(it++);  // no value of the key is left in the window
        continue;
      }
      sink(Record(it->first, it->second.aggregate(combiner())));
      ++it;
    }
  }

 private:
  struct Partition {
    KeyMap<K, V> open;                 // the pane being filled
    KeyMap<K, PaneWindow<V>> windows;  // closed panes still in the window, per key
  };

  auto combiner() const {
    return [this](V&& a, V&& b) { return combine(std::move(a), std::move(b)); };
  }

  F f_;
  std::vector<Partition> partitions_;
};

/// Keeps every key (no filter).
struct KeepEveryKey {
  template <class Record>
  bool operator()(const Record&) const {
    return true;
  }
};

/// Windows with an inverse function, Spark's incremental way: the window's value per key is
/// kept; at every slide the panes that left the window are reduced and taken out with `inv_f`,
/// the panes that entered are reduced and added with `f`, and keys failing `filter` are dropped
/// from the state. A key whose value returns to "zero" stays unless the filter drops it, as in
/// Spark.
template <class K, class V, class F, class InvF, class Filter>
class InversePanes {
 public:
  using Record = std::pair<K, V>;

  /// The window's value per key cannot be rebuilt from the panes alone, so (as Spark)
  /// an inverse window needs a checkpoint directory.
  static constexpr bool kRequiresCheckpoint = true;

  InversePanes(F f, InvF inv_f, Filter filter, size_t num_partitions)
      : f_(std::move(f)), inv_f_(std::move(inv_f)), filter_(std::move(filter)), partitions_(num_partitions) {}

  /// Appends partition `p`: its open pane, its closed panes, the window and its last pane.
  void writePartition(size_t p, ByteWriter& out) const {
    const Partition& part = partitions_[p];
    writeKeyMap(part.open, out);
    out.writeVarint(part.panes.size());
    for (const auto& [pane, values] : part.panes) {
      out.write(pane);
      writeKeyMap(values, out);
    }
    writeKeyMap(part.window, out);
    out.write(part.last_emitted_pane);
  }

  /// Replaces partition `p` with what `writePartition` wrote.
  void readPartition(size_t p, ByteReader& in) {
    Partition& part = partitions_[p];
    part.open = readKeyMap<K, V>(in);
    part.panes.clear();
    size_t panes = in.readLength(2, "the panes of a window");
    for (size_t i = 0; i < panes; ++i) {
      int64_t pane = in.read<int64_t>();
      part.panes.emplace_back(pane, readKeyMap<K, V>(in));
    }
    part.window = readKeyMap<K, V>(in);
    part.last_emitted_pane = in.read<int64_t>();
  }

  V combine(V a, V b) const { return V(f_(std::move(a), std::move(b))); }
  KeyMap<K, V>& openPane(size_t p) { return partitions_[p].open; }

  void closePane(size_t p, int64_t pane) {
    Partition& part = partitions_[p];
    part.panes.emplace_back(pane, std::move(part.open));
    part.open = KeyMap<K, V>();
  }

  void emit(size_t p, const PaneClock& clock, int64_t pane, FunctionRef<void(Record&&)> sink) {
    Partition& part = partitions_[p];
    int64_t last_left = pane - clock.panesPerWindow();  // the newest pane out of the window
    KeyMap<K, V> leaving = reducePanes(part, [&](int64_t i) { return i <= last_left; });
    KeyMap<K, V> entering = reducePanes(part, [&](int64_t i) { return i > part.last_emitted_pane; });
    for (auto& [key, old_value] : leaving) {
      auto it = part.window.find(key);
      // A key the filter dropped is not in the window: what leaves of it is already gone.
      if (it != part.window.end()) it->second = V(inv_f_(std::move(it->second), std::move(old_value)));
    }
    for (auto& [key, new_value] : entering) {
      auto [it, inserted] = part.window.try_emplace(key, new_value);
      if (!inserted) it->second = combine(std::move(it->second), std::move(new_value));
    }
    std::erase_if(part.panes, [&](const auto& entry) { return entry.first <= last_left; });
    part.last_emitted_pane = pane;
    for (auto it = part.window.begin(); it != part.window.end();) {
      Record record(it->first, it->second);
      if (!filter_(std::as_const(record))) {
        part.window.erase(it++);
        continue;
      }
      sink(std::move(record));
      ++it;
    }
  }

 private:
  struct Partition {
    KeyMap<K, V> open;                                    // the pane being filled
    std::vector<std::pair<int64_t, KeyMap<K, V>>> panes;  // closed panes, oldest first
    KeyMap<K, V> window;                                  // the last emitted window, per key
    int64_t last_emitted_pane = 0;
  };

  // Folds the values of the panes for which `pick(pane)` holds into one value per key.
  template <class Pick>
  KeyMap<K, V> reducePanes(const Partition& part, Pick pick) const {
    KeyMap<K, V> reduced;
    for (const auto& [pane, values] : part.panes) {
      if (!pick(pane)) continue;
      for (const auto& [key, value] : values) {
        auto [it, inserted] = reduced.try_emplace(key, value);
        if (!inserted) it->second = combine(std::move(it->second), V(value));
      }
    }
    return reduced;
  }

  F f_;
  InvF inv_f_;
  Filter filter_;
  std::vector<Partition> partitions_;
};

// ---- Keyed state ------------------------------------------------------------------------------

/// Reads a keyed state's partitions as pairs, lending the entries where they live. The state
/// changes in place at the next batch, so the view checks the state's version and refuses to
/// be read after that (a persisted copy made during its batch can be, which is how windows
/// over state streams keep theirs).
template <class K, class S>
class StateViewNode final : public RddNode<std::pair<K, S>> {
 public:
  using Record = std::pair<K, S>;

  StateViewNode(std::shared_ptr<ExecutionContext> context, std::shared_ptr<KeyedState<K, S>> state,
                Time version)
      : RddNode<Record>(std::move(context), state->numPartitions()), state_(std::move(state)), version_(version) {}

  void computePartition(size_t partition, FunctionRef<void(Record&&)> sink) const override {
    computePartitionShared(partition, [&](const Record& record) { sink(Record(record)); });
  }
  void computePartitionShared(size_t partition, FunctionRef<void(const Record&)> sink) const override {
    if (state_->version() != version_) {
      throw Error(state_->name() + ": the state of batch " + version_.toString() +
                  " was read after batch " + state_->version().toString() +
                  " had changed it: read a batch's state during that batch (collect() it there to keep "
                  "a copy), or through a window over the stream");
    }
    state_->partition(partition).forEachEntry(sink);
  }
  bool holdsRecords() const override { return true; }

 private:
  std::shared_ptr<KeyedState<K, S>> state_;
  Time version_;
};

/// Loads `(key, state)` pairs into partition `p` of `state` (a later pair of the same key
/// wins), stamped `time`: a restore, from an initial state rather than a checkpoint.
template <class K, class S>
void loadState(KeyedState<K, S>& state, size_t p, const PartitionByKeyDependency<K, S>& initial, Time time) {
  auto& table = state.partition(p);
  for (const auto& buckets : initial.outputs()) {
    for (const auto& [key, value] : buckets[p]) table.restore(key, value, time);
  }
  table.finishRestore();
}

/// The shuffle that brings an initial state's pairs to their key partitions (none without one).
template <class K, class S>
std::shared_ptr<PartitionByKeyDependency<K, S>> initialStateDependency(
    std::optional<RDD<std::pair<K, S>>>& initial, size_t num_partitions) {
  if (!initial) return nullptr;
  auto dependency = std::make_shared<PartitionByKeyDependency<K, S>>(initial->node(), num_partitions);
  initial.reset();  // loaded once
  return dependency;
}

/// Base of the streams whose state is a `KeyedState` (updateStateByKey, mapWithState): the
/// state, the initial pairs loaded at the first batch, and the state's checkpoints, as deltas
/// between snapshots.
template <class Out, class K, class V, class S>
class KeyedStateNode : public StatefulNode<Out, std::pair<K, V>> {
 public:
  KeyedStateNode(const std::shared_ptr<StreamingCore>& core, const std::string& name,
                 std::shared_ptr<DStreamNode<std::pair<K, V>>> parent, size_t num_partitions, bool track_idle,
                 std::optional<RDD<std::pair<K, S>>> initial)
      : StatefulNode<Out, std::pair<K, V>>(core, name, std::move(parent), num_partitions),
        state_(std::make_shared<KeyedState<K, S>>(name, num_partitions, track_idle)),
        initial_(std::move(initial)) {}

  const std::shared_ptr<KeyedState<K, S>>& state() const { return state_; }

  std::string checkpointProblem() const override { return unserializableStateProblem<K, S>(state_->name()); }
  size_t statePartitions() const override { return this->numPartitions(); }
  bool writesDeltas() const override { return true; }
  void writeStatePartition(size_t p, bool full, ByteWriter& out) override {
    if constexpr (Serializable<K> && Serializable<S>) state_->writeCheckpoint(p, full, out);
  }
  void readStatePartition(size_t p, bool full, ByteReader& in) override {
    if constexpr (Serializable<K> && Serializable<S>) state_->readCheckpoint(p, full, in);
  }
  void finishStateRestore(Time version) override {
    state_->finishRestore(version);
    initial_.reset();  // the checkpoint already holds it
  }

 protected:
  std::shared_ptr<KeyedState<K, S>> state_;
  std::optional<RDD<std::pair<K, S>>> initial_;
};

/// `updateStateByKey(f)`: every batch, each key's new values are grouped, and `f(values,
/// state)` runs for every key with new values or state (a key's state is moved into the call;
/// nullopt removes the key). The stream's RDD is a view of the whole state.
template <class K, class V, class S, class F>
class UpdateStateNode final : public KeyedStateNode<std::pair<K, S>, K, V, S> {
 public:
  using Record = std::pair<K, S>;

  UpdateStateNode(const std::shared_ptr<StreamingCore>& core, std::shared_ptr<DStreamNode<std::pair<K, V>>> parent,
                  F f, size_t num_partitions, std::optional<RDD<Record>> initial)
      : KeyedStateNode<Record, K, V, S>(core, "updateStateByKey", std::move(parent), num_partitions, false,
                                        std::move(initial)),
        f_(std::make_shared<const F>(std::move(f))) {}

 protected:
  RDD<Record> makeStep(Time time, const RDD<std::pair<K, V>>& input) override {
    auto groups = makeGroupDependency<K, V>(input.node(), this->numPartitions());
    auto initial = initialStateDependency(this->initial_, this->numPartitions());
    std::vector<std::shared_ptr<ShuffleDependencyBase>> dependencies{groups};
    if (initial) dependencies.push_back(initial);
    auto step = [f = f_, state = this->state_, groups, initial, time, zero = this->zeroTime()](
                    size_t p, FunctionRef<void(Record&&)>) {
      auto& table = state->partition(p);
      // Initial pairs are stamped with the zero time, so the pass below still calls f on them.
      if (initial) loadState(*state, p, *initial, zero);
      KeyMap<K, std::vector<V>> values;
      for (const auto& buckets : groups->outputs()) {
        for (const auto& [key, batch_values] : buckets[p]) {
          auto& all = values[key];
          all.insert(all.end(), batch_values.begin(), batch_values.end());
        }
      }
      for (auto& [key, key_values] : values) {
        uint32_t slot = table.find(key);
        std::optional<S> previous;
        if (slot != StateTable<K, S>::kNone) previous = std::move(table.entry(slot).second);
        std::optional<S> next = (*f)(std::as_const(key_values), std::move(previous));
        if (!next) {
          if (slot != StateTable<K, S>::kNone) table.erase(slot);
        } else if (slot == StateTable<K, S>::kNone) {
          table.insert(key, std::move(*next), time);
        } else {
          table.entry(slot).second = std::move(*next);
          table.touch(slot, time);
        }
      }
      // Every other key with state, with no new values (as Spark does). When checkpoints
      // save deltas, a key whose state f left equal is not touched, so it is not in the delta.
      const std::vector<V> none;
      const bool track_changes = state->tracksChanges();
      table.forEachSlot([&](uint32_t slot) {
        if (table.updated(slot) == time) return;
        S& current = table.entry(slot).second;
        if constexpr (std::equality_comparable<S>) {
          if (track_changes) {
            std::optional<S> next = (*f)(none, std::optional<S>(current));
            if (!next) {
              table.erase(slot);
            } else if (!(*next == current)) {
              current = std::move(*next);
              table.touch(slot, time);
            }
            return;
          }
        }
        std::optional<S> next = (*f)(none, std::optional<S>(std::move(current)));
        if (next) {
          current = std::move(*next);
          table.touch(slot, time);
        } else {
          table.erase(slot);
        }
      });
    };
    return makeStepRdd<Record>(this->executionContext(), this->numPartitions(), std::move(dependencies),
                               std::move(step));
  }

  std::function<void()> afterStep(Time time) override {
    std::optional<RDD<Record>> view;
    // Read again in a later batch (a window over it): keep a copy made now.
    if (this->rememberDuration() > Duration()) view = this->getOrCompute(time);
    return [state = this->state_, time, view] {
      state->setVersion(time);
      if (view) materialize(view->cache());
    };
  }

  std::optional<RDD<Record>> output(Time time, const RDD<Record>&) override {
    return RDD<Record>(std::make_shared<StateViewNode<K, S>>(this->executionContext(), this->state_, time));
  }

 private:
  std::shared_ptr<const F> f_;
};

/// `mapWithState(spec)`: every record of the batch calls the mapping function with its key's
/// state, in arrival order within a key; a key that has had no data for longer than the timeout
/// gets a last call and is removed. The cost of a batch is the records it has plus the keys
/// that time out in it, whatever the number of idle keys. The stream's RDD is what the function
/// returned; `StateSnapshotsNode` views the state.
template <class K, class V, class S, class U, class F>
class MapWithStateNode final : public KeyedStateNode<U, K, V, S> {
 public:
  using Traits = MappingTraits<F>;

  MapWithStateNode(const std::shared_ptr<StreamingCore>& core, std::shared_ptr<DStreamNode<std::pair<K, V>>> parent,
                   StateSpecOf<K, V, S, U, F> spec, size_t num_partitions)
      : KeyedStateNode<U, K, V, S>(core, "mapWithState", std::move(parent), num_partitions,
                                   spec.idleTimeout().has_value(), spec.initialStateRdd()),
        f_(std::make_shared<const F>(spec.function())),
        timeout_(spec.idleTimeout()) {}

 protected:
  RDD<U> makeStep(Time time, const RDD<std::pair<K, V>>& input) override {
    auto records = std::make_shared<PartitionByKeyDependency<K, V>>(input.node(), this->numPartitions());
    auto initial = initialStateDependency(this->initial_, this->numPartitions());
    std::vector<std::shared_ptr<ShuffleDependencyBase>> dependencies{records};
    if (initial) dependencies.push_back(initial);
    auto step = [f = f_, state = this->state_, records, initial, time, timeout = timeout_](
                    size_t p, FunctionRef<void(U&&)> sink) {
      using Access = StateAccess<S>;
      auto& table = state->partition(p);
      if (initial) loadState(*state, p, *initial, time);
      auto call = [&](const K& key, std::optional<V> value, State<S>& handle) {
        if constexpr (Traits::kWithTime) {
          std::optional<U> mapped = (*f)(time, key, std::move(value), handle);
          if (mapped) sink(std::move(*mapped));
        } else {
          sink(U((*f)(key, std::move(value), handle)));
        }
      };
      for (const auto& buckets : records->outputs()) {
        for (const auto& [key, value] : buckets[p]) {
          uint32_t slot = table.find(key);
          bool existed = slot != StateTable<K, S>::kNone;
          State<S> handle = Access::make(existed ? &table.entry(slot).second : nullptr, false);
          call(key, std::optional<V>(value), handle);
          if (Access::removed(handle)) {
            if (existed) table.erase(slot);
          } else if (auto& updated = Access::updated(handle)) {
            if (existed) {
              table.entry(slot).second = std::move(*updated);
              table.touch(slot, time);
            } else {
              table.insert(key, std::move(*updated), time);
            }
          } else if (existed) {
            table.touch(slot, time);  // data keeps a key alive, updated or not (as Spark)
          }
        }
      }
      if (timeout) {
        table.forEachIdleBefore(time - *timeout, [&](uint32_t slot) {
          auto& entry = table.entry(slot);
          State<S> handle = Access::make(&entry.second, true);
          call(entry.first, std::nullopt, handle);
          table.erase(slot);
        });
      }
    };
    return makeStepRdd<U>(this->executionContext(), this->numPartitions(), std::move(dependencies),
                          std::move(step));
  }

  std::function<void()> afterStep(Time time) override {
    return [state = this->state_, time] { state->setVersion(time); };
  }

 private:
  std::shared_ptr<const F> f_;
  std::optional<Duration> timeout_;
};

/// `stateSnapshots()`: at every batch of a `mapWithState` stream, a view of its whole state.
template <class K, class V, class S, class U, class F>
class StateSnapshotsNode final : public DStreamNode<std::pair<K, S>>, public StatefulStream {
 public:
  using Record = std::pair<K, S>;
  using Source = MapWithStateNode<K, V, S, U, F>;

  StateSnapshotsNode(const std::shared_ptr<StreamingCore>& core, std::shared_ptr<Source> source)
      : DStreamNode<Record>(core, "stateSnapshots", {source}), source_(std::move(source)) {}

  // A view of the mapWithState stream's state, which that stream checkpoints.
  bool requiresCheckpoint() const override { return false; }
  size_t statePartitions() const override { return 0; }
  void writeStatePartition(size_t, bool, ByteWriter&) override {}
  void readStatePartition(size_t, bool, ByteReader&) override {}
  void finishStateRestore(Time) override {}

  /// When the snapshots are read in later batches (a window over them), copies the batch's
  /// snapshot right after its step, before the next one changes the state.
  std::optional<std::function<void()>> generateUpdateJob(Time time) override {
    if (this->rememberDuration() <= Duration()) return std::nullopt;
    std::optional<RDD<Record>> view = this->getOrCompute(time);
    if (!view) return std::nullopt;
    return [copy = view->cache()] { materialize(copy); };
  }

 protected:
  std::optional<RDD<Record>> compute(Time time) override {
    if (!source_->hasStepAt(time)) return std::nullopt;
    return RDD<Record>(std::make_shared<StateViewNode<K, S>>(this->sharedCore()->executionContext(),
                                                             source_->state(), time));
  }

 private:
  std::shared_ptr<Source> source_;
};

}  // namespace caudal::detail
