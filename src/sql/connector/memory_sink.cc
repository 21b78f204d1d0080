#include "sql/connector/memory_sink.h"

namespace caudal::sql {

MemorySink::MemorySink(MemoryTables& tables, std::string table_name)
    : tables_(tables), table_name_(std::move(table_name)) {}

Status MemorySink::open(const SinkContext& context) {
  tables_.openResult(table_name_, context);
  return Status::ok();
}

Status MemorySink::writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) {
  return tables_.applyBatch(table_name_, batch_id, chunks);
}

}  // namespace caudal::sql
