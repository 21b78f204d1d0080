// The engine behind a StreamingContext: graph, batch clock, job queue, lifecycle.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caudal/batch_info.h"
#include "caudal/config.h"
#include "caudal/context_state.h"
#include "caudal/detail/execution_context.h"
#include "caudal/duration.h"

namespace caudal::detail {

class InputSource;
class OutputNode;

/// Owns what a `StreamingContext` runs. Graph definition happens on the user's thread before
/// the context starts; batch generation (timer thread) and graph clean-up (job thread) hold the
/// core's graph lock, so DStream nodes need no locks of their own.
class StreamingCore : public std::enable_shared_from_this<StreamingCore> {
 public:
  /// Throws `caudal::Error` for a non-positive batch duration or invalid config.
  static std::shared_ptr<StreamingCore> create(Duration batch_duration, const Config& config);
  ~StreamingCore();
  StreamingCore(const StreamingCore&) = delete;
  StreamingCore& operator=(const StreamingCore&) = delete;

  Duration batchDuration() const;
  const Config& config() const;
  const std::shared_ptr<ExecutionContext>& executionContext() const;

  /// Throws `caudal::Error` naming `operation` unless the graph can still be changed.
  void checkCanDefine(std::string_view operation) const;
  /// Registers a source; it is started with the context and asked for an RDD every batch.
  void addInput(std::shared_ptr<InputSource> input);
  /// Registers an output operation; it yields one job per batch.
  void addOutput(std::shared_ptr<OutputNode> output);
  /// Adds `n` to the records the batch being generated read (called by inputs while
  /// generating, with the graph lock held).
  void reportInputRecords(int64_t n);

  /// Sets the checkpoint directory (before start).
  void setCheckpointDirectory(std::string directory);
  /// The checkpoint directory, or empty.
  const std::string& checkpointDirectory() const;
  /// Restores the job from the newest readable checkpoint in the checkpoint directory, after
  /// the graph was rebuilt: false when there is no checkpoint. Throws `caudal::Error` when the
  /// graph differs from the checkpointed one or no checkpoint can be read.
  bool recover();

  void start();
  void runBatches(int n);
  void awaitTermination();
  bool awaitTerminationOrTimeout(Duration timeout);
  void stop(bool stop_gracefully);
  StreamingContextState state() const;
  std::vector<BatchInfo> completedBatches() const;

 private:
  struct Impl;
  explicit StreamingCore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caudal::detail
