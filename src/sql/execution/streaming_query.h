// The driver of one continuous query: triggers micro-batches, moves source offsets, turns the
// plan's changelog into what the output mode asks for, and writes it to the sink.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "sql/connector/table_sink.h"
#include "sql/execution/physical_node.h"
#include "sql/execution/query_executor.h"
#include "sql/execution/row_set.h"
#include "sql/planner/logical_plan.h"

namespace caudal::sql {

/// When batches start (Structured Streaming's triggers).
struct Trigger {
  enum class Kind : uint8_t {
    kProcessingTime,  // every `interval` (0: as fast as possible)
    kOnce,            // one batch of everything available, then stop
    kAvailableNow,    // batches until everything available at start is processed, then stop
  };
  Kind kind = Kind::kProcessingTime;
  std::chrono::milliseconds interval{0};

  /// Parses `'1s'`, `'500 ms'`, `'0'`, `'once'`, `'available-now'`; errors name the text.
  static Result<Trigger> parse(std::string_view text);
};

/// What one batch did, as `lastProgress()` reports it.
struct QueryProgress {
  int64_t batch_id = -1;
  int64_t input_rows = 0;
  int64_t output_rows = 0;
  int64_t dropped_rows_total = 0;
  double duration_ms = 0;
  double input_rows_per_second = 0;
  /// Each stateful operator's state after the batch.
  std::vector<StateOperatorProgress> state_operators;
  /// One line of JSON with the fields above, as Spark's progress reports look.
  std::string toJson() const;
};

/// One running query. `start` runs batches on a thread of its own; `runBatch` runs one on the
/// caller (tests, the shell's bounded SELECT).
class StreamingQuery {
 public:
  /// `plan` is owned by the query. `sink` receives the output; `mode` must be valid for the plan
  /// (`validate` says why not).
  static Result<std::unique_ptr<StreamingQuery>> create(
      std::string name, LogicalPlan plan, std::vector<size_t> upsert_key, std::unique_ptr<TableSink> sink,
      OutputMode mode, Trigger trigger, ThreadPool* pool,
      const std::function<Result<std::unique_ptr<TableSource>>(const LogicalNode&)>& make_source);
  ~StreamingQuery();

  const std::string& name() const { return name_; }
  const Schema& schema() const;
  OutputMode outputMode() const { return mode_; }
  /// True when every source of the query is bounded: it ends once they are read.
  bool bounded() const { return bounded_; }

  /// Runs one micro-batch on the calling thread. Returns false when the query has ended (all
  /// sources bounded and read).
  Result<bool> runBatch();

  /// Starts the batch loop on a thread. Thread-safe with `stop` and `awaitTermination`.
  void start();
  /// Asks the loop to stop after the batch in progress and waits for it.
  void stop();
  /// Blocks until the query ends (bounded input read, trigger once done, stop, or failure);
  /// rethrows a failure as `caudal::Error`. With a timeout, returns false if still running.
  bool awaitTermination(std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  bool isActive() const { return active_.load(); }
  /// The failure that ended the query, or empty.
  std::string failure() const;
  QueryProgress lastProgress() const;

 private:
  StreamingQuery() = default;
  void loop();
  Result<std::vector<DataChunk>> shapeOutput(std::vector<DataChunk> changelog, bool finished);
  Result<std::vector<DataChunk>> finalResult();

  std::string name_;
  LogicalPlan plan_;
  std::vector<size_t> upsert_key_;
  std::unique_ptr<TableSink> sink_;
  OutputMode mode_ = OutputMode::kAppend;
  Trigger trigger_;
  std::unique_ptr<QueryExecutor> executor_;
  int64_t next_batch_id_ = 0;
  bool bounded_ = false;
  std::optional<std::vector<SourceOffset>> available_now_target_;

  // The final stage: a Sort (with projections above it) applies to the materialized result.
  const LogicalNode* sort_ = nullptr;
  std::vector<const LogicalNode*> above_sort_;  // innermost first
  bool materialize_ = false;
  // Update mode: whether a key's changes must be resolved row by row (a filter above the
  // aggregation may drop a new image and leave its old one alone).
  bool resolve_upserts_ = false;
  RowMultiset result_;
  RowMultiset last_emitted_;  // update mode with ORDER BY / LIMIT: what the sink holds

  std::thread thread_;
  std::atomic<bool> active_{false};
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex mutex_;
  std::condition_variable ended_;
  bool ended_flag_ = false;
  std::string failure_;
  QueryProgress progress_;
};

}  // namespace caudal::sql
