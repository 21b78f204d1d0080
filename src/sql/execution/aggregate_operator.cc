// The streaming aggregation operator (GROUP BY): hash aggregation whose groups live across
// micro-batches in a `GroupStateStore`. Each batch folds its input changelog into the groups'
// states and emits, for every group it touched, the change of the group's row: +I for a new
// group, -U/+U for an updated one, -D for a group whose rows were all retracted.
//
// The input is consumed as it is produced: over a scan, each read task evaluates the keys and
// arguments of its chunk, hashes and splits the rows by partition, and folds each slice into
// its partition's table under that partition's lock, while the chunk is still in cache. No
// batch is materialized. The partitions then emit their changes in parallel.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <span>

#include "sql/execution/group_state_store.h"
#include "sql/execution/physical_node.h"
#include "sql/execution/row_set.h"
#include "sql/expression/expression_evaluator.h"

namespace caudal::sql {

namespace {

constexpr uint32_t kRowCountSize = 8;  // each group's payload starts with its row count

uint32_t alignUp(uint32_t size) { return (size + 7) & ~7u; }

int64_t rowCount(const uint8_t* payload) {
  int64_t count;
  std::memcpy(&count, payload, sizeof count);
  return count;
}

// One input chunk with its keys and aggregate arguments evaluated, its rows' hashes, and (with
// several partitions) its rows split by partition.
struct PreparedChunk {
  const DataChunk* chunk = nullptr;
  Rows rows;
  std::vector<Vector> keys;
  std::vector<std::vector<Vector>> arguments;  // per aggregate
  std::vector<uint64_t> hashes;                // aligned with rows
  std::vector<int8_t> signs;                   // aligned with rows; empty: all insertions
  // Several partitions only: each partition's chunk positions, hashes and signs.
  std::vector<std::vector<uint32_t>> positions;
  std::vector<std::vector<uint64_t>> partition_hashes;
  std::vector<std::vector<int8_t>> partition_signs;
};

class AggregateNode : public PhysicalNode {
 public:
  AggregateNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input, size_t partitions,
                bool emit_update_before)
      : node_(node), input_(std::move(input)) {
    uint32_t offset = kRowCountSize;
    for (const AggregateCall& call : node.aggregates) {
      offsets_.push_back(offset);
      offset += alignUp(call.function->state_size);
    }
    payload_size_ = offset;
    std::vector<DataType> key_types;
    for (const auto& group : node.groups) key_types.push_back(group->type);
    // Old images are needed for -U (unless what consumes the output replaces rows by key) and
    // for -D, which only input with retractions can cause.
    before_images_ = emit_update_before || !node.inputs[0]->appendOnly();
    store_ = std::make_unique<GroupStateStore>(
        "aggregate", std::move(key_types), payload_size_, partitions, [this](uint8_t* payload) { initialize(payload); },
        [this](uint8_t* payload) { destroy(payload); });
    partitions_ = std::make_unique<Partition[]>(store_->numPartitions());
  }

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    std::atomic<size_t> next_partition{0};
    if (store_->global()) return runGlobal(context);
    CAUDAL_RETURN_IF_ERROR(input_->produce(context, [&](DataChunk& chunk) { return consume(chunk, next_partition); }));
    const size_t partition_count = store_->numPartitions();
    std::vector<std::vector<DataChunk>> outputs(partition_count);
    CAUDAL_RETURN_IF_ERROR(
        runParallel(context.pool, partition_count, [&](size_t p) -> Status { return emit(p, outputs[p]); }));
    std::vector<DataChunk> all;
    rows_updated_ = 0;
    for (size_t p = 0; p < partition_count; ++p) {
      for (DataChunk& chunk : outputs[p]) all.push_back(std::move(chunk));
      rows_updated_ += partitions_[p].updated;
    }
    store_->setVersion(batches_++);
    return all;
  }

