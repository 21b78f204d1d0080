// What a streaming query reads: a table whose rows arrive over time, read micro-batch by
// micro-batch between offsets (Structured Streaming's Source: latestOffset, then read a range).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

/// A position in a source's input: what "everything up to here" means is the source's own
/// (files listed, rows generated, lines received), one number per partition. Written to the
/// offset log by the engine, so it must be enough to read the same range again.
struct SourceOffset {
  std::vector<int64_t> positions;
  bool operator==(const SourceOffset& other) const = default;
};

/// Receives the chunks a read produces. Returning an error stops the read.
using ChunkConsumer = std::function<Status(DataChunk& chunk)>;

/// Counters a source keeps; read by the engine for progress reports.
struct SourceMetrics {
  std::atomic<int64_t> rows_read{0};
  /// Malformed records skipped (DROPMALFORMED / ignore-parse-errors).
  std::atomic<int64_t> rows_dropped{0};
};

/// A source of rows for one table of a query. The engine calls `latestOffset` once per
/// micro-batch from its driver thread, then `read` for each task of the range, concurrently
/// from worker threads.
class TableSource {
 public:
  virtual ~TableSource() = default;

  /// The columns every chunk has, in order.
  virtual const Schema& schema() const = 0;
  /// True for a table that ends (a single file, a bounded generator): the query sees it all,
  /// then `latestOffset` stops advancing and `finished()` becomes true.
  virtual bool bounded() const = 0;
  /// The columns the query reads, as paths of field indices (`{c}` for column c, `{c, f}` for
  /// field f of ROW column c). Chunks keep every column of `schema()` in place, but a source
  /// may leave the others out (as constant NULL vectors) to save work. Called at most once,
  /// before the first read; without a call every column is read.
  virtual void requireColumns(const std::vector<std::vector<size_t>>& paths) { (void)paths; }
  /// The offset before any input.
  virtual SourceOffset initialOffset() const = 0;
  /// The end of what is available now (equal to the previous end when nothing new arrived).
  /// Does not block for long (at most a directory listing).
  virtual Result<SourceOffset> latestOffset() = 0;
  /// True once a bounded source's whole input lies before the last offset returned.
  virtual bool finished() const { return false; }
  /// The number of independent read tasks for the range [start, end).
  virtual size_t taskCount(const SourceOffset& start, const SourceOffset& end) const = 0;
  /// Reads task `task` of [start, end), handing chunks of at most `kVectorSize` rows to `emit`.
  /// Thread-safe across different tasks. Errors name the place (file and line, offset).
  virtual Status read(const SourceOffset& start, const SourceOffset& end, size_t task,
                      const ChunkConsumer& emit) = 0;
  /// Input before `end` will never be read again (its batch is committed): it may be released.
  virtual void commit(const SourceOffset& end) { (void)end; }
  /// Stops background activity (socket readers, watchers). Called once, at query end.
  virtual void stop() {}

  SourceMetrics& metrics() { return metrics_; }

 private:
  SourceMetrics metrics_;
};

}  // namespace caudal::sql
