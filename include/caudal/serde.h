// Binary serialization of records, keys and states: the bytes of checkpoints and of the
// write-ahead log.
//
// Every type a checkpoint or the write-ahead log stores needs a `caudal::Serializer<T>`. The
// standard types below have one; for a type of your own, specialize it in namespace caudal:
//
//   struct Reading {
//     std::string sensor;
//     double celsius = 0;
//   };
//
//   template <>
//   struct caudal::Serializer<Reading> {
//     static void write(caudal::ByteWriter& out, const Reading& r) {
//       out.write(r.sensor);
//       out.write(r.celsius);
//     }
//     static Reading read(caudal::ByteReader& in) {
//       // A braced list is evaluated left to right, so fields are read in the order written.
//       return Reading{in.read<std::string>(), in.read<double>()};
//     }
//   };
//
// `read` must consume exactly the bytes `write` produced, and `write` must produce at least
// one byte (containers bound their element count by the bytes that remain, so a value that
// encodes to nothing cannot be told apart from corrupt input). Bad input is reported by
// throwing `caudal::Error`, e.g. with `ByteReader::fail`; the built-in readers never read
// past their input, allocate only in proportion to its size, and never crash on arbitrary
// bytes.
//
// Encoding. The bytes are a persistent format: checkpoints and logs written by one version
// are read by the next, so the encoding of a type never changes. A value is written with
// nothing around it (no type tag, no field names):
//
//   bool                  one byte, 0x00 or 0x01; any other byte is an error.
//   1-byte integers       one byte, the value's bits (int8_t, uint8_t, char, signed char,
//                         unsigned char, char8_t; std::byte as an enum of unsigned char):
//                         int8_t -1 is FF.
//   wider unsigned ints   unsigned LEB128 varint: 7 bits a byte, least significant group
//                         first, the high bit set on every byte but the last; at most 10
//                         bytes. 0 is 00, 127 is 7F, 300 is AC 02, UINT64_MAX is FF×9 01.
//   wider signed ints     zigzag (0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ...), then as
//                         unsigned: -1 is 01, 1 is 02, -64 is 7F, 64 is 80 01.
//                         A reader rejects a value that does not fit its type (300 read as
//                         an int16 is fine, 70000 is an error), so a field may be widened
//                         from int32_t to int64_t (or uint16_t to uint64_t) and old bytes
//                         still read (not from a 1-byte type, whose encoding differs).
//   enums                 as their underlying type.
//   float, double         the IEEE-754 bits, fixed 4 / 8 bytes, little-endian; every bit is
//                         kept (NaN payloads, -0.0). 1.0 is 00 00 80 3F as a float and
//                         00 00 00 00 00 00 F0 3F as a double.
//   std::string           the byte count as a varint, then the bytes: "hi" is 02 68 69.
//   std::pair, tuple      the elements in order: pair(1, "a") is 02 01 61.
//   std::array<T, N>      the N elements (no count); N > 0.
//   std::vector, std::set, std::unordered_set
//                         the element count as a varint, then the elements.
//   std::map, std::unordered_map
//                         the entry count as a varint, then key, value, key, value ...
//                         (ordered containers in their order; unordered ones in iteration
//                         order, so equal unordered maps may encode differently). A key
//                         or set element that occurs twice is an error.
//   std::optional         00 when empty; 01 then the value.
//   Duration, Time        the milliseconds as a signed (zigzag) varint.
//
// A reader accepts an overlong varint (80 00 for 0) but not one with more than 64 bits.
// `long double`, `std::tuple<>` and `std::array<T, 0>` are not serializable.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "caudal/duration.h"
#include "caudal/error.h"

