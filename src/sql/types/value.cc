#include "sql/types/value.h"

#include <cmath>
#include <cstdio>

#include "sql/types/decimal.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

std::string formatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  // The shortest text that reads back to the same double.
  char buffer[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  std::string text = buffer;
  // Show integral values as `2.0`, as Flink and Spark do.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

template <class T>
int threeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

Value Value::null(DataType type) {
  Value value;
  value.type_ = std::move(type);
  return value;
}

Value Value::fromInt(DataType type, int64_t v) { return fromUnscaled(std::move(type), v); }

Value Value::fromUnscaled(DataType type, __int128 unscaled) {
  Value value;
  value.type_ = std::move(type);
  value.null_ = false;
  value.int_ = static_cast<int64_t>(unscaled);
  value.wide_ = unscaled;
  return value;
}

Value Value::fromDouble(DataType type, double v) {
  Value value;
  value.type_ = std::move(type);
  value.null_ = false;
  value.double_ = v;
  return value;
}

Value Value::fromString(DataType type, std::string v) {
  Value value;
  value.type_ = std::move(type);
  value.null_ = false;
  value.string_ = std::move(v);
  return value;
}

Value Value::fromChildren(DataType type, std::vector<Value> children) {
  Value value;
  value.type_ = std::move(type);
  value.null_ = false;
  value.children_ = std::move(children);
  return value;
}

std::string Value::toString() const {
  if (null_) return "NULL";
  switch (type_.id()) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return int_ ? "true" : "false";
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt: return std::to_string(int_);
    case TypeId::kFloat:
    case TypeId::kDouble: return formatDouble(double_);
    case TypeId::kDecimal:
    case TypeId::kDecimal128: return formatDecimal128(wide_, type_.scale());
    case TypeId::kString: return string_;
    case TypeId::kBytes: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string text = "x'";
      for (unsigned char c : string_) {
        text.push_back(kHex[c >> 4]);
        text.push_back(kHex[c & 15]);
      }
      return text + "'";
    }
    case TypeId::kDate: return formatDate(static_cast<int32_t>(int_));
    case TypeId::kTime: return formatTime(static_cast<int32_t>(int_), type_.precision());
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return formatTimestamp(int_, type_.precision());
    case TypeId::kIntervalDayTime: return formatIntervalDayTime(int_);
    case TypeId::kIntervalYearMonth: return formatIntervalYearMonth(static_cast<int32_t>(int_));
    case TypeId::kRow: {
      std::string text = "{";
      const auto& fields = type_.children();
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) text += ", ";
        if (i < fields.size()) text.append(fields[i].name).append("=");
        text += children_[i].toString();
      }
      return text + "}";
    }
    case TypeId::kArray: {
      std::string text = "[";
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) text += ", ";
        text += children_[i].toString();
      }
      return text + "]";
    }
    case TypeId::kMap: {
      std::string text = "{";
      for (size_t i = 0; i + 1 < children_.size(); i += 2) {
        if (i > 0) text += ", ";
        text.append(children_[i].toString()).append("=").append(children_[i + 1].toString());
      }
      return text + "}";
    }
  }
  return "?";
}

std::string Value::toSqlLiteral() const {
  if (null_) {
    return type_.id() == TypeId::kNull ? "NULL" : "CAST(NULL AS " + type_.toString() + ")";
  }
  auto quote = [](const std::string& s) {
    std::string text = "'";
    for (char c : s) {
      if (c == '\'') text += '\'';
      text += c;
    }
    return text + "'";
  };
  switch (type_.id()) {
    case TypeId::kBoolean: return int_ ? "TRUE" : "FALSE";
    case TypeId::kString: return quote(string_);
    case TypeId::kBytes: {
      std::string shown = toString();
      shown[0] = 'X';
      return shown;
    }
    case TypeId::kDate: return "DATE " + quote(toString());
    case TypeId::kTime: return "TIME " + quote(toString());
    case TypeId::kTimestamp: return "TIMESTAMP " + quote(toString());
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kDecimal128: return toString();
    case TypeId::kFloat:
    case TypeId::kDouble: {
      if (!std::isfinite(double_)) return "CAST(" + quote(toString()) + " AS DOUBLE)";
      std::string text = toString();
      if (text.find_first_of("eE") == std::string::npos) text += "E0";
      return text;
    }
    default: return "CAST(" + quote(toString()) + " AS " + type_.toString() + ")";
  }
}

bool Value::operator==(const Value& other) const { return compare(other) == 0 && null_ == other.null_; }

int Value::compare(const Value& other) const {
  if (null_ || other.null_) return threeWay(!null_, !other.null_);
  const bool floating = type_.isApproximateNumeric() || other.type_.isApproximateNumeric();
  if (floating) {
    auto as_double = [](const Value& v) {
      if (v.type_.isApproximateNumeric()) return v.double_;
      if (v.type_.isDecimal()) return decimal128ToDouble(v.wide_, v.type_.scale());
      return static_cast<double>(v.int_);
    };
    return threeWay(as_double(*this), as_double(other));
  }
  if (type_.isDecimal() || other.type_.isDecimal()) {
    // Compare the integer parts, then the fractions at the larger scale (each part fits in
    // 128 bits where the whole value at the larger scale may not).
    const int scale_a = type_.isDecimal() ? type_.scale() : 0;
    const int scale_b = other.type_.isDecimal() ? other.type_.scale() : 0;
    const __int128 a = wide_;
    const __int128 b = other.wide_;
    const __int128 int_a = a / powerOfTen128(scale_a);
    const __int128 int_b = b / powerOfTen128(scale_b);
    if (int_a != int_b) return threeWay(int_a, int_b);
    const int scale = scale_a > scale_b ? scale_a : scale_b;
    const __int128 fraction_a = (a % powerOfTen128(scale_a)) * powerOfTen128(scale - scale_a);
    const __int128 fraction_b = (b % powerOfTen128(scale_b)) * powerOfTen128(scale - scale_b);
    return threeWay(fraction_a, fraction_b);
  }
  switch (type_.id()) {
    case TypeId::kString:
    case TypeId::kBytes: return threeWay(string_, other.string_);
    case TypeId::kRow:
    case TypeId::kArray:
    case TypeId::kMap: {
      const size_t n = std::min(children_.size(), other.children_.size());
      for (size_t i = 0; i < n; ++i) {
        const int c = children_[i].compare(other.children_[i]);
        if (c != 0) return c;
      }
      return threeWay(children_.size(), other.children_.size());
    }
    default: return threeWay(int_, other.int_);
  }
}

}  // namespace caudal::sql
