#include "sql/vector/vector.h"

#include <algorithm>

namespace caudal::sql {

namespace {

constexpr size_t kHeapBlockSize = 64 * 1024;

}  // namespace

void ValidityMask::allocate(uint32_t capacity) {
  const size_t words = (std::max<uint32_t>(capacity, 1) + 63) / 64;
  words_ = std::shared_ptr<uint64_t[]>(new uint64_t[words]);
  std::fill_n(words_.get(), words, ~uint64_t{0});
}

std::string_view StringHeap::add(std::string_view text) {
  if (text.empty()) return {};
  char* bytes = allocate(text.size());
  std::memcpy(bytes, text.data(), text.size());
  return {bytes, text.size()};
}

char* StringHeap::allocate(size_t size) {
  if (size > remaining_) {
    const size_t block = std::max(size, kHeapBlockSize);
    blocks_.push_back(std::unique_ptr<char[]>(new char[block]));
    cursor_ = blocks_.back().get();
    remaining_ = block;
    bytes_held_ += block;
  }
  char* result = cursor_;
  cursor_ += size;
  remaining_ -= size;
  return result;
}

Vector::Vector(DataType type, uint32_t capacity) : type_(std::move(type)), capacity_(capacity) {
  const size_t width = physicalSize(type_.id());
  if (width > 0) data_ = std::shared_ptr<uint8_t[]>(new uint8_t[width * std::max<uint32_t>(capacity, 1)]);
  switch (type_.id()) {
    case TypeId::kRow:
      for (const Field& field : type_.children()) children_.emplace_back(field.type, capacity);
      break;
    case TypeId::kArray: children_.emplace_back(type_.elementType(), capacity); break;
    case TypeId::kMap: children_.emplace_back(type_.mapEntryType(), capacity); break;
    default: break;
  }
}

Vector Vector::constant(const Value& value) {
  Vector vector(value.type(), 1);
  vector.kind_ = VectorKind::kConstant;
  vector.setValue(0, value);
  return vector;
}

Vector Vector::constantNull(DataType type) {
  Vector vector(std::move(type), 1);
  vector.kind_ = VectorKind::kConstant;
  vector.setNull(0);
  return vector;
}

StringHeap& Vector::heap() {
  if (heap_ == nullptr) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Vector::keepStringsOf(const Vector& source) {
  if (source.heap_ != nullptr && source.heap_ != heap_) kept_heaps_.push_back(source.heap_);
  for (const auto& kept : source.kept_heaps_) {
    if (kept != heap_ && std::find(kept_heaps_.begin(), kept_heaps_.end(), kept) == kept_heaps_.end()) {
      kept_heaps_.push_back(kept);
    }
  }
  for (size_t i = 0; i < children_.size() && i < source.children_.size(); ++i) {
    children_[i].keepStringsOf(source.children_[i]);
  }
}

uint32_t Vector::appendListElements(uint32_t extra) {
  const uint32_t offset = list_size_;
  Vector& child = children_.at(0);
  if (offset + extra > child.capacity()) {
    child.reserve(std::max(offset + extra, child.capacity() * 2));
  }
  list_size_ += extra;
  return offset;
}

void Vector::reserve(uint32_t capacity) {
  if (capacity <= capacity_) return;
  const size_t width = physicalSize(type_.id());
  if (width > 0) {
    std::shared_ptr<uint8_t[]> grown(new uint8_t[width * capacity]);
    if (data_ != nullptr) std::memcpy(grown.get(), data_.get(), width * capacity_);
    data_ = std::move(grown);
  }
  if (!validity_.allValid()) {
    ValidityMask grown;
    uint64_t* words = grown.words(capacity);
    std::memcpy(words, validity_.words(capacity_), (capacity_ + 63) / 64 * sizeof(uint64_t));
    // Bits past the old capacity in its last word were 1 already; the new words are all 1.
    validity_ = grown;
  }
  if (type_.id() == TypeId::kRow) {
    for (Vector& child : children_) child.reserve(capacity);
  }
  capacity_ = capacity;
}

void Vector::flatten(uint32_t count) {
  if (!isConstant()) return;
  Vector flat(type_, std::max<uint32_t>(count, 1));
  flat.heap_ = heap_;
  flat.kept_heaps_ = kept_heaps_;
  if (isNull(0)) {
    for (uint32_t row = 0; row < count; ++row) flat.setNull(row);
  } else if (type_.isNested()) {
    const Value value = getValue(0);
    for (uint32_t row = 0; row < count; ++row) flat.setValue(row, value);
  } else {
    const size_t width = physicalSize(type_.id());
    for (uint32_t row = 0; row < count; ++row) {
      std::memcpy(flat.data_.get() + row * width, data_.get(), width);
    }
  }
  *this = std::move(flat);
}

Value Vector::getValue(uint32_t row) const {
  const uint32_t index = isConstant() ? 0 : row;
  if (isNull(index)) return Value::null(type_);
  switch (type_.id()) {
    case TypeId::kNull: return Value::null(type_);
    case TypeId::kBoolean: return Value::fromInt(type_, values<uint8_t>()[index]);
    case TypeId::kTinyInt: return Value::fromInt(type_, values<int8_t>()[index]);
    case TypeId::kSmallInt: return Value::fromInt(type_, values<int16_t>()[index]);
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth: return Value::fromInt(type_, values<int32_t>()[index]);
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime: return Value::fromInt(type_, values<int64_t>()[index]);
    case TypeId::kDecimal128: return Value::fromUnscaled(type_, values<__int128>()[index]);
    case TypeId::kFloat: return Value::fromDouble(type_, values<float>()[index]);
    case TypeId::kDouble: return Value::fromDouble(type_, values<double>()[index]);
    case TypeId::kString:
    case TypeId::kBytes: return Value::fromString(type_, std::string(values<std::string_view>()[index]));
    case TypeId::kRow: {
      std::vector<Value> fields;
      for (const Vector& child : children_) fields.push_back(child.getValue(index));
      return Value::fromChildren(type_, std::move(fields));
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const ListEntry entry = values<ListEntry>()[index];
      std::vector<Value> elements;
      const Vector& child = children_[0];
      for (uint32_t i = 0; i < entry.length; ++i) {
        Value element = child.getValue(entry.offset + i);
        if (type_.id() == TypeId::kArray) {
          elements.push_back(std::move(element));
        } else {
          elements.push_back(element.children()[0]);
          elements.push_back(element.children()[1]);
        }
      }
      return Value::fromChildren(type_, std::move(elements));
    }
  }
  return Value::null(type_);
}

void Vector::setValue(uint32_t row, const Value& value) {
  if (value.isNull()) {
    setNull(row);
    if (type_.id() == TypeId::kArray || type_.id() == TypeId::kMap) {
      values<ListEntry>()[row] = ListEntry{list_size_, 0};
    }
    return;
  }
  setValid(row);
  switch (type_.id()) {
    case TypeId::kNull: setNull(row); break;
    case TypeId::kBoolean: values<uint8_t>()[row] = value.intValue() != 0; break;
    case TypeId::kTinyInt: values<int8_t>()[row] = static_cast<int8_t>(value.intValue()); break;
    case TypeId::kSmallInt: values<int16_t>()[row] = static_cast<int16_t>(value.intValue()); break;
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth: values<int32_t>()[row] = static_cast<int32_t>(value.intValue()); break;
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime: values<int64_t>()[row] = value.intValue(); break;
    case TypeId::kDecimal128: values<__int128>()[row] = value.unscaledValue(); break;
    case TypeId::kFloat: values<float>()[row] = static_cast<float>(value.doubleValue()); break;
    case TypeId::kDouble: values<double>()[row] = value.doubleValue(); break;
    case TypeId::kString:
    case TypeId::kBytes: values<std::string_view>()[row] = addString(value.stringValue()); break;
    case TypeId::kRow:
      for (size_t i = 0; i < children_.size(); ++i) {
        children_[i].setValue(row, i < value.children().size() ? value.children()[i]
                                                               : Value::null(children_[i].type()));
      }
      break;
    case TypeId::kArray: {
      const auto& elements = value.children();
      const uint32_t offset = appendListElements(static_cast<uint32_t>(elements.size()));
      for (uint32_t i = 0; i < elements.size(); ++i) children_[0].setValue(offset + i, elements[i]);
      values<ListEntry>()[row] = ListEntry{offset, static_cast<uint32_t>(elements.size())};
      break;
    }
    case TypeId::kMap: {
      const auto& flat = value.children();
      const uint32_t pairs = static_cast<uint32_t>(flat.size() / 2);
      const uint32_t offset = appendListElements(pairs);
      const DataType entry_type = type_.mapEntryType();
      for (uint32_t i = 0; i < pairs; ++i) {
        children_[0].setValue(offset + i, Value::fromChildren(entry_type, {flat[2 * i], flat[2 * i + 1]}));
      }
      values<ListEntry>()[row] = ListEntry{offset, pairs};
      break;
    }
  }
}

}  // namespace caudal::sql
