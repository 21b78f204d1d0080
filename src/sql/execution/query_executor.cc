#include "sql/execution/query_executor.h"

#include <algorithm>
#include <mutex>

#include "runtime/thread_pool.h"
#include "sql/catalog/catalog.h"
#include "sql/execution/physical_node.h"
#include "sql/execution/row_set.h"
#include "sql/expression/expression_evaluator.h"

namespace caudal::sql {

Status runParallel(ThreadPool* pool, size_t count, const std::function<Status(size_t)>& task) {
  if (pool == nullptr || count <= 1 || ThreadPool::onWorkerThread()) {
    for (size_t i = 0; i < count; ++i) CAUDAL_RETURN_IF_ERROR(task(i));
    return Status::ok();
  }
  std::mutex mutex;
  std::string first_error;
  bool failed = false;
  pool->parallelFor(count, [&](size_t i) {
    Status status = task(i);
    if (!status.isOk()) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failed) {
        failed = true;
        first_error = status.message();
      }
    }
  });
  return failed ? Status::error(first_error) : Status::ok();
}

Status PhysicalNode::produce(BatchContext& context, const ChunkStream& consume) {
  CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, run(context));
  for (DataChunk& chunk : chunks) CAUDAL_RETURN_IF_ERROR(consume(chunk));
  return Status::ok();
}

Status applyStatelessChain(const std::vector<const LogicalNode*>& chain, DataChunk& chunk) {
  for (const LogicalNode* node : chain) {
    if (chunk.count() == 0) return Status::ok();
    if (node->kind == LogicalKind::kFilter) {
      const Rows rows = chunk.rows();
      auto selected = std::make_shared<std::vector<uint32_t>>(rows.count);
      CAUDAL_ASSIGN_OR_RETURN(uint32_t count, selectRows(*node->predicate, chunk, rows, selected->data()));
      if (count == rows.count) continue;
      selected->resize(count);
      chunk.setSelection(std::move(selected));
    } else {
      const Rows rows = chunk.rows();
      DataChunk projected;
      projected.columns().resize(node->expressions.size());
      for (size_t c = 0; c < node->expressions.size(); ++c) {
        CAUDAL_RETURN_IF_ERROR(evaluateExpression(*node->expressions[c], chunk, rows, projected.column(c)));
      }
      projected.setSize(chunk.size());
      if (chunk.hasSelection()) {
        auto positions = std::make_shared<std::vector<uint32_t>>(rows.sel, rows.sel + rows.count);
        projected.setSelection(std::move(positions));
      }
      projected.shareKindsOf(chunk);
      chunk = std::move(projected);
    }
  }
  return Status::ok();
}

namespace {

// A source read for this batch, with the stateless operators above it fused into each task.
class ScanNode : public PhysicalNode {
 public:
  ScanNode(size_t source_index, std::vector<const LogicalNode*> chain)
      : source_index_(source_index), chain_(std::move(chain)) {}

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    std::vector<std::vector<DataChunk>> outputs;
    CAUDAL_RETURN_IF_ERROR(read(context, [&](size_t tasks) { outputs.resize(tasks); },
                                [&](size_t task, DataChunk& chunk) -> Status {
                                  outputs[task].push_back(std::move(chunk));
                                  return Status::ok();
                                }));
    std::vector<DataChunk> all;
    for (auto& output : outputs) {
      for (DataChunk& chunk : output) all.push_back(std::move(chunk));
    }
    return all;
  }

  Status produce(BatchContext& context, const ChunkStream& consume) override {
    return read(context, [](size_t) {}, [&](size_t, DataChunk& chunk) { return consume(chunk); });
  }

  bool finished() const override { return finished_; }
  void collectStateProgress(std::vector<StateOperatorProgress>&) const override {}

 private:
  // Reads the batch's range in the source's tasks (on the pool), applying the chain to every
  // chunk; `start(tasks)` is called first, then `take(task, chunk)` for each non-empty chunk.
  Status read(BatchContext& context, const std::function<void(size_t tasks)>& start,
              const std::function<Status(size_t task, DataChunk& chunk)>& take) {
    SourceSlot& slot = (*context.sources)[source_index_];
    const SourceOffset& begin = slot.committed;
    const SourceOffset& end = (*context.ends)[source_index_];
    finished_ = slot.source->bounded() && slot.source->finished();
    if (begin == end) return Status::ok();
    const size_t tasks = slot.source->taskCount(begin, end);
    start(tasks);
    return runParallel(context.pool, tasks, [&](size_t task) -> Status {
      return slot.source->read(begin, end, task, [&](DataChunk& chunk) -> Status {
        slot.source->metrics().rows_read += chunk.count();
        CAUDAL_RETURN_IF_ERROR(applyStatelessChain(chain_, chunk));
        if (chunk.count() == 0) return Status::ok();
        return take(task, chunk);
      });
    });
  }