namespace caudal {

class ByteWriter;
class ByteReader;

/// How values of `T` are written to and read from bytes: specialize it with
/// `static void write(ByteWriter&, const T&)` and `static T read(ByteReader&)` (see the top
/// of this file). Defined for bool, integers, float, double, enums, std::string, and pairs,
/// tuples, arrays, vectors, optionals, sets and maps of serializable types.
template <class T>
struct Serializer;

/// True when `Serializer<T>` is defined: values of `T` can be checkpointed and logged.
template <class T>
concept Serializable = requires(ByteWriter& writer, ByteReader& reader, const T& value) {
  Serializer<T>::write(writer, value);
  { Serializer<T>::read(reader) } -> std::same_as<T>;
};

namespace detail {

/// Fails the compilation with a readable message when `T` has no Serializer.
template <class T>
constexpr void requireSerializable() {
  static_assert(Serializable<T>,
                "caudal: this type has no binary serialization, which checkpoints and the "
                "write-ahead log need. Specialize caudal::Serializer<T> with "
                "`static void write(caudal::ByteWriter&, const T&)` and "
                "`static T read(caudal::ByteReader&)`, as the example in <caudal/serde.h> "
                "shows (pairs, tuples, optionals and containers are serializable when their "
                "element types are)");
}

}  // namespace detail

/// Appends the encoding of values to a `std::string` or a `std::vector<std::byte>` it does
/// not own (which must outlive it); bytes already in the buffer are kept. For speed it writes
/// through a cursor into room it has added to the buffer, so the buffer holds exactly the
/// written bytes only after `flush()` or the writer's destruction; until then it may end with
/// unspecified bytes, and nothing but the writer may touch it. Not thread-safe; allocates
/// only by growing the buffer.
class ByteWriter {
 public:
  /// A writer appending to `out`.
  explicit ByteWriter(std::string& out) noexcept : string_(&out), start_size_(out.size()) {
    rebase(start_size_, start_size_);
  }
  /// A writer appending to `out`.
  explicit ByteWriter(std::vector<std::byte>& out) noexcept
      : bytes_(&out), start_size_(out.size()) {
    rebase(start_size_, start_size_);
  }
  /// Trims the buffer to the written bytes (`flush()`).
  ~ByteWriter() { flush(); }

  ByteWriter(const ByteWriter&) = delete;
  ByteWriter& operator=(const ByteWriter&) = delete;

  /// The number of bytes in the buffer once flushed: those it held before and those written.
  size_t size() const noexcept { return static_cast<size_t>(cursor_ - begin_); }

  /// Trims the buffer to exactly the written bytes; the writer may go on writing after it.
  void flush() {
    size_t used = size();
    resizeBuffer(used);
    rebase(used, used);
  }

  /// Makes room for `additional` more bytes, so that writing them does not grow the buffer.
  void reserve(size_t additional) { ensureRoom(additional); }

  /// Appends `value` as `Serializer<T>` encodes it.
  template <class T>
  void write(const T& value) {
    detail::requireSerializable<T>();
    if constexpr (Serializable<T>) Serializer<T>::write(*this, value);
  }

  /// Appends one byte.
  void writeByte(uint8_t value) {
    if (cursor_ == limit_) grow(1);
    *cursor_++ = value;
  }

  /// Appends `value` as 2 bytes, little-endian.
  void writeFixed16(uint16_t value) { writeLittleEndian(value); }
  /// Appends `value` as 4 bytes, little-endian.
  void writeFixed32(uint32_t value) { writeLittleEndian(value); }
  /// Appends `value` as 8 bytes, little-endian.
  void writeFixed64(uint64_t value) { writeLittleEndian(value); }

  /// Appends `value` as an unsigned LEB128 varint (1 to 10 bytes).
  void writeVarint(uint64_t value) {
    ensureRoom(10);
    while (value >= 0x80) {
      *cursor_++ = static_cast<unsigned char>(value | 0x80);
      value >>= 7;
    }
    *cursor_++ = static_cast<unsigned char>(value);
  }

