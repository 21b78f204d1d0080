// JSON lines (one object per line) as rows of a schema, and rows back to JSON lines.
#pragma once

#include <memory>

#include "sql/format/record_format.h"

namespace caudal::sql {

/// The JSON format for `schema` (Flink's `json` format). Decoding: each line is one JSON
/// object; its fields go to the columns of the same name (case-sensitive; a missing field or
/// `null` is NULL; unknown fields are ignored; a repeated field's last value wins). Numbers,
/// strings (also a number or boolean written as a string) and booleans convert to the column's
/// type; TIMESTAMP, DATE, TIME and DECIMAL may be strings; BYTES are base64 strings; an object
/// fills a ROW (fields by name) or a MAP (keys converted from text); an array fills an ARRAY.
/// A STRING column takes any JSON value (non-strings as their JSON text). A line that is not a
/// JSON object is malformed as a whole. Encoding: `{"status":200,"n":3}` with every column,
/// NULL as `null`, temporal values as SQL-form strings, BYTES base64, non-finite numbers as
/// strings ("NaN").
std::shared_ptr<const RecordFormat> makeJsonFormat(const Schema& schema,
                                                   MalformedRecordPolicy policy);

}  // namespace caudal::sql
