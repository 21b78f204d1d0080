#include "sql/connector/generator_source.h"

#include <algorithm>

namespace caudal::sql::generator {

GeneratorSource::GeneratorSource(const char* connector, std::string table_name, Schema schema, int64_t total_rows,
                                 double rows_per_second, int64_t max_per_batch, size_t parallelism)
    : connector_(connector),
      table_name_(std::move(table_name)),
      schema_(std::move(schema)),
      total_rows_(total_rows),
      pacing_(total_rows, rows_per_second, max_per_batch),
      parallelism_(parallelism) {
  needed_.assign(schema_.size(), true);
  for (const Field& column : schema_.columns) {
    field_needed_.emplace_back(column.type.id() == TypeId::kRow ? column.type.children().size() : 0, true);
  }
}

void GeneratorSource::requireColumns(const std::vector<std::vector<size_t>>& paths) {
  std::fill(needed_.begin(), needed_.end(), false);
  for (auto& fields : field_needed_) std::fill(fields.begin(), fields.end(), false);
  for (const auto& path : paths) {
    if (path.empty() || path[0] >= schema_.size()) continue;
    needed_[path[0]] = true;
    auto& fields = field_needed_[path[0]];
    if (path.size() == 1) {
      std::fill(fields.begin(), fields.end(), true);
    } else if (path[1] < fields.size()) {
      fields[path[1]] = true;
    }
  }
}

size_t GeneratorSource::taskCount(const SourceOffset& start, const SourceOffset& end) const {
  if (start.positions.size() != 1 || end.positions.size() != 1) return 0;
  return taskCountFor(end.positions[0] - start.positions[0], parallelism_);
}

Result<std::pair<int64_t, int64_t>> GeneratorSource::rowsOfTask(const SourceOffset& start, const SourceOffset& end,
                                                                size_t task) const {
  if (start.positions.size() != 1 || end.positions.size() != 1 || start.positions[0] < 0 ||
      end.positions[0] < start.positions[0] || (total_rows_ >= 0 && end.positions[0] > total_rows_)) {
    return Status::error(std::string("table '").append(table_name_)
                             .append("': ")
                             .append(connector_)
                             .append(" offsets must be one row position in [0, ")
                             .append(total_rows_ >= 0 ? std::to_string(total_rows_) : std::string("unbounded"))
                             .append("], start before end"));
  }
  return taskSlice(start.positions[0], end.positions[0], taskCount(start, end), task);
}

}  // namespace caudal::sql::generator
