// The DStream graph: one node per stream, each yielding at most one RDD per batch time.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/streaming_core.h"
#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/rdd.h"
#include "caudal/serde.h"

namespace caudal::detail {

/// What every stream of the graph has, whatever its record type. Methods that take a batch
/// time run on the batch-generating thread with the core's graph lock held.
class DStreamNodeBase {
 public:
  DStreamNodeBase(const std::shared_ptr<StreamingCore>& core, std::string name,
                  std::vector<std::shared_ptr<DStreamNodeBase>> parents)
      : core_(core), name_(std::move(name)), parents_(std::move(parents)) {
    for (const auto& parent : parents_) {
      if (parent->core_.lock() != core) {
        throw Error(name_ + ": cannot combine streams of different StreamingContexts");
      }
    }
  }
  virtual ~DStreamNodeBase() = default;
  DStreamNodeBase(const DStreamNodeBase&) = delete;
  DStreamNodeBase& operator=(const DStreamNodeBase&) = delete;

  /// The operation that made this stream ("map", "socketTextStream", …).
  const std::string& name() const { return name_; }
  const std::vector<std::shared_ptr<DStreamNodeBase>>& parents() const { return parents_; }

  /// How often this stream yields an RDD; a source yields one per batch.
  virtual Duration slideDuration() const {
    return parents_.empty() ? sharedCore()->batchDuration() : parents_.front()->slideDuration();
  }

  /// The context's core. Throws `caudal::Error` if the context was destroyed.
  std::shared_ptr<StreamingCore> sharedCore() const {
    auto core = core_.lock();
    if (!core) throw Error(name_ + ": its StreamingContext no longer exists");
    return core;
  }

  /// Sets the zero time of this stream and its ancestors (at start).
  void initialize(Time zero_time) {
    zero_time_ = zero_time;
    for (const auto& parent : parents_) parent->initialize(zero_time);
  }
  Time zeroTime() const { return zero_time_; }

  /// How often this stream's state is checkpointed (`DStream::checkpoint(interval)`), if set.
  const std::optional<Duration>& checkpointInterval() const { return checkpoint_interval_; }
  /// Sets it; throws `caudal::Error` unless it is a positive multiple of the slide.
  void setCheckpointInterval(Duration interval) {
    if (interval <= Duration() || !interval.isMultipleOf(slideDuration())) {
      throw Error(name_ + ": the checkpoint interval " + interval.toString() +
                  " must be a positive multiple of the stream's slide duration " + slideDuration().toString());
    }
    checkpoint_interval_ = interval;
  }

  /// Keeps generated RDDs for at least `duration` (windows need their past batches); parents
  /// keep what this stream needs of them.
  void remember(Duration duration) {
    remember_duration_ = std::max(remember_duration_, duration);
    for (const auto& parent : parents_) parent->remember(parentRememberDuration());
  }
  Duration rememberDuration() const { return remember_duration_; }

  /// True when this stream yields an RDD at `time`: after zero, on a multiple of its slide.
  bool isTimeValid(Time time) const {
    return time > zero_time_ && (time - zero_time_).isMultipleOf(slideDuration());
  }

  /// Forgets the RDDs this stream no longer needs once batch `time` has completed, and has its
  /// ancestors do the same.
  void clearMetadata(Time time) {
    forgetBefore(time - remember_duration_);
    for (const auto& parent : parents_) parent->clearMetadata(time);
  }

 protected:
  /// How long parents must keep their RDDs for this stream.
  virtual Duration parentRememberDuration() const { return remember_duration_; }
  /// Drops generated RDDs of batches at or before `time`.
  virtual void forgetBefore(Time time) = 0;

 private:
  std::weak_ptr<StreamingCore> core_;
  std::string name_;
  std::vector<std::shared_ptr<DStreamNodeBase>> parents_;
  Time zero_time_;
  Duration remember_duration_;
  std::optional<Duration> checkpoint_interval_;
};

/// A stream of RDDs of `T`.
template <class T>
class DStreamNode : public DStreamNodeBase {
 public:
  using DStreamNodeBase::DStreamNodeBase;

  /// The RDD of batch `time` (computed on first request and shared by every consumer), or
  /// nullopt when this stream yields none then.
  std::optional<RDD<T>> getOrCompute(Time time) {
    auto found = generated_.find(time);
    if (found != generated_.end()) return found->second;
    std::optional<RDD<T>> rdd;
    if (isTimeValid(time)) {
      rdd = compute(time);
      if (rdd && cache_) rdd->cache();
    }
    generated_.emplace(time, rdd);
    return rdd;
  }

