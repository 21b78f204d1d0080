// CSV lines (RFC 4180 quoting within a line) as rows of a schema, and rows back to CSV.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/format/record_format.h"

namespace caudal::sql {

/// The CSV format's settings (Flink's `csv.*` options).
struct CsvOptions {
  /// `csv.field-delimiter`.
  char field_delimiter = ',';
  /// `csv.quote-character`: a field starting with it runs to the matching one; a doubled quote
  /// inside stands for one.
  char quote_character = '"';
  /// `csv.allow-comments`: lines starting with `#` are skipped.
  bool allow_comments = false;
  /// `csv.ignore-first-line` (Spark's `header`): every file's first line is skipped.
  bool ignore_first_line = false;
  /// `csv.null-literal`: an unquoted field equal to it is NULL (for every type), and NULL is
  /// written as it.
  std::optional<std::string> null_literal;
};

/// The CSV format's own option keys (the policy's not included).
const std::vector<std::string>& csvOptionKeys();
/// Reads the `csv.*` options. Errors (no table prefix) for bad values.
Result<CsvOptions> csvOptionsFrom(const TableOptions& options);

/// The CSV format for `schema`. Data fields map to the schema's columns in order, leaving out
/// the policy's corrupt-record column. Decoding: an empty field (quoted or not) is NULL for a
/// non-STRING column and "" for a STRING one; fields convert as `parseTextInto`; a record with
/// another number of fields, an unterminated quote or text after a closing quote is malformed
/// as a whole. Blank lines are skipped. Encoding: fields joined by the delimiter, quoted when
/// they hold the delimiter, the quote, CR or LF; NULL as the null literal or nothing.
/// Errors when a column's type has no text form (ROW, ARRAY, MAP, INTERVAL).
Result<std::shared_ptr<const RecordFormat>> makeCsvFormat(const Schema& schema,
                                                          const CsvOptions& options,
                                                          MalformedRecordPolicy policy);

}  // namespace caudal::sql
