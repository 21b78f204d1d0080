#include "sql/connector/blackhole_sink.h"

namespace caudal::sql {

Status BlackholeSink::open(const SinkContext& context) {
  (void)context;
  return Status::ok();
}

Status BlackholeSink::writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) {
  (void)batch_id;
  int64_t rows = 0;
  for (const DataChunk& chunk : chunks) rows += chunk.count();
  rows_.fetch_add(rows, std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  return Status::ok();
}

}  // namespace caudal::sql