  /// Appends `value` zigzag-encoded (small magnitudes, either sign, take few bytes) as a varint.
  void writeZigzag(int64_t value) {
    writeVarint((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
  }

  /// Appends `size` bytes from `data` as they are, with no length.
  void writeBytes(const void* data, size_t size) {
    if (size == 0) return;
    ensureRoom(size);
    std::memcpy(cursor_, data, size);
    cursor_ += size;
  }
  /// Appends `bytes` as they are, with no length.
  void writeBytes(std::span<const std::byte> bytes) { writeBytes(bytes.data(), bytes.size()); }

  /// Appends `text` as a varint byte count followed by the bytes.
  void writeString(std::string_view text) {
    writeVarint(text.size());
    writeBytes(text.data(), text.size());
  }

 private:
  template <class U>
  void writeLittleEndian(U value) {
    ensureRoom(sizeof(U));
    for (size_t i = 0; i < sizeof(U); ++i) {
      cursor_[i] = static_cast<unsigned char>(value >> (8 * i));
    }
    cursor_ += sizeof(U);
  }

  void ensureRoom(size_t size) {
    if (static_cast<size_t>(limit_ - cursor_) < size) grow(size);
  }

  // Adds room for at least `size` bytes, and as much as this writer has written so far, so
  // that growth is geometric (the buffer's own reallocation is too) and the zero-filling of
  // the room costs about as much as the bytes later written into it.
  void grow(size_t size) {
    size_t used = this->size();
    size_t room = std::max({size, used - start_size_, size_t{64}});
    resizeBuffer(used + room);
    rebase(used, used + room);
  }

  void resizeBuffer(size_t size) {
    if (string_ != nullptr) {
      string_->resize(size);
    } else {
      bytes_->resize(size);
    }
  }

  // Points the cursor at byte `used` of the buffer, which has `size` bytes.
  void rebase(size_t used, size_t size) noexcept {
    begin_ = string_ != nullptr ? reinterpret_cast<unsigned char*>(string_->data())
                                : reinterpret_cast<unsigned char*>(bytes_->data());
    cursor_ = begin_ + used;
    limit_ = begin_ + size;
  }

  std::string* string_ = nullptr;
  std::vector<std::byte>* bytes_ = nullptr;
  size_t start_size_ = 0;  // the buffer's size when the writer was made
  unsigned char* begin_ = nullptr;
  unsigned char* cursor_ = nullptr;
  unsigned char* limit_ = nullptr;
};

/// Reads encoded values from bytes it does not own (which must outlive it). Every read is
/// bounds-checked: reading past the end, or bytes that are not a valid encoding, throws
/// `caudal::Error` naming the problem, what was being read and the offset, e.g.
/// "truncated input: reading a string of 12 bytes at offset 40 of 45". Offsets count from
/// the start of the given bytes; a caller reading a file adds its path and record. After a
/// throw the reader's position is unspecified. Not thread-safe; never allocates except for
/// the values it returns and the messages it throws.
class ByteReader {
 public:
  /// A reader of `input`, positioned at its first byte.
  explicit ByteReader(std::span<const std::byte> input) noexcept
      : data_(reinterpret_cast<const unsigned char*>(input.data())), size_(input.size()) {}
  /// A reader of `input`, positioned at its first byte.
  explicit ByteReader(std::string_view input) noexcept
      : data_(reinterpret_cast<const unsigned char*>(input.data())), size_(input.size()) {}

  /// The position of the next byte to read, from the start of the input.
  size_t offset() const noexcept { return offset_; }
  /// The size of the whole input.
  size_t size() const noexcept { return size_; }
  /// The number of bytes not yet read.
  size_t remaining() const noexcept { return size_ - offset_; }
  /// True when every byte has been read.
  bool atEnd() const noexcept { return offset_ == size_; }

  /// Reads a value as `Serializer<T>` decodes it.
  template <class T>
  [[nodiscard]] T read() {
    detail::requireSerializable<T>();
    if constexpr (Serializable<T>) {
      return Serializer<T>::read(*this);
    } else {
      throw Error("caudal: not serializable");  // unreachable: the static_assert above failed
    }
  }

  /// Reads one byte. `what` names the value in the error message ("a bool", "a tag").
  [[nodiscard]] uint8_t readByte(std::string_view what = "a byte") {
    if (offset_ == size_) fail("truncated input", what, offset_);
    return data_[offset_++];
  }

  /// Reads 2 little-endian bytes.
  [[nodiscard]] uint16_t readFixed16(std::string_view what = "a 16-bit integer") {
    return readLittleEndian<uint16_t>(what);
  }
  /// Reads 4 little-endian bytes.
  [[nodiscard]] uint32_t readFixed32(std::string_view what = "a 32-bit integer") {
    return readLittleEndian<uint32_t>(what);
  }
  /// Reads 8 little-endian bytes.
  [[nodiscard]] uint64_t readFixed64(std::string_view what = "a 64-bit integer") {
    return readLittleEndian<uint64_t>(what);
  }

  /// Reads an unsigned LEB128 varint; more than 64 bits of value is an error.
  [[nodiscard]] uint64_t readVarint(std::string_view what = "a varint") {
    if (offset_ < size_ && data_[offset_] < 0x80) return data_[offset_++];  // one-byte values
    return readLongVarint(what, {});
  }

  /// Reads a zigzag-encoded varint, as `ByteWriter::writeZigzag` writes it.
  [[nodiscard]] int64_t readZigzag(std::string_view what = "a zigzag varint") {
    uint64_t encoded = readVarint(what);
    return static_cast<int64_t>(encoded >> 1) ^ -static_cast<int64_t>(encoded & 1);
  }

  /// The next `size` bytes, as a view into the input (no copy).
  [[nodiscard]] std::span<const std::byte> readBytes(size_t size,
                                                     std::string_view what = "a block") {
    if (size > remaining()) {
      fail("truncated input",
           std::string(what).append(" of ").append(std::to_string(size)).append(" bytes"),
           offset_);
    }
    const auto* begin = reinterpret_cast<const std::byte*>(data_ + offset_);
    offset_ += size;
    return {begin, size};
  }

  /// Reads a string as `ByteWriter::writeString` writes it, as a view into the input.
  [[nodiscard]] std::string_view readStringView(std::string_view what = "a string") {
    uint64_t length = offset_ < size_ && data_[offset_] < 0x80
                          ? data_[offset_++]
                          : readLongVarint(what, "the length of ");
    if (length > remaining()) {
      fail("truncated input",
           std::string(what).append(" of ").append(std::to_string(length)).append(" bytes"),
           offset_);
    }
    std::string_view text(reinterpret_cast<const char*>(data_ + offset_),
                          static_cast<size_t>(length));
    offset_ += static_cast<size_t>(length);
    return text;
  }

  /// Reads a string as `ByteWriter::writeString` writes it (one copy of its bytes).
  [[nodiscard]] std::string readString(std::string_view what = "a string") {
    return std::string(readStringView(what));
  }

  /// Reads the element count of a container (`what`, e.g. "a vector") whose elements encode
  /// to at least `min_element_size` bytes each, and checks that the remaining input can hold
  /// that many: a corrupt count is an error, not a huge allocation.
  [[nodiscard]] size_t readLength(size_t min_element_size, std::string_view what) {
    size_t at = offset_;
    uint64_t length = offset_ < size_ && data_[offset_] < 0x80
                          ? data_[offset_++]
                          : readLongVarint(what, "the length of ");
    if (min_element_size == 0) min_element_size = 1;
    if (length > remaining() / min_element_size) {
      fail(std::string("length ")
               .append(std::to_string(length))
               .append(" exceeds what the ")
               .append(std::to_string(remaining()))
               .append(" remaining bytes can hold"),
           what, at);
    }
    return static_cast<size_t>(length);
  }

  /// Throws `caudal::Error` if bytes remain unread: "trailing bytes: 3 unread bytes at offset
  /// 5 of 8 after the value".
  void expectEnd(std::string_view what = "the value") const {
    if (offset_ == size_) return;
    throw Error(std::string("trailing bytes: ")
                    .append(std::to_string(remaining()))
                    .append(remaining() == 1 ? " unread byte" : " unread bytes")
                    .append(" at offset ")
                    .append(std::to_string(offset_))
                    .append(" of ")
                    .append(std::to_string(size_))
                    .append(" after ")
                    .append(what));
  }

  /// Throws `caudal::Error` "<problem>: reading <what> at offset <at> of <size>", for a
  /// Serializer that finds invalid bytes (`at` is usually where the value started).
  [[noreturn]] void fail(std::string_view problem, std::string_view what, size_t at) const {
    throw Error(std::string(problem)
                    .append(": reading ")
                    .append(what)
                    .append(" at offset ")
                    .append(std::to_string(at))
                    .append(" of ")
                    .append(std::to_string(size_)));
  }

 private:
  template <class U>
  U readLittleEndian(std::string_view what) {
    if (remaining() < sizeof(U)) fail("truncated input", what, offset_);
    U value = 0;
    for (size_t i = 0; i < sizeof(U); ++i) {
      value |= static_cast<U>(U{data_[offset_ + i]} << (8 * i));
    }
    offset_ += sizeof(U);
    return value;
  }

  // The general case of a varint; `what_prefix` + `what` name it in errors.
  uint64_t readLongVarint(std::string_view what, std::string_view what_prefix) {
    size_t at = offset_;
    uint64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (offset_ == size_) fail("truncated input", std::string(what_prefix).append(what), at);
      uint8_t byte = data_[offset_++];
      // The tenth byte holds bit 63 only.
      if (shift == 63 && byte > 1) {
        fail("varint longer than 64 bits", std::string(what_prefix).append(what), at);
      }
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  }

  const unsigned char* data_;
  size_t size_;
  size_t offset_ = 0;
};

namespace detail {

/// The least number of bytes a value of `T` encodes to; containers divide the remaining
/// input by it to reject impossible lengths. User types are assumed to take at least one.
template <class T>
struct MinEncodedSize : std::integral_constant<size_t, 1> {};
template <>
struct MinEncodedSize<float> : std::integral_constant<size_t, 4> {};
template <>
struct MinEncodedSize<double> : std::integral_constant<size_t, 8> {};
template <class A, class B>
struct MinEncodedSize<std::pair<A, B>>
    : std::integral_constant<size_t, MinEncodedSize<A>::value + MinEncodedSize<B>::value> {};
template <class... Ts>
struct MinEncodedSize<std::tuple<Ts...>>
    : std::integral_constant<size_t, (MinEncodedSize<Ts>::value + ... + 0)> {};
template <class T, size_t N>
struct MinEncodedSize<std::array<T, N>>
    : std::integral_constant<size_t, MinEncodedSize<T>::value * N> {};

/// A one-byte integer type (written as its raw byte), bool excluded.
template <class T>
concept OneByteInteger = std::is_integral_v<T> && !std::is_same_v<T, bool> && sizeof(T) == 1;

/// Element types whose encoding is their in-memory bytes, so arrays of them are copied whole.
template <class T>
concept RawBytesElement =
    OneByteInteger<T> || (std::is_enum_v<T> && OneByteInteger<std::underlying_type_t<T>>) ||
    ((std::is_same_v<T, float> || std::is_same_v<T, double>) &&
     std::endian::native == std::endian::little);

/// The name of an integer type in error messages ("an int32", "a uint64").
template <class T>
constexpr std::string_view integerName() {
  constexpr size_t kBits = sizeof(T) * 8;
  if constexpr (std::is_signed_v<T>) {
    return kBits == 8    ? "an int8"
           : kBits == 16 ? "an int16"
           : kBits == 32 ? "an int32"
                         : "an int64";
  } else {
    return kBits == 8    ? "a uint8"
           : kBits == 16 ? "a uint16"
           : kBits == 32 ? "a uint32"
                         : "a uint64";
  }
}

/// Writes the elements of a sized range: the count, then each element.
template <class Range>
void writeCountedRange(ByteWriter& out, const Range& range) {
  out.writeVarint(range.size());
  for (const auto& element : range) out.write(element);
}

/// Writes a map: the count, then each key and its value.
template <class Map>
void writeMap(ByteWriter& out, const Map& map) {
  out.writeVarint(map.size());
  for (const auto& [key, value] : map) {
    Serializer<typename Map::key_type>::write(out, key);
    Serializer<typename Map::mapped_type>::write(out, value);
  }
}

/// Reads a count and that many key-value entries into the (ordered or unordered) map `Map`.
template <class Map>
Map readMap(ByteReader& in, std::string_view what) {
  using Key = typename Map::key_type;
  using Value = typename Map::mapped_type;
  size_t count = in.readLength(MinEncodedSize<Key>::value + MinEncodedSize<Value>::value, what);
  Map map;
  if constexpr (requires { map.reserve(count); }) map.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    size_t at = in.offset();
    Key key = in.read<Key>();
    Value value = in.read<Value>();
    // A map written in order is read in order: inserting at the end is then constant time.
    size_t before = map.size();
    map.emplace_hint(map.end(), std::move(key), std::move(value));
    if (map.size() == before) in.fail("duplicate key", what, at);
  }
  return map;
}

/// Reads a count and that many elements into the (ordered or unordered) set `Set`.
template <class Set>
Set readSet(ByteReader& in, std::string_view what) {
  using Key = typename Set::key_type;
  size_t count = in.readLength(MinEncodedSize<Key>::value, what);
  Set set;
  if constexpr (requires { set.reserve(count); }) set.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    size_t at = in.offset();
    size_t before = set.size();
    set.emplace_hint(set.end(), in.read<Key>());
    if (set.size() == before) in.fail("duplicate element", what, at);
  }
  return set;
}

}  // namespace detail

/// `true` as 01, `false` as 00; any other byte is an error.
template <>
struct Serializer<bool> {
  /// Writes one byte.
  static void write(ByteWriter& out, bool value) { out.writeByte(value ? 1 : 0); }
  /// Reads one byte, 00 or 01.
  static bool read(ByteReader& in) {
    uint8_t byte = in.readByte("a bool");
    if (byte > 1) {
      in.fail(std::string("invalid bool byte ").append(std::to_string(byte)), "a bool",
              in.offset() - 1);
    }
    return byte == 1;
  }
};

/// Integers: one raw byte for 1-byte types, a varint for wider unsigned ones, a zigzag varint
/// for wider signed ones. Reading a value that does not fit `T` is an error.
template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && sizeof(T) <= 8)
struct Serializer<T> {
  /// Writes `value`.
  static void write(ByteWriter& out, T value) {
    if constexpr (sizeof(T) == 1) {
      out.writeByte(std::bit_cast<uint8_t>(value));
    } else if constexpr (std::is_signed_v<T>) {
      out.writeZigzag(static_cast<int64_t>(value));
    } else {
      out.writeVarint(static_cast<uint64_t>(value));
    }
  }
  /// Reads a value, checking it fits `T`.
  static T read(ByteReader& in) {
    constexpr std::string_view kWhat = detail::integerName<T>();
    if constexpr (sizeof(T) == 1) {
      return std::bit_cast<T>(in.readByte(kWhat));
    } else if constexpr (std::is_signed_v<T>) {
      size_t at = in.offset();
      int64_t value = in.readZigzag(kWhat);
      if constexpr (sizeof(T) < 8) {
        if (value < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
            value > static_cast<int64_t>(std::numeric_limits<T>::max())) {
          in.fail(std::string("integer out of range (").append(std::to_string(value)).append(")"),
                  kWhat, at);
        }
      }
      return static_cast<T>(value);
    } else {
      size_t at = in.offset();
      uint64_t value = in.readVarint(kWhat);
      if constexpr (sizeof(T) < 8) {
        if (value > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
          in.fail(std::string("integer out of range (").append(std::to_string(value)).append(")"),
                  kWhat, at);
        }
      }
      return static_cast<T>(value);
    }
  }
};

