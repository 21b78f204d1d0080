#include "sql/connector/memory_tables.h"

#include <algorithm>

namespace caudal::sql {

bool MemoryTables::KeyLess::operator()(const std::vector<Value>& a,
                                       const std::vector<Value>& b) const {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const int c = a[i].compare(b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

void MemoryTables::openResult(const std::string& name, const SinkContext& context) {
  std::lock_guard lock(mutex_);
  Table& table = tables_[name];
  table.has_result = true;
  table.context = context;
  table.rows.clear();
  table.row_of_key.clear();
  table.batches = 0;
  table.last_batch_id = -1;
  batch_applied_.notify_all();
}

std::vector<Value> MemoryTables::keyOf(const Table& table, const std::vector<Value>& row) const {
  if (table.context.key_columns.empty()) return row;
  std::vector<Value> key;
  key.reserve(table.context.key_columns.size());
  for (size_t c : table.context.key_columns) key.push_back(c < row.size() ? row[c] : Value());
  return key;
}

void MemoryTables::upsert(Table& table, std::vector<Value> row) {
  std::vector<Value> key = keyOf(table, row);
  auto it = table.row_of_key.find(key);
  if (it != table.row_of_key.end()) {
    table.rows[it->second] = std::move(row);
    return;
  }
  table.row_of_key.emplace(std::move(key), table.rows.size());
  table.rows.push_back(std::move(row));
}

void MemoryTables::remove(Table& table, const std::vector<Value>& row) {
  auto it = table.row_of_key.find(keyOf(table, row));
  if (it == table.row_of_key.end()) return;
  const size_t index = it->second;
  table.row_of_key.erase(it);
  table.rows.erase(table.rows.begin() + static_cast<std::ptrdiff_t>(index));
  for (auto& [key, position] : table.row_of_key) {
    if (position > index) --position;
  }
}

Status MemoryTables::applyBatch(const std::string& name, int64_t batch_id,
                                std::span<const DataChunk> chunks) {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  if (found == tables_.end() || !found->second.has_result) {
    return Status::error(
        std::string("memory table '").append(name).append("' has no result opened"));
  }
  Table& table = found->second;
  if (batch_id <= table.last_batch_id) return Status::ok();  // a replayed batch, applied already
  const OutputMode mode = table.context.mode;
  if (mode == OutputMode::kComplete) {
    table.rows.clear();
    table.row_of_key.clear();
  }
  for (const DataChunk& chunk : chunks) {
    const Rows rows = chunk.rows();
    for (uint32_t i = 0; i < rows.count; ++i) {
      const uint32_t position = rows[i];
      const RowKind kind = chunk.kindAt(position);
      if (mode == OutputMode::kUpdate && table.context.key_columns.empty()) {
        // Without a key the result is a multiset: a row is added, or one copy of it taken away.
        if (isAccumulate(kind)) {
          table.rows.push_back(chunk.rowAt(position));
        } else {
          const std::vector<Value> row = chunk.rowAt(position);
          auto copy = std::find(table.rows.begin(), table.rows.end(), row);
          if (copy != table.rows.end()) table.rows.erase(copy);
        }
      } else if (mode == OutputMode::kUpdate) {
        if (kind == RowKind::kDelete) {
          remove(table, chunk.rowAt(position));
        } else if (isAccumulate(kind)) {
          upsert(table, chunk.rowAt(position));
        }
      } else if (isAccumulate(kind)) {
        table.rows.push_back(chunk.rowAt(position));
      }
    }
  }
  table.last_batch_id = batch_id;
  ++table.batches;
  batch_applied_.notify_all();
  return Status::ok();
}

std::vector<std::vector<Value>> MemoryTables::rows(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  if (found == tables_.end()) return {};
  return found->second.rows;
}

std::optional<Schema> MemoryTables::resultSchema(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  if (found == tables_.end() || !found->second.has_result) return std::nullopt;
  return found->second.context.schema;
}

bool MemoryTables::hasResult(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  return found != tables_.end() && found->second.has_result;
}

int64_t MemoryTables::batchCount(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  return found == tables_.end() ? 0 : found->second.batches;
}

bool MemoryTables::waitForBatches(const std::string& name, int64_t count,
                                  std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return batch_applied_.wait_for(lock, timeout, [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    auto found = tables_.find(name);
    return found != tables_.end() && found->second.batches >= count;
  });
}

void MemoryTables::appendInput(const std::string& name, const DataChunk& chunk) {
  DataChunk copy = chunk.compacted();
  std::lock_guard lock(mutex_);
  Table& table = tables_[name];
  table.has_input = true;
  table.input.push_back(std::move(copy));
}

void MemoryTables::appendInputRows(const std::string& name, const std::vector<DataType>& types,
                                   const std::vector<std::vector<Value>>& rows) {
  DataChunk chunk(types, static_cast<uint32_t>(std::max<size_t>(rows.size(), 1)));
  for (const auto& row : rows) chunk.appendRow(row);
  appendInput(name, chunk);
}

void MemoryTables::endInput(const std::string& name) {
  std::lock_guard lock(mutex_);
  Table& table = tables_[name];
  table.has_input = true;
  table.input_ended = true;
}

bool MemoryTables::hasInput(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  return found != tables_.end() && found->second.has_input;
}

int64_t MemoryTables::inputChunkCount(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  return found == tables_.end() ? 0 : static_cast<int64_t>(found->second.input.size());
}

bool MemoryTables::inputEnded(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  return found != tables_.end() && found->second.input_ended;
}

std::vector<DataChunk> MemoryTables::inputChunks(const std::string& name, int64_t begin,
                                                 int64_t end) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(name);
  std::vector<DataChunk> chunks;
  if (found == tables_.end()) return chunks;
  const auto& input = found->second.input;
  for (int64_t i = std::max<int64_t>(begin, 0); i < end && i < static_cast<int64_t>(input.size());
       ++i) {
    chunks.push_back(input[static_cast<size_t>(i)]);
  }
  return chunks;
}

}  // namespace caudal::sql
