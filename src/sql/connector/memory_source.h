// The `memory` source: a named in-process table read by a query.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql/connector/memory_tables.h"
#include "sql/connector/table_source.h"

namespace caudal::sql {

/// Reads table `table_name` of `tables`, in one of two ways fixed at construction:
/// - when the table has an input (`MemoryTables::appendInput`/`endInput` was called before),
///   as an unbounded stream of its input chunks: the offset is `{chunks appended}`, one read
///   task per chunk, and `finished()` once the input was ended and all of it lies before the
///   last offset;
/// - otherwise as a bounded table of the result rows there when `latestOffset` is first
///   called (offset `{0}` then `{1}`), read by one task.
/// Chunks must have the source's column types (an error names the chunk otherwise).
/// `tables` must outlive the source.
class MemorySource final : public TableSource {
 public:
  MemorySource(MemoryTables& tables, std::string table_name, Schema schema);

  const Schema& schema() const override { return schema_; }
  bool bounded() const override { return !streaming_; }
  SourceOffset initialOffset() const override { return SourceOffset{{0}}; }
  Result<SourceOffset> latestOffset() override;
  bool finished() const override;
  size_t taskCount(const SourceOffset& start, const SourceOffset& end) const override;
  Status read(const SourceOffset& start, const SourceOffset& end, size_t task,
              const ChunkConsumer& emit) override;

 private:
  Status checkTypes(const DataChunk& chunk, int64_t index) const;

  MemoryTables& tables_;
  std::string table_name_;
  Schema schema_;
  bool streaming_;
  // Bounded: the rows taken at the first latestOffset.
  std::optional<std::vector<std::vector<Value>>> snapshot_;
  // The last offset returned.
  int64_t last_end_ = 0;
};

}  // namespace caudal::sql
