// A horizontal slice of a table: one vector per column, the rows in use, and their change kind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sql/types/data_type.h"
#include "sql/vector/vector.h"

namespace caudal::sql {

/// What a row of a changelog means, as in Flink: an insertion, the old and the new image of an
/// updated row, or a deletion. An append-only stream has only insertions.
enum class RowKind : uint8_t {
  kInsert,        // +I
  kUpdateBefore,  // -U
  kUpdateAfter,   // +U
  kDelete,        // -D
};

/// True for the kinds that add a row (+I, +U); false for those that take one back (-U, -D).
inline bool isAccumulate(RowKind kind) {
  return kind == RowKind::kInsert || kind == RowKind::kUpdateAfter;
}
/// `+I`, `-U`, `+U`, `-D`.
const char* rowKindName(RowKind kind);

/// Column names and types of a table or of an operator's output.
struct Schema {
  std::vector<Field> columns;

  size_t size() const { return columns.size(); }
  std::vector<DataType> types() const;
  /// `name TYPE, name TYPE, ...`.
  std::string toString() const;
};

/// Columns of equal capacity and the rows of them in use. Rows are positions `0..size()`
/// narrowed by an optional selection (see `Rows`); every operator honours the selection instead
/// of copying rows. `kinds`, when present, gives each row's `RowKind` (absent: all +I).
class DataChunk {
 public:
  DataChunk() = default;
  /// Empty flat columns of the given types, room for `capacity` rows.
  explicit DataChunk(const std::vector<DataType>& types, uint32_t capacity = kVectorSize);

  std::vector<Vector>& columns() { return columns_; }
  const std::vector<Vector>& columns() const { return columns_; }
  Vector& column(size_t i) { return columns_[i]; }
  const Vector& column(size_t i) const { return columns_[i]; }
  size_t columnCount() const { return columns_.size(); }

  /// Positions written, `0..size()`.
  uint32_t size() const { return size_; }
  void setSize(uint32_t size) { size_ = size; }
  /// The rows in use.
  Rows rows() const {
    return selection_ ? Rows{selection_->data(), static_cast<uint32_t>(selection_->size())} : Rows{nullptr, size_};
  }
  /// Number of rows in use.
  uint32_t count() const { return rows().count; }
  /// Narrows the rows in use to `positions` (which index `0..size()`).
  void setSelection(std::shared_ptr<const std::vector<uint32_t>> positions) { selection_ = std::move(positions); }
  bool hasSelection() const { return selection_ != nullptr; }

  /// The kind of the row at `position` (+I when the chunk has no kinds).
  RowKind kindAt(uint32_t position) const {
    return kinds_ ? static_cast<RowKind>((*kinds_)[position]) : RowKind::kInsert;
  }
  bool hasKinds() const { return kinds_ != nullptr; }
  /// Per-position kinds, allocated (all +I) on first call.
  std::vector<uint8_t>& mutableKinds();
  const std::vector<uint8_t>* kinds() const { return kinds_.get(); }
  void shareKindsOf(const DataChunk& other) { kinds_ = other.kinds_; }

  /// The rows in use, compacted into a new chunk without selection (columns flattened).
  DataChunk compacted() const;
  /// Appends the rows in use of `other` (same column types) after this chunk's rows; this
  /// chunk must have no selection. Grows capacity as needed.
  void append(const DataChunk& other);
  /// The row at `position` as values (slow: results, tests).
  std::vector<Value> rowAt(uint32_t position) const;
  /// Appends one row of values; the chunk must have no selection.
  void appendRow(const std::vector<Value>& row, RowKind kind = RowKind::kInsert);

 private:
  std::vector<Vector> columns_;
  uint32_t size_ = 0;
  std::shared_ptr<const std::vector<uint32_t>> selection_;
  std::shared_ptr<std::vector<uint8_t>> kinds_;
};

/// Copies `count` rows: `source` rows `rows[i]` to `target` positions `target_offset + i`.
/// Types must match; `target` must be flat with room for them. Strings are shared, not copied
/// (the target keeps the source's heaps alive).
void copyRows(const Vector& source, Rows rows, Vector& target, uint32_t target_offset);

}  // namespace caudal::sql
