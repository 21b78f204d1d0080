// The join operator: Flink's regular join, which becomes a build/probe join once one input
// has ended. Rows are kept as state, bucketed by the equality keys of the condition; a change
// on one side is matched against the other side's rows, and outer, semi and anti joins track
// how many matches each row has so that a NULL-padded row can be retracted when its first
// match arrives (and come back when its last match goes).
//
// Without a build side (`LogicalNode::build_side` kNone) both inputs' rows are kept for ever.
// With one, that input runs first in every batch, and once it reports `finished()` after its
// rows of a batch were processed it is complete: the other input (the probe side) can only
// ever meet the build rows held now, so its stored rows are freed and its later rows are
// matched but never stored. Nothing the output needs goes with them:
// - the build rows' match counts (their NULL-padded forms in a LEFT/RIGHT/FULL join preserving
//   the build side; the left rows of a SEMI/ANTI join building on the left) live in the build
//   state, and go on counting probe rows as they arrive and are retracted;
// - with the build rows fixed, a probe row's matches depend on the row alone, so the
//   retraction of a probe row (a probe input that is itself a changelog, e.g. an aggregation)
//   finds the same matches its insertion found and retracts exactly what it emitted: its
//   joined rows, its NULL-padded form (a preserved probe side), or itself (SEMI/ANTI building
//   on the right).
// The output of a batch has the same net effect as the symmetric join's; with the right input
// as build side the order of its rows within a batch differs (the right input's changes come
// first).
// Once the build side is complete, a probe chunk of an INNER join, a LEFT/RIGHT join preserving
// the probe side (without residual conditions) or a SEMI/ANTI join probing with the left side
// is joined a vector at a time: the build rows are frozen into columns and a hash table of
// their keys, each probe row's matches are looked up by hash, and the output columns are
// gathered from the probe chunk and the build columns. Everything else runs row at a time on
// value rows.
#include <absl/container/flat_hash_map.h>

#include <map>

#include "sql/execution/group_hash_table.h"

#include "sql/execution/physical_node.h"
#include "sql/execution/row_set.h"
#include "sql/expression/expression_evaluator.h"

namespace caudal::sql {

namespace {

bool refersOnlyTo(const BoundExpr& expr, size_t begin, size_t end) {
  if (expr.kind == BoundExprKind::kColumnRef) return expr.column_index >= begin && expr.column_index < end;
  for (const auto& child : expr.children) {
    if (!refersOnlyTo(*child, begin, end)) return false;
  }
  return true;
}

void shiftColumns(BoundExpr& expr, size_t by) {
  if (expr.kind == BoundExprKind::kColumnRef) expr.column_index -= by;
  for (auto& child : expr.children) shiftColumns(*child, by);
}

class JoinNode : public PhysicalNode {
 public:
  JoinNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> left, std::unique_ptr<PhysicalNode> right)
      : node_(node),
        type_(node.join_type),
        build_side_(node.build_side == JoinBuildSide::kLeft    ? 0
                    : node.build_side == JoinBuildSide::kRight ? 1
                                                                : -1) {
    inputs_[0] = std::move(left);
    inputs_[1] = std::move(right);
    widths_[0] = node.inputs[0]->schema.size();
    widths_[1] = node.inputs[1]->schema.size();
    types_[0] = node.inputs[0]->schema.types();
    types_[1] = node.inputs[1]->schema.types();
    for (size_t c = 0; c < widths_[0] + widths_[1]; ++c) {
      combined_types_.push_back(c < widths_[0] ? types_[0][c] : types_[1][c - widths_[0]]);
    }
    splitCondition();
  }