/// A float as its 4 IEEE-754 bytes, little-endian, bit for bit.
template <>
struct Serializer<float> {
  static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4);
  /// Writes the 4 bytes of `value`.
  static void write(ByteWriter& out, float value) {
    out.writeFixed32(std::bit_cast<uint32_t>(value));
  }
  /// Reads 4 bytes.
  static float read(ByteReader& in) { return std::bit_cast<float>(in.readFixed32("a float")); }
};

/// A double as its 8 IEEE-754 bytes, little-endian, bit for bit.
template <>
struct Serializer<double> {
  static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8);
  /// Writes the 8 bytes of `value`.
  static void write(ByteWriter& out, double value) {
    out.writeFixed64(std::bit_cast<uint64_t>(value));
  }
  /// Reads 8 bytes.
  static double read(ByteReader& in) { return std::bit_cast<double>(in.readFixed64("a double")); }
};

/// An enum as its underlying integer type (values are not checked against the enumerators).
template <class T>
  requires std::is_enum_v<T>
struct Serializer<T> {
  using Underlying = std::underlying_type_t<T>;
  /// Writes the underlying value.
  static void write(ByteWriter& out, T value) {
    Serializer<Underlying>::write(out, static_cast<Underlying>(value));
  }
  /// Reads the underlying value.
  static T read(ByteReader& in) { return static_cast<T>(Serializer<Underlying>::read(in)); }
};

