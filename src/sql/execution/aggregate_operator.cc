// The streaming aggregation operator (GROUP BY): hash aggregation whose groups live across
// micro-batches. Each batch folds its input changelog into the groups' states and emits, for
// every group it touched, the change of the group's row: +I for a new group, -U/+U for an
// updated one, -D for a group whose rows were all retracted.
//
// Work is split across the pool by key hash: every input chunk is hashed and its rows sorted
// into partitions; each partition has its own hash table and is updated by one worker.
#include <algorithm>
#include <cstring>

#include "runtime/thread_pool.h"
#include "sql/execution/group_hash_table.h"
#include "sql/execution/physical_node.h"
#include "sql/execution/row_set.h"
#include "sql/expression/expression_evaluator.h"

namespace caudal::sql {

namespace {

constexpr uint32_t kRowCountSize = 8;  // each group's payload starts with its row count

uint32_t alignUp(uint32_t size) { return (size + 7) & ~7u; }

// One input chunk with its keys and aggregate arguments evaluated.
struct PreparedChunk {
  const DataChunk* chunk = nullptr;
  std::vector<Vector> keys;
  std::vector<std::vector<Vector>> arguments;  // per aggregate
  std::vector<std::vector<uint32_t>> positions;  // per partition: chunk positions
  std::vector<std::vector<uint64_t>> hashes;     // per partition, aligned with positions
};

class AggregateNode : public PhysicalNode {
 public:
  AggregateNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input, size_t partitions)
      : node_(node), input_(std::move(input)) {
    uint32_t offset = kRowCountSize;
    for (const AggregateCall& call : node.aggregates) {
      offsets_.push_back(offset);
      offset += alignUp(call.function->state_size);
    }
    payload_size_ = offset;
    for (const auto& group : node.groups) key_types_.push_back(group->type);
    global_ = key_types_.empty();
    if (global_) partitions = 1;
    partitions_.resize(partitions);
    for (Partition& partition : partitions_) {
      if (!global_) {
        partition.table = std::make_unique<GroupHashTable>(key_types_, payload_size_, [this](uint8_t* payload) {
          initialize(payload);
        });
      }
    }
    if (global_) {
      global_payload_.resize(payload_size_ / 8 + 1);
      initialize(globalPayload());
    }
  }

