#include "sql/format/json_format.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "sql/format/text_conversion.h"
#include "sql/types/decimal.h"

namespace caudal::sql {
namespace {

namespace dom = simdjson::dom;

// Why a value could not be written: the path of the nested field below the column that
// failed ("" for the column itself, "id" or "user.id" for ROW fields) and the message.
struct FieldFailure {
  std::string path;
  std::string message;
};
using FieldError = std::optional<FieldFailure>;

FieldFailure failure(std::string message) { return FieldFailure{"", std::move(message)}; }

std::string cannotParse(std::string_view text, const DataType& type) {
  return std::string("cannot parse '")
      .append(text)
      .append("' as ")
      .append(type.withNullable(true).toString());
}

std::string jsonText(dom::element element) { return simdjson::minify(element); }

// The shortest decimal text of a double that reads back to it: DECIMAL columns parse it
// exactly as written (12.345, not 12.3449999...).
std::string shortestText(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return std::string(buffer, end);
}

class JsonFormat;

class JsonDecoder final : public RecordDecoder {
 public:
  JsonDecoder(const JsonFormat& format, const std::vector<bool>& required);
  std::optional<ParseFailure> decode(std::string_view record, DataChunk& chunk,
                                     uint32_t row) override;

 private:
  // Writes `element` at `row` of `column`; on failure returns the message and leaves the value
  // for the caller to null. `path` names the column (`user.id`).
  FieldError write(dom::element element, Vector& column, uint32_t row);
  FieldError writeScalar(dom::element element, Vector& column, uint32_t row);
  // Fills ROW `column` at `row` from `object`, field by name; the first error with its path.
  FieldError writeRow(dom::object object, Vector& column, uint32_t row);

  const JsonFormat& format_;
  std::vector<size_t> data_columns_;  // schema columns decoded (required, not the corrupt one)
  std::vector<uint32_t> seen_;        // per schema column: the record number that set it
  uint32_t record_number_ = 0;
  dom::parser parser_;
  std::string padded_;  // the record with simdjson's padding after it
};

class JsonEncoder final : public RecordEncoder {
 public:
  void encode(const DataChunk& chunk, uint32_t position, std::string& out) override;
  explicit JsonEncoder(const JsonFormat& format) : format_(format) {}

 private:
  void appendValue(const Vector& column, uint32_t row, std::string& out);

