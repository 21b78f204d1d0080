#include "sql/execution/row_set.h"

#include <absl/hash/hash.h>

#include <cmath>
#include <cstring>

namespace caudal::sql {

namespace {

size_t hashValue(const Value& value) {
  if (value.isNull()) return 0x9e3779b97f4a7c15ULL;
  switch (value.type().id()) {
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double d = value.doubleValue();
      if (d == 0) d = 0;  // -0.0 and 0.0 are equal
      if (std::isnan(d)) return 0x7ff8;
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return absl::HashOf(bits);
    }
    case TypeId::kDecimal128: {
      const auto bits = static_cast<unsigned __int128>(value.unscaledValue());
      return absl::HashOf(static_cast<uint64_t>(bits), static_cast<uint64_t>(bits >> 64));
    }
    case TypeId::kString:
    case TypeId::kBytes: return absl::HashOf(value.stringValue());
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap: {
      size_t h = value.children().size();
      for (const Value& child : value.children()) h = absl::HashOf(h, hashValue(child));
      return h;
    }
    default: return absl::HashOf(value.intValue());
  }
}

}  // namespace

size_t RowHash::operator()(const Row& row) const {
  size_t h = row.size();
  for (const Value& value : row) h = absl::HashOf(h, hashValue(value));
  return h;
}

bool RowEqual::operator()(const Row& a, const Row& b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i])) return false;
  }
  return true;
}

int compareBySortKeys(const Row& a, const Row& b, std::span<const SortKey> keys) {
  for (const SortKey& key : keys) {
    const Value& x = a[key.column];
    const Value& y = b[key.column];
    if (x.isNull() || y.isNull()) {
      if (x.isNull() && y.isNull()) continue;
      return x.isNull() == key.nulls_first ? -1 : 1;
    }
    const int c = x.compare(y);
    if (c != 0) return key.descending ? -c : c;
  }
  return 0;
}

bool RowLess::operator()(const Row& a, const Row& b) const {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const int c = a[i].compare(b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

void RowMultiset::apply(const Row& row, RowKind kind) {
  if (isAccumulate(kind)) {
    ++rows_[row];
    ++size_;
    return;
  }
  auto found = rows_.find(row);
  if (found == rows_.end()) return;
  --size_;
  if (--found->second == 0) rows_.erase(found);
}

std::vector<std::pair<Row, RowKind>> chunkRows(std::span<const DataChunk> chunks) {
  std::vector<std::pair<Row, RowKind>> rows;
  for (const DataChunk& chunk : chunks) {
    const Rows active = chunk.rows();
    for (uint32_t i = 0; i < active.count; ++i) {
      rows.emplace_back(chunk.rowAt(active[i]), chunk.kindAt(active[i]));
    }
  }
  return rows;
}

std::vector<DataChunk> rowsToChunks(const std::vector<DataType>& types,
                                    const std::vector<std::pair<Row, RowKind>>& rows) {
  std::vector<DataChunk> chunks;
  for (size_t start = 0; start < rows.size(); start += kVectorSize) {
    const size_t end = std::min(rows.size(), start + kVectorSize);
    DataChunk chunk(types, static_cast<uint32_t>(end - start));
    for (size_t r = start; r < end; ++r) chunk.appendRow(rows[r].first, rows[r].second);
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

}  // namespace caudal::sql