  size_t source_index_;
  std::vector<const LogicalNode*> chain_;
  bool finished_ = false;
};

// Stateless operators over the output of a stateful one.
class ChainNode : public PhysicalNode {
 public:
  ChainNode(std::unique_ptr<PhysicalNode> input, std::vector<const LogicalNode*> chain)
      : input_(std::move(input)), chain_(std::move(chain)) {}

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, input_->run(context));
    CAUDAL_RETURN_IF_ERROR(runParallel(context.pool, chunks.size(),
                                       [&](size_t i) { return applyStatelessChain(chain_, chunks[i]); }));
    std::vector<DataChunk> kept;
    for (DataChunk& chunk : chunks) {
      if (chunk.count() > 0) kept.push_back(std::move(chunk));
    }
    return kept;
  }

  bool finished() const override { return input_->finished(); }
  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    input_->collectStateProgress(out);
  }

 private:
  std::unique_ptr<PhysicalNode> input_;
  std::vector<const LogicalNode*> chain_;
};

// Literal rows: all of them in the first batch, none after.
class ValuesNode : public PhysicalNode {
 public:
  explicit ValuesNode(const LogicalNode& node) : node_(node) {}

  Result<std::vector<DataChunk>> run(BatchContext&) override {
    if (done_) return std::vector<DataChunk>{};
    done_ = true;
    std::vector<std::pair<Row, RowKind>> rows;
    for (const auto& row : node_.rows) rows.emplace_back(row, RowKind::kInsert);
    if (node_.schema.size() == 0) {
      // SELECT without FROM: one row of no columns.
      DataChunk chunk(std::vector<DataType>{}, 1);
      chunk.setSize(static_cast<uint32_t>(node_.rows.size()));
      std::vector<DataChunk> chunks;
      chunks.push_back(std::move(chunk));
      return chunks;
    }
    return rowsToChunks(node_.schema.types(), rows);
  }

  bool finished() const override { return done_; }
  void collectStateProgress(std::vector<StateOperatorProgress>&) const override {}

 private:
  const LogicalNode& node_;
  bool done_ = false;
};

class UnionNode : public PhysicalNode {
 public:
  explicit UnionNode(std::vector<std::unique_ptr<PhysicalNode>> inputs) : inputs_(std::move(inputs)) {}

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    std::vector<DataChunk> all;
    for (auto& input : inputs_) {
      CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, input->run(context));
      for (DataChunk& chunk : chunks) all.push_back(std::move(chunk));
    }
    return all;
  }

  Status produce(BatchContext& context, const ChunkStream& consume) override {
    for (auto& input : inputs_) CAUDAL_RETURN_IF_ERROR(input->produce(context, consume));
    return Status::ok();
  }

  bool finished() const override {
    return std::all_of(inputs_.begin(), inputs_.end(), [](const auto& input) { return input->finished(); });
  }
  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    for (const auto& input : inputs_) input->collectStateProgress(out);
  }

 private:
  std::vector<std::unique_ptr<PhysicalNode>> inputs_;
};

// A Sort passes its input on: ordering and LIMIT apply to the materialized result, which the
// query driver keeps.
class PassNode : public PhysicalNode {
 public:
  explicit PassNode(std::unique_ptr<PhysicalNode> input) : input_(std::move(input)) {}
  Result<std::vector<DataChunk>> run(BatchContext& context) override { return input_->run(context); }
  bool finished() const override { return input_->finished(); }
  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    input_->collectStateProgress(out);
  }

 private:
  std::unique_ptr<PhysicalNode> input_;
};

struct Planner {
  std::vector<SourceSlot>* sources;
  size_t partitions;
  const std::function<Result<std::unique_ptr<TableSource>>(const LogicalNode&)>* make_source;

