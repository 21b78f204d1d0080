// Line formats (CSV, JSON lines, raw text): how a source's records become rows of a schema and
// how a sink's rows become lines, with the malformed-record policy they all share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/connector/connector_factory.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

/// What a source does with a record it cannot decode.
enum class MalformedMode : uint8_t {
  /// The read fails with an error naming the place (Spark's FAILFAST; the default).
  kFailFast,
  /// The record is skipped and counted in `rows_dropped` (Spark's DROPMALFORMED).
  kDropMalformed,
  /// The record is kept (Spark's PERMISSIVE): with a corrupt-record column, that column gets
  /// the raw record and every other column is NULL; without one, the fields that failed are
  /// NULL (every field when the record as a whole is malformed).
  kPermissive,
  /// Flink's `ignore-parse-errors`: fields that fail are NULL; a record that cannot be split
  /// into fields at all (bad JSON, wrong CSV field count) is skipped and counted.
  kIgnoreErrors,
};

/// A format's malformed-record policy, from the table's options.
struct MalformedRecordPolicy {
  MalformedMode mode = MalformedMode::kFailFast;
  /// PERMISSIVE only: the STRING column (of the schema) that receives malformed records.
  std::optional<size_t> corrupt_column;
};

/// Reads `'format.ignore-parse-errors'`, `'<format>.ignore-parse-errors'` (Flink), `'mode'`
/// and `'columnNameOfCorruptRecord'` (Spark; default `_corrupt_record`). Errors (without the
/// table prefix) for a bad value, or for both Flink and Spark options given.
Result<MalformedRecordPolicy> malformedRecordPolicyFromOptions(const TableOptions& options,
                                                               std::string_view format,
                                                               const Schema& schema);

/// Why a record could not be decoded.
struct ParseFailure {
  /// True when the record as a whole is malformed (not one of its fields).
  bool whole_record = false;
  /// `column 'status': cannot parse 'abc' as INT`, `expected 4 fields, found 3`, ...
  std::string message;
};

/// Decodes records into chunk rows. One per reading thread (not thread-safe).
class RecordDecoder {
 public:
  virtual ~RecordDecoder() = default;
  /// Decodes `record` into position `row` of `chunk` (columns of the format's schema): every
  /// required column except the corrupt-record column gets a value or NULL. Returns the first
  /// failure, if any; under FAILFAST it stops there (the row is then partly written), otherwise
  /// the fields that failed are NULL and decoding goes on.
  virtual std::optional<ParseFailure> decode(std::string_view record, DataChunk& chunk,
                                             uint32_t row) = 0;
};

/// Encodes chunk rows as lines. One per writing thread (not thread-safe).
class RecordEncoder {
 public:
  virtual ~RecordEncoder() = default;
  /// What a file starts with (a CSV header line, with its "\n"), or "".
  virtual std::string header() const { return {}; }
  /// Appends the row at `position` of `chunk` as one line ending with "\n".
  virtual void encode(const DataChunk& chunk, uint32_t position, std::string& out) = 0;
};

/// A format bound to a schema and options. Immutable and thread-safe; make a decoder or an
/// encoder per thread.
class RecordFormat {
 public:
  RecordFormat(std::string name, Schema schema, MalformedRecordPolicy policy)
      : name_(std::move(name)), schema_(std::move(schema)), policy_(policy) {}
  virtual ~RecordFormat() = default;

  /// `csv`, `json`, `raw`.
  const std::string& name() const { return name_; }
  const Schema& schema() const { return schema_; }
  const MalformedRecordPolicy& policy() const { return policy_; }

  /// A decoder; `required[c]` false (or `required` empty: all true) lets it skip column c.
  virtual std::unique_ptr<RecordDecoder> newDecoder(const std::vector<bool>& required) const = 0;
  /// An encoder of the schema's rows.
  virtual std::unique_ptr<RecordEncoder> newEncoder() const = 0;
  /// True when the first line of every file is a header, not a record.
  virtual bool skipsFirstLine() const { return false; }
  /// True for a line that holds no record (a blank line, a comment): not decoded, not counted.
  virtual bool isIgnorable(std::string_view line) const {
    (void)line;
    return false;
  }

 private:
  std::string name_;
  Schema schema_;
  MalformedRecordPolicy policy_;
};

/// The format names `makeRecordFormat` knows, in order: csv, json, raw.
const std::vector<std::string>& recordFormatNames();
/// The option keys format `name` reads, policy keys included (empty for an unknown format).
std::vector<std::string> recordFormatOptionKeys(std::string_view name);
/// Makes format `name` for `schema` from the table's options (it reads only its own keys).
/// Errors, without a table prefix: `unknown format 'xml'; known formats: csv, json, raw`,
/// `'csv.field-delimiter' must be one character, got ';;'`, ...
Result<std::shared_ptr<const RecordFormat>> makeRecordFormat(std::string_view name,
                                                             const TableOptions& options,
                                                             const Schema& schema);

/// Marks the value at `row` NULL, keeping nested vectors consistent (an empty list entry for
/// ARRAY/MAP, NULL fields for ROW).
void setNullAt(Vector& column, uint32_t row);

/// Reads a boolean option (`true`/`false`, any case); `fallback` when absent.
Result<bool> booleanOption(const TableOptions& options, const std::string& key, bool fallback);

}  // namespace caudal::sql