  ~AggregateNode() override {
    for (Partition& partition : partitions_) {
      if (partition.table == nullptr) continue;
      partition.table->forEachGroup([&](uint32_t id) { destroy(partition.table->payload(id)); });
    }
    if (global_) destroy(globalPayload());
  }

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, input_->run(context));
    if (global_) return runGlobal(chunks);
    const size_t partition_count = partitions_.size();
    std::vector<PreparedChunk> prepared(chunks.size());
    CAUDAL_RETURN_IF_ERROR(runParallel(context.pool, chunks.size(), [&](size_t c) -> Status {
      return prepare(chunks[c], prepared[c], partition_count);
    }));
    std::vector<std::vector<DataChunk>> outputs(partition_count);
    CAUDAL_RETURN_IF_ERROR(runParallel(context.pool, partition_count, [&](size_t p) -> Status {
      Partition& partition = partitions_[p];
      for (PreparedChunk& chunk : prepared) {
        if (chunk.positions[p].empty()) continue;
        CAUDAL_RETURN_IF_ERROR(update(partition, chunk, p));
      }
      return emit(partition, outputs[p]);
    }));
    std::vector<DataChunk> all;
    for (auto& output : outputs) {
      for (DataChunk& chunk : output) all.push_back(std::move(chunk));
    }
    rows_updated_ = 0;
    for (const Partition& partition : partitions_) rows_updated_ += partition.updated;
    return all;
  }

  bool finished() const override { return input_->finished(); }

  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    input_->collectStateProgress(out);
    StateOperatorProgress progress;
    progress.operator_name = "aggregate";
    progress.rows_updated = rows_updated_;
    if (global_) {
      progress.rows_total = 1;
      progress.memory_used_bytes = static_cast<int64_t>(payload_size_);
    }
    for (const Partition& partition : partitions_) {
      if (partition.table == nullptr) continue;
      progress.rows_total += static_cast<int64_t>(partition.table->size());
      progress.memory_used_bytes += static_cast<int64_t>(partition.table->memoryUsage());
    }
    out.push_back(std::move(progress));
  }

 private:
  struct Partition {
    std::unique_ptr<GroupHashTable> table;
    // Groups touched in the current batch, and whether each existed before it.
    std::vector<uint32_t> touched;
    std::vector<uint8_t> touched_flag;  // by group id
    std::vector<uint8_t> fresh_flag;    // by group id: created in this batch
    // Before-images of groups that existed before this batch, in the order first touched.
    DataChunk before;
    std::vector<uint32_t> before_ids;
    int64_t updated = 0;  // groups the last batch touched
  };

  uint8_t* globalPayload() { return reinterpret_cast<uint8_t*>(global_payload_.data()); }

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

  Status prepare(const DataChunk& chunk, PreparedChunk& prepared, size_t partition_count) {
    prepared.chunk = &chunk;
    const Rows rows = chunk.rows();
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
    std::vector<uint64_t> hashes(rows.count);
    hashColumns(prepared.keys, rows, hashes.data());
    prepared.positions.assign(partition_count, {});
    prepared.hashes.assign(partition_count, {});
    if (partition_count == 1) {
      prepared.positions[0].resize(rows.count);
      for (uint32_t i = 0; i < rows.count; ++i) prepared.positions[0][i] = rows[i];
      prepared.hashes[0] = std::move(hashes);
      return Status::ok();
    }
    for (uint32_t i = 0; i < rows.count; ++i) {
      // The high bits pick the partition; the table probes with the low ones.
      const size_t p = static_cast<size_t>((hashes[i] >> 40) % partition_count);
      prepared.positions[p].push_back(rows[i]);
      prepared.hashes[p].push_back(hashes[i]);
    }
    return Status::ok();
  }

  // Signs of the rows (+1 add, -1 retract), or empty when the chunk has only insertions.
  static std::vector<int8_t> signsOf(const DataChunk& chunk, Rows rows) {
    std::vector<int8_t> signs;
    if (!chunk.hasKinds()) return signs;
    signs.resize(rows.count);
    for (uint32_t i = 0; i < rows.count; ++i) signs[i] = isAccumulate(chunk.kindAt(rows[i])) ? 1 : -1;
    return signs;
  }

  Status foldRows(const PreparedChunk& prepared, Rows rows, const std::vector<uint8_t*>& payloads,
                  const std::vector<int8_t>& signs) {
    const int8_t* sign_data = signs.empty() ? nullptr : signs.data();
    for (uint32_t i = 0; i < rows.count; ++i) {
      *reinterpret_cast<int64_t*>(payloads[i]) += sign_data == nullptr ? 1 : sign_data[i];
    }
    std::vector<uint8_t*> states(rows.count);
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

  // Before-images (keys and current values) of `ids`, appended to the partition's `before`.
  void snapshot(Partition& partition, const std::vector<uint32_t>& ids) {
    if (ids.empty()) return;
    DataChunk images = finalizeGroups(partition, ids);
    if (partition.before.columnCount() == 0) {
      partition.before = DataChunk(outputTypes(), 0);
    }
    partition.before.append(images);
    partition.before_ids.insert(partition.before_ids.end(), ids.begin(), ids.end());
  }

  // The output rows (keys, then aggregate values) of the given live groups.
  DataChunk finalizeGroups(Partition& partition, const std::vector<uint32_t>& ids) {
    DataChunk chunk;
    std::vector<Vector> keys;
    partition.table->gatherKeys(ids, keys);
    for (Vector& key : keys) chunk.columns().push_back(std::move(key));
    std::vector<const uint8_t*> states(ids.size());
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      for (size_t i = 0; i < ids.size(); ++i) states[i] = partition.table->payload(ids[i]) + offsets_[a];
      Vector result(node_.aggregates[a].function->return_type, static_cast<uint32_t>(std::max<size_t>(ids.size(), 1)));
      node_.aggregates[a].function->finalize(states.data(), static_cast<uint32_t>(ids.size()), result);
      chunk.columns().push_back(std::move(result));
    }
    chunk.setSize(static_cast<uint32_t>(ids.size()));
    return chunk;
  }

  Status update(Partition& partition, PreparedChunk& prepared, size_t p) {
    const std::vector<uint32_t>& positions = prepared.positions[p];
    const Rows rows{positions.data(), static_cast<uint32_t>(positions.size())};
    std::vector<uint32_t> ids(rows.count);
    std::vector<uint32_t> created;
    partition.table->findOrInsert(prepared.keys, rows, prepared.hashes[p].data(), ids.data(), &created);
    const uint32_t limit = partition.table->groupIdLimit();
    if (partition.touched_flag.size() < limit) {
      partition.touched_flag.resize(std::max<size_t>(limit, partition.touched_flag.size() * 2), 0);
      partition.fresh_flag.resize(partition.touched_flag.size(), 0);
    }
    for (uint32_t id : created) {
      partition.fresh_flag[id] = 1;
      partition.touched_flag[id] = 1;
      partition.touched.push_back(id);
    }
    std::vector<uint32_t> first_touch;
    for (uint32_t id : ids) {
      if (partition.touched_flag[id] == 0) {
        partition.touched_flag[id] = 1;
        partition.touched.push_back(id);
        first_touch.push_back(id);
      }
    }
    snapshot(partition, first_touch);
    std::vector<uint8_t*> payloads(rows.count);
    for (uint32_t i = 0; i < rows.count; ++i) payloads[i] = partition.table->payload(ids[i]);
    return foldRows(prepared, rows, payloads, signsOf(*prepared.chunk, rows));
  }

  Status emit(Partition& partition, std::vector<DataChunk>& out) {
    partition.updated = 0;
    if (partition.touched.empty()) return Status::ok();
    // Which before-images become -U (still alive) or -D (gone), and which groups to show.
    std::vector<uint32_t> alive;
    std::vector<RowKind> alive_kinds;
    for (uint32_t id : partition.touched) {
      const int64_t count = *reinterpret_cast<const int64_t*>(partition.table->payload(id));
      if (count > 0) {
        alive.push_back(id);
        alive_kinds.push_back(partition.fresh_flag[id] ? RowKind::kInsert : RowKind::kUpdateAfter);
      }
    }
    if (!partition.before_ids.empty()) {
      DataChunk before = std::move(partition.before);
      std::vector<uint8_t>& kinds = before.mutableKinds();
      for (size_t i = 0; i < partition.before_ids.size(); ++i) {
        const uint32_t id = partition.before_ids[i];
        const int64_t count = *reinterpret_cast<const int64_t*>(partition.table->payload(id));
        kinds[i] = static_cast<uint8_t>(count > 0 ? RowKind::kUpdateBefore : RowKind::kDelete);
      }
      out.push_back(std::move(before));
    }
    if (!alive.empty()) {
      DataChunk after = finalizeGroups(partition, alive);
      std::vector<uint8_t>& kinds = after.mutableKinds();
      for (size_t i = 0; i < alive.size(); ++i) kinds[i] = static_cast<uint8_t>(alive_kinds[i]);
      out.push_back(std::move(after));
    }
    // Forget the batch; drop groups whose rows were all retracted.
    for (uint32_t id : partition.touched) {
      partition.touched_flag[id] = 0;
      partition.fresh_flag[id] = 0;
      uint8_t* payload = partition.table->payload(id);
      if (*reinterpret_cast<const int64_t*>(payload) <= 0) {
        destroy(payload);
        partition.table->erase(id);
      }
    }
    partition.updated = static_cast<int64_t>(partition.touched.size());
    partition.touched.clear();
    partition.before = DataChunk();
    partition.before_ids.clear();
    return Status::ok();
  }

  // No GROUP BY: one group, whose row always exists (COUNT(*) of nothing is 0), shown from the
  // first batch on.
  Result<std::vector<DataChunk>> runGlobal(std::vector<DataChunk>& chunks) {
    std::vector<Row> before;
    if (emitted_) before.push_back(globalRow());
    bool changed = !emitted_;
    for (DataChunk& chunk : chunks) {
      PreparedChunk prepared;
      CAUDAL_RETURN_IF_ERROR(prepare(chunk, prepared, 1));
      const Rows rows = chunk.rows();
      if (rows.count == 0) continue;
      changed = true;
      std::vector<uint8_t*> payloads(rows.count, globalPayload());
      CAUDAL_RETURN_IF_ERROR(foldRows(prepared, rows, payloads, signsOf(chunk, rows)));
    }
    std::vector<std::pair<Row, RowKind>> output;
    rows_updated_ = changed ? 1 : 0;
    if (changed) {
      if (emitted_) output.emplace_back(before[0], RowKind::kUpdateBefore);
      output.emplace_back(globalRow(), emitted_ ? RowKind::kUpdateAfter : RowKind::kInsert);
      emitted_ = true;
    }
    return rowsToChunks(outputTypes(), output);
  }

  Row globalRow() {
    Row row;
    for (size_t a = 0; a < node_.aggregates.size(); ++a) {
      const uint8_t* state = globalPayload() + offsets_[a];
      Vector result(node_.aggregates[a].function->return_type, 1);
      node_.aggregates[a].function->finalize(&state, 1, result);
      row.push_back(result.getValue(0));
    }
    return row;
  }

  const LogicalNode& node_;
  std::unique_ptr<PhysicalNode> input_;
  std::vector<DataType> key_types_;
  std::vector<uint32_t> offsets_;
  uint32_t payload_size_ = 0;
  bool global_ = false;
  std::vector<Partition> partitions_;
  std::vector<uint64_t> global_payload_;
  bool emitted_ = false;
  int64_t rows_updated_ = 0;  // groups the last batch touched
};

}  // namespace

Result<std::unique_ptr<PhysicalNode>> makeAggregateNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input,
                                                        size_t partitions) {
  return std::unique_ptr<PhysicalNode>(new AggregateNode(node, std::move(input), std::max<size_t>(partitions, 1)));
}

}  // namespace caudal::sql