/// A string as its byte count (varint) and its bytes; any bytes, NUL included.
template <>
struct Serializer<std::string> {
  /// Writes the count and the bytes.
  static void write(ByteWriter& out, const std::string& value) { out.writeString(value); }
  /// Reads the count and the bytes (one copy).
  static std::string read(ByteReader& in) { return in.readString(); }
};

/// A pair as its first element then its second.
template <Serializable A, Serializable B>
struct Serializer<std::pair<A, B>> {
  /// Writes both elements.
  static void write(ByteWriter& out, const std::pair<A, B>& value) {
    Serializer<A>::write(out, value.first);
    Serializer<B>::write(out, value.second);
  }
  /// Reads both elements.
  static std::pair<A, B> read(ByteReader& in) {
    A first = Serializer<A>::read(in);
    B second = Serializer<B>::read(in);
    return {std::move(first), std::move(second)};
  }
};

/// A tuple as its elements in order (at least one element).
template <Serializable... Ts>
  requires(sizeof...(Ts) > 0)
struct Serializer<std::tuple<Ts...>> {
  /// Writes the elements in order.
  static void write(ByteWriter& out, const std::tuple<Ts...>& value) {
    std::apply([&out](const Ts&... elements) { (Serializer<Ts>::write(out, elements), ...); },
               value);
  }
  /// Reads the elements in order.
  static std::tuple<Ts...> read(ByteReader& in) {
    // The elements of a braced list are evaluated left to right.
    return std::tuple<Ts...>{Serializer<Ts>::read(in)...};
  }
};