  Result<std::vector<DataChunk>> run(BatchContext& context) override {
    // Output rows become chunks a vector at a time: value rows take far more memory.
    const std::vector<DataType>& output_types = outputsLeftOnly() ? types_[0] : combined_types_;
    std::vector<std::pair<Row, RowKind>> output;
    std::vector<DataChunk> output_chunks;
    auto flush = [&] {
      for (DataChunk& packed : rowsToChunks(output_types, output)) output_chunks.push_back(std::move(packed));
      output.clear();
    };
    rows_updated_ = 0;
    const int first = build_side_ == 1 ? 1 : 0;
    for (const int side : {first, 1 - first}) {
      CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> chunks, inputs_[side]->run(context));
      for (const DataChunk& chunk : chunks) {
        // The equality keys of the whole chunk, a vector at a time.
        const Rows rows = chunk.rows();
        std::vector<Vector> key_columns(keys_[side].size());
        for (size_t k = 0; k < key_columns.size(); ++k) {
          CAUDAL_RETURN_IF_ERROR(evaluateExpression(*keys_[side][k], chunk, rows, key_columns[k]));
        }
        if (frozen_ != nullptr && side != build_side_) {
          flush();
          CAUDAL_RETURN_IF_ERROR(probeFrozen(chunk, key_columns, output_chunks));
          continue;
        }
        for (uint32_t i = 0; i < rows.count; ++i) {
          const uint32_t position = rows[i];
          Row key;
          bool has_null = false;
          for (size_t k = 0; k < key_columns.size(); ++k) {
            key.push_back(key_columns[k].getValue(position));
            has_null = has_null || (key.back().isNull() && !null_safe_[k]);
          }
          // A probe row that can only show through matches, with none, changes nothing.
          if (!stores(side) && outputsOnlyWithMatches(side) &&
              (has_null || !state_[1 - side].contains(key))) {
            continue;
          }
          CAUDAL_RETURN_IF_ERROR(process(side, chunk.rowAt(position), chunk.kindAt(position), key, has_null, output));
          if (output.size() >= kVectorSize) flush();
        }
      }
      if (side == build_side_ && !build_complete_ && inputs_[side]->finished()) {
        // The build side is complete: the probe side's rows will never be matched again.
        build_complete_ = true;
        State().swap(state_[1 - side]);
        if (vectorizedProbe()) freezeBuild();
      }
    }
    flush();
    return output_chunks;
  }

  bool finished() const override { return inputs_[0]->finished() && inputs_[1]->finished(); }

  void collectStateProgress(std::vector<StateOperatorProgress>& out) const override {
    inputs_[0]->collectStateProgress(out);
    inputs_[1]->collectStateProgress(out);
    StateOperatorProgress progress;
    progress.operator_name = "join";
    int64_t distinct_rows = 0;
    int64_t values = 0;
    for (const State& state : state_) {
      for (const auto& [key, bucket] : state) {
        values += static_cast<int64_t>(key.size());
        for (const auto& [row, entry] : bucket) {
          progress.rows_total += entry.count;
          values += static_cast<int64_t>(row.size());
          ++distinct_rows;
        }
      }
    }
    progress.rows_updated = rows_updated_;
    // Map nodes and row vectors, and the values in them (strings' bytes not counted).
    progress.memory_used_bytes = distinct_rows * static_cast<int64_t>(sizeof(Row) + sizeof(Entry) + 48) +
                                 values * static_cast<int64_t>(sizeof(Value));
    out.push_back(std::move(progress));
  }

 private:
  struct Entry {
    int64_t count = 0;    // copies of the row present
    int64_t matches = 0;  // rows of the other side it joins with (counting copies)
  };
  using Bucket = std::map<Row, Entry, RowLess>;
  using State = absl::flat_hash_map<Row, Bucket, RowHash, RowEqual>;

  // The build rows, frozen once complete, for the vectorized probe: one row per copy, then an
  // all-NULL row (the build side of a NULL-padded probe row), and the rows of each key.
  struct FrozenBuild {
    DataChunk rows;
    uint32_t null_row = 0;
    std::unique_ptr<GroupHashTable> keys;
    std::vector<uint32_t> offsets;  // by key group id: its rows are members[offsets[g] .. offsets[g + 1])
    std::vector<uint32_t> members;
  };

