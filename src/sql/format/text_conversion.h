// Field text to vector values and back: the conversions the text formats (CSV, JSON strings)
// share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/types/data_type.h"
#include "sql/vector/vector.h"

namespace caudal::sql {

/// True for the types a text field can hold: every type but ROW, ARRAY, MAP, NULL and the
/// INTERVAL types.
bool isTextConvertible(const DataType& type);

/// Parses `text` as a value of `column`'s type and writes it at `row` (marking it valid).
/// Integers and numbers allow surrounding blanks; BOOLEAN is `true`/`false` in any case;
/// DECIMAL is rounded half up to the scale; DATE `yyyy-MM-dd`; TIME `HH:mm[:ss[.SSS]]`;
/// TIMESTAMP(p) and TIMESTAMP_LTZ(p) `yyyy-MM-dd HH:mm:ss[.S...]` or ISO `T` / trailing `Z`,
/// truncated to p digits (LTZ read as UTC); BYTES base64; STRING as is. On failure leaves the
/// row untouched and returns `cannot parse 'abc' as INT`. Not for nested types.
Status parseTextInto(std::string_view text, Vector& column, uint32_t row);

/// Appends the text of `column`'s value at `row` (which must not be NULL) as the text formats
/// write it: integers and DECIMAL as digits, FLOAT/DOUBLE as the shortest text that reads back
/// (`2.0`, `0.25`, `NaN`, `Infinity`), BOOLEAN `true`/`false`, temporal types in their
/// SQL form (`2024-01-01 12:00:00.123`), BYTES base64, STRING as is; nested types as
/// `Value::toString` shows them.
void appendValueText(const Vector& column, uint32_t row, std::string& out);

/// Standard base64 (RFC 4648, with padding).
std::string encodeBase64(std::string_view bytes);
/// Decodes standard base64 (padding optional); empty when malformed.
std::optional<std::string> decodeBase64(std::string_view text);

/// `text` without leading and trailing blanks (space, tab).
std::string_view trimBlanks(std::string_view text);

}  // namespace caudal::sql
