// The raw format: each line is one STRING value.
#pragma once

#include <memory>

#include "sql/format/record_format.h"

namespace caudal::sql {

/// The raw format (Flink's `raw`): the whole line (empty lines included) is the value of the
/// schema's single STRING column; NULL is written as an empty line. Errors unless the schema
/// is one STRING column.
Result<std::shared_ptr<const RecordFormat>> makeRawFormat(const Schema& schema);

}  // namespace caudal::sql