  // Whether probe chunks can be joined a vector at a time once the build side is complete:
  // output that depends only on the probe row's matches (no build row's match count to keep),
  // no residual condition except on an inner join (where it filters the joined rows), and keys
  // of the same scalar, non-floating type on both sides (so that hash and equality agree).
  bool vectorizedProbe() const {
    const int probe = 1 - build_side_;
    switch (type_) {
      case JoinType::kInner: break;
      case JoinType::kLeft: if (probe != 0 || residual_ != nullptr) return false; break;
      case JoinType::kRight: if (probe != 1 || residual_ != nullptr) return false; break;
      case JoinType::kSemi:
      case JoinType::kAnti: if (probe != 0 || residual_ != nullptr) return false; break;
      default: return false;
    }
    if (keys_[0].empty()) return false;
    for (size_t k = 0; k < keys_[0].size(); ++k) {
      const DataType& type = keys_[0][k]->type;
      if (!(type == keys_[1][k]->type) || type.isNested() || type.id() == TypeId::kFloat ||
          type.id() == TypeId::kDouble || type.id() == TypeId::kNull) {
        return false;
      }
    }
    return true;
  }

  // Copies the complete build side into a `FrozenBuild`. Rows whose key has a NULL where the
  // condition is `=` never match, so they are left out.
  void freezeBuild() {
    const int build = build_side_;
    auto frozen = std::make_unique<FrozenBuild>();
    std::vector<DataType> key_types;
    for (const auto& key : keys_[build]) key_types.push_back(key->type);
    DataChunk keys(key_types, 0);
    frozen->rows = DataChunk(types_[build], 0);
    for (const auto& [key, bucket] : state_[build]) {
      bool never_matches = false;
      for (size_t k = 0; k < key.size(); ++k) never_matches = never_matches || (key[k].isNull() && !null_safe_[k]);
      if (never_matches) continue;
      for (const auto& [row, entry] : bucket) {
        for (int64_t copy = 0; copy < entry.count; ++copy) {
          keys.appendRow(key);
          frozen->rows.appendRow(row);
        }
      }
    }
    const uint32_t count = frozen->rows.size();
    Row nulls;
    for (const DataType& type : types_[build]) nulls.push_back(Value::null(type));
    frozen->rows.appendRow(nulls);
    frozen->null_row = count;
    frozen->keys = std::make_unique<GroupHashTable>(key_types, 0);
    std::vector<uint64_t> hashes(count);
    std::vector<uint32_t> groups(count);
    hashColumns(keys.columns(), Rows{nullptr, count}, hashes.data());
    frozen->keys->findOrInsert(keys.columns(), Rows{nullptr, count}, hashes.data(), groups.data());
    // Rows by key group, in a counting sort.
    frozen->offsets.assign(frozen->keys->groupIdLimit() + 1, 0);
    for (uint32_t group : groups) ++frozen->offsets[group + 1];
    for (size_t g = 1; g < frozen->offsets.size(); ++g) frozen->offsets[g] += frozen->offsets[g - 1];
    frozen->members.resize(count);
    std::vector<uint32_t> next(frozen->offsets.begin(), frozen->offsets.end() - 1);
    for (uint32_t row = 0; row < count; ++row) frozen->members[next[groups[row]]++] = row;
    frozen_ = std::move(frozen);
  }