  const JsonFormat& format_;
};

class JsonFormat final : public RecordFormat {
 public:
  JsonFormat(Schema schema, MalformedRecordPolicy policy)
      : RecordFormat("json", std::move(schema), policy) {}
  std::unique_ptr<RecordDecoder> newDecoder(const std::vector<bool>& required) const override {
    return std::make_unique<JsonDecoder>(*this, required);
  }
  std::unique_ptr<RecordEncoder> newEncoder() const override {
    return std::make_unique<JsonEncoder>(*this);
  }
  bool isIgnorable(std::string_view line) const override { return trimBlanks(line).empty(); }
};

JsonDecoder::JsonDecoder(const JsonFormat& format, const std::vector<bool>& required)
    : format_(format) {
  const Schema& schema = format.schema();
  for (size_t c = 0; c < schema.size(); ++c) {
    if (format.policy().corrupt_column == c) continue;
    if (!required.empty() && !required[c]) continue;
    data_columns_.push_back(c);
  }
  seen_.assign(schema.size(), 0);
}

FieldError JsonDecoder::writeScalar(dom::element element, Vector& column, uint32_t row) {
  const DataType& type = column.type();
  const dom::element_type json_type = element.type();
  if (json_type == dom::element_type::STRING) {
    std::string_view text = element.get_string().value_unsafe();
    Status status = parseTextInto(text, column, row);
    if (!status.isOk()) return failure(status.message());
    return std::nullopt;
  }
  if (type.id() == TypeId::kString) {
    column.values<std::string_view>()[row] = column.addString(jsonText(element));
    column.setValid(row);
    return std::nullopt;
  }
  switch (json_type) {
    case dom::element_type::BOOL:
      if (type.id() != TypeId::kBoolean) return failure(cannotParse(jsonText(element), type));
      column.values<uint8_t>()[row] = element.get_bool().value_unsafe() ? 1 : 0;
      break;
    case dom::element_type::INT64:
    case dom::element_type::UINT64: {
      if (type.id() == TypeId::kFloat || type.id() == TypeId::kDouble) {
        const double value = element.get_double().value_unsafe();
        if (type.id() == TypeId::kFloat) {
          column.values<float>()[row] = static_cast<float>(value);
        } else {
          column.values<double>()[row] = value;
        }
        break;
      }
      if (json_type == dom::element_type::UINT64 && type.id() == TypeId::kDecimal128) {
        const auto unscaled = rescaleDecimal128(element.get_uint64().value_unsafe(), 0, type.scale(), type.precision());
        if (!unscaled) return failure(cannotParse(jsonText(element), type));
        column.values<__int128>()[row] = *unscaled;
        break;
      }
      if (json_type == dom::element_type::UINT64)
        return failure(cannotParse(jsonText(element), type));
      const int64_t value = element.get_int64().value_unsafe();
      switch (type.id()) {
        case TypeId::kTinyInt:
          if (value < INT8_MIN || value > INT8_MAX)
            return failure(cannotParse(jsonText(element), type));
          column.values<int8_t>()[row] = static_cast<int8_t>(value);
          break;
        case TypeId::kSmallInt:
          if (value < INT16_MIN || value > INT16_MAX)
            return failure(cannotParse(jsonText(element), type));
          column.values<int16_t>()[row] = static_cast<int16_t>(value);
          break;
        case TypeId::kInt:
          if (value < INT32_MIN || value > INT32_MAX)
            return failure(cannotParse(jsonText(element), type));
          column.values<int32_t>()[row] = static_cast<int32_t>(value);
          break;
        case TypeId::kBigInt:
          column.values<int64_t>()[row] = value;
          break;
        case TypeId::kDecimal: {
          auto unscaled = rescaleDecimal(value, 0, type.scale(), type.precision());
          if (!unscaled) return failure(cannotParse(jsonText(element), type));
          column.values<int64_t>()[row] = *unscaled;
          break;
        }
        case TypeId::kDecimal128: {
          auto unscaled = rescaleDecimal128(value, 0, type.scale(), type.precision());
          if (!unscaled) return failure(cannotParse(jsonText(element), type));
          column.values<__int128>()[row] = *unscaled;
          break;
        }
        default:
          return failure(cannotParse(jsonText(element), type));
      }
      break;
    }
    case dom::element_type::DOUBLE: {
      const double value = element.get_double().value_unsafe();
      switch (type.id()) {
        case TypeId::kFloat:
          column.values<float>()[row] = static_cast<float>(value);
          break;
        case TypeId::kDouble:
          column.values<double>()[row] = value;
          break;
        case TypeId::kDecimal: {
          auto unscaled = parseDecimal(shortestText(value), type.precision(), type.scale());
          if (!unscaled) return failure(cannotParse(jsonText(element), type));
          column.values<int64_t>()[row] = *unscaled;
          break;
        }
        case TypeId::kDecimal128: {
          // A JSON number read as a double keeps 17 digits: a DECIMAL(p > 18) value with more
          // is exact only when quoted (a string goes through parseTextInto).
          auto unscaled = parseDecimal128(shortestText(value), type.precision(), type.scale());
          if (!unscaled) return failure(cannotParse(jsonText(element), type));
          column.values<__int128>()[row] = *unscaled;
          break;
        }
        default:
          return failure(cannotParse(jsonText(element), type));
      }
      break;
    }
    default:
      return failure(cannotParse(jsonText(element), type));
  }
  column.setValid(row);
  return std::nullopt;
}

FieldError JsonDecoder::write(dom::element element, Vector& column, uint32_t row) {
  if (element.is_null()) {
    setNullAt(column, row);
    return std::nullopt;
  }
  const DataType& type = column.type();
  switch (type.id()) {
    case TypeId::kRow: {
      dom::object object;
      if (element.get(object) != simdjson::SUCCESS)
        return failure(cannotParse(jsonText(element), type));
      column.setValid(row);
      return writeRow(object, column, row);
    }
    case TypeId::kArray: {
      dom::array array;
      if (element.get(array) != simdjson::SUCCESS)
        return failure(cannotParse(jsonText(element), type));
      const uint32_t count = static_cast<uint32_t>(array.size());
      const uint32_t offset = column.appendListElements(count);
      column.values<ListEntry>()[row] = ListEntry{offset, count};
      column.setValid(row);
      uint32_t i = 0;
      for (dom::element item : array) {
        Vector& elements = column.children()[0];
        if (FieldError error = write(item, elements, offset + i)) return error;
        ++i;
      }
      return std::nullopt;
    }
    case TypeId::kMap: {
      dom::object object;
      if (element.get(object) != simdjson::SUCCESS)
        return failure(cannotParse(jsonText(element), type));
      const uint32_t count = static_cast<uint32_t>(object.size());
      const uint32_t offset = column.appendListElements(count);
      column.values<ListEntry>()[row] = ListEntry{offset, count};
      column.setValid(row);
      uint32_t i = 0;
      for (dom::key_value_pair field : object) {
        Vector& entries = column.children()[0];
        entries.setValid(offset + i);
        Status key = parseTextInto(field.key, entries.children()[0], offset + i);
        if (!key.isOk()) return failure(key.message());
        if (FieldError error = write(field.value, entries.children()[1], offset + i)) return error;
        ++i;
      }
      return std::nullopt;
    }
    default:
      return writeScalar(element, column, row);
  }
}

FieldError JsonDecoder::writeRow(dom::object object, Vector& column, uint32_t row) {
  const std::vector<Field>& fields = column.type().children();
  std::vector<bool> seen(fields.size(), false);
  FieldError first;
  for (dom::key_value_pair field : object) {
    for (size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].name != field.key) continue;
      seen[f] = true;
      if (FieldError error = write(field.value, column.children()[f], row)) {
        setNullAt(column.children()[f], row);
        if (!first) {
          first = FieldFailure{
              error->path.empty() ? fields[f].name : fields[f].name + "." + error->path,
              std::move(error->message)};
        }
      }
    }
  }
  for (size_t f = 0; f < fields.size(); ++f) {
    if (!seen[f]) setNullAt(column.children()[f], row);
  }
  return first;
}

