// The Window operator for ranking functions: ROW_NUMBER, RANK and DENSE_RANK OVER (PARTITION BY
// .. ORDER BY ..), incremental like Flink's Rank operator. Each partition keeps its rows in
// order (ties on the ORDER BY keys broken by the whole row, so that a row's number depends only
// on the rows present). A batch applies its changes to the partitions it touches, then walks
// each of them once, ranking the rows both as they were before the batch and as they are now,
// and emits the difference: a row whose numbers changed is taken back (-D) with its old ones
// and given again (+I) with its new ones. Every retraction of a batch comes before its
// insertions, so a consumer that replaces rows by (partition, row number) ends with the new row.
//
// With a rank limit (a top-N: `WHERE rn <= N` above), only rows ranked within it are output and
// the walk stops past it. When the input never retracts, rows ranked past the limit can never
// come back (ranks only grow as rows arrive), so they are dropped and a partition keeps about
// N rows.
#include <absl/container/node_hash_map.h>

#include <map>

#include "sql/execution/physical_node.h"
#include "sql/execution/row_set.h"

namespace caudal::sql {

namespace {

class WindowNode : public PhysicalNode {
 public:
  WindowNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> input)
      : input_(std::move(input)),
        partition_keys_(node.partition_keys),
        order_(node.order),
        functions_(node.window_functions),
        limit_(node.rank_limit),
        limit_function_(node.rank_limit_function),
        prune_(node.rank_limit >= 0 && node.inputs[0]->appendOnly()),
        output_types_(node.schema.types()) {}

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, input_->run(context));
    rows_updated_ = 0;
    std::vector<Partitions::value_type*> dirty;
    for (const DataChunk& chunk : chunks) {
      const Rows rows = chunk.rows();
      for (uint32_t i = 0; i < rows.count; ++i) {
        const uint32_t position = rows[i];
        Row key;
        key.reserve(partition_keys_.size());
        for (size_t column : partition_keys_)
          key.push_back(chunk.column(column).getValue(position));
        auto [entry, created] = partitions_.try_emplace(std::move(key), OrderLess{&order_});
        Partition& partition = entry->second;
        ++rows_updated_;
        // A row ranked after a full top-N's last row never shows, and is never kept.
        if (partition.full && orderedAfter(chunk, position, partition.rows.rbegin()->first))
          continue;
        if (!partition.dirty) {
          partition.dirty = true;
          dirty.push_back(&*entry);
        }
        apply(partition, chunk.rowAt(position), chunk.kindAt(position));
      }
    }
    std::vector<DataChunk> retractions;
    std::vector<DataChunk> insertions;
    for (Partitions::value_type* entry : dirty) {
      Partition& partition = entry->second;
      emitChanges(partition, retractions, insertions);
      settle(partition);
      if (partition.rows.empty()) partitions_.erase(entry->first);
    }
    retractions.insert(retractions.end(), std::make_move_iterator(insertions.begin()),
                       std::make_move_iterator(insertions.end()));
    return retractions;
  }

  bool finished() const override { return input_->finished(); }

  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    input_->collectStateProgress(out);
    StateOperatorProgress progress;
    progress.operator_name = "rank";
    progress.rows_total = stored_rows_;
    progress.rows_updated = rows_updated_;
    const int64_t width = static_cast<int64_t>(output_types_.size() - functions_.size());
    progress.memory_used_bytes =
        stored_rows_ * (static_cast<int64_t>(sizeof(Row) + sizeof(Counts) + 48) +
                        width * static_cast<int64_t>(sizeof(Value))) +
        static_cast<int64_t>(partitions_.size()) *
            (static_cast<int64_t>(sizeof(Partition) + sizeof(Row) + 32) +
             static_cast<int64_t>(partition_keys_.size() * sizeof(Value)));
    out.push_back(std::move(progress));
  }

 private:
  // ORDER BY keys first, then the whole row: a total order on distinct rows.
  struct OrderLess {
    const std::vector<SortKey>* keys;
    bool operator()(const Row& a, const Row& b) const {
      const int c = compareBySortKeys(a, b, *keys);
      return c != 0 ? c < 0 : RowLess()(a, b);
    }
  };
  // Copies of a row before this batch and now.
  struct Counts {
    int64_t before = 0;
    int64_t now = 0;
    bool touched = false;
  };
  using OrderedRows = std::map<Row, Counts, OrderLess>;
  struct Partition {
    explicit Partition(OrderLess less) : rows(less) {}
    OrderedRows rows;
    std::vector<OrderedRows::iterator> touched;  // rows this batch changed
    bool dirty = false;                          // the batch has input for the partition
    // Pruned to its rank limit, with no room for a row ranked after its last one.
    bool full = false;
  };
  // Node-based: partitions stay put while others are added.
  using Partitions = absl::node_hash_map<Row, Partition, RowHash, RowEqual>;

  // Where one version of a partition (before the batch, or now) has got to in a walk.
  struct RankCounter {
    int64_t rows = 0;        // rows ranked so far
    int64_t rank = 0;        // RANK of the last peer group
    int64_t dense_rank = 0;  // DENSE_RANK of the last peer group
    const Row* last = nullptr;

    // The numbers the first copy of `row` gets, or would get were it present: RANK and
    // DENSE_RANK are the last group's if `row` ties with its last row.
    struct Start {
      int64_t row_number;
      int64_t rank;
      int64_t dense_rank;
    };
    Start startOf(const Row& row, const std::vector<SortKey>& keys) const {
      const bool peer = last != nullptr && compareBySortKeys(*last, row, keys) == 0;
      return {rows + 1, peer ? rank : rows + 1, peer ? dense_rank : dense_rank + 1};
    }
    void count(const Row& row, const Start& start, int64_t copies) {
      if (copies == 0) return;
      rank = start.rank;
      dense_rank = start.dense_rank;
      rows += copies;
      last = &row;
    }
  };

  int64_t valueOf(WindowFunction function, const RankCounter::Start& start, int64_t copy) const {
    switch (function) {
      case WindowFunction::kRowNumber:
        return start.row_number + copy;
      case WindowFunction::kRank:
        return start.rank;
      case WindowFunction::kDenseRank:
        return start.dense_rank;
    }
    return 0;
  }

  // Within the rank limit (or no limit).
  bool shown(const RankCounter::Start& start, int64_t copy) const {
    return limit_ < 0 || valueOf(functions_[limit_function_], start, copy) <= limit_;
  }

  void apply(Partition& partition, Row row, RowKind kind) {
    auto [found, created] = partition.rows.try_emplace(std::move(row));
    Counts& counts = found->second;
    if (isAccumulate(kind)) {
      ++counts.now;
      if (created) ++stored_rows_;
    } else if (counts.now == 0) {
      // A retraction of a row never seen: nothing to take back.
      if (created) partition.rows.erase(found);
      return;
    } else {
      --counts.now;
    }
    if (!counts.touched) {
      counts.touched = true;
      partition.touched.push_back(found);
    }
  }

  // True when the row at `position` of `chunk` comes after `last` on the ORDER BY keys alone.
  bool orderedAfter(const DataChunk& chunk, uint32_t position, const Row& last) const {
    for (const SortKey& key : order_) {
      const Value value = chunk.column(key.column).getValue(position);
      const Value& bound = last[key.column];
      int c;
      if (value.isNull() || bound.isNull()) {
        if (value.isNull() && bound.isNull()) continue;
        c = value.isNull() == key.nulls_first ? -1 : 1;
      } else {
        c = value.compare(bound);
        if (key.descending) c = -c;
      }
      if (c != 0) return c > 0;
    }
    return false;
  }

  // Appends `row` with its numbers to the last chunk of `out` (a new one when it is full).
  void emit(std::vector<DataChunk>& out, const Row& row, const RankCounter::Start& start,
            int64_t copy, RowKind kind) const {
    if (out.empty() || out.back().size() == kVectorSize)
      out.emplace_back(output_types_, kVectorSize);
    DataChunk& chunk = out.back();
    const uint32_t position = chunk.size();
    for (size_t c = 0; c < row.size(); ++c) chunk.column(c).setValue(position, row[c]);
    for (size_t f = 0; f < functions_.size(); ++f) {
      chunk.column(row.size() + f)
          .setValue(position, Value::bigInt(valueOf(functions_[f], start, copy)));
    }
    std::vector<uint8_t>& kinds = chunk.mutableKinds();
    if (kinds.size() <= position) kinds.resize(kVectorSize, static_cast<uint8_t>(RowKind::kInsert));
    kinds[position] = static_cast<uint8_t>(kind);
    chunk.setSize(position + 1);
  }

  void emitChanges(const Partition& partition, std::vector<DataChunk>& retractions,
                   std::vector<DataChunk>& insertions) const {
    RankCounter before;
    RankCounter now;
    for (const auto& [row, counts] : partition.rows) {
      const RankCounter::Start was = before.startOf(row, order_);
      const RankCounter::Start is = now.startOf(row, order_);
      // Numbers only grow along the walk: past the limit in both versions, nothing more shows.
      if (!shown(was, 0) && !shown(is, 0)) break;
      const int64_t copies = std::max(counts.before, counts.now);
      for (int64_t copy = 0; copy < copies; ++copy) {
        const bool was_shown = copy < counts.before && shown(was, copy);
        const bool is_shown = copy < counts.now && shown(is, copy);
        if (was_shown && is_shown) {
          bool same = true;
          for (WindowFunction function : functions_)
            same = same && valueOf(function, was, copy) == valueOf(function, is, copy);
          if (same) continue;
        }
        if (was_shown) emit(retractions, row, was, copy, RowKind::kDelete);
        if (is_shown) emit(insertions, row, is, copy, RowKind::kInsert);
      }
      before.count(row, was, counts.before);
      now.count(row, is, counts.now);
    }
  }

  // Makes the batch's changes the partition's past, and drops what can never show again.
  void settle(Partition& partition) {
    for (OrderedRows::iterator row : partition.touched) {
      Counts& counts = row->second;
      if (counts.now == 0) {
        partition.rows.erase(row);
        --stored_rows_;
        continue;
      }
      counts.before = counts.now;
      counts.touched = false;
    }
    partition.touched.clear();
    partition.dirty = false;
    if (!prune_) return;
    RankCounter ranked;
    for (auto row = partition.rows.begin(); row != partition.rows.end(); ++row) {
      const RankCounter::Start start = ranked.startOf(row->first, order_);
      if (!shown(start, 0)) {
        stored_rows_ -= static_cast<int64_t>(std::distance(row, partition.rows.end()));
        partition.rows.erase(row, partition.rows.end());
        break;
      }
      ranked.count(row->first, start, row->second.now);
    }
    // What a row ranked after the last one (not its peer) would get.
    const RankCounter::Start next{ranked.rows + 1, ranked.rows + 1, ranked.dense_rank + 1};
    partition.full = !partition.rows.empty() && !shown(next, 0);
  }

  std::unique_ptr<PhysicalNode> input_;
  std::vector<size_t> partition_keys_;
  std::vector<SortKey> order_;
  std::vector<WindowFunction> functions_;
  int64_t limit_;
  size_t limit_function_;
  bool prune_;
  std::vector<DataType> output_types_;
  Partitions partitions_;
  int64_t stored_rows_ = 0;  // distinct rows held over all partitions
  int64_t rows_updated_ = 0;
};

}  // namespace

std::unique_ptr<PhysicalNode> makeWindowNode(const LogicalNode& node,
                                             std::unique_ptr<PhysicalNode> input) {
  return std::make_unique<WindowNode>(node, std::move(input));
}

}  // namespace caudal::sql
