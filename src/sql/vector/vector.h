// Columnar vectors: the unit SQL operators and expressions work on, a few thousand values of one
// type at a time.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "sql/types/data_type.h"
#include "sql/types/value.h"

namespace caudal::sql {

/// Rows per vector: small enough for a chunk's columns to stay in cache, large enough to pay for
/// the per-vector dispatch.
inline constexpr uint32_t kVectorSize = 2048;

/// Which rows of a vector are NULL: a bitmap, one bit per row (1 = valid), or nothing at all when
/// every row is valid (the common case, checked once per vector by `allValid`).
class ValidityMask {
 public:
  bool allValid() const { return words_ == nullptr; }
  bool isValid(uint32_t row) const {
    return words_ == nullptr || ((words_[row >> 6] >> (row & 63)) & 1) != 0;
  }
  /// Marks `row` NULL; allocates the bitmap (all valid) for `capacity` rows on first use.
  void setInvalid(uint32_t row, uint32_t capacity) {
    if (words_ == nullptr) allocate(capacity);
    words_[row >> 6] &= ~(uint64_t{1} << (row & 63));
  }
  void setValid(uint32_t row) {
    if (words_ != nullptr) words_[row >> 6] |= uint64_t{1} << (row & 63);
  }
  /// Every row valid again.
  void reset() { words_.reset(); }
  /// The bitmap, allocated (all valid) if needed.
  uint64_t* words(uint32_t capacity) {
    if (words_ == nullptr) allocate(capacity);
    return words_.get();
  }

 private:
  void allocate(uint32_t capacity);
  std::shared_ptr<uint64_t[]> words_;
};

/// An arena that owns the bytes of a vector's strings; a `std::string_view` in a vector points
/// into one. Append-only: a view stays valid as long as the heap lives.
class StringHeap {
 public:
  /// Copies `text` into the heap and returns a view of the copy.
  std::string_view add(std::string_view text);
  /// `size` writable bytes that live as long as the heap.
  char* allocate(size_t size);
  /// Bytes held, for memory accounting.
  size_t bytesHeld() const { return bytes_held_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t bytes_held_ = 0;
};

/// How a vector holds its rows.
enum class VectorKind : uint8_t {
  kFlat,      // one value per row
  kConstant,  // one value (at position 0) that every row has
};

/// A column of up to `capacity()` values of one type, with a validity mask. Buffers are shared
/// by `reference()`, so passing a column through an operator costs nothing; a vector made by
/// `reference()` must not be written to.
///
/// Layout by type: fixed-width values in one buffer (see `physicalSize`); STRING/BYTES as
/// `std::string_view`s whose bytes live in this vector's heap or one it keeps alive; ROW as one
/// child vector per field (no buffer); ARRAY/MAP as a `ListEntry` per row into `children()[0]`,
/// whose used size is `listSize()`.
class Vector {
 public:
  Vector() = default;
  /// A flat vector of `capacity` rows, all valid, values uninitialized.
  explicit Vector(DataType type, uint32_t capacity = kVectorSize);
  /// A constant vector holding `value` (which may be NULL) for every row.
  static Vector constant(const Value& value);
  /// A constant vector of NULLs of `type`.
  static Vector constantNull(DataType type);

  const DataType& type() const { return type_; }
  VectorKind kind() const { return kind_; }
  bool isConstant() const { return kind_ == VectorKind::kConstant; }
  uint32_t capacity() const { return capacity_; }

  template <class T>
  T* values() {
    return reinterpret_cast<T*>(data_.get());
  }
  template <class T>
  const T* values() const {
    return reinterpret_cast<const T*>(data_.get());
  }
  /// The value at `row` (of a flat vector) or the constant; `T` must match the layout.
  template <class T>
  const T& valueAt(uint32_t row) const {
    return values<T>()[isConstant() ? 0 : row];
  }

  ValidityMask& validity() { return validity_; }
  const ValidityMask& validity() const { return validity_; }
  bool isNull(uint32_t row) const { return !validity_.isValid(isConstant() ? 0 : row); }
  void setNull(uint32_t row) { validity_.setInvalid(row, capacity_); }
  void setValid(uint32_t row) { validity_.setValid(row); }

  /// Copies `text` into this vector's heap; the view may be stored in this vector.
  std::string_view addString(std::string_view text) { return heap().add(text); }
  /// This vector's own heap (created on first use).
  StringHeap& heap();
  /// Keeps the heaps of `source` alive as long as this vector: for views into its strings.
  void keepStringsOf(const Vector& source);

  /// ROW fields, or the element vector of an ARRAY/MAP.
  std::vector<Vector>& children() { return children_; }
  const std::vector<Vector>& children() const { return children_; }
  /// ARRAY/MAP: elements in use in the child vector.
  uint32_t listSize() const { return list_size_; }
  /// ARRAY/MAP: makes room for `extra` more elements and returns the offset of the first.
  uint32_t appendListElements(uint32_t extra);

  /// Makes this vector share `other`'s buffers (a read-only view of it).
  void reference(const Vector& other) { *this = other; }
  /// Turns a constant vector into a flat one of `count` rows holding the same value.
  void flatten(uint32_t count);
  /// Grows a flat vector's capacity to at least `capacity`, keeping its values.
  void reserve(uint32_t capacity);

  /// The value at `row`, as a `Value` (slow: for results, tests and constants).
  Value getValue(uint32_t row) const;
  /// Writes `value` (converted to this vector's representation) at `row`.
  void setValue(uint32_t row, const Value& value);

 private:
  DataType type_;
  VectorKind kind_ = VectorKind::kFlat;
  uint32_t capacity_ = 0;
  std::shared_ptr<uint8_t[]> data_;
  ValidityMask validity_;
  std::shared_ptr<StringHeap> heap_;
  std::vector<std::shared_ptr<StringHeap>> kept_heaps_;
  std::vector<Vector> children_;
  uint32_t list_size_ = 0;
};

/// The rows of a chunk an operation applies to: positions `sel[0..count)`, or `0..count` when
/// `sel` is null. A filter narrows a chunk by giving it a selection instead of copying rows, so
/// every column of the chunk becomes, in effect, a dictionary vector over its old values.
struct Rows {
  const uint32_t* sel = nullptr;
  uint32_t count = 0;

  uint32_t operator[](uint32_t i) const { return sel == nullptr ? i : sel[i]; }
  bool isIdentity() const { return sel == nullptr; }
};

}  // namespace caudal::sql
