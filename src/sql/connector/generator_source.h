// What the generator sources (`datagen`, `nexmark`) share: one offset position (rows made so
// far) advanced by a pacing, ranges split into contiguous task slices, and the columns and ROW
// fields the query reads.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sql/connector/generator_pacing.h"
#include "sql/connector/table_source.h"

namespace caudal::sql::generator {

/// A table source whose rows are a pure function of their row number. Subclasses make the
/// rows of a slice in `read`, asking `rowsOfTask` which rows those are.
class GeneratorSource : public TableSource {
 public:
  const Schema& schema() const override { return schema_; }
  bool bounded() const override { return total_rows_ >= 0; }
  void requireColumns(const std::vector<std::vector<size_t>>& paths) override;
  SourceOffset initialOffset() const override { return SourceOffset{{0}}; }
  Result<SourceOffset> latestOffset() override { return SourceOffset{{pacing_.advance()}}; }
  bool finished() const override { return pacing_.finished(); }
  size_t taskCount(const SourceOffset& start, const SourceOffset& end) const override;

 protected:
  /// `connector` names the source in errors; `total_rows` is -1 when unbounded.
  GeneratorSource(const char* connector, std::string table_name, Schema schema, int64_t total_rows,
                  double rows_per_second, int64_t max_per_batch, size_t parallelism);

  /// The rows [first, last) task `task` of [start, end) makes, or an error naming the table for
  /// offsets this source never handed out.
  Result<std::pair<int64_t, int64_t>> rowsOfTask(const SourceOffset& start, const SourceOffset& end,
                                                 size_t task) const;
  /// Whether the query reads column `column`, and field `field` of a ROW column.
  bool columnNeeded(size_t column) const { return needed_[column]; }
  const std::vector<bool>& fieldsNeeded(size_t column) const { return field_needed_[column]; }

  const std::string& tableName() const { return table_name_; }

 private:
  const char* connector_;
  std::string table_name_;
  Schema schema_;
  int64_t total_rows_;
  GeneratorPacing pacing_;
  size_t parallelism_;
  std::vector<bool> needed_;
  std::vector<std::vector<bool>> field_needed_;  // per ROW column, per field
};

}  // namespace caudal::sql::generator
