#include "sql/format/raw_format.h"

namespace caudal::sql {
namespace {

class RawDecoder final : public RecordDecoder {
 public:
  std::optional<ParseFailure> decode(std::string_view record, DataChunk& chunk,
                                     uint32_t row) override {
    Vector& column = chunk.column(0);
    column.values<std::string_view>()[row] = column.addString(record);
    column.setValid(row);
    return std::nullopt;
  }
};

class RawEncoder final : public RecordEncoder {
 public:
  void encode(const DataChunk& chunk, uint32_t position, std::string& out) override {
    const Vector& column = chunk.column(0);
    if (!column.isNull(position)) out += column.valueAt<std::string_view>(position);
    out += '\n';
  }
};

class RawFormat final : public RecordFormat {
 public:
  explicit RawFormat(Schema schema)
      : RecordFormat("raw", std::move(schema), MalformedRecordPolicy{}) {}
  std::unique_ptr<RecordDecoder> newDecoder(const std::vector<bool>&) const override {
    return std::make_unique<RawDecoder>();
  }
  std::unique_ptr<RecordEncoder> newEncoder() const override {
    return std::make_unique<RawEncoder>();
  }
};

}  // namespace

Result<std::shared_ptr<const RecordFormat>> makeRawFormat(const Schema& schema) {
  if (schema.size() != 1 || schema.columns[0].type.id() != TypeId::kString) {
    return Status::error(std::string("format 'raw' needs exactly one STRING column, got ")
                             .append(schema.toString()));
  }
  return std::shared_ptr<const RecordFormat>(std::make_shared<RawFormat>(schema));
}

}  // namespace caudal::sql
