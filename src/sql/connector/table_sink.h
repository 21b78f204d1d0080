// Where a streaming query's result goes, batch by batch.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

/// Structured Streaming's output modes.
enum class OutputMode : uint8_t {
  kAppend,    // rows that will never change again, once each
  kUpdate,    // the rows that changed in this batch, as their new value (upserts by key)
  kComplete,  // the whole result, every batch
};

/// `append`, `update`, `complete`.
const char* outputModeName(OutputMode mode);
/// The mode named `text` (any case), or an error naming the text and the valid names.
Result<OutputMode> parseOutputMode(std::string_view text);

/// What a sink is told once, before the first batch.
struct SinkContext {
  /// The result's columns.
  Schema schema;
  OutputMode mode = OutputMode::kAppend;
  /// In update mode, the columns that identify a row (the GROUP BY keys): an upsert replaces
  /// the row with the same key. Empty when the result has no key.
  std::vector<size_t> key_columns;
};

/// A sink of one query's output. All calls come from the query's driver thread, in order.
class TableSink {
 public:
  virtual ~TableSink() = default;

  /// Called once before the first batch.
  virtual Status open(const SinkContext& context) = 0;
  /// Writes batch `batch_id`'s output. Append mode: new rows (+I). Update mode: the changed
  /// rows' new values (+U/+I) and, for rows gone, deletions (-D) carrying their key. Complete
  /// mode: the whole result (+I). After a failure the same `batch_id` may be written again with
  /// the same rows; a sink that can tell (files named by batch) writes it once.
  virtual Status writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) = 0;
  /// Flushes and releases; called once when the query stops.
  virtual Status close() { return Status::ok(); }
};

}  // namespace caudal::sql