/// A fixed-size array as its N elements, with no count.
template <Serializable T, size_t N>
  requires(N > 0)
struct Serializer<std::array<T, N>> {
  /// Writes the elements.
  static void write(ByteWriter& out, const std::array<T, N>& value) {
    if constexpr (detail::RawBytesElement<T>) {
      out.writeBytes(value.data(), sizeof(T) * N);
    } else {
      for (const T& element : value) Serializer<T>::write(out, element);
    }
  }
  /// Reads the elements.
  static std::array<T, N> read(ByteReader& in) {
    if constexpr (detail::RawBytesElement<T>) {
      std::array<T, N> value;
      std::memcpy(value.data(), in.readBytes(sizeof(T) * N, "an array").data(), sizeof(T) * N);
      return value;
    } else {
      return readElements(in, std::make_index_sequence<N>());
    }
  }

 private:
  template <size_t... Is>
  static std::array<T, N> readElements(ByteReader& in, std::index_sequence<Is...>) {
    // Braced-list elements are evaluated left to right; `Is` only repeats the call N times.
    return std::array<T, N>{((void)Is, Serializer<T>::read(in))...};
  }
};

/// A vector as its element count (varint) and its elements; vectors of 1-byte integers,
/// floats and doubles are copied as one block.
template <Serializable T, class Allocator>
struct Serializer<std::vector<T, Allocator>> {
  /// Writes the count and the elements.
  static void write(ByteWriter& out, const std::vector<T, Allocator>& value) {
    if constexpr (detail::RawBytesElement<T>) {
      out.writeVarint(value.size());
      out.writeBytes(value.data(), sizeof(T) * value.size());
    } else {
      detail::writeCountedRange(out, value);
    }
  }
  /// Reads the count and the elements.
  static std::vector<T, Allocator> read(ByteReader& in) {
    size_t count = in.readLength(detail::MinEncodedSize<T>::value, "a vector");
    std::vector<T, Allocator> value;
    if constexpr (detail::RawBytesElement<T>) {
      // readLength checked that count * sizeof(T) bytes remain.
      std::span<const std::byte> bytes = in.readBytes(count * sizeof(T), "a vector");
      value.resize(count);
      if (count > 0) std::memcpy(value.data(), bytes.data(), bytes.size());
    } else {
      value.reserve(count);
      for (size_t i = 0; i < count; ++i) value.push_back(Serializer<T>::read(in));
    }
    return value;
  }
};

