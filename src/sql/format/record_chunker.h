// Records to chunks under a malformed-record policy: the one place where FAILFAST,
// DROPMALFORMED, PERMISSIVE and ignore-parse-errors are applied, for every source and format.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caudal/detail/function_ref.h"
#include "common/status.h"
#include "sql/connector/table_source.h"
#include "sql/format/record_format.h"

namespace caudal::sql {

/// Fills chunks of the format's schema with decoded records and hands each full chunk (and the
/// last one, at `finish`) to `emit`. Counts emitted rows in `metrics.rows_read` and skipped
/// malformed records in `metrics.rows_dropped`. Columns not required are emitted as constant
/// NULL vectors. One per reading thread; `format`, `emit` and `metrics` must outlive it.
class RecordChunker {
 public:
  /// `required`: as `RecordFormat::newDecoder` (empty: every column).
  RecordChunker(const RecordFormat& format, std::vector<bool> required, const ChunkConsumer& emit,
                SourceMetrics& metrics);

  /// Decodes one record (a line without its end). Ignorable lines are skipped. `place` names
  /// where the record is (`file a.csv, line 17`) and is called only for an error: under
  /// FAILFAST a malformed record gives `<place>, <failure>`. An error from `emit` is returned.
  Status add(std::string_view record, detail::FunctionRef<std::string()> place);
  /// Emits the rows not emitted yet (nothing if there are none).
  Status finish();

 private:
  Status emitChunk();
  void startChunk();

  const RecordFormat& format_;
  std::vector<bool> required_;
  const ChunkConsumer& emit_;
  SourceMetrics& metrics_;
  std::unique_ptr<RecordDecoder> decoder_;
  std::vector<DataType> types_;
  DataChunk chunk_;
  uint32_t rows_ = 0;
};

}  // namespace caudal::sql