  // `needs_update_before`: whether the consumer of `node`'s output needs old images (-U).
  Result<std::unique_ptr<PhysicalNode>> plan(const LogicalNode& node, bool needs_update_before = true) {
    // Collect the stateless operators above the next stateful one (or source).
    std::vector<const LogicalNode*> chain;
    const LogicalNode* breaker = &node;
    while (breaker->kind == LogicalKind::kFilter || breaker->kind == LogicalKind::kProject) {
      // A filter may drop a new image (+U), and then the old one is what tells the change.
      if (breaker->kind == LogicalKind::kFilter) needs_update_before = true;
      chain.push_back(breaker);
      breaker = breaker->inputs[0].get();
    }
    std::reverse(chain.begin(), chain.end());  // innermost first
    if (breaker->kind == LogicalKind::kScan) {
      CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<TableSource> source, (*make_source)(*breaker));
      SourceSlot slot;
      slot.table_name = breaker->table != nullptr ? breaker->table->name : "";
      slot.committed = source->initialOffset();
      slot.source = std::move(source);
      sources->push_back(std::move(slot));
      return std::unique_ptr<PhysicalNode>(new ScanNode(sources->size() - 1, std::move(chain)));
    }
    CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> physical, planBreaker(*breaker, needs_update_before));
    if (chain.empty()) return physical;
    return std::unique_ptr<PhysicalNode>(new ChainNode(std::move(physical), std::move(chain)));
  }

  Result<std::unique_ptr<PhysicalNode>> planBreaker(const LogicalNode& node, bool needs_update_before) {
    switch (node.kind) {
      case LogicalKind::kValues: return std::unique_ptr<PhysicalNode>(new ValuesNode(node));
      case LogicalKind::kUnion: {
        std::vector<std::unique_ptr<PhysicalNode>> inputs;
        for (const auto& input : node.inputs) {
          CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> physical, plan(*input));
          inputs.push_back(std::move(physical));
        }
        return std::unique_ptr<PhysicalNode>(new UnionNode(std::move(inputs)));
      }
      case LogicalKind::kAggregate: {
        CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> input, plan(*node.inputs[0]));
        return makeAggregateNode(node, std::move(input), partitions, needs_update_before);
      }
      case LogicalKind::kJoin: {
        CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> left, plan(*node.inputs[0]));
        CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> right, plan(*node.inputs[1]));
        return makeJoinNode(node, std::move(left), std::move(right));
      }
      case LogicalKind::kSort: {
        CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> input, plan(*node.inputs[0]));
        return std::unique_ptr<PhysicalNode>(new PassNode(std::move(input)));
      }
      case LogicalKind::kWindow: {
        CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<PhysicalNode> input, plan(*node.inputs[0]));
        return makeWindowNode(node, std::move(input));
      }
      default: return Status::error("internal error: unexpected operator in a physical plan");
    }
  }
};

}  // namespace

QueryExecutor::~QueryExecutor() = default;

Result<std::unique_ptr<QueryExecutor>> QueryExecutor::create(
    const LogicalNode& plan, ThreadPool* pool,
    const std::function<Result<std::unique_ptr<TableSource>>(const LogicalNode& scan)>& make_source,
    bool needs_update_before) {
  std::unique_ptr<QueryExecutor> executor(new QueryExecutor());
  executor->pool_ = pool;
  Planner planner{&executor->sources_, pool != nullptr ? static_cast<size_t>(pool->numThreads()) : 1, &make_source};
  CAUDAL_ASSIGN_OR_RETURN(executor->root_, planner.plan(plan, needs_update_before));
  return executor;
}

Result<std::vector<DataChunk>> QueryExecutor::runBatch(const std::vector<SourceOffset>& ends) {
  BatchContext context;
  context.ends = &ends;
  context.sources = &sources_;
  context.pool = pool_;
  return root_->run(context);
}

std::vector<StateOperatorProgress> QueryExecutor::stateProgress() const {
  std::vector<StateOperatorProgress> out;
  root_->collectStateProgress(out);
  return out;
}

bool QueryExecutor::allSourcesFinished() const {
  for (const SourceSlot& slot : sources_) {
    if (!slot.source->bounded() || !slot.source->finished()) return false;
  }
  return true;
}

int64_t QueryExecutor::rowsRead() const {
  int64_t total = 0;
  for (const SourceSlot& slot : sources_) total += slot.source->metrics().rows_read.load();
  return total;
}

int64_t QueryExecutor::rowsDropped() const {
  int64_t total = 0;
  for (const SourceSlot& slot : sources_) total += slot.source->metrics().rows_dropped.load();
  return total;
}

}  // namespace caudal::sql
