// StreamingContext: the entry point of a streaming job, as Spark Streaming's.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caudal/batch_info.h"
#include "caudal/config.h"
#include "caudal/context_state.h"
#include "caudal/detail/queue_input.h"
#include "caudal/detail/receiver_input.h"
#include "caudal/detail/streaming_core.h"
#include "caudal/dstream.h"
#include "caudal/duration.h"
#include "caudal/rdd.h"
#include "caudal/receiver.h"

namespace caudal {

/// Holds a job's stream graph and runs it: every batch duration it takes what each source has
/// delivered, builds that batch's RDDs and runs the output operations, batch after batch, on a
/// pool of worker threads. Define sources, transformations and outputs first, then drive the
/// context either with `start()` (real time) or with `runBatches(n)` (a manual clock), not both.
/// Methods are called from the thread that owns the context. Movable, not copyable; the
/// destructor stops a running context without waiting for queued batches.
class StreamingContext {
 public:
  /// A context with batches every `batch_duration` (positive). Throws `caudal::Error` for a
  /// non-positive duration or an invalid `config`.
  explicit StreamingContext(Duration batch_duration, Config config = {});
  ~StreamingContext();
  StreamingContext(StreamingContext&&) noexcept;
  StreamingContext& operator=(StreamingContext&&) noexcept;

  /// The batch interval.
  Duration batchDuration() const;
  /// The settings this context was made with (zeros resolved to their defaults).
  const Config& config() const;
  /// Where the context is in its lifecycle.
  StreamingContextState getState() const;

  // ---- RDDs ------------------------------------------------------------------------------

  /// An RDD of `data`, cut into `num_partitions` contiguous slices of near-equal size
  /// (0: the default parallelism), as Spark's `parallelize`.
  template <class T>
  RDD<T> parallelize(std::vector<T> data, size_t num_partitions = 0) const {
    size_t parts = num_partitions > 0 ? num_partitions : core_->executionContext()->defaultParallelism();
    auto partitions = std::make_shared<std::vector<std::vector<T>>>(parts);
    size_t size = data.size();
    for (size_t p = 0; p < parts; ++p) {
      size_t begin = p * size / parts;
      size_t end = (p + 1) * size / parts;
      (*partitions)[p].assign(std::make_move_iterator(data.begin() + begin),
                              std::make_move_iterator(data.begin() + end));
    }
    return fromPartitions<T>(std::move(*partitions));
  }

  /// An RDD whose partitions are exactly `partitions` (one inner vector per partition).
  template <class T>
  RDD<T> fromPartitions(std::vector<std::vector<T>> partitions) const {
    return RDD<T>(std::make_shared<detail::ParallelCollectionNode<T>>(
        core_->executionContext(),
        std::make_shared<const std::vector<std::vector<T>>>(std::move(partitions))));
  }

  /// An RDD with no partitions.
  template <class T>
  RDD<T> emptyRDD() const {
    return detail::emptyRdd<T>(core_->executionContext());
  }

  // ---- Sources ---------------------------------------------------------------------------

  /// A stream of the given RDDs: with `one_at_a_time`, one per batch and then empty batches;
  /// otherwise all of them, as one batch, at the first batch. For tests and notebooks.
  template <class T>
  DStream<T> queueStream(std::vector<RDD<T>> rdds, bool one_at_a_time = true) {
    core_->checkCanDefine("queueStream");
    auto node = std::make_shared<detail::QueueInputNode<T>>(core_, std::move(rdds), one_at_a_time);
    core_->addInput(node);
    return DStream<T>(std::move(node));
  }

  /// `queueStream` from nested vectors: batch → partitions → records, so that
  /// `{{{"uno", "dos", "tres"}, {"cuatro", "cinco"}}, {{"seis", "siete", "ocho"}, {"nueve"}}}`
  /// is two batches of two partitions each.
  template <class T>
  DStream<T> queueStream(std::vector<std::vector<std::vector<T>>> batches, bool one_at_a_time = true) {
    std::vector<RDD<T>> rdds;
    for (auto& partitions : batches) rdds.push_back(fromPartitions<T>(std::move(partitions)));
    return queueStream(std::move(rdds), one_at_a_time);
  }

  /// Lines (without their "\n" or "\r\n") read from a TCP connection to `host:port`, by a
  /// receiver thread that cuts a block every `Config::blockInterval`; each block is one
  /// partition of the batch that takes it. A refused or lost connection is retried with
  /// backoff (logged). `start()` throws `caudal::Error` if `host` does not resolve.
  DStream<std::string> socketTextStream(const std::string& host, int port);

  /// Lines of the files that appear in `directory` (not its subdirectories; names starting
  /// with "." or "_" are ignored): each batch reads the files that appeared since the previous
  /// one, one partition per file (more for large files). Files must be moved in atomically.
  /// As in Spark, files already there when the context starts are ignored unless
  /// `new_files_only` is false, in which case the first batch reads them. `start()` throws
  /// `caudal::Error` if the directory does not exist; a file that cannot be read fails its
  /// batch with an error naming it.
  DStream<std::string> textFileStream(const std::string& directory, bool new_files_only = true);