  bool finished() const override { return input_->finished(); }

  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    input_->collectStateProgress(out);
    StateOperatorProgress progress;
    progress.operator_name = store_->name();
    progress.rows_total = static_cast<int64_t>(store_->numKeys());
    progress.rows_updated = rows_updated_;
    progress.memory_used_bytes = static_cast<int64_t>(store_->memoryUsage());
    out.push_back(std::move(progress));
  }

 private:
  // What a partition tracks within a batch, and its scratch space. Guarded by `mutex` while
  // the input is consumed; each partition's emit runs on one task.
  struct Partition {
    std::mutex mutex;
    // Groups touched in the current batch, and whether each existed before it.
    std::vector<uint32_t> touched;
    std::vector<uint8_t> touched_flag;  // by group id
    std::vector<uint8_t> fresh_flag;    // by group id: created in this batch
    // Old images of groups that existed before this batch, in the order first touched.
    DataChunk before;
    std::vector<uint32_t> before_ids;
    int64_t updated = 0;  // groups the last batch touched
    // Reused from chunk to chunk.
    std::vector<uint32_t> ids;
    std::vector<uint32_t> created;
    std::vector<uint32_t> first_touch;
    std::vector<uint8_t*> payloads;
    std::vector<uint8_t*> states;
  };

  void initialize(uint8_t* payload) {
    std::memset(payload, 0, kRowCountSize);
    for (size_t a = 0; a < node_.aggregates.size(); ++a) node_.aggregates[a].function->initialize(payload + offsets_[a]);
  }

  void destroy(uint8_t* payload) {
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      const auto& destroy_state = node_.aggregates[a].function->destroy;
      if (destroy_state) destroy_state(payload + offsets_[a]);
    }
  }

  std::vector<DataType> outputTypes() const { return node_.schema.types(); }

  // Evaluates the chunk's keys and arguments; with keys, hashes them and (with several
  // partitions) splits the rows by partition.
  Status prepare(const DataChunk& chunk, PreparedChunk& prepared) {
    prepared.chunk = &chunk;
    prepared.rows = chunk.rows();
    const Rows rows = prepared.rows;
    prepared.keys.resize(node_.groups.size());
    for (size_t g = 0; g < node_.groups.size(); ++g) {
      CAUDAL_RETURN_IF_ERROR(evaluateExpression(*node_.groups[g], chunk, rows, prepared.keys[g]));
    }
    prepared.arguments.resize(node_.aggregates.size());
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      const AggregateCall& call = node_.aggregates[a];
      prepared.arguments[a].resize(call.arguments.size());
      for (size_t i = 0; i < call.arguments.size(); ++i) {
        CAUDAL_RETURN_IF_ERROR(evaluateExpression(*call.arguments[i], chunk, rows, prepared.arguments[a][i]));
      }
    }
    prepared.signs.clear();
    if (chunk.hasKinds()) {
      prepared.signs.resize(rows.count);
      for (uint32_t i = 0; i < rows.count; ++i) prepared.signs[i] = isAccumulate(chunk.kindAt(rows[i])) ? 1 : -1;
    }
    if (store_->global()) return Status::ok();
    prepared.hashes.resize(rows.count);
    hashColumns(prepared.keys, rows, prepared.hashes.data());
    const size_t partition_count = store_->numPartitions();
    if (partition_count == 1) return Status::ok();
    prepared.positions.assign(partition_count, {});
    prepared.partition_hashes.assign(partition_count, {});
    prepared.partition_signs.assign(partition_count, {});
    for (uint32_t i = 0; i < rows.count; ++i) {
      const size_t p = store_->partitionOf(prepared.hashes[i]);
      prepared.positions[p].push_back(rows[i]);
      prepared.partition_hashes[p].push_back(prepared.hashes[i]);
      if (!prepared.signs.empty()) prepared.partition_signs[p].push_back(prepared.signs[i]);
    }
    return Status::ok();
  }

  // Folds one input chunk into the partitions' tables; called by the input's tasks at once.
  // Each task starts at another partition, so that tasks seldom wait on one another's locks.
  Status consume(const DataChunk& chunk, std::atomic<size_t>& next_partition) {
    PreparedChunk prepared;
    CAUDAL_RETURN_IF_ERROR(prepare(chunk, prepared));
    const size_t partition_count = store_->numPartitions();
    if (partition_count == 1) {
      std::lock_guard<std::mutex> lock(partitions_[0].mutex);
      return update(0, prepared, prepared.rows, prepared.hashes.data(), prepared.signs);
    }
    const size_t first = next_partition.fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < partition_count; ++i) {
      const size_t p = (first + i) % partition_count;
      const std::vector<uint32_t>& positions = prepared.positions[p];
      if (positions.empty()) continue;
      std::lock_guard<std::mutex> lock(partitions_[p].mutex);
      CAUDAL_RETURN_IF_ERROR(update(p, prepared, Rows{positions.data(), static_cast<uint32_t>(positions.size())},
                                    prepared.partition_hashes[p].data(), prepared.partition_signs[p]));
    }
    return Status::ok();
  }

  // Adds each row's sign (or 1) to its group's row count, then folds the rows into every
  // aggregate's state. `payloads[i]` is row i's group payload.
  Status foldRows(const PreparedChunk& prepared, Rows rows, uint8_t* const* payloads, const std::vector<int8_t>& signs,
                  std::vector<uint8_t*>& states) {
    const int8_t* sign_data = signs.empty() ? nullptr : signs.data();
    for (uint32_t i = 0; i < rows.count; ++i) {
      int64_t count = rowCount(payloads[i]) + (sign_data == nullptr ? 1 : sign_data[i]);
      std::memcpy(payloads[i], &count, sizeof count);
    }
    states.resize(rows.count);
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      const AggregateCall& call = node_.aggregates[a];
      for (uint32_t i = 0; i < rows.count; ++i) states[i] = payloads[i] + offsets_[a];
      if (call.filter == nullptr) {
        CAUDAL_RETURN_IF_ERROR(call.function->update(prepared.arguments[a], rows, states.data(), sign_data));
        continue;
      }
      // FILTER (WHERE ...): only the rows passing it, with their states and signs.
      std::vector<uint32_t> selected(rows.count);
      CAUDAL_ASSIGN_OR_RETURN(uint32_t count, selectRows(*call.filter, *prepared.chunk, rows, selected.data()));
      std::vector<uint8_t*> kept_states;
      std::vector<int8_t> kept_signs;
      uint32_t j = 0;
      for (uint32_t i = 0; i < rows.count && j < count; ++i) {
        if (rows[i] != selected[j]) continue;
        kept_states.push_back(states[i]);
        if (sign_data != nullptr) kept_signs.push_back(sign_data[i]);
        ++j;
      }
      CAUDAL_RETURN_IF_ERROR(call.function->update(prepared.arguments[a], Rows{selected.data(), count},
                                                   kept_states.data(), kept_signs.empty() ? nullptr : kept_signs.data()));
    }
    return Status::ok();
  }

  // Old images (keys and current values) of `ids`, appended to the partition's `before`.
  void snapshot(size_t p, const std::vector<uint32_t>& ids) {
    if (ids.empty()) return;
    Partition& partition = partitions_[p];
    DataChunk images = finalizeGroups(p, ids);
    if (partition.before.columnCount() == 0) partition.before = DataChunk(outputTypes(), 0);
    partition.before.append(images);
    partition.before_ids.insert(partition.before_ids.end(), ids.begin(), ids.end());
  }

  // The output rows (keys, then aggregate values) of the given live groups of partition `p`.
  DataChunk finalizeGroups(size_t p, std::span<const uint32_t> ids) {
    const GroupHashTable& table = store_->partition(p);
    DataChunk chunk;
    std::vector<Vector> keys;
    table.gatherKeys(ids, keys);
    for (Vector& key : keys) chunk.columns().push_back(std::move(key));
    std::vector<const uint8_t*> states(ids.size());
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      for (size_t i = 0; i < ids.size(); ++i) states[i] = table.payload(ids[i]) + offsets_[a];
      Vector result(node_.aggregates[a].function->return_type, static_cast<uint32_t>(std::max<size_t>(ids.size(), 1)));
      node_.aggregates[a].function->finalize(states.data(), static_cast<uint32_t>(ids.size()), result);
      chunk.columns().push_back(std::move(result));
    }
    chunk.setSize(static_cast<uint32_t>(ids.size()));
    return chunk;
  }

  // Folds `rows` of the prepared chunk (hashes and signs aligned with them) into partition `p`.
  Status update(size_t p, const PreparedChunk& prepared, Rows rows, const uint64_t* hashes,
                const std::vector<int8_t>& signs) {
    Partition& partition = partitions_[p];
    GroupHashTable& table = store_->partition(p);
    partition.ids.resize(rows.count);
    partition.created.clear();
    table.findOrInsert(prepared.keys, rows, hashes, partition.ids.data(), &partition.created);
    const uint32_t limit = table.groupIdLimit();
    if (partition.touched_flag.size() < limit) {
      partition.touched_flag.resize(std::max<size_t>(limit, partition.touched_flag.size() * 2), 0);
      partition.fresh_flag.resize(partition.touched_flag.size(), 0);
    }
    for (uint32_t id : partition.created) {
      partition.fresh_flag[id] = 1;
      partition.touched_flag[id] = 1;
      partition.touched.push_back(id);
    }
    partition.first_touch.clear();
    for (uint32_t id : partition.ids) {
      if (partition.touched_flag[id] != 0) continue;
      partition.touched_flag[id] = 1;
      partition.touched.push_back(id);
      if (before_images_) partition.first_touch.push_back(id);
    }
    snapshot(p, partition.first_touch);
    partition.payloads.resize(rows.count);
    for (uint32_t i = 0; i < rows.count; ++i) partition.payloads[i] = table.payload(partition.ids[i]);
    return foldRows(prepared, rows, partition.payloads.data(), signs, partition.states);
  }

  // Partition `p`'s changes for the batch; then forgets the batch and drops the groups whose
  // rows were all retracted.
  Status emit(size_t p, std::vector<DataChunk>& out) {
    Partition& partition = partitions_[p];
    GroupHashTable& table = store_->partition(p);
    partition.updated = static_cast<int64_t>(partition.touched.size());
    if (partition.touched.empty()) return Status::ok();
    std::vector<uint32_t> alive;
    std::vector<RowKind> alive_kinds;
    for (uint32_t id : partition.touched) {
      if (rowCount(table.payload(id)) > 0) {
        alive.push_back(id);
        alive_kinds.push_back(partition.fresh_flag[id] ? RowKind::kInsert : RowKind::kUpdateAfter);
      }
    }
    if (!partition.before_ids.empty()) {
      DataChunk before = std::move(partition.before);
      std::vector<uint8_t>& kinds = before.mutableKinds();
      for (size_t i = 0; i < partition.before_ids.size(); ++i) {
        const bool alive_now = rowCount(table.payload(partition.before_ids[i])) > 0;
        kinds[i] = static_cast<uint8_t>(alive_now ? RowKind::kUpdateBefore : RowKind::kDelete);
      }
      out.push_back(std::move(before));
    }
    // New images in vector-sized chunks, so that what consumes them works in cache.
    for (size_t begin = 0; begin < alive.size(); begin += kVectorSize) {
      const size_t end = std::min<size_t>(alive.size(), begin + kVectorSize);
      DataChunk after = finalizeGroups(p, std::span<const uint32_t>(alive.data() + begin, end - begin));
      std::vector<uint8_t>& kinds = after.mutableKinds();
      for (size_t i = begin; i < end; ++i) kinds[i - begin] = static_cast<uint8_t>(alive_kinds[i]);
      out.push_back(std::move(after));
    }
    for (uint32_t id : partition.touched) {
      partition.touched_flag[id] = 0;
      partition.fresh_flag[id] = 0;
      if (rowCount(table.payload(id)) <= 0) store_->erase(p, id);
    }
    partition.touched.clear();
    partition.before = DataChunk();
    partition.before_ids.clear();
    return Status::ok();
  }

  // No GROUP BY: one group, whose row always exists (COUNT(*) of nothing is 0), shown from the
  // first batch on. Chunks are prepared by the input's tasks and folded one at a time.
  Result<std::vector<DataChunk>> runGlobal(BatchContext& context) {
    std::vector<Row> before;
    if (emitted_) before.push_back(globalRow());
    std::mutex mutex;
    bool changed = !emitted_;
    CAUDAL_RETURN_IF_ERROR(input_->produce(context, [&](DataChunk& chunk) -> Status {
      PreparedChunk prepared;
      CAUDAL_RETURN_IF_ERROR(prepare(chunk, prepared));
      if (prepared.rows.count == 0) return Status::ok();
      std::vector<uint8_t*> payloads(prepared.rows.count, store_->globalPayload());
      std::vector<uint8_t*> states;
      std::lock_guard<std::mutex> lock(mutex);
      changed = true;
      return foldRows(prepared, prepared.rows, payloads.data(), prepared.signs, states);
    }));
    std::vector<std::pair<Row, RowKind>> output;
    rows_updated_ = changed ? 1 : 0;
    if (changed) {
      if (emitted_) output.emplace_back(before[0], RowKind::kUpdateBefore);
      output.emplace_back(globalRow(), emitted_ ? RowKind::kUpdateAfter : RowKind::kInsert);
      emitted_ = true;
    }
    store_->setVersion(batches_++);
    return rowsToChunks(outputTypes(), output);
  }

  Row globalRow() {
    Row row;
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      const uint8_t* state = store_->globalPayload() + offsets_[a];
      Vector result(node_.aggregates[a].function->return_type, 1);
      node_.aggregates[a].function->finalize(&state, 1, result);
      row.push_back(result.getValue(0));
    }
    return row;
  }

  const LogicalNode& node_;
  std::unique_ptr<PhysicalNode> input_;
  std::vector<uint32_t> offsets_;
  uint32_t payload_size_ = 0;
  bool before_images_ = true;
  std::unique_ptr<GroupStateStore> store_;
  std::unique_ptr<Partition[]> partitions_;  // one per store partition
  bool emitted_ = false;                     // the global row has been shown
  int64_t batches_ = 0;
  int64_t rows_updated_ = 0;  // groups the last batch touched
};

}  // namespace

Result<std::unique_ptr<PhysicalNode>> makeAggregateNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input,
                                                        size_t partitions, bool emit_update_before) {
  return std::unique_ptr<PhysicalNode>(
      new AggregateNode(node, std::move(input), std::max<size_t>(partitions, 1), emit_update_before));
}

}  // namespace caudal::sql
