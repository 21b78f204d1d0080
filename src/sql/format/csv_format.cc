#include "sql/format/csv_format.h"

#include "sql/format/text_conversion.h"

namespace caudal::sql {
namespace {

Result<char> charOption(const TableOptions& options, const std::string& key, char fallback) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  if (it->second.size() == 1) return it->second[0];
  if (it->second == "\\t") return '\t';
  return Status::error(std::string("option '")
                           .append(key)
                           .append("' must be one character, got '")
                           .append(it->second)
                           .append("'"));
}

class CsvFormat;

// One field of a record: its text (unescaped when quoted) and whether it was quoted.
struct CsvField {
  std::string_view text;
  bool quoted = false;
};

class CsvDecoder final : public RecordDecoder {
 public:
  CsvDecoder(const CsvFormat& format, const std::vector<bool>& required);
  std::optional<ParseFailure> decode(std::string_view record, DataChunk& chunk,
                                     uint32_t row) override;

 private:
  std::optional<ParseFailure> split(std::string_view record);

  const CsvFormat& format_;
  std::vector<size_t> data_columns_;  // the schema column of each data field
  std::vector<bool> required_;        // per data field
  std::vector<CsvField> fields_;
  std::string unescaped_;  // the text of quoted fields with doubled quotes; reserved per record
};

class CsvEncoder final : public RecordEncoder {
 public:
  explicit CsvEncoder(const CsvFormat& format) : format_(format) {}
  std::string header() const override;
  void encode(const DataChunk& chunk, uint32_t position, std::string& out) override;

 private:
  void appendField(std::string_view text, std::string& out) const;

  const CsvFormat& format_;
  std::string scratch_;
};

class CsvFormat final : public RecordFormat {
 public:
  CsvFormat(Schema schema, CsvOptions options, MalformedRecordPolicy policy)
      : RecordFormat("csv", std::move(schema), policy), options_(std::move(options)) {}

  const CsvOptions& options() const { return options_; }
  std::unique_ptr<RecordDecoder> newDecoder(const std::vector<bool>& required) const override {
    return std::make_unique<CsvDecoder>(*this, required);
  }
  std::unique_ptr<RecordEncoder> newEncoder() const override {
    return std::make_unique<CsvEncoder>(*this);
  }
  bool skipsFirstLine() const override { return options_.ignore_first_line; }
  bool isIgnorable(std::string_view line) const override {
    return line.empty() || (options_.allow_comments && line.front() == '#');
  }

 private:
  CsvOptions options_;
};

CsvDecoder::CsvDecoder(const CsvFormat& format, const std::vector<bool>& required)
    : format_(format) {
  const Schema& schema = format.schema();
  for (size_t c = 0; c < schema.size(); ++c) {
    if (format.policy().corrupt_column == c) continue;
    data_columns_.push_back(c);
    required_.push_back(required.empty() || required[c]);
  }
}

std::optional<ParseFailure> CsvDecoder::split(std::string_view record) {
  const char delimiter = format_.options().field_delimiter;
  const char quote = format_.options().quote_character;
  fields_.clear();
  // The fast path: no quote anywhere, so fields are the text between delimiters.
  if (record.find(quote) == std::string_view::npos) {
    size_t start = 0;
    while (true) {
      const size_t end = record.find(delimiter, start);
      if (end == std::string_view::npos) {
        fields_.push_back({record.substr(start), false});
        return std::nullopt;
      }
      fields_.push_back({record.substr(start, end - start), false});
      start = end + 1;
    }
  }
  unescaped_.clear();
  unescaped_.reserve(record.size());  // views into it stay valid: it never grows past this
  size_t pos = 0;
  while (true) {
    if (pos < record.size() && record[pos] == quote) {
      const size_t begin = unescaped_.size();
      ++pos;
      bool closed = false;
      while (pos < record.size()) {
        if (record[pos] == quote) {
          if (pos + 1 < record.size() && record[pos + 1] == quote) {
            unescaped_ += quote;
            pos += 2;
            continue;
          }
          closed = true;
          ++pos;
          break;
        }
        unescaped_ += record[pos++];
      }
      if (!closed) {
        return ParseFailure{
            true,
            std::string("unterminated quoted field ").append(std::to_string(fields_.size() + 1))};
      }
      fields_.push_back({std::string_view(unescaped_).substr(begin), true});
      if (pos == record.size()) return std::nullopt;
      if (record[pos] != delimiter) {
        return ParseFailure{true,
                            std::string("unexpected character after the closing quote of field ")
                                .append(std::to_string(fields_.size()))};
      }
      ++pos;
      continue;
    }
    const size_t end = record.find(delimiter, pos);
    if (end == std::string_view::npos) {
      fields_.push_back({record.substr(pos), false});
      return std::nullopt;
    }
    fields_.push_back({record.substr(pos, end - pos), false});
    pos = end + 1;
  }
}

std::optional<ParseFailure> CsvDecoder::decode(std::string_view record, DataChunk& chunk,
                                               uint32_t row) {
  if (std::optional<ParseFailure> failure = split(record)) return failure;
  if (fields_.size() != data_columns_.size()) {
    return ParseFailure{true, std::string("expected ")
                                  .append(std::to_string(data_columns_.size()))
                                  .append(" fields, found ")
                                  .append(std::to_string(fields_.size()))};
  }
  const bool fail_fast = format_.policy().mode == MalformedMode::kFailFast;
  const std::optional<std::string>& null_literal = format_.options().null_literal;
  std::optional<ParseFailure> first_failure;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!required_[i]) continue;
    const CsvField& field = fields_[i];
    Vector& column = chunk.column(data_columns_[i]);
    if (!field.quoted && null_literal && field.text == *null_literal) {
      column.setNull(row);
      continue;
    }
    if (column.type().id() != TypeId::kString && trimBlanks(field.text).empty()) {
      column.setNull(row);
      continue;
    }
    Status status = parseTextInto(field.text, column, row);
    if (status.isOk()) continue;
    column.setNull(row);
    if (!first_failure) {
      first_failure =
          ParseFailure{false, std::string("column '")
                                  .append(format_.schema().columns[data_columns_[i]].name)
                                  .append("': ")
                                  .append(status.message())};
      if (fail_fast) return first_failure;
    }
  }
  return first_failure;
}

