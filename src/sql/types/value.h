// One SQL value outside a vector: literals, constants, rows shown to a user or compared in tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/types/data_type.h"

namespace caudal::sql {

/// A typed SQL value or NULL. Integers, DECIMAL (unscaled), dates, times, timestamps and
/// intervals are held as `int64_t` in their vector representation (a DECIMAL with precision
/// above 18 as `__int128`, see `unscaledValue`); FLOAT/DOUBLE as `double`; STRING/BYTES as
/// bytes; ROW/ARRAY as child values; MAP as alternating key, value children.
class Value {
 public:
  /// A NULL of type NULL.
  Value() = default;
  static Value null(DataType type);
  static Value boolean(bool v) { return fromInt(DataType::boolean(), v ? 1 : 0); }
  static Value integer(int32_t v) { return fromInt(DataType::integer(), v); }
  static Value bigInt(int64_t v) { return fromInt(DataType::bigInt(), v); }
  static Value doubleValue(double v) { return fromDouble(DataType::doubleType(), v); }
  static Value string(std::string v) { return fromString(DataType::string(), std::move(v)); }
  /// A value of a type held as `int64_t` (see the class comment); also any DECIMAL.
  static Value fromInt(DataType type, int64_t v);
  /// A DECIMAL value of either layout from its unscaled value (which must fit the precision).
  static Value fromUnscaled(DataType type, __int128 unscaled);
  /// A FLOAT or DOUBLE value.
  static Value fromDouble(DataType type, double v);
  /// A STRING or BYTES value.
  static Value fromString(DataType type, std::string v);
  /// A ROW, ARRAY or MAP value.
  static Value fromChildren(DataType type, std::vector<Value> children);

  const DataType& type() const { return type_; }
  bool isNull() const { return null_; }
  int64_t intValue() const { return int_; }
  /// DECIMAL: the unscaled value, for either layout.
  __int128 unscaledValue() const { return wide_; }
  bool boolValue() const { return int_ != 0; }
  double doubleValue() const { return double_; }
  const std::string& stringValue() const { return string_; }
  const std::vector<Value>& children() const { return children_; }

  /// The value as the console and the CLI show it: `NULL`, `true`, `42`, `12.50`, `abc`,
  /// `2024-01-01 12:00:00.123`, `+1 02:03:04.000`, `{a=1, b=x}`, `[1, 2]`, `{k=v}`.
  std::string toString() const;
  /// The value as a SQL literal that parses back to it: `'it''s'`, `DATE '2024-01-01'`, ...
  std::string toSqlLiteral() const;

  /// Equality as SQL GROUP BY sees it: NULL equals NULL; compares the values, not the types'
  /// nullability.
  bool operator==(const Value& other) const;
  /// Total order for sorting results in tests: NULLs first, then by value.
  int compare(const Value& other) const;

 private:
  DataType type_;
  bool null_ = true;
  int64_t int_ = 0;
  __int128 wide_ = 0;  // DECIMAL's unscaled value (also in int_ when it has 64 bits)
  double double_ = 0;
  std::string string_;
  std::vector<Value> children_;
};

}  // namespace caudal::sql
