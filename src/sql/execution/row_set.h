// Rows as values, for the parts of execution that work row by row: join state, the
// materialized result of complete and update output, sorting.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "sql/planner/logical_plan.h"
#include "sql/types/value.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

using Row = std::vector<Value>;

/// Hash of a row's values, consistent with `Value::operator==` (a DECIMAL and an integer that
/// compare equal hash alike only when they have the same type, which rows of one schema do).
struct RowHash {
  size_t operator()(const Row& row) const;
};
struct RowEqual {
  bool operator()(const Row& a, const Row& b) const;
};
/// Total order on rows, column by column (`Value::compare`).
struct RowLess {
  bool operator()(const Row& a, const Row& b) const;
};

/// Compares rows by ORDER BY keys: each key's direction, NULLs placed as the key says. Negative
/// when `a` comes first, 0 when they tie on every key.
int compareBySortKeys(const Row& a, const Row& b, std::span<const SortKey> keys);

/// A multiset of rows kept in sorted order: the materialized result of a query, changed by
/// applying a changelog.
class RowMultiset {
 public:
  /// Applies one changelog row: +I/+U add it, -U/-D remove one copy (if present).
  void apply(const Row& row, RowKind kind);
  /// Every row with its multiplicity, in order.
  const std::map<Row, int64_t, RowLess>& rows() const { return rows_; }
  /// The number of rows counting duplicates.
  int64_t size() const { return size_; }

 private:
  std::map<Row, int64_t, RowLess> rows_;
  int64_t size_ = 0;
};

/// The rows of `chunks` in use, as values, with their kinds.
std::vector<std::pair<Row, RowKind>> chunkRows(std::span<const DataChunk> chunks);
/// Rows of `types` packed into chunks of at most `kVectorSize` rows.
std::vector<DataChunk> rowsToChunks(const std::vector<DataType>& types,
                                    const std::vector<std::pair<Row, RowKind>>& rows);

}  // namespace caudal::sql