/// An optional as 00 when empty, or 01 and the value.
template <Serializable T>
struct Serializer<std::optional<T>> {
  /// Writes the tag and the value if any.
  static void write(ByteWriter& out, const std::optional<T>& value) {
    out.writeByte(value.has_value() ? 1 : 0);
    if (value.has_value()) Serializer<T>::write(out, *value);
  }
  /// Reads the tag and the value if any.
  static std::optional<T> read(ByteReader& in) {
    uint8_t tag = in.readByte("an optional");
    if (tag == 0) return std::nullopt;
    if (tag != 1) {
      in.fail(std::string("invalid optional tag ").append(std::to_string(tag)), "an optional",
              in.offset() - 1);
    }
    return Serializer<T>::read(in);
  }
};

/// An ordered map as its entry count and its entries in key order; a repeated key is an
/// error on read.
template <Serializable K, Serializable V, class Compare, class Allocator>
struct Serializer<std::map<K, V, Compare, Allocator>> {
  using Map = std::map<K, V, Compare, Allocator>;
  /// Writes the count and the entries.
  static void write(ByteWriter& out, const Map& value) { detail::writeMap(out, value); }
  /// Reads the count and the entries.
  static Map read(ByteReader& in) { return detail::readMap<Map>(in, "a map"); }
};

