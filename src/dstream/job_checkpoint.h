// What a streaming job keeps in its checkpoint directory to survive a crash: the batch log
// (what each batch took from each source, written before the batch runs), checkpoints (the
// sources' positions and the states' files after a batch) and the states' snapshot and delta
// files. Layout and formats in src/dstream/README.md.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "caudal/detail/dstream_node.h"
#include "caudal/detail/execution_context.h"
#include "caudal/duration.h"
#include "storage/checkpoint_file.h"
#include "storage/write_ahead_log.h"

namespace caudal::detail {

/// One stream of the graph as a checkpoint records it, to check that a restarted job rebuilt
/// the same graph: its operation, its slide and its parents (indices into the same list).
struct StreamSignature {
  std::string name;
  Duration slide;
  std::vector<uint32_t> parents;

  bool operator==(const StreamSignature&) const = default;
  /// "reduceByKeyAndWindow (slide 2000 ms, parents #3)".
  std::string describe() const;
};

/// The streams of a graph, each after its parents, from the outputs in registration order (a
/// depth-first post-order), and the sources in registration order.
struct GraphSignature {
  std::vector<StreamSignature> streams;
  std::vector<std::string> sources;
};

/// The signature of the graph whose outputs are `outputs` and sources `inputs`; `nodes`
/// receives the streams in signature order.
GraphSignature signatureOf(const std::vector<std::shared_ptr<OutputNode>>& outputs,
                           const std::vector<std::shared_ptr<InputSource>>& inputs,
                           std::vector<DStreamNodeBase*>* nodes = nullptr);

/// Throws `caudal::Error` naming the first difference between the checkpointed graph and the
/// rebuilt one, and the directory.
void checkSameGraph(const GraphSignature& saved, const GraphSignature& rebuilt, const std::string& directory);

/// A state file of a chain: the snapshot, then the deltas after it, by batch time.
struct StateFile {
  Time time;
  bool full = false;
  bool operator==(const StateFile&) const = default;
};

/// One stateful stream's part of a checkpoint.
struct StreamState {
  uint32_t partitions = 0;
  std::vector<StateFile> chain;  // the snapshot first, then its deltas, oldest first
};

/// What a checkpoint file holds.
struct JobCheckpoint {
  Duration batch_duration;
  Time zero_time;
  Time time;                    // the batch after which everything was saved
  uint64_t next_logged_batch = 0;  // batch-log sequence of the first batch after `time`
  GraphSignature graph;
  std::vector<std::string> positions;  // per source, what `writePosition` wrote
  std::vector<StreamState> states;     // per stateful stream, in collection order
};

/// A batch as the batch log holds it: its time and what each source took.
struct LoggedBatch {
  Time time;
  std::vector<std::string> descriptions;  // per source, what `describeBatch` wrote
};

/// The checkpoint directory of a running job: appends to its batch log, writes its checkpoints
/// and state files, deletes what no kept checkpoint needs, and reads everything back at a
/// restart. `logBatch` is called from the batch-generating thread and the rest from the job
/// thread; the batch log has a lock of its own.
class JobCheckpointStore {
 public:
  /// A recovered job: the checkpoint loaded (its states already restored) and the batches
  /// logged after it.
  struct Recovered {
    JobCheckpoint checkpoint;
    std::vector<std::pair<uint64_t, LoggedBatch>> pending;  // batch-log sequence, batch
  };

  /// Opens (creating) `directory`. Throws `caudal::Error` naming it.
  static std::unique_ptr<JobCheckpointStore> open(const std::string& directory);

  /// Appends `batch` to the batch log and returns its sequence number, and in `durable` a
  /// future that is ready once the log is synced up to it (the sync runs on a thread of its
  /// own, so the batch's state steps can run meanwhile; its outputs must wait). Throws
  /// `caudal::Error` naming the log; the future rethrows a failed sync.
  uint64_t logBatch(const LoggedBatch& batch, std::shared_future<void>& durable);