  /// Keeps this stream's RDDs in memory once computed (`DStream::cache()`).
  void setCached() { cache_ = true; }

 protected:
  /// Records `rdd` as the stream's RDD of batch `time` (a source replaying a batch).
  void setGenerated(Time time, std::optional<RDD<T>> rdd) {
    if (rdd && cache_) rdd->cache();
    generated_.insert_or_assign(time, std::move(rdd));
  }

  /// Builds the RDD of batch `time` (a valid time).
  virtual std::optional<RDD<T>> compute(Time time) = 0;

  void forgetBefore(Time time) override {
    generated_.erase(generated_.begin(), generated_.upper_bound(time));
  }

 private:
  std::map<Time, std::optional<RDD<T>>> generated_;
  bool cache_ = false;
};

/// A stream whose RDD is a function of its parents' RDDs at the same time: every DStream
/// transformation is one of these with a different `make` (`Time -> std::optional<RDD<T>>`).
template <class T, class Make>
class DerivedNode final : public DStreamNode<T> {
 public:
  DerivedNode(const std::shared_ptr<StreamingCore>& core, std::string name,
              std::vector<std::shared_ptr<DStreamNodeBase>> parents, Make make)
      : DStreamNode<T>(core, std::move(name), std::move(parents)), make_(std::move(make)) {}

 protected:
  std::optional<RDD<T>> compute(Time time) override { return make_(time); }

 private:
  Make make_;
};

/// A source: started and stopped with the context, and asked for its RDD every batch (even
/// when nothing consumes it, so that what it received does not pile up).
class InputSource {
 public:
  virtual ~InputSource() = default;
  /// Starts receiving; throws `caudal::Error` when the source cannot work at all (a missing
  /// directory, a host that does not resolve).
  virtual void start() = 0;
  /// Stops receiving; what was received stays available to the next batch. Idempotent.
  virtual void stop() = 0;
  /// Builds this source's RDD for batch `time` (graph lock held).
  virtual void generate(Time time) = 0;
  /// Sets the zero time (at start).
  virtual void initializeSource(Time zero_time) = 0;
  /// Forgets what batch `time` no longer needs, once it has completed (graph lock held).
  virtual void clearSourceMetadata(Time time) = 0;

  // ---- Recovery, when the context has a checkpoint directory ----------------------------
  // Every batch the core writes what each source took (`describeBatch`) to the batch log
  // before running the batch, and each source's position after it (`writePosition`); a
  // checkpoint stores the positions of its batch. A restarted job restores the positions of
  // the checkpoint it recovers from and rebuilds the batches logged after it with `replay`.

  /// True when `replay` gives a batch exactly what it took in the run that logged it. A source
  /// that cannot (a receiver without the write-ahead log) replays empty batches, and the core
  /// warns at start that a crash loses what it held.
  virtual bool canReplay() const { return false; }
  /// Called once before `start()` when the context has a checkpoint directory: `directory`
  /// (which exists) is this source's own, for what it must keep across a crash (a receiver's
  /// write-ahead log).
  virtual void setRecoveryDirectory(const std::string& /*directory*/) {}
  /// Appends what batch `time` took, right after `generate(time)` (graph lock held).
  virtual void describeBatch(Time /*time*/, ByteWriter& /*out*/) const {}
  /// Appends where the source is after the batch it last generated or replayed: what it needs
  /// to continue after that batch in a restarted job (graph lock held).
  virtual void writePosition(ByteWriter& /*out*/) const {}
  /// Restores a position `writePosition` wrote, before `start()` and any `replay`. Throws
  /// `caudal::Error` for bytes it cannot read.
  virtual void readPosition(ByteReader& /*in*/) {}
  /// Builds this source's RDD of batch `time` from what `describeBatch` wrote for it in an
  /// earlier run, instead of `generate(time)`; called after `start()`, in batch order, before
  /// any new batch (graph lock held). Throws `caudal::Error` when the data is gone.
  virtual void replay(Time time, ByteReader& /*in*/) { generate(time); }
  /// Tells the source that `position` (what `writePosition` wrote) is that of the oldest
  /// checkpoint kept: what only earlier batches needed can be deleted (old log segments).
  /// Called from the thread that writes checkpoints, while batches are generated and run:
  /// it must not touch what those use without a lock.
  virtual void releaseBefore(ByteReader& /*position*/) {}
};

/// Base of the typed sources: a stream with no parent that is also an `InputSource`.
template <class T>
class InputNode : public DStreamNode<T>, public InputSource {
 public:
  InputNode(const std::shared_ptr<StreamingCore>& core, std::string name)
      : DStreamNode<T>(core, std::move(name), {}) {}

