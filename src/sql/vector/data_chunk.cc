#include "sql/vector/data_chunk.h"

#include <algorithm>

namespace caudal::sql {

const char* rowKindName(RowKind kind) {
  switch (kind) {
    case RowKind::kInsert: return "+I";
    case RowKind::kUpdateBefore: return "-U";
    case RowKind::kUpdateAfter: return "+U";
    case RowKind::kDelete: return "-D";
  }
  return "?";
}

std::vector<DataType> Schema::types() const {
  std::vector<DataType> types;
  types.reserve(columns.size());
  for (const Field& field : columns) types.push_back(field.type);
  return types;
}

std::string Schema::toString() const {
  std::string text;
  for (const Field& field : columns) {
    if (!text.empty()) text += ", ";
    text.append(field.name).append(" ").append(field.type.toString());
  }
  return text;
}

DataChunk::DataChunk(const std::vector<DataType>& types, uint32_t capacity) {
  columns_.reserve(types.size());
  for (const DataType& type : types) columns_.emplace_back(type, capacity);
}

std::vector<uint8_t>& DataChunk::mutableKinds() {
  if (kinds_ == nullptr) {
    uint32_t capacity = size_;
    for (const Vector& column : columns_) capacity = std::max(capacity, column.capacity());
    kinds_ = std::make_shared<std::vector<uint8_t>>(std::max<uint32_t>(capacity, 1),
                                                    static_cast<uint8_t>(RowKind::kInsert));
  } else if (kinds_.use_count() > 1) {
    kinds_ = std::make_shared<std::vector<uint8_t>>(*kinds_);  // copy on write
  }
  return *kinds_;
}

void copyRows(const Vector& source, Rows rows, Vector& target, uint32_t target_offset) {
  const TypeId id = source.type().id();
  const bool constant = source.isConstant();
  const bool all_valid = source.validity().allValid();
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t from = constant ? 0 : rows[i];
    if (!all_valid && !source.validity().isValid(from)) {
      target.setNull(target_offset + i);
    } else {
      target.setValid(target_offset + i);
    }
  }
  switch (id) {
    case TypeId::kRow:
      for (size_t c = 0; c < source.children().size(); ++c) {
        if (constant) {
          // Constant ROWs are rare (literals): copy value by value.
          for (uint32_t i = 0; i < rows.count; ++i) {
            target.children()[c].setValue(target_offset + i, source.children()[c].getValue(0));
          }
        } else {
          copyRows(source.children()[c], rows, target.children()[c], target_offset);
        }
      }
      return;
    case TypeId::kArray:
    case TypeId::kMap: {
      const Vector& source_child = source.children()[0];
      for (uint32_t i = 0; i < rows.count; ++i) {
        const ListEntry entry = source.valueAt<ListEntry>(rows[i]);
        const uint32_t offset = target.appendListElements(entry.length);
        if (entry.length != 0) {
          std::vector<uint32_t> positions(entry.length);
          for (uint32_t k = 0; k < entry.length; ++k) positions[k] = entry.offset + k;
          copyRows(source_child, Rows{positions.data(), entry.length}, target.children()[0], offset);
        }
        target.values<ListEntry>()[target_offset + i] = ListEntry{offset, entry.length};
      }
      return;
    }
    case TypeId::kString:
    case TypeId::kBytes: target.keepStringsOf(source); break;
    default: break;
  }
  const size_t width = physicalSize(id);
  if (width == 0) return;
  const uint8_t* from = source.values<uint8_t>();
  uint8_t* to = target.values<uint8_t>() + static_cast<size_t>(target_offset) * width;
  if (constant) {
    for (uint32_t i = 0; i < rows.count; ++i) std::memcpy(to + i * width, from, width);
  } else if (rows.isIdentity()) {
    std::memcpy(to, from, static_cast<size_t>(rows.count) * width);
  } else {
    switch (width) {
      case 1:
        for (uint32_t i = 0; i < rows.count; ++i) to[i] = from[rows[i]];
        break;
      case 2:
        for (uint32_t i = 0; i < rows.count; ++i) {
          reinterpret_cast<uint16_t*>(to)[i] = reinterpret_cast<const uint16_t*>(from)[rows[i]];
        }
        break;
      case 4:
        for (uint32_t i = 0; i < rows.count; ++i) {
          reinterpret_cast<uint32_t*>(to)[i] = reinterpret_cast<const uint32_t*>(from)[rows[i]];
        }
        break;
      case 8:
        for (uint32_t i = 0; i < rows.count; ++i) {
          reinterpret_cast<uint64_t*>(to)[i] = reinterpret_cast<const uint64_t*>(from)[rows[i]];
        }
        break;
      case 16:  // strings (views), intervals
        for (uint32_t i = 0; i < rows.count; ++i) {
          std::memcpy(to + i * 16, from + static_cast<size_t>(rows[i]) * 16, 16);
        }
        break;
      default:
        for (uint32_t i = 0; i < rows.count; ++i) {
          std::memcpy(to + i * width, from + static_cast<size_t>(rows[i]) * width, width);
        }
    }
  }
}

