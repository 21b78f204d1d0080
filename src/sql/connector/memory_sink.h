// The `memory` sink: a query's result kept in a named in-process table (Structured Streaming's
// memory sink), for the shell and for tests.
#pragma once

#include <string>

#include "sql/connector/memory_tables.h"
#include "sql/connector/table_sink.h"

namespace caudal::sql {

/// Writes every batch to the result `table_name` of `tables` (see `MemoryTables::applyBatch`
/// for what each output mode does). `tables` must outlive the sink.
class MemorySink final : public TableSink {
 public:
  MemorySink(MemoryTables& tables, std::string table_name);

  Status open(const SinkContext& context) override;
  Status writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) override;

 private:
  MemoryTables& tables_;
  std::string table_name_;
};

}  // namespace caudal::sql
