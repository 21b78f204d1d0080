// The SQL type system: logical types as Flink SQL names them, and how each is laid out in a
// vector.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caudal::sql {

/// The logical type families. Each has one physical layout in a `Vector` (see `physicalSize`).
enum class TypeId : uint8_t {
  kNull,               // the type of an untyped NULL literal; takes any type on binding
  kBoolean,            // uint8_t, 0 or 1
  kTinyInt,            // int8_t
  kSmallInt,           // int16_t
  kInt,                // int32_t
  kBigInt,             // int64_t
  kFloat,              // float
  kDouble,             // double
  kDecimal,            // int64_t, the unscaled value (DECIMAL with precision <= 18)
  kDecimal128,         // __int128, the unscaled value (DECIMAL with precision 19 to 38)
  kString,             // std::string_view into the vector's string heap (CHAR, VARCHAR, STRING)
  kBytes,              // std::string_view into the vector's string heap (BINARY, VARBINARY, BYTES)
  kDate,               // int32_t, days since 1970-01-01
  kTime,               // int32_t, milliseconds since midnight
  kTimestamp,          // int64_t, microseconds since 1970-01-01 00:00:00 (no time zone)
  kTimestampLtz,       // int64_t, microseconds since the epoch (an instant, shown in local zone)
  kIntervalDayTime,    // int64_t, milliseconds (INTERVAL DAY TO SECOND and its sub-ranges)
  kIntervalYearMonth,  // int32_t, months (INTERVAL YEAR TO MONTH and its sub-ranges)
  kRow,                // no values of its own: one child vector per field
  kArray,              // ListEntry per row into one child vector of the element type
  kMap,                // ListEntry per row into a child vector of ROW<key, value>
};

/// One field of a ROW type (also used for a table's columns).
struct Field;

/// A logical type: the family, its parameters, nullability and, for nested types, the children.
/// A value type, cheap to copy (children are shared).
class DataType {
 public:
  /// The largest DECIMAL precision, as in Flink.
  static constexpr int kMaxDecimalPrecision = 38;
  /// The largest DECIMAL precision held in 64 bits (`TypeId::kDecimal`); a larger one is held
  /// in 128 bits (`TypeId::kDecimal128`).
  static constexpr int kMaxDecimal64Precision = 18;
  /// The length of STRING, i.e. VARCHAR(kMaxLength), as in Flink.
  static constexpr int32_t kMaxLength = 2147483647;

  DataType() = default;
  explicit DataType(TypeId id, bool nullable = true) : id_(id), nullable_(nullable) {}

  static DataType null() { return DataType(TypeId::kNull); }
  static DataType boolean() { return DataType(TypeId::kBoolean); }
  static DataType tinyInt() { return DataType(TypeId::kTinyInt); }
  static DataType smallInt() { return DataType(TypeId::kSmallInt); }
  static DataType integer() { return DataType(TypeId::kInt); }
  static DataType bigInt() { return DataType(TypeId::kBigInt); }
  static DataType floatType() { return DataType(TypeId::kFloat); }
  static DataType doubleType() { return DataType(TypeId::kDouble); }
  /// DECIMAL(precision, scale); precision in [1, 38], scale in [0, precision]. Its id is
  /// `kDecimal` (64-bit unscaled values) up to precision 18, `kDecimal128` above.
  static DataType decimal(int precision, int scale);
  /// STRING (VARCHAR of the maximum length).
  static DataType string() { return varchar(kMaxLength); }
  /// VARCHAR(length).
  static DataType varchar(int32_t length);
  /// CHAR(length): shown as CHAR, stored and compared as a string.
  static DataType fixedChar(int32_t length);
  static DataType bytes() { return DataType(TypeId::kBytes); }
  static DataType date() { return DataType(TypeId::kDate); }
  static DataType time(int precision = 0);
  /// TIMESTAMP(precision), precision in [0, 6].
  static DataType timestamp(int precision = 6);
  /// TIMESTAMP_LTZ(precision), precision in [0, 6].
  static DataType timestampLtz(int precision = 6);
  static DataType intervalDayTime() { return DataType(TypeId::kIntervalDayTime); }
  static DataType intervalYearMonth() { return DataType(TypeId::kIntervalYearMonth); }
  static DataType row(std::vector<Field> fields);
  static DataType array(DataType element);
  static DataType map(DataType key, DataType value);

