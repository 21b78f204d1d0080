// Settings of a StreamingContext.
#pragma once

#include "caudal/duration.h"

namespace caudal {

/// Settings of a `StreamingContext`, fixed when the context is created.
struct Config {
  // Field names are Spark's setting names (spark.streaming.blockInterval, …).
  // NOLINTBEGIN(readability-identifier-naming)
  /// Threads that run the tasks of a batch (one task per partition). 0: one per core.
  int numWorkerThreads = 0;
  /// How often a receiver cuts what it received into a block; each block becomes one partition
  /// of the batch that takes it. Must be positive.
  Duration blockInterval = Milliseconds(200);
  /// Partitions of a shuffle's output when an operation is not given a number
  /// (`reduceByKey`, `join`, …). 0: the number of worker threads.
  int defaultParallelism = 0;
  /// How many completed batches `StreamingContext::completedBatches()` keeps (the oldest go first).
  int retainedBatches = 1000;
  /// With a checkpoint directory set (`StreamingContext::checkpoint`), receivers
  /// (`socketTextStream`, `receiverStream`) write every block they receive to a write-ahead
  /// log in that directory before it is acknowledged or handed to a batch, and the blocks of
  /// batches a crash interrupted are read back from it after a restart: nothing they received
  /// is lost. Without it, what a receiver held when the process died is lost, as in Spark.
  bool receiverWriteAheadLog = false;
  // NOLINTEND(readability-identifier-naming)
};

}  // namespace caudal
