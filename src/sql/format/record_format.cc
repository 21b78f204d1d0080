#include "sql/format/record_format.h"

#include <algorithm>

#include "sql/format/csv_format.h"
#include "sql/format/json_format.h"
#include "sql/format/raw_format.h"

namespace caudal::sql {
namespace {

constexpr const char* kDefaultCorruptColumn = "_corrupt_record";

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string> policyOptionKeys(std::string_view format) {
  return {"format.ignore-parse-errors", std::string(format).append(".ignore-parse-errors"), "mode",
          "columnNameOfCorruptRecord"};
}

}  // namespace

Result<bool> booleanOption(const TableOptions& options, const std::string& key, bool fallback) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string value = upper(it->second);
  if (value == "TRUE") return true;
  if (value == "FALSE") return false;
  return Status::error(std::string("option '")
                           .append(key)
                           .append("' must be 'true' or 'false', got '")
                           .append(it->second)
                           .append("'"));
}

Result<MalformedRecordPolicy> malformedRecordPolicyFromOptions(const TableOptions& options,
                                                               std::string_view format,
                                                               const Schema& schema) {
  MalformedRecordPolicy policy;
  bool ignore = false;
  bool flink_given = false;
  for (const std::string& key : {std::string("format.ignore-parse-errors"),
                                 std::string(format).append(".ignore-parse-errors")}) {
    Result<bool> value = booleanOption(options, key, false);
    if (!value.isOk()) return value.status();
    ignore = ignore || value.value();
    flink_given = flink_given || options.count(key) > 0;
  }
  auto mode = options.find("mode");
  if (mode != options.end()) {
    if (flink_given) {
      return Status::error(std::string("options 'mode' and '")
                               .append(format)
                               .append(".ignore-parse-errors' cannot be used together"));
    }
    const std::string value = upper(mode->second);
    if (value == "FAILFAST") {
      policy.mode = MalformedMode::kFailFast;
    } else if (value == "DROPMALFORMED") {
      policy.mode = MalformedMode::kDropMalformed;
    } else if (value == "PERMISSIVE") {
      policy.mode = MalformedMode::kPermissive;
    } else {
      return Status::error(
          std::string("option 'mode' must be FAILFAST, DROPMALFORMED or PERMISSIVE, got '")
              .append(mode->second)
              .append("'"));
    }
  } else if (ignore) {
    policy.mode = MalformedMode::kIgnoreErrors;
  }
  if (policy.mode == MalformedMode::kPermissive) {
    auto name = options.find("columnNameOfCorruptRecord");
    const std::string column_name = name == options.end() ? kDefaultCorruptColumn : name->second;
    for (size_t c = 0; c < schema.size(); ++c) {
      if (schema.columns[c].name != column_name) continue;
      if (schema.columns[c].type.id() != TypeId::kString) {
        return Status::error(std::string("the corrupt record column '")
                                 .append(column_name)
                                 .append("' must be of type STRING, not ")
                                 .append(schema.columns[c].type.toString()));
      }
      policy.corrupt_column = c;
    }
  }
  return policy;
}

const std::vector<std::string>& recordFormatNames() {
  static const std::vector<std::string> names = {"csv", "json", "raw"};
  return names;
}

std::vector<std::string> recordFormatOptionKeys(std::string_view name) {
  std::vector<std::string> keys;
  if (name == "csv") {
    keys = csvOptionKeys();
  } else if (name != "json") {
    return keys;  // raw reads no options; unknown formats none
  }
  for (std::string& key : policyOptionKeys(name)) keys.push_back(std::move(key));
  return keys;
}

Result<std::shared_ptr<const RecordFormat>> makeRecordFormat(std::string_view name,
                                                             const TableOptions& options,
                                                             const Schema& schema) {
  if (name == "raw") return makeRawFormat(schema);
  if (name != "csv" && name != "json") {
    return Status::error(
        std::string("unknown format '").append(name).append("'; known formats: csv, json, raw"));
  }
  Result<MalformedRecordPolicy> policy = malformedRecordPolicyFromOptions(options, name, schema);
  if (!policy.isOk()) return policy.status();
  if (name == "json") return makeJsonFormat(schema, policy.value());
  Result<CsvOptions> csv = csvOptionsFrom(options);
  if (!csv.isOk()) return csv.status();
  return makeCsvFormat(schema, csv.value(), policy.value());
}

void setNullAt(Vector& column, uint32_t row) {
  column.setNull(row);
  switch (column.type().id()) {
    case TypeId::kArray:
    case TypeId::kMap:
      column.values<ListEntry>()[row] = ListEntry{column.listSize(), 0};
      break;
    case TypeId::kRow:
      for (Vector& child : column.children()) setNullAt(child, row);
      break;
    default:
      break;
  }
}

}  // namespace caudal::sql