  TypeId id() const { return id_; }
  bool nullable() const { return nullable_; }
  /// DECIMAL precision, TIME/TIMESTAMP fractional precision, CHAR/VARCHAR length.
  int32_t precision() const { return precision_; }
  /// DECIMAL scale.
  int32_t scale() const { return scale_; }
  /// True for CHAR(n) (as opposed to VARCHAR / STRING).
  bool isFixedChar() const { return fixed_char_; }

  /// The same type with the given nullability.
  DataType withNullable(bool nullable) const;

  /// ROW: the fields. ARRAY: one field "element". MAP: "key" and "value".
  const std::vector<Field>& children() const;
  /// ARRAY's element type; MAP's key and value types.
  const DataType& elementType() const;
  const DataType& keyType() const;
  const DataType& valueType() const;
  /// MAP's entries as stored: ROW<key, value>.
  DataType mapEntryType() const;

  bool isNumeric() const;
  bool isInteger() const;  // TINYINT .. BIGINT
  /// DECIMAL(p, s) of either layout (`kDecimal` or `kDecimal128`).
  bool isDecimal() const { return id_ == TypeId::kDecimal || id_ == TypeId::kDecimal128; }
  bool isExactNumeric() const { return isInteger() || isDecimal(); }
  bool isApproximateNumeric() const { return id_ == TypeId::kFloat || id_ == TypeId::kDouble; }
  bool isStringLike() const { return id_ == TypeId::kString || id_ == TypeId::kBytes; }
  bool isTemporal() const;  // DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ
  bool isNested() const { return id_ == TypeId::kRow || id_ == TypeId::kArray || id_ == TypeId::kMap; }

  /// The type's name as Flink prints it: `BIGINT`, `STRING`, `VARCHAR(10)`, `DECIMAL(10, 2)`,
  /// `TIMESTAMP(3)`, `ROW<`a` INT, `b` STRING>`, `ARRAY<INT>`, with ` NOT NULL` when not
  /// nullable.
  std::string toString() const;

  /// Same family and parameters, ignoring nullability.
  bool sameAs(const DataType& other) const;
  /// Same family, parameters and nullability.
  bool operator==(const DataType& other) const;

 private:
  TypeId id_ = TypeId::kNull;
  bool nullable_ = true;
  bool fixed_char_ = false;
  int32_t precision_ = 0;
  int32_t scale_ = 0;
  std::shared_ptr<const std::vector<Field>> children_;
};

struct Field {
  std::string name;
  DataType type;
  bool operator==(const Field& other) const = default;
};

/// Bytes one value occupies in a vector's data buffer (0 for ROW).
size_t physicalSize(TypeId id);

/// One ARRAY or MAP value: its elements are `child[offset, offset + length)`.
struct ListEntry {
  uint32_t offset;
  uint32_t length;
};

/// The common type two operands are converted to for comparison or arithmetic, following
/// Flink's implicit widening (integers widen, integers with DECIMAL give DECIMAL, anything with
/// FLOAT/DOUBLE gives DOUBLE, CHAR/VARCHAR give STRING, NULL takes the other side's type).
/// Empty when there is none (e.g. INT and DATE). Nullable when either side is.
std::optional<DataType> commonSuperType(const DataType& a, const DataType& b);

/// 10^n for n in [0, 18].
int64_t powerOfTen(int n);
/// 10^n as a 128-bit integer, n in [0, 38].
__int128 powerOfTen128(int n);

}  // namespace caudal::sql
