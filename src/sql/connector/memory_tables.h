// Named in-process tables: where the `memory` sink keeps a query's result and where tests feed
// the `memory` source's input, chunk by chunk.
#pragma once

#include <absl/base/thread_annotations.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/connector/table_sink.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

/// A registry of named tables, each with two independent parts:
/// - a result: rows written by a `memory` sink, batch by batch, as its output mode says
///   (append appends, complete replaces, update upserts by key and removes on -D);
/// - an input: chunks appended by a test, which a `memory` source reads as an unbounded stream
///   (its offset is the number of chunks appended).
/// Thread-safe: every method may be called from any thread; readers get copies.
class MemoryTables {
 public:
  MemoryTables() = default;
  MemoryTables(const MemoryTables&) = delete;
  MemoryTables& operator=(const MemoryTables&) = delete;

  // --- Results (the memory sink) ---

  /// Starts the result of table `name` for a query with these columns, mode and keys: its rows
  /// and batch count are cleared (a new query replaces an old result of the same name).
  void openResult(const std::string& name, const SinkContext& context);
  /// Applies the output of batch `batch_id` to the result of `name` (opened before): append
  /// mode appends the +I/+U rows; complete mode replaces every row by the batch's; update mode
  /// replaces the row with the same key (`SinkContext::key_columns`; without a key the rows are a
  /// multiset: +I/+U add a row, -U/-D remove one copy)
  /// by each +I/+U row, or adds it, and removes the row of each -D. A `batch_id` not above the
  /// last applied one is a replay and is ignored. Errors if `name` was not opened.
  Status applyBatch(const std::string& name, int64_t batch_id, std::span<const DataChunk> chunks);
  /// A copy of the result rows of `name` (in insertion order; upserted rows keep their place);
  /// empty when there is no such result.
  std::vector<std::vector<Value>> rows(const std::string& name) const;
  /// The result's columns, if `name` has a result.
  std::optional<Schema> resultSchema(const std::string& name) const;
  /// True when `name` has a result (opened by a sink).
  bool hasResult(const std::string& name) const;
  /// Batches applied to the result of `name` (replays not counted); 0 when none.
  int64_t batchCount(const std::string& name) const;
  /// Blocks until the result of `name` has at least `count` batches, or `timeout` passed;
  /// returns whether it has them.
  bool waitForBatches(const std::string& name, int64_t count,
                      std::chrono::milliseconds timeout) const;

  // --- Inputs (the memory source) ---

  /// Appends `chunk` (its rows in use, with their kinds) to the input of `name`, creating it.
  void appendInput(const std::string& name, const DataChunk& chunk);
  /// Appends rows (as +I) to the input of `name` as one chunk of the given types.
  void appendInputRows(const std::string& name, const std::vector<DataType>& types,
                       const std::vector<std::vector<Value>>& rows);
  /// Declares that no more input will come: a source reading `name` finishes after it.
  void endInput(const std::string& name);
  /// True when `name` has an input (something was appended, or it was ended).
  bool hasInput(const std::string& name) const;
  /// Chunks appended to the input of `name` so far.
  int64_t inputChunkCount(const std::string& name) const;
  /// True once `endInput(name)` was called.
  bool inputEnded(const std::string& name) const;
  /// Copies of the input chunks [begin, end) of `name` (fewer if there are fewer).
  std::vector<DataChunk> inputChunks(const std::string& name, int64_t begin, int64_t end) const;

 private:
  struct KeyLess {
    bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const;
  };
  struct Table {
    // Result.
    bool has_result = false;
    SinkContext context;
    std::vector<std::vector<Value>> rows;
    std::map<std::vector<Value>, size_t, KeyLess> row_of_key;  // update mode
    int64_t batches = 0;
    int64_t last_batch_id = -1;
    // Input.
    bool has_input = false;
    bool input_ended = false;
    std::vector<DataChunk> input;
  };

  std::vector<Value> keyOf(const Table& table, const std::vector<Value>& row) const;
  void upsert(Table& table, std::vector<Value> row);
  void remove(Table& table, const std::vector<Value>& row);

  mutable std::mutex mutex_;
  mutable std::condition_variable batch_applied_;
  std::map<std::string, Table> tables_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caudal::sql