  /// The records `receiver` stores (see `Receiver`): each block it stores or cuts is one
  /// partition of the batch that takes it. `R` is any class derived from `Receiver<T>`; the
  /// stream is a `DStream<T>` and owns the receiver. `start()` calls its `onStart()` and throws
  /// what that throws; with `Config::receiverWriteAheadLog` and a checkpoint directory, blocks
  /// are written to a write-ahead log first, and `start()` throws `caudal::Error` if `T` has no
  /// `caudal::Serializer`. Throws `caudal::Error` for a null receiver.
  template <class R>
    requires detail::IsReceiver<R>
  auto receiverStream(std::unique_ptr<R> receiver) {
    using T = detail::ReceiverRecord<R>;
    core_->checkCanDefine("receiverStream");
    if (!receiver) throw Error("receiverStream: the receiver is null");
    auto node = std::make_shared<detail::ReceiverInputNode<T>>(
        core_, "receiverStream", std::unique_ptr<Receiver<T>>(std::move(receiver)));
    core_->addInput(node);
    return DStream<T>(std::move(node));
  }

  /// The union of `streams`, batch by batch.
  template <class T>
  // NOLINTNEXTLINE(readability-identifier-naming): `union` is a keyword
  DStream<T> union_(const std::vector<DStream<T>>& streams) {
    return DStream<T>::unionOf(streams);
  }

  /// A stream whose RDD at each batch is `f(rdds, time)`, where `rdds` holds the RDDs of
  /// `streams` at that batch, in order.
  template <class T, class F>
  auto transform(const std::vector<DStream<T>>& streams, F f) {
    if (streams.empty()) throw Error("transform: no streams given");
    using U = typename std::invoke_result_t<const F&, const std::vector<RDD<T>>&, Time>::value_type;
    std::vector<std::shared_ptr<detail::DStreamNodeBase>> parents;
    std::vector<std::shared_ptr<detail::DStreamNode<T>>> nodes;
    for (const auto& stream : streams) {
      parents.push_back(stream.node());
      nodes.push_back(stream.node());
    }
    return streams.front().template derive<U>(
        "transform", std::move(parents),
        [nodes, f = std::move(f)](Time time) -> std::optional<RDD<U>> {
          std::vector<RDD<T>> rdds;
          for (const auto& node : nodes) {
            auto rdd = node->getOrCompute(time);
            if (!rdd) return std::nullopt;
            rdds.push_back(std::move(*rdd));
          }
          return std::invoke(f, rdds, time);
        });
  }

  // ---- Fault tolerance -------------------------------------------------------------------

  /// Makes the job recoverable: its state, each source's position and the log of its batches
  /// are saved under `directory` (created if missing; the job owns its content), so that `getOrCreate(directory, …)`
  /// restarts it where it stopped. Required by `updateStateByKey`, `mapWithState` and the
  /// window operations given an inverse function (`start()` says so otherwise). Call before
  /// `start()`. Throws `caudal::Error` for an empty path or a started context.
  void checkpoint(const std::string& directory);

  /// The checkpoint directory set by `checkpoint()`, or empty.
  const std::string& checkpointDirectory() const;

  /// A context for the job whose checkpoints are in `directory`. When the directory holds none,
  /// returns `factory()`. Otherwise calls `factory()` to rebuild the job's streams (functions
  /// cannot be saved), checks that they are the checkpointed job's (the same operations in the
  /// same order, the same batch duration: else `caudal::Error` naming the first difference),
  /// and restores every state and source position from the newest readable checkpoint; the
  /// batches logged after it run again when the context starts, before any new batch. Throws
  /// `caudal::Error` naming the directory when it holds checkpoints but none can be read: a job
  /// never silently starts from empty. The factory must call `checkpoint(directory)` or leave it
  /// unset (it is then set). Blocks while it reads the checkpoint (the states are loaded on the
  /// context's worker threads).
  static StreamingContext getOrCreate(const std::string& directory,
                                      const std::function<StreamingContext()>& factory);

  // ---- Running ---------------------------------------------------------------------------

  /// Starts the sources and the batch clock; returns at once. The first batch runs at the
  /// next multiple of the batch duration after now. Throws `caudal::Error` if there is no
  /// output operation, a source cannot start, the context already ran, or `runBatches` drove it.
  void start();

  /// Blocks until the context stops. Rethrows the failure that stopped it, if any
  /// (`caudal::BatchFailedError` for a failed batch).
  void awaitTermination();

  /// As `awaitTermination`, giving up after `timeout`: returns true if the context stopped,
  /// false if the time ran out.
  bool awaitTerminationOrTimeout(Duration timeout);

  /// Stops the context. Gracefully (the default): the sources stop, and the batches for what
  /// they already delivered run before this returns. Otherwise: the running batch finishes and
  /// queued ones are dropped. Idempotent; from inside an output function it only requests the
  /// stop (the context stops after that batch).
  void stop(bool stop_gracefully = true);

  /// Runs the next `n` batches now, synchronously, on a manual clock whose zero time is 0:
  /// batch k (k = 1, 2, …) has time k * batch duration. Returns when their outputs have run.
  /// The first call starts the sources. Throws `caudal::BatchFailedError` if a batch fails
  /// (the context is then stopped) and `caudal::Error` after `start()` or `stop()`.
  void runBatches(int n);

  /// The most recent completed batches (at most `Config::retainedBatches`), oldest first.
  std::vector<BatchInfo> completedBatches() const;

 private:
  std::shared_ptr<detail::StreamingCore> core_;
};

}  // namespace caudal
