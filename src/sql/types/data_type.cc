#include "sql/types/data_type.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace caudal::sql {

namespace {

const std::vector<Field>& emptyFields() {
  static const std::vector<Field> empty;
  return empty;
}

// Where a type sits on the numeric widening ladder (0 = not numeric).
int numericRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInt: return 3;
    case TypeId::kBigInt: return 4;
    case TypeId::kDecimal:
    case TypeId::kDecimal128: return 5;
    case TypeId::kFloat: return 6;
    case TypeId::kDouble: return 7;
    default: return 0;
  }
}

// Decimal digits left of the point an integer type needs.
int integerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 3;
    case TypeId::kSmallInt: return 5;
    case TypeId::kInt: return 10;
    default: return 19;
  }
}

}  // namespace

DataType DataType::decimal(int precision, int scale) {
  DataType type(precision <= kMaxDecimal64Precision ? TypeId::kDecimal : TypeId::kDecimal128);
  type.precision_ = precision;
  type.scale_ = scale;
  return type;
}

DataType DataType::varchar(int32_t length) {
  DataType type(TypeId::kString);
  type.precision_ = length;
  return type;
}

DataType DataType::fixedChar(int32_t length) {
  DataType type(TypeId::kString);
  type.precision_ = length;
  type.fixed_char_ = true;
  return type;
}

DataType DataType::time(int precision) {
  DataType type(TypeId::kTime);
  type.precision_ = precision;
  return type;
}

DataType DataType::timestamp(int precision) {
  DataType type(TypeId::kTimestamp);
  type.precision_ = precision;
  return type;
}

DataType DataType::timestampLtz(int precision) {
  DataType type(TypeId::kTimestampLtz);
  type.precision_ = precision;
  return type;
}

DataType DataType::row(std::vector<Field> fields) {
  DataType type(TypeId::kRow);
  type.children_ = std::make_shared<const std::vector<Field>>(std::move(fields));
  return type;
}

DataType DataType::array(DataType element) {
  DataType type(TypeId::kArray);
  type.children_ = std::make_shared<const std::vector<Field>>(
      std::vector<Field>{Field{"element", std::move(element)}});
  return type;
}

DataType DataType::map(DataType key, DataType value) {
  DataType type(TypeId::kMap);
  type.children_ = std::make_shared<const std::vector<Field>>(
      std::vector<Field>{Field{"key", std::move(key)}, Field{"value", std::move(value)}});
  return type;
}

DataType DataType::withNullable(bool nullable) const {
  DataType copy = *this;
  copy.nullable_ = nullable;
  return copy;
}

const std::vector<Field>& DataType::children() const {
  return children_ ? *children_ : emptyFields();
}

const DataType& DataType::elementType() const { return children().at(0).type; }
const DataType& DataType::keyType() const { return children().at(0).type; }
const DataType& DataType::valueType() const { return children().at(1).type; }

DataType DataType::mapEntryType() const {
  return row({Field{"key", keyType()}, Field{"value", valueType()}});
}

bool DataType::isNumeric() const { return numericRank(id_) != 0; }

bool DataType::isInteger() const {
  return id_ == TypeId::kTinyInt || id_ == TypeId::kSmallInt || id_ == TypeId::kInt ||
         id_ == TypeId::kBigInt;
}

bool DataType::isTemporal() const {
  return id_ == TypeId::kDate || id_ == TypeId::kTime || id_ == TypeId::kTimestamp ||
         id_ == TypeId::kTimestampLtz;
}

std::string DataType::toString() const {
  std::string name;
  switch (id_) {
    case TypeId::kNull: name = "NULL"; break;
    case TypeId::kBoolean: name = "BOOLEAN"; break;
    case TypeId::kTinyInt: name = "TINYINT"; break;
    case TypeId::kSmallInt: name = "SMALLINT"; break;
    case TypeId::kInt: name = "INT"; break;
    case TypeId::kBigInt: name = "BIGINT"; break;
    case TypeId::kFloat: name = "FLOAT"; break;
    case TypeId::kDouble: name = "DOUBLE"; break;
    case TypeId::kDecimal:
    case TypeId::kDecimal128:
      name = "DECIMAL(" + std::to_string(precision_) + ", " + std::to_string(scale_) + ")";
      break;
    case TypeId::kString:
      if (fixed_char_) {
        name = "CHAR(" + std::to_string(precision_) + ")";
      } else if (precision_ == kMaxLength) {
        name = "STRING";
      } else {
        name = "VARCHAR(" + std::to_string(precision_) + ")";
      }
      break;
    case TypeId::kBytes: name = "BYTES"; break;
    case TypeId::kDate: name = "DATE"; break;
    case TypeId::kTime: name = "TIME(" + std::to_string(precision_) + ")"; break;
    case TypeId::kTimestamp: name = "TIMESTAMP(" + std::to_string(precision_) + ")"; break;
    case TypeId::kTimestampLtz: name = "TIMESTAMP_LTZ(" + std::to_string(precision_) + ")"; break;
    case TypeId::kIntervalDayTime: name = "INTERVAL DAY TO SECOND"; break;
    case TypeId::kIntervalYearMonth: name = "INTERVAL YEAR TO MONTH"; break;
    case TypeId::kRow: {
      name = "ROW<";
      bool first = true;
      for (const Field& field : children()) {
        if (!first) name += ", ";
        first = false;
        name.append("`").append(field.name).append("` ").append(field.type.toString());
      }
      name += ">";
      break;
    }
    case TypeId::kArray: name = "ARRAY<" + elementType().toString() + ">"; break;
    case TypeId::kMap:
      name = "MAP<" + keyType().toString() + ", " + valueType().toString() + ">";
      break;
  }
  if (!nullable_) name += " NOT NULL";
  return name;
}

