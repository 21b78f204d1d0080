// The lifecycle of a StreamingContext.
#pragma once

namespace caudal {

/// Where a `StreamingContext` is in its life, as Spark's `StreamingContextState`.
enum class StreamingContextState {
  /// Created; streams and outputs may be defined.
  kInitialized,
  /// Running batches (after `start()` or the first `runBatches`); the graph is fixed.
  kActive,
  /// Stopped by `stop()`, by a failed batch, or by destruction; cannot be restarted.
  kStopped,
};

}  // namespace caudal