std::string CsvEncoder::header() const {
  std::string out;
  if (!format_.options().ignore_first_line) return out;
  const Schema& schema = format_.schema();
  for (size_t c = 0; c < schema.size(); ++c) {
    if (c > 0) out += format_.options().field_delimiter;
    appendField(schema.columns[c].name, out);
  }
  out += '\n';
  return out;
}

void CsvEncoder::appendField(std::string_view text, std::string& out) const {
  const char delimiter = format_.options().field_delimiter;
  const char quote = format_.options().quote_character;
  bool needs_quotes = false;
  for (char c : text) {
    if (c == delimiter || c == quote || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += text;
    return;
  }
  out += quote;
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
}

void CsvEncoder::encode(const DataChunk& chunk, uint32_t position, std::string& out) {
  const CsvOptions& options = format_.options();
  for (size_t c = 0; c < chunk.columnCount(); ++c) {
    if (c > 0) out += options.field_delimiter;
    const Vector& column = chunk.column(c);
    if (column.isNull(position)) {
      if (options.null_literal) out += *options.null_literal;
      continue;
    }
    scratch_.clear();
    appendValueText(column, position, scratch_);
    appendField(scratch_, out);
  }
  out += '\n';
}

}  // namespace

const std::vector<std::string>& csvOptionKeys() {
  static const std::vector<std::string> keys = {"csv.field-delimiter",
                                                "csv.quote-character",
                                                "csv.allow-comments",
                                                "csv.ignore-first-line",
                                                "header",
                                                "csv.null-literal"};
  return keys;
}

Result<CsvOptions> csvOptionsFrom(const TableOptions& options) {
  CsvOptions csv;
  Result<char> delimiter = charOption(options, "csv.field-delimiter", ',');
  if (!delimiter.isOk()) return delimiter.status();
  csv.field_delimiter = delimiter.value();
  Result<char> quote = charOption(options, "csv.quote-character", '"');
  if (!quote.isOk()) return quote.status();
  csv.quote_character = quote.value();
  if (csv.quote_character == csv.field_delimiter) {
    return Status::error("options 'csv.field-delimiter' and 'csv.quote-character' must differ");
  }
  Result<bool> comments = booleanOption(options, "csv.allow-comments", false);
  if (!comments.isOk()) return comments.status();
  csv.allow_comments = comments.value();
  Result<bool> first_line = booleanOption(options, "csv.ignore-first-line", false);
  if (!first_line.isOk()) return first_line.status();
  Result<bool> header = booleanOption(options, "header", false);
  if (!header.isOk()) return header.status();
  csv.ignore_first_line = first_line.value() || header.value();
  auto null_literal = options.find("csv.null-literal");
  if (null_literal != options.end()) csv.null_literal = null_literal->second;
  return csv;
}

Result<std::shared_ptr<const RecordFormat>> makeCsvFormat(const Schema& schema,
                                                          const CsvOptions& options,
                                                          MalformedRecordPolicy policy) {
  for (const Field& column : schema.columns) {
    if (!isTextConvertible(column.type)) {
      return Status::error(std::string("format 'csv' cannot hold column '")
                               .append(column.name)
                               .append("' of type ")
                               .append(column.type.toString()));
    }
  }
  return std::shared_ptr<const RecordFormat>(std::make_shared<CsvFormat>(schema, options, policy));
}

}  // namespace caudal::sql
