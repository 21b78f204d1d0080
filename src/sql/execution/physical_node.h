// The physical operators of a running query and what they share.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/planner/logical_plan.h"
#include "sql/vector/data_chunk.h"

namespace caudal {
class ThreadPool;
}

namespace caudal::sql {

struct SourceSlot;
struct SourceOffset;

/// What one micro-batch gives every operator.
struct BatchContext {
  /// Where each source's input for this batch ends (its start is the slot's `committed`).
  const std::vector<SourceOffset>* ends = nullptr;
  std::vector<SourceSlot>* sources = nullptr;
  /// Workers for parallel work; null runs everything on the calling thread.
  ThreadPool* pool = nullptr;
};

/// What one stateful operator holds after a batch, as Structured Streaming's progress reports
/// it (`stateOperators`).
struct StateOperatorProgress {
  /// The operator's kind: "aggregate", "join".
  std::string operator_name;
  /// Entries held (groups; stored rows).
  int64_t rows_total = 0;
  /// Entries created or changed by the last batch.
  int64_t rows_updated = 0;
  /// Bytes the state holds, as far as the operator can tell.
  int64_t memory_used_bytes = 0;
};

/// Takes chunks of an operator's output as they are made; see `PhysicalNode::produce`.
using ChunkStream = std::function<Status(DataChunk& chunk)>;

/// A physical operator: produces its output changelog for one micro-batch, pulling its
/// inputs' outputs first. Stateful operators keep state across batches.
class PhysicalNode {
 public:
  virtual ~PhysicalNode() = default;
  /// The batch's output, all of it.
  virtual Result<std::vector<DataChunk>> run(BatchContext& context) = 0;
  /// The batch's output handed to `consume` a chunk at a time, so that a consumer can fold
  /// each chunk while it is still in cache instead of holding the whole batch. A scan calls
  /// `consume` from its read tasks, several at once: `consume` must be thread-safe, and order
  /// holds only within one task's chunks. The default runs `run` and hands its chunks over in
  /// order on the calling thread. The first error stops the batch.
  virtual Status produce(BatchContext& context, const ChunkStream& consume);
  /// True once the node will never produce output again: everything below it is bounded and
  /// has been read to its end (checked after `run`).
  virtual bool finished() const = 0;
  /// Appends the state of this node and of the nodes below it, inputs first.
  virtual void collectStateProgress(std::vector<StateOperatorProgress>& out) const = 0;
};

/// Runs `task(i)` for i below `count` on the pool (or inline), returning the first error.
Status runParallel(ThreadPool* pool, size_t count, const std::function<Status(size_t)>& task);

/// Applies a chain of stateless operators (Filter, Project; innermost first) to `chunk` in
/// place. A filter narrows the selection; a projection replaces the columns.
Status applyStatelessChain(const std::vector<const LogicalNode*>& chain, DataChunk& chunk);

/// The aggregation operator (GROUP BY), over its input's changelog, its groups split by key
/// hash into `partitions` independently updated hash tables. Without `emit_update_before` the
/// output leaves out old images (-U) where the input cannot retract, for a consumer that
/// replaces rows by the group key (an upsert sink).
Result<std::unique_ptr<PhysicalNode>> makeAggregateNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input,
                                                        size_t partitions, bool emit_update_before);
/// The Window operator of ranking functions (ROW_NUMBER, RANK, DENSE_RANK), keeping each
/// partition's rows in order as state (only those within the rank limit when the input never
/// retracts).
std::unique_ptr<PhysicalNode> makeWindowNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input);
/// The join operator, keeping both inputs' rows as state.
Result<std::unique_ptr<PhysicalNode>> makeJoinNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> left,
                                                   std::unique_ptr<PhysicalNode> right);

}  // namespace caudal::sql
