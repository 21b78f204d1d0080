// What a context records of each batch it ran.
#pragma once

#include <cstdint>
#include <string>

#include "caudal/duration.h"

namespace caudal {

/// One batch as the context ran it: when it was due, when it started and ended, and what it
/// read. Times are wall-clock milliseconds since the epoch, except `batchTime`, which is the
/// batch's logical time (a manual clock's time under `runBatches`).
struct BatchInfo {
  // Field names are those of Spark's BatchInfo, which monitoring code already knows.
  // NOLINTBEGIN(readability-identifier-naming)
  /// The batch's time: zero time + k * batch duration.
  Time batchTime;
  /// When the batch was generated and queued for processing.
  Time submissionTime;
  /// When its first job started.
  Time processingStartTime;
  /// When its last job ended (or it failed).
  Time processingEndTime;
  /// Records its input streams delivered, where a source knows the count when the batch is
  /// generated (receivers, in-memory queues); sources that only learn it while reading (files)
  /// add nothing.
  int64_t numRecords = 0;
  /// True if a job of the batch threw; `failureReason` then says why.
  bool failed = false;
  /// The failure's message (empty when the batch succeeded).
  std::string failureReason;
  // NOLINTEND(readability-identifier-naming)

  /// How long the batch waited in the queue behind earlier batches.
  Duration schedulingDelay() const { return processingStartTime - submissionTime; }
  /// How long its jobs ran.
  Duration processingDelay() const { return processingEndTime - processingStartTime; }
  /// Scheduling delay plus processing delay.
  Duration totalDelay() const { return processingEndTime - submissionTime; }
};

}  // namespace caudal
