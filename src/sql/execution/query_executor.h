// Runs a logical plan incrementally: each micro-batch reads the new input of every source and
// pushes it through the operators, whose state (aggregations, joins) lives across batches.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/connector/table_source.h"
#include "sql/planner/logical_plan.h"
#include "sql/vector/data_chunk.h"

namespace caudal {
class ThreadPool;
}

namespace caudal::sql {

class PhysicalNode;
struct StateOperatorProgress;

/// One source of a running query: the table it reads and how far.
struct SourceSlot {
  std::string table_name;
  std::unique_ptr<TableSource> source;
  /// Everything before this offset has been processed by a completed batch.
  SourceOffset committed;
};

/// The physical side of one query. Owned and called by one driver thread; operators use the
/// pool for parallel work.
class QueryExecutor {
 public:
  /// Plans `plan` (which must outlive the executor), creating a source for every scan with
  /// `make_source(table, required_columns)`. `pool` may be null (everything on the caller).
  /// Without `needs_update_before`, the output may leave out old images (-U) that the caller
  /// would drop anyway (it replaces rows by the result's key).
  static Result<std::unique_ptr<QueryExecutor>> create(
      const LogicalNode& plan, ThreadPool* pool,
      const std::function<Result<std::unique_ptr<TableSource>>(const LogicalNode& scan)>& make_source,
      bool needs_update_before = true);
  ~QueryExecutor();

  std::vector<SourceSlot>& sources() { return sources_; }

  /// Runs one micro-batch: reads [committed, ends[i]) of every source i and returns the plan's
  /// output for it as a changelog. Stateful operators keep what they learned. On success the
  /// caller moves `committed` forward.
  Result<std::vector<DataChunk>> runBatch(const std::vector<SourceOffset>& ends);

  /// True when every source is bounded and has been read to its end.
  bool allSourcesFinished() const;

  /// What each stateful operator holds after the last batch, inputs before the operators
  /// above them.
  std::vector<StateOperatorProgress> stateProgress() const;

  /// Rows read and dropped so far over all sources.
  int64_t rowsRead() const;
  int64_t rowsDropped() const;

 private:
  QueryExecutor() = default;
  std::vector<SourceSlot> sources_;
  std::unique_ptr<PhysicalNode> root_;
  ThreadPool* pool_ = nullptr;
};

}  // namespace caudal::sql