  // Joins a probe chunk (its equality keys evaluated in `key_columns`) with the frozen build
  // rows, appending the output chunks.
  Status probeFrozen(const DataChunk& chunk, std::vector<Vector>& key_columns, std::vector<DataChunk>& out) {
    const int probe = 1 - build_side_;
    const Rows rows = chunk.rows();
    std::vector<uint64_t> hashes(rows.count);
    std::vector<uint32_t> groups(rows.count);
    hashColumns(key_columns, rows, hashes.data());
    frozen_->keys->find(key_columns, rows, hashes.data(), groups.data());
    // A NULL key where the condition is `=` matches nothing (the frozen keys hold none, but a
    // key of one column finds the NULL group of a null-safe one).
    for (size_t k = 0; k < key_columns.size(); ++k) {
      if (null_safe_[k] || key_columns[k].validity().allValid()) continue;
      for (uint32_t i = 0; i < rows.count; ++i) {
        if (key_columns[k].isNull(rows[i])) groups[i] = GroupHashTable::kNoGroup;
      }
    }
    // Pairs of (probe position, build row), a vector's worth at a time.
    std::vector<uint32_t> probe_positions;
    std::vector<uint32_t> build_rows;
    std::vector<uint8_t> kinds;
    const bool left_only = outputsLeftOnly();
    auto emit = [&]() -> Status {
      if (probe_positions.empty()) return Status::ok();
      const auto count = static_cast<uint32_t>(probe_positions.size());
      DataChunk joined;
      const Rows from_probe{probe_positions.data(), count};
      auto gather = [&](const std::vector<DataType>& types, const DataChunk& source, Rows from) {
        for (size_t c = 0; c < types.size(); ++c) {
          Vector column(types[c], std::max<uint32_t>(count, 1));
          copyRows(source.column(c), from, column, 0);
          joined.columns().push_back(std::move(column));
        }
      };
      if (left_only) {
        gather(types_[0], chunk, from_probe);
      } else {
        const Rows from_build{build_rows.data(), count};
        gather(types_[0], probe == 0 ? chunk : frozen_->rows, probe == 0 ? from_probe : from_build);
        gather(types_[1], probe == 1 ? chunk : frozen_->rows, probe == 1 ? from_probe : from_build);
      }
      joined.setSize(count);
      joined.mutableKinds().assign(kinds.begin(), kinds.end());
      if (residual_ != nullptr) {
        auto selected = std::make_shared<std::vector<uint32_t>>(count);
        CAUDAL_ASSIGN_OR_RETURN(uint32_t kept, selectRows(*residual_, joined, joined.rows(), selected->data()));
        selected->resize(kept);
        if (kept < count) joined.setSelection(std::move(selected));
      }
      if (joined.count() > 0) out.push_back(std::move(joined));
      probe_positions.clear();
      build_rows.clear();
      kinds.clear();
      return Status::ok();
    };
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t position = rows[i];
      const uint32_t group = groups[i];
      // Against fixed build rows, a change of the probe row is an insertion or a deletion of
      // what it joins to.
      const auto kind = static_cast<uint8_t>(isAccumulate(chunk.kindAt(position)) ? RowKind::kInsert : RowKind::kDelete);
      if (left_only) {
        const bool present = type_ == JoinType::kSemi ? group != GroupHashTable::kNoGroup
                                                      : group == GroupHashTable::kNoGroup;
        if (!present) continue;
        probe_positions.push_back(position);
        kinds.push_back(kind);
      } else if (group == GroupHashTable::kNoGroup) {
        if (type_ == JoinType::kInner) continue;
        probe_positions.push_back(position);  // NULL-padded
        build_rows.push_back(frozen_->null_row);
        kinds.push_back(kind);
      } else {
        for (uint32_t m = frozen_->offsets[group]; m < frozen_->offsets[group + 1]; ++m) {
          probe_positions.push_back(position);
          build_rows.push_back(frozen_->members[m]);
          kinds.push_back(kind);
        }
      }
      if (probe_positions.size() >= kVectorSize) CAUDAL_RETURN_IF_ERROR(emit());
    }
    return emit();
  }

  bool outputsLeftOnly() const { return type_ == JoinType::kSemi || type_ == JoinType::kAnti; }
  // Whether rows of `side` are kept: always, except probe rows once the build side is complete.
  bool stores(int side) const { return !build_complete_ || side == build_side_; }
  // Whether a row of `side` without matches produces nothing (no NULL-padded form, no anti row).
  bool outputsOnlyWithMatches(int side) const {
    if (outputsLeftOnly()) return side == 1 || type_ == JoinType::kSemi;
    return !preserves(side);
  }
  bool preserves(int side) const {
    if (side == 0) return type_ == JoinType::kLeft || type_ == JoinType::kFull;
    return type_ == JoinType::kRight || type_ == JoinType::kFull;
  }

  // Equality conjuncts between one side and the other become the keys; the rest is residual.
  void splitCondition() {
    if (node_.predicate == nullptr) return;
    std::vector<const BoundExpr*> conjuncts;
    if (node_.predicate->kind == BoundExprKind::kAnd) {
      for (const auto& child : node_.predicate->children) conjuncts.push_back(child.get());
    } else {
      conjuncts.push_back(node_.predicate.get());
    }
    const size_t total = widths_[0] + widths_[1];
    std::vector<std::unique_ptr<BoundExpr>> residual;
    for (const BoundExpr* conjunct : conjuncts) {
      const bool equality = conjunct->kind == BoundExprKind::kFunction &&
                            (conjunct->function->name == "=" || conjunct->function->name == "IS NOT DISTINCT FROM" ||
                             conjunct->function->name == "is_not_distinct_from");
      if (equality) {
        const BoundExpr& a = *conjunct->children[0];
        const BoundExpr& b = *conjunct->children[1];
        const BoundExpr* left = nullptr;
        const BoundExpr* right = nullptr;
        if (refersOnlyTo(a, 0, widths_[0]) && refersOnlyTo(b, widths_[0], total)) {
          left = &a;
          right = &b;
        } else if (refersOnlyTo(b, 0, widths_[0]) && refersOnlyTo(a, widths_[0], total)) {
          left = &b;
          right = &a;
        }
        if (left != nullptr) {
          keys_[0].push_back(left->clone());
          auto right_key = right->clone();
          shiftColumns(*right_key, widths_[0]);
          keys_[1].push_back(std::move(right_key));
          null_safe_.push_back(conjunct->function->name != "=");
          continue;
        }
      }
      residual.push_back(conjunct->clone());
    }
    if (residual.size() == 1) {
      residual_ = std::move(residual[0]);
    } else if (!residual.empty()) {
      residual_ = std::make_unique<BoundExpr>();
      residual_->kind = BoundExprKind::kAnd;
      residual_->type = DataType::boolean();
      residual_->children = std::move(residual);
    }
  }

  Result<bool> residualHolds(const Row& left, const Row& right) {
    if (residual_ == nullptr) return true;
    DataChunk chunk(combined_types_, 1);
    Row combined = left;
    combined.insert(combined.end(), right.begin(), right.end());
    chunk.appendRow(combined);
    uint32_t selected = 0;
    CAUDAL_ASSIGN_OR_RETURN(uint32_t count, selectRows(*residual_, chunk, chunk.rows(), &selected));
    return count == 1;
  }

  Row padded(int side, const Row& row) const {
    Row combined;
    if (side == 0) {
      combined = row;
      for (const DataType& type : types_[1]) combined.push_back(Value::null(type));
    } else {
      for (const DataType& type : types_[0]) combined.push_back(Value::null(type));
      combined.insert(combined.end(), row.begin(), row.end());
    }
    return combined;
  }

  static void emit(std::vector<std::pair<Row, RowKind>>& output, Row row, bool add, int64_t copies) {
    const RowKind kind = add ? RowKind::kInsert : RowKind::kDelete;
    for (int64_t i = 1; i < copies; ++i) output.emplace_back(row, kind);
    if (copies > 0) output.emplace_back(std::move(row), kind);
  }

  // Applies one change of side `side` (its equality key `key`, which never matches when
  // `has_null`) against the other side's rows, and records it in this side's state (unless it
  // is a probe row after the build side completed).
  Status process(int side, const Row& row, RowKind kind, const Row& key, bool has_null,
                 std::vector<std::pair<Row, RowKind>>& output) {
    const bool add = isAccumulate(kind);
    const int other = 1 - side;
    int64_t matched = 0;
    if (!has_null) {
      auto found = state_[other].find(key);
      if (found != state_[other].end()) {
        for (auto& [other_row, entry] : found->second) {
          if (entry.count == 0) continue;
          const Row& left_row = side == 0 ? row : other_row;
          const Row& right_row = side == 0 ? other_row : row;
          CAUDAL_ASSIGN_OR_RETURN(bool holds, residualHolds(left_row, right_row));
          if (!holds) continue;
          matched += entry.count;
          if (outputsLeftOnly()) {
            if (side == 1) {
              // A right row arriving (leaving) changes whether left rows have a match.
              const int64_t before = entry.matches;
              entry.matches += add ? 1 : -1;
              const bool had = before > 0;
              const bool has = entry.matches > 0;
              if (had != has) {
                const bool left_present = type_ == JoinType::kSemi ? has : !has;
                emit(output, other_row, left_present, entry.count);
              }
            }
            continue;
          }
          // The other row's NULL-padded form goes when it gets its first match, and comes back
          // when it loses its last.
          if (preserves(other)) {
            const int64_t before = entry.matches;
            entry.matches += add ? 1 : -1;
            if (add && before == 0) emit(output, padded(other, other_row), false, entry.count);
            if (!add && entry.matches == 0) emit(output, padded(other, other_row), true, entry.count);
          }
          Row combined = left_row;
          combined.insert(combined.end(), right_row.begin(), right_row.end());
          emit(output, std::move(combined), add, entry.count);
        }
      }
    }
    if (outputsLeftOnly()) {
      if (side == 0) {
        const bool present = type_ == JoinType::kSemi ? matched > 0 : matched == 0;
        if (present) emit(output, row, add, 1);
      }
    } else if (preserves(side) && matched == 0) {
      emit(output, padded(side, row), add, 1);
    }
    if (!stores(side)) return Status::ok();
    Bucket& own_bucket = state_[side][key];
    Entry& own = own_bucket[row];
    // Matches are tracked for the rows whose output depends on them.
    if (outputsLeftOnly() ? side == 0 : preserves(side)) own.matches = matched;
    own.count += add ? 1 : -1;
    ++rows_updated_;
    if (own.count <= 0) {
      own_bucket.erase(row);
      if (own_bucket.empty()) state_[side].erase(key);
    }
    return Status::ok();
  }

  const LogicalNode& node_;
  JoinType type_;
  int build_side_;               // 0 left, 1 right, -1 none (symmetric)
  bool build_complete_ = false;  // the build input has finished: probe rows are not stored
  std::unique_ptr<PhysicalNode> inputs_[2];
  size_t widths_[2];
  std::vector<DataType> types_[2];
  std::vector<DataType> combined_types_;
  std::vector<std::unique_ptr<BoundExpr>> keys_[2];
  std::vector<bool> null_safe_;
  std::unique_ptr<BoundExpr> residual_;
  std::unique_ptr<FrozenBuild> frozen_;  // once the build side is complete, when vectorizedProbe()
  State state_[2];
  int64_t rows_updated_ = 0;  // rows stored or removed by the last batch
};

}  // namespace

Result<std::unique_ptr<PhysicalNode>> makeJoinNode(const LogicalNode& node, std::unique_ptr<PhysicalNode> left,
                                                   std::unique_ptr<PhysicalNode> right) {
  return std::unique_ptr<PhysicalNode>(new JoinNode(node, std::move(left), std::move(right)));
}

}  // namespace caudal::sql