bool DataType::sameAs(const DataType& other) const {
  if (id_ != other.id_ || precision_ != other.precision_ || scale_ != other.scale_ ||
      fixed_char_ != other.fixed_char_) {
    return false;
  }
  const auto& mine = children();
  const auto& theirs = other.children();
  if (mine.size() != theirs.size()) return false;
  for (size_t i = 0; i < mine.size(); ++i) {
    if (mine[i].name != theirs[i].name || !(mine[i].type == theirs[i].type)) return false;
  }
  return true;
}

bool DataType::operator==(const DataType& other) const {
  return nullable_ == other.nullable_ && sameAs(other);
}

size_t physicalSize(TypeId id) {
  switch (id) {
    case TypeId::kNull:
    case TypeId::kBoolean:
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInt:
    case TypeId::kFloat:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth: return 4;
    case TypeId::kBigInt:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime: return 8;
    case TypeId::kDecimal128: return sizeof(__int128);
    case TypeId::kString:
    case TypeId::kBytes: return sizeof(std::string_view);
    case TypeId::kArray:
    case TypeId::kMap: return sizeof(ListEntry);
    case TypeId::kRow: return 0;
  }
  return 0;
}

std::optional<DataType> commonSuperType(const DataType& a, const DataType& b) {
  const bool nullable = a.nullable() || b.nullable();
  if (a.id() == TypeId::kNull) return b.withNullable(true);
  if (b.id() == TypeId::kNull) return a.withNullable(true);
  if (a.sameAs(b)) return a.withNullable(nullable);
  const int rank_a = numericRank(a.id());
  const int rank_b = numericRank(b.id());
  if (rank_a != 0 && rank_b != 0) {
    if (rank_a >= 6 || rank_b >= 6) {
      return DataType(std::max(rank_a, rank_b) == 7 || a.id() != b.id() ? TypeId::kDouble
                                                                        : TypeId::kFloat,
                      nullable);
    }
    if (a.isDecimal() || b.isDecimal()) {
      // DECIMAL with an integer or another DECIMAL: enough digits for both sides.
      auto digits = [](const DataType& t) {
        return t.isDecimal() ? t.precision() - t.scale() : integerDigits(t.id());
      };
      const int scale = std::max(a.isDecimal() ? a.scale() : 0, b.isDecimal() ? b.scale() : 0);
      const int precision =
          std::min(DataType::kMaxDecimalPrecision, std::max(digits(a), digits(b)) + scale);
      return DataType::decimal(precision, std::min(scale, precision)).withNullable(nullable);
    }
    return DataType(rank_a > rank_b ? a.id() : b.id(), nullable);
  }
  if (a.id() == TypeId::kString && b.id() == TypeId::kString) {
    return DataType::string().withNullable(nullable);
  }
  if (a.id() == b.id()) {
    switch (a.id()) {
      case TypeId::kTime:
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz: {
        DataType wider = a.precision() >= b.precision() ? a : b;
        return wider.withNullable(nullable);
      }
      case TypeId::kBytes:
      case TypeId::kDate:
      case TypeId::kIntervalDayTime:
      case TypeId::kIntervalYearMonth:
      case TypeId::kBoolean: return a.withNullable(nullable);
      default: return std::nullopt;
    }
  }
  // A timestamp compared with a date: the date is midnight.
  if ((a.id() == TypeId::kTimestamp && b.id() == TypeId::kDate) ||
      (a.id() == TypeId::kDate && b.id() == TypeId::kTimestamp)) {
    return DataType::timestamp(a.id() == TypeId::kTimestamp ? a.precision() : b.precision())
        .withNullable(nullable);
  }
  return std::nullopt;
}

int64_t powerOfTen(int n) {
  static constexpr int64_t kPowers[] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000,
                                        100000000000,
                                        1000000000000,
                                        10000000000000,
                                        100000000000000,
                                        1000000000000000,
                                        10000000000000000,
                                        100000000000000000,
                                        1000000000000000000};
  assert(n >= 0 && n <= 18);
  return kPowers[n];
}

__int128 powerOfTen128(int n) {
  static constexpr auto kPowers = [] {
    std::array<__int128, 39> powers{};
    powers[0] = 1;
    for (size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
    return powers;
  }();
  assert(n >= 0 && n <= 38);
  return kPowers[static_cast<size_t>(n)];
}

}  // namespace caudal::sql
