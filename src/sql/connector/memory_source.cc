#include "sql/connector/memory_source.h"

#include <algorithm>

namespace caudal::sql {

MemorySource::MemorySource(MemoryTables& tables, std::string table_name, Schema schema)
    : tables_(tables),
      table_name_(std::move(table_name)),
      schema_(std::move(schema)),
      streaming_(tables_.hasInput(table_name_)) {}

Result<SourceOffset> MemorySource::latestOffset() {
  if (streaming_) {
    last_end_ = tables_.inputChunkCount(table_name_);
  } else {
    if (!snapshot_) snapshot_ = tables_.rows(table_name_);
    last_end_ = 1;
  }
  return SourceOffset{{last_end_}};
}

bool MemorySource::finished() const {
  if (!streaming_) return snapshot_.has_value();
  return tables_.inputEnded(table_name_) && last_end_ >= tables_.inputChunkCount(table_name_);
}

size_t MemorySource::taskCount(const SourceOffset& start, const SourceOffset& end) const {
  if (start.positions.empty() || end.positions.empty()) return 0;
  return static_cast<size_t>(std::max<int64_t>(0, end.positions[0] - start.positions[0]));
}

Status MemorySource::checkTypes(const DataChunk& chunk, int64_t index) const {
  bool same = chunk.columnCount() == schema_.size();
  for (size_t c = 0; same && c < schema_.size(); ++c)
    same = chunk.column(c).type().sameAs(schema_.columns[c].type);
  if (same) return Status::ok();
  std::string types;
  for (size_t c = 0; c < chunk.columnCount(); ++c) {
    if (c > 0) types += ", ";
    types += chunk.column(c).type().toString();
  }
  return Status::error(std::string("memory table '")
                           .append(table_name_)
                           .append("', chunk ")
                           .append(std::to_string(index))
                           .append(": columns (")
                           .append(types)
                           .append(") do not match the table's (")
                           .append(schema_.toString())
                           .append(")"));
}

Status MemorySource::read(const SourceOffset& start, const SourceOffset& end, size_t task,
                          const ChunkConsumer& emit) {
  (void)end;
  const int64_t index = start.positions.at(0) + static_cast<int64_t>(task);
  if (streaming_) {
    std::vector<DataChunk> chunks = tables_.inputChunks(table_name_, index, index + 1);
    if (chunks.empty()) {
      return Status::error(std::string("memory table '")
                               .append(table_name_)
                               .append("': no input chunk ")
                               .append(std::to_string(index)));
    }
    if (Status status = checkTypes(chunks[0], index); !status.isOk()) return status;
    metrics().rows_read.fetch_add(chunks[0].count(), std::memory_order_relaxed);
    return emit(chunks[0]);
  }
  if (!snapshot_) return Status::ok();
  const std::vector<DataType> types = schema_.types();
  size_t next = 0;
  while (next < snapshot_->size()) {
    DataChunk chunk(types, kVectorSize);
    for (; next < snapshot_->size() && chunk.size() < kVectorSize; ++next) {
      if ((*snapshot_)[next].size() != schema_.size()) {
        return Status::error(std::string("memory table '")
                                 .append(table_name_)
                                 .append("': its rows have ")
                                 .append(std::to_string((*snapshot_)[next].size()))
                                 .append(" columns, the table ")
                                 .append(std::to_string(schema_.size())));
      }
      chunk.appendRow((*snapshot_)[next]);
    }
    metrics().rows_read.fetch_add(chunk.count(), std::memory_order_relaxed);
    if (Status status = emit(chunk); !status.isOk()) return status;
  }
  return Status::ok();
}

}  // namespace caudal::sql