/// A hash map as its entry count and its entries in iteration order; a repeated key is an
/// error on read.
template <Serializable K, Serializable V, class Hash, class Equal, class Allocator>
struct Serializer<std::unordered_map<K, V, Hash, Equal, Allocator>> {
  using Map = std::unordered_map<K, V, Hash, Equal, Allocator>;
  /// Writes the count and the entries.
  static void write(ByteWriter& out, const Map& value) { detail::writeMap(out, value); }
  /// Reads the count and the entries.
  static Map read(ByteReader& in) { return detail::readMap<Map>(in, "an unordered_map"); }
};

/// An ordered set as its element count and its elements in order; a repeated element is an
/// error on read.
template <Serializable T, class Compare, class Allocator>
struct Serializer<std::set<T, Compare, Allocator>> {
  using Set = std::set<T, Compare, Allocator>;
  /// Writes the count and the elements.
  static void write(ByteWriter& out, const Set& value) { detail::writeCountedRange(out, value); }
  /// Reads the count and the elements.
  static Set read(ByteReader& in) { return detail::readSet<Set>(in, "a set"); }
};

/// A hash set as its element count and its elements in iteration order; a repeated element
/// is an error on read.
template <Serializable T, class Hash, class Equal, class Allocator>
struct Serializer<std::unordered_set<T, Hash, Equal, Allocator>> {
  using Set = std::unordered_set<T, Hash, Equal, Allocator>;
  /// Writes the count and the elements.
  static void write(ByteWriter& out, const Set& value) { detail::writeCountedRange(out, value); }
  /// Reads the count and the elements.
  static Set read(ByteReader& in) { return detail::readSet<Set>(in, "an unordered_set"); }
};

/// A duration as its milliseconds, a zigzag varint.
template <>
struct Serializer<Duration> {
  /// Writes the milliseconds.
  static void write(ByteWriter& out, Duration value) { out.writeZigzag(value.milliseconds()); }
  /// Reads the milliseconds.
  static Duration read(ByteReader& in) { return Duration(in.readZigzag("a duration")); }
};

/// A time as its milliseconds since the epoch, a zigzag varint.
template <>
struct Serializer<Time> {
  /// Writes the milliseconds.
  static void write(ByteWriter& out, Time value) { out.writeZigzag(value.milliseconds()); }
  /// Reads the milliseconds.
  static Time read(ByteReader& in) { return Time(in.readZigzag("a time")); }
};

/// The encoding of `value`, as a string of bytes.
template <class T>
std::string serialize(const T& value) {
  detail::requireSerializable<T>();
  std::string out;
  if constexpr (Serializable<T>) {
    ByteWriter writer(out);
    Serializer<T>::write(writer, value);
  }
  return out;
}

/// Decodes a `T` that is the whole of `bytes`. Throws `caudal::Error` if the bytes are
/// truncated, invalid, or followed by more bytes.
template <class T>
T deserialize(std::string_view bytes) {
  detail::requireSerializable<T>();
  ByteReader reader(bytes);
  T value = reader.read<T>();
  reader.expectEnd();
  return value;
}

/// Decodes a `T` that is the whole of `bytes`. Throws `caudal::Error` if the bytes are
/// truncated, invalid, or followed by more bytes.
template <class T>
T deserialize(std::span<const std::byte> bytes) {
  detail::requireSerializable<T>();
  ByteReader reader(bytes);
  T value = reader.read<T>();
  reader.expectEnd();
  return value;
}

}  // namespace caudal