DataChunk DataChunk::compacted() const {
  const Rows active = rows();
  DataChunk result;
  result.columns_.reserve(columns_.size());
  for (const Vector& column : columns_) {
    Vector flat(column.type(), std::max<uint32_t>(active.count, 1));
    copyRows(column, active, flat, 0);
    result.columns_.push_back(std::move(flat));
  }
  result.size_ = active.count;
  if (kinds_ != nullptr) {
    auto kinds = std::make_shared<std::vector<uint8_t>>(std::max<uint32_t>(active.count, 1));
    for (uint32_t i = 0; i < active.count; ++i) (*kinds)[i] = (*kinds_)[active[i]];
    result.kinds_ = std::move(kinds);
  }
  return result;
}

void DataChunk::append(const DataChunk& other) {
  const Rows incoming = other.rows();
  if (incoming.count == 0) return;
  const uint32_t needed = size_ + incoming.count;
  for (size_t c = 0; c < columns_.size(); ++c) {
    Vector& column = columns_[c];
    if (column.isConstant()) column.flatten(size_);
    if (needed > column.capacity()) column.reserve(std::max(needed, column.capacity() * 2));
    copyRows(other.columns_[c], incoming, column, size_);
  }
  if (kinds_ != nullptr || other.kinds_ != nullptr) {
    std::vector<uint8_t>& kinds = mutableKinds();
    if (kinds.size() < needed) kinds.resize(std::max<size_t>(needed, kinds.size() * 2), 0);
    for (uint32_t i = 0; i < incoming.count; ++i) {
      kinds[size_ + i] = static_cast<uint8_t>(other.kindAt(incoming[i]));
    }
  }
  size_ = needed;
}

std::vector<Value> DataChunk::rowAt(uint32_t position) const {
  std::vector<Value> row;
  row.reserve(columns_.size());
  for (const Vector& column : columns_) row.push_back(column.getValue(position));
  return row;
}

void DataChunk::appendRow(const std::vector<Value>& row, RowKind kind) {
  const uint32_t position = size_;
  for (size_t c = 0; c < columns_.size(); ++c) {
    Vector& column = columns_[c];
    if (position >= column.capacity()) column.reserve(std::max<uint32_t>(16, column.capacity() * 2));
    column.setValue(position, row[c]);
  }
  if (kind != RowKind::kInsert || kinds_ != nullptr) {
    std::vector<uint8_t>& kinds = mutableKinds();
    if (kinds.size() <= position) kinds.resize(std::max<size_t>(position + 1, kinds.size() * 2), 0);
    kinds[position] = static_cast<uint8_t>(kind);
  }
  size_ = position + 1;
}

}  // namespace caudal::sql