  void start() override {}
  void stop() override {}
  void generate(Time time) override { this->getOrCompute(time); }
  void replay(Time time, ByteReader& in) override { this->setGenerated(time, computeReplay(time, in)); }
  void initializeSource(Time zero_time) override { this->initialize(zero_time); }
  void clearSourceMetadata(Time time) override { this->clearMetadata(time); }

 protected:
  /// The RDD of a replayed batch, from what `describeBatch` wrote; by default (sources that
  /// cannot replay) what the source holds now, as a new batch would take it.
  virtual std::optional<RDD<T>> computeReplay(Time time, ByteReader&) { return this->compute(time); }
};

/// A stream that folds each batch of its parent into state kept across batches (windowed
/// reductions, updateStateByKey, mapWithState). At every batch the core asks each such stream
/// an output depends on for its update job, ancestors first, and runs those jobs before the
/// outputs' jobs: so a state advances exactly once per batch, in batch order, whether or not an
/// output reads the stream in that batch.
class StatefulStream {
 public:
  virtual ~StatefulStream() = default;
  /// The job that applies batch `time` to the state, or nullopt when there is nothing to apply
  /// (graph lock held).
  virtual std::optional<std::function<void()>> generateUpdateJob(Time time) = 0;

  // ---- Checkpoints: called on the job thread between batches, or before the first ----

  /// True when the operation cannot run without a checkpoint directory (Spark's rule: state
  /// and inverse windows; a window without inverse can start over empty).
  virtual bool requiresCheckpoint() const { return true; }
  /// Empty when the state can be checkpointed; otherwise why not (a type with no
  /// `caudal::Serializer`), for the error `start()` throws when a checkpoint directory is set.
  virtual std::string checkpointProblem() const { return {}; }
  /// The number of state partitions: a checkpoint writes one file per partition, in parallel.
  virtual size_t statePartitions() const = 0;
  /// True when `writeStatePartition` can write only what changed since its previous write.
  virtual bool writesDeltas() const { return false; }
  /// Appends partition `p` of the state as it is after the last applied batch: all of it when
  /// `full`, else what changed since the previous write of `p` (only if `writesDeltas()`).
  /// Partitions are written concurrently, each by one task.
  virtual void writeStatePartition(size_t p, bool full, ByteWriter& out) = 0;
  /// Applies to partition `p` what `writeStatePartition(p, full, …)` wrote: snapshots and then
  /// deltas, oldest first. Throws `caudal::Error` for bytes it cannot read.
  virtual void readStatePartition(size_t p, bool full, ByteReader& in) = 0;
  /// Ends a restore: the state is as it was after batch `version`.
  virtual void finishStateRestore(Time version) = 0;
};

/// An output operation: turns each batch's RDD into a job run on the job thread.
class OutputNode : public DStreamNodeBase {
 public:
  using DStreamNodeBase::DStreamNodeBase;
  /// The job of batch `time`, or nullopt when the parent yields no RDD then.
  virtual std::optional<std::function<void()>> generateJob(Time time) = 0;

 protected:
  void forgetBefore(Time) override {}
};

/// `foreachRDD`: calls `f(rdd, time)` with each batch's RDD.
template <class T, class F>
class ForEachNode final : public OutputNode {
 public:
  ForEachNode(const std::shared_ptr<StreamingCore>& core, std::string name,
              std::shared_ptr<DStreamNode<T>> parent, F f)
      : OutputNode(core, std::move(name), {parent}),
        parent_(std::move(parent)),
        f_(std::make_shared<const F>(std::move(f))) {}

  std::optional<std::function<void()>> generateJob(Time time) override {
    std::optional<RDD<T>> rdd = parent_->getOrCompute(time);
    if (!rdd) return std::nullopt;
    return [f = f_, rdd = std::move(*rdd), time] { (*f)(rdd, time); };
  }

 private:
  std::shared_ptr<DStreamNode<T>> parent_;
  std::shared_ptr<const F> f_;
};

}  // namespace caudal::detail