  /// Waits for a checkpoint being written.
  ~JobCheckpointStore();
  JobCheckpointStore(const JobCheckpointStore&) = delete;
  JobCheckpointStore& operator=(const JobCheckpointStore&) = delete;

  /// Saves a checkpoint. Every stream's state is serialized now, in parallel on `execution`'s
  /// workers: a delta when the stream allows one and its chain is short, else a snapshot. A
  /// thread of the store then compresses and writes the state files, then the checkpoint file,
  /// while the job goes on; after that it deletes the checkpoints beyond the newest few, the
  /// state files and batch-log entries none of the kept ones needs, and tells each source the
  /// position of the oldest one kept. First waits for the previous checkpoint's writing and
  /// rethrows its failure (`caudal::Error` naming the file that could not be written).
  void save(JobCheckpoint checkpoint, const std::vector<StatefulStream*>& streams,
            const std::vector<std::shared_ptr<InputSource>>& inputs, ExecutionContext& execution);
  /// Waits until the checkpoint being written is durable; rethrows its failure.
  void finishWriting();
  /// Rethrows the failure of a checkpoint whose writing has ended; does not wait.
  void checkWriting();

  /// Loads the newest checkpoint that reads back whole (its file and every state file it
  /// names), restoring `streams` from it, and the batches logged after it; a newer one that
  /// cannot be read is logged as a warning and skipped. nullopt when the directory holds no
  /// checkpoint and no logged batch. Throws `caudal::Error` naming the directory when none can
  /// be read, or when the graph differs from `graph` (naming the first difference).
  std::optional<Recovered> load(const GraphSignature& graph, Duration batch_duration,
                                const std::vector<StatefulStream*>& streams, ExecutionContext& execution);

  /// True when the directory holds no checkpoint (a job may start there afresh).
  bool hasNoCheckpoint() const;
  /// The batch-log sequence the next logged batch gets.
  uint64_t nextLogSequence() const;

  /// The directory.
  const std::filesystem::path& directory() const { return directory_; }

 private:
  JobCheckpointStore(std::filesystem::path directory, storage::CheckpointDirectory checkpoints,
                     std::unique_ptr<storage::WriteAheadLog> batch_log);

  std::filesystem::path stateFile(size_t stream, size_t partition, const StateFile& file) const;
  void restoreStates(const JobCheckpoint& checkpoint, const std::vector<StatefulStream*>& streams,
                     ExecutionContext& execution) const;
  std::vector<std::pair<uint64_t, LoggedBatch>> readBatchLog(uint64_t first, Time after) const;
  void deleteUnneeded(const std::vector<std::shared_ptr<InputSource>>& inputs);

  std::filesystem::path directory_;
  std::filesystem::path state_directory_;
  storage::CheckpointDirectory checkpoints_;
  mutable std::mutex batch_log_mutex_;
  std::unique_ptr<storage::WriteAheadLog> batch_log_;  // guarded by batch_log_mutex_
  // Per stateful stream: the chain the next checkpoint extends, and the bytes it holds.
  std::vector<StreamState> chains_;
  std::vector<uint64_t> snapshot_bytes_;
  std::vector<uint64_t> delta_bytes_;
  // The thread writing the last checkpoint; what it threw, read once it is joined.
  std::thread writer_;
  std::atomic<bool> writing_{false};
  std::exception_ptr write_failure_;
};

/// Bytes of `JobCheckpoint` / `LoggedBatch` and back (the formats of src/dstream/README.md).
/// Decoding throws `caudal::Error` naming the offset of what it cannot read.
std::string encodeCheckpoint(const JobCheckpoint& checkpoint);
JobCheckpoint decodeCheckpoint(std::span<const std::byte> bytes);
std::string encodeLoggedBatch(const LoggedBatch& batch);
LoggedBatch decodeLoggedBatch(std::span<const std::byte> bytes);

}  // namespace caudal::detail