std::optional<ParseFailure> JsonDecoder::decode(std::string_view record, DataChunk& chunk,
                                                uint32_t row) {
  padded_.assign(record);
  padded_.append(simdjson::SIMDJSON_PADDING, '\0');
  dom::element document;
  simdjson::error_code error = parser_.parse(padded_.data(), record.size(), false).get(document);
  if (error != simdjson::SUCCESS) {
    return ParseFailure{true,
                        std::string("malformed JSON: ").append(simdjson::error_message(error))};
  }
  dom::object object;
  if (document.get(object) != simdjson::SUCCESS) {
    return ParseFailure{true, "malformed JSON: not an object"};
  }
  const Schema& schema = format_.schema();
  const bool fail_fast = format_.policy().mode == MalformedMode::kFailFast;
  if (++record_number_ == 0) {  // wrapped: forget every mark
    std::fill(seen_.begin(), seen_.end(), 0);
    record_number_ = 1;
  }
  std::optional<ParseFailure> first_failure;
  for (dom::key_value_pair field : object) {
    for (size_t c : data_columns_) {
      if (schema.columns[c].name != field.key) continue;
      seen_[c] = record_number_;
      Vector& column = chunk.column(c);
      FieldError error = write(field.value, column, row);
      if (!error) continue;
      setNullAt(column, row);
      if (!first_failure) {
        std::string message = std::string("column '").append(schema.columns[c].name);
        if (!error->path.empty()) message.append(".").append(error->path);
        message.append("': ").append(error->message);
        first_failure = ParseFailure{false, std::move(message)};
        if (fail_fast) return first_failure;
      }
    }
  }
  for (size_t c : data_columns_) {
    if (seen_[c] != record_number_) setNullAt(chunk.column(c), row);
  }
  return first_failure;
}

void appendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void JsonEncoder::appendValue(const Vector& column, uint32_t row, std::string& out) {
  const uint32_t index = column.isConstant() ? 0 : row;
  if (column.isNull(index)) {
    out += "null";
    return;
  }
  const DataType& type = column.type();
  switch (type.id()) {
    case TypeId::kBoolean:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kDecimal128:
      appendValueText(column, row, out);
      return;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const double value =
          type.id() == TypeId::kFloat ? column.valueAt<float>(row) : column.valueAt<double>(row);
      if (std::isfinite(value)) {
        appendValueText(column, row, out);
      } else {
        std::string text;
        appendValueText(column, row, text);
        appendJsonString(text, out);
      }
      return;
    }
    case TypeId::kRow: {
      out += '{';
      const std::vector<Field>& fields = type.children();
      for (size_t f = 0; f < fields.size(); ++f) {
        if (f > 0) out += ',';
        appendJsonString(fields[f].name, out);
        out += ':';
        appendValue(column.children()[f], index, out);
      }
      out += '}';
      return;
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const ListEntry entry = column.values<ListEntry>()[index];
      const Vector& child = column.children()[0];
      const bool is_map = type.id() == TypeId::kMap;
      out += is_map ? '{' : '[';
      for (uint32_t i = 0; i < entry.length; ++i) {
        if (i > 0) out += ',';
        if (is_map) {
          const Vector& keys = child.children()[0];
          std::string key;
          if (!keys.isNull(entry.offset + i)) appendValueText(keys, entry.offset + i, key);
          appendJsonString(key, out);
          out += ':';
          appendValue(child.children()[1], entry.offset + i, out);
        } else {
          appendValue(child, entry.offset + i, out);
        }
      }
      out += is_map ? '}' : ']';
      return;
    }
    default: {
      std::string text;
      appendValueText(column, row, text);
      appendJsonString(text, out);
      return;
    }
  }
}

void JsonEncoder::encode(const DataChunk& chunk, uint32_t position, std::string& out) {
  const Schema& schema = format_.schema();
  out += '{';
  for (size_t c = 0; c < chunk.columnCount(); ++c) {
    if (c > 0) out += ',';
    appendJsonString(c < schema.size() ? schema.columns[c].name : std::to_string(c), out);
    out += ':';
    appendValue(chunk.column(c), position, out);
  }
  out += "}\n";
}

}  // namespace

std::shared_ptr<const RecordFormat> makeJsonFormat(const Schema& schema,
                                                   MalformedRecordPolicy policy) {
  return std::make_shared<JsonFormat>(schema, policy);
}

}  // namespace caudal::sql
