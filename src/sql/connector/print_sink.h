// The `print` sink: each batch shown as Structured Streaming's console sink shows it.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sql/connector/table_sink.h"

namespace caudal::sql {

/// How the `print` sink shows a batch (Spark's console sink options).
struct PrintOptions {
  /// `numRows`: rows shown per batch; more gives `only showing top N rows`.
  int64_t num_rows = 20;
  /// `truncate`: cells longer than this many characters are cut to `truncate - 3` plus `...`;
  /// 0 shows them whole (and left-aligns cells, as Spark does).
  int64_t truncate = 20;
};

/// Writes every batch to `out` as Spark's console sink does:
///
///     -------------------------------------------
///     Batch: 0
///     -------------------------------------------
///     +------+---+
///     |status|  n|
///     +------+---+
///     |   200|  3|
///     +------+---+
///     <empty line>
///
/// Cells are `Value::toString` (NULL as `NULL`; newlines and tabs escaped as `\n`, `\t`),
/// right-aligned, columns at least 3 wide. Only +I and +U rows are shown (Spark has no
/// deletions). `out` must outlive the sink; it is flushed after each batch.
class PrintSink final : public TableSink {
 public:
  explicit PrintSink(PrintOptions options, std::ostream* out = nullptr);

  Status open(const SinkContext& context) override;
  Status writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) override;

 private:
  PrintOptions options_;
  std::ostream* out_;
  Schema schema_;
};

/// The table Spark's `Dataset.show(num_rows, truncate)` prints for `header` and `rows` (cells
/// as text), with `only showing top N rows` when `has_more`.
std::string showTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows, int64_t truncate,
                      bool has_more, int64_t num_rows);

}  // namespace caudal::sql
