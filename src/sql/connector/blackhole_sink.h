// The `blackhole` sink: swallows every row (Flink's blackhole connector), for benchmarks.
#pragma once

#include <atomic>
#include <cstdint>

#include "sql/connector/table_sink.h"

namespace caudal::sql {

/// Discards what it is given, counting the rows and batches. The counters may be read from
/// any thread.
class BlackholeSink final : public TableSink {
 public:
  Status open(const SinkContext& context) override;
  Status writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) override;

  /// Rows given so far (all kinds).
  int64_t rowsWritten() const { return rows_.load(std::memory_order_relaxed); }
  /// Batches given so far.
  int64_t batchesWritten() const { return batches_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> rows_{0};
  std::atomic<int64_t> batches_{0};
};

}  // namespace caudal::sql
