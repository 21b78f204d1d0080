// The binary encoding is a persistent format: checkpoints and write-ahead logs written by one
// version are read by the next. The pinned bytes below were worked out by hand from the format
// described in serde.h; do not update them to make a changed encoding pass.

#include "caudal/serde.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "caudal/duration.h"
#include "caudal/error.h"

// A user type, serialized exactly as the example at the top of serde.h shows.
namespace serde_test_types {

struct Reading {
  std::string sensor;
  double celsius = 0;
  bool operator==(const Reading&) const = default;
};

struct NotSerializable {
  int x = 0;
};

enum class Color : uint8_t { kRed = 1, kBlue = 200 };
enum class Offset : int64_t { kBack = -3, kFar = 1'000'000'000'000 };
enum Plain : int { kPlainZero, kPlainOne };

}  // namespace serde_test_types

template <>
struct caudal::Serializer<serde_test_types::Reading> {
  static void write(caudal::ByteWriter& out, const serde_test_types::Reading& r) {
    out.write(r.sensor);
    out.write(r.celsius);
  }
  static serde_test_types::Reading read(caudal::ByteReader& in) {
    return serde_test_types::Reading{in.read<std::string>(), in.read<double>()};
  }
};

namespace caudal {
namespace {

using serde_test_types::Color;
using serde_test_types::NotSerializable;
using serde_test_types::Offset;
using serde_test_types::Plain;
using serde_test_types::Reading;

// ---- Which types are serializable ----

static_assert(Serializable<bool>);
static_assert(Serializable<int8_t> && Serializable<uint64_t> && Serializable<char>);
static_assert(Serializable<char16_t> && Serializable<wchar_t> && Serializable<long long>);
static_assert(Serializable<float> && Serializable<double>);
static_assert(Serializable<std::string>);
static_assert(Serializable<Color> && Serializable<Plain> && Serializable<std::byte>);
static_assert(Serializable<Reading>);
static_assert(Serializable<std::vector<std::pair<std::string, std::optional<double>>>>);
static_assert(Serializable<std::map<std::string, std::vector<int>>>);
static_assert(!Serializable<std::set<Reading*>>);
static_assert(Serializable<std::array<Reading, 2>>);
static_assert(Serializable<Duration> && Serializable<Time>);
static_assert(!Serializable<NotSerializable>);
static_assert(!Serializable<std::vector<NotSerializable>>);
static_assert(!Serializable<std::pair<int, NotSerializable>>);
static_assert(!Serializable<std::tuple<int, NotSerializable, int>>);
static_assert(!Serializable<std::map<NotSerializable, int>>);
static_assert(!Serializable<std::optional<NotSerializable>>);
static_assert(!Serializable<long double>);
static_assert(!Serializable<std::tuple<>>);
static_assert(!Serializable<std::array<int, 0>>);
static_assert(!Serializable<const char*>);
static_assert(!Serializable<int*>);

// ---- Helpers ----

// The bytes `values`, as a string (the type `serialize` returns).
std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int value : values) out.push_back(static_cast<char>(value));
  return out;
}

// Checks that `value` encodes to exactly `expected` and decodes back to `value`.
template <class T>
void expectPinned(const T& value, const std::string& expected) {
  EXPECT_EQ(serialize(value), expected);
  EXPECT_EQ(deserialize<T>(expected), value);
}

template <class T>
T roundTrip(const T& value) {
  return deserialize<T>(serialize(value));
}

template <class T>
void expectRoundTrip(const T& value) {
  EXPECT_EQ(roundTrip(value), value);
}

// The message of the caudal::Error that decoding `input` as a T throws ("" if none is thrown).
template <class T>
std::string decodeError(std::string_view input) {
  try {
    (void)deserialize<T>(input);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// ---- Pinned bytes ----

TEST(SerdeBytes, UnsignedVarints) {
  expectPinned(uint32_t{0}, bytes({0x00}));
  expectPinned(uint32_t{1}, bytes({0x01}));
  expectPinned(uint32_t{127}, bytes({0x7f}));
  expectPinned(uint32_t{128}, bytes({0x80, 0x01}));
  expectPinned(uint32_t{300}, bytes({0xac, 0x02}));
  expectPinned(uint32_t{16384}, bytes({0x80, 0x80, 0x01}));
  expectPinned(uint16_t{65535}, bytes({0xff, 0xff, 0x03}));
  expectPinned(uint32_t{0xffffffff}, bytes({0xff, 0xff, 0xff, 0xff, 0x0f}));
  expectPinned(std::numeric_limits<uint64_t>::max(),
               bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  expectPinned(uint64_t{1} << 63,
               bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));
}

TEST(SerdeBytes, SignedZigzagVarints) {
  expectPinned(0, bytes({0x00}));
  expectPinned(-1, bytes({0x01}));
  expectPinned(1, bytes({0x02}));
  expectPinned(-2, bytes({0x03}));
  expectPinned(2, bytes({0x04}));
  expectPinned(-64, bytes({0x7f}));
  expectPinned(64, bytes({0x80, 0x01}));
  expectPinned(int16_t{-300}, bytes({0xd7, 0x04}));  // zigzag 599 = 4 * 128 + 87
  expectPinned(std::numeric_limits<int32_t>::max(), bytes({0xfe, 0xff, 0xff, 0xff, 0x0f}));
  expectPinned(std::numeric_limits<int32_t>::min(), bytes({0xff, 0xff, 0xff, 0xff, 0x0f}));
  expectPinned(std::numeric_limits<int64_t>::max(),
               bytes({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  expectPinned(std::numeric_limits<int64_t>::min(),
               bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(SerdeBytes, OneByteIntegersAndBools) {
  expectPinned(int8_t{-1}, bytes({0xff}));
  expectPinned(int8_t{-128}, bytes({0x80}));
  expectPinned(int8_t{127}, bytes({0x7f}));
  expectPinned(uint8_t{200}, bytes({0xc8}));
  expectPinned('A', bytes({0x41}));
  expectPinned(static_cast<unsigned char>(255), bytes({0xff}));
  expectPinned(std::byte{0x9c}, bytes({0x9c}));
  expectPinned(true, bytes({0x01}));
  expectPinned(false, bytes({0x00}));
}

TEST(SerdeBytes, FloatingPointIsLittleEndianIeee754) {
  expectPinned(1.0f, bytes({0x00, 0x00, 0x80, 0x3f}));
  expectPinned(-2.5f, bytes({0x00, 0x00, 0x20, 0xc0}));
  expectPinned(1.0, bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f}));
  expectPinned(0.0, bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(serialize(-0.0), bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80}));
  EXPECT_EQ(serialize(std::numeric_limits<double>::infinity()),
            bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f}));
  EXPECT_EQ(serialize(std::bit_cast<double>(uint64_t{0x7ff8000000000123})),
            bytes({0x23, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f}));
}

TEST(SerdeBytes, Strings) {
  expectPinned(std::string(), bytes({0x00}));
  expectPinned(std::string("hi"), bytes({0x02, 'h', 'i'}));
  expectPinned(std::string("a\0b", 3), bytes({0x03, 'a', 0x00, 'b'}));
  std::string long_text(200, 'x');
  EXPECT_EQ(serialize(long_text), bytes({0xc8, 0x01}) + long_text);
}

TEST(SerdeBytes, PairsTuplesAndArrays) {
  expectPinned(std::pair<int, std::string>(1, "a"), bytes({0x02, 0x01, 'a'}));
  expectPinned(std::tuple<int8_t, uint64_t, std::string>(-2, 300, ""),
               bytes({0xfe, 0xac, 0x02, 0x00}));
  expectPinned(std::tuple<bool>(true), bytes({0x01}));
  expectPinned(std::array<uint16_t, 2>{1, 300}, bytes({0x01, 0xac, 0x02}));
  expectPinned(std::array<char, 3>{'a', 'b', 'c'}, bytes({'a', 'b', 'c'}));
}

TEST(SerdeBytes, Containers) {
  expectPinned(std::vector<int>{}, bytes({0x00}));
  expectPinned(std::vector<int>{1, -1}, bytes({0x02, 0x02, 0x01}));
  expectPinned(std::vector<uint8_t>{1, 2, 255}, bytes({0x03, 0x01, 0x02, 0xff}));
  expectPinned(std::vector<double>{1.0},
               bytes({0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f}));
  expectPinned(std::vector<bool>{true, false, true}, bytes({0x03, 0x01, 0x00, 0x01}));
  expectPinned(std::vector<std::string>{"a", ""}, bytes({0x02, 0x01, 'a', 0x00}));
  expectPinned(std::map<std::string, int>{{"b", 2}, {"a", 1}},
               bytes({0x02, 0x01, 'a', 0x02, 0x01, 'b', 0x04}));
  expectPinned(std::set<int>{3, 1}, bytes({0x02, 0x02, 0x06}));
  expectPinned(std::unordered_map<int, bool>{{5, true}}, bytes({0x01, 0x0a, 0x01}));
  expectPinned(std::unordered_set<uint32_t>{300}, bytes({0x01, 0xac, 0x02}));
}

TEST(SerdeBytes, Optionals) {
  expectPinned(std::optional<int>(), bytes({0x00}));
  expectPinned(std::optional<int>(5), bytes({0x01, 0x0a}));
  expectPinned(std::optional<std::string>(""), bytes({0x01, 0x00}));
  expectPinned(std::optional<std::optional<bool>>(std::optional<bool>()), bytes({0x01, 0x00}));
}

TEST(SerdeBytes, EnumsAsTheirUnderlyingType) {
  expectPinned(Color::kBlue, bytes({0xc8}));
  expectPinned(Offset::kBack, bytes({0x05}));
  expectPinned(serde_test_types::kPlainOne, bytes({0x02}));  // zigzag(1)
}

TEST(SerdeBytes, DurationsAndTimes) {
  expectPinned(Milliseconds(1500), bytes({0xb8, 0x17}));  // zigzag 3000 = 23 * 128 + 56
  expectPinned(Milliseconds(-1), bytes({0x01}));
  expectPinned(Time(0), bytes({0x00}));
  expectPinned(Time(64), bytes({0x80, 0x01}));
}

TEST(SerdeBytes, UserType) {
  expectPinned(Reading{"t1", 1.0},
               bytes({0x02, 't', '1', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f}));
}

// ---- ByteWriter and ByteReader ----

TEST(SerdeWriter, FixedWidthIsLittleEndian) {
  std::string out;
  {
    ByteWriter writer(out);
    writer.writeFixed16(0x0102);
    writer.writeFixed32(0x01020304);
    writer.writeFixed64(0x0102030405060708);
  }
  EXPECT_EQ(out, bytes({0x02, 0x01, 0x04, 0x03, 0x02, 0x01, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03,
                        0x02, 0x01}));
}

TEST(SerdeWriter, AppendsToStringOrByteVector) {
  std::string text = "ab";
  std::vector<std::byte> binary = {std::byte{0x61}, std::byte{0x62}};
  ByteWriter to_text(text);
  ByteWriter to_binary(binary);
  for (ByteWriter* writer : {&to_text, &to_binary}) {
    writer->reserve(16);
    writer->write(uint32_t{300});
    writer->writeByte(0x7f);
    writer->writeZigzag(-1);
    writer->writeString("hi");
    writer->writeBytes(std::as_bytes(std::span<const char>("xy", 2)));
    EXPECT_EQ(writer->size(), 11u);
    writer->flush();
  }
  std::string expected = bytes({'a', 'b', 0xac, 0x02, 0x7f, 0x01, 0x02, 'h', 'i', 'x', 'y'});
  EXPECT_EQ(text, expected);
  ASSERT_EQ(binary.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(binary[i], static_cast<std::byte>(expected[i])) << "at byte " << i;
  }
}

TEST(SerdeWriter, FlushAndDestructionTrimTheBuffer) {
  std::string out = "x";
  {
    ByteWriter writer(out);
    writer.writeByte(0x01);
    EXPECT_EQ(writer.size(), 2u);
    EXPECT_GE(out.size(), 2u);  // until flushed, the buffer may end with room for more
    writer.flush();
    EXPECT_EQ(out, bytes({'x', 0x01}));
    writer.writeString("ab");
    EXPECT_EQ(writer.size(), 5u);
  }
  EXPECT_EQ(out, bytes({'x', 0x01, 0x02, 'a', 'b'}));

  std::vector<std::byte> untouched = {std::byte{7}};
  { ByteWriter idle(untouched); }
  EXPECT_EQ(untouched, std::vector<std::byte>{std::byte{7}});
}

TEST(SerdeWriter, GrowsAcrossManyWritesOfEverySize) {
  // Small values, then blocks larger than everything written so far, into both buffer kinds.
  std::string big(100'000, 'q');
  std::string text;
  std::vector<std::byte> binary;
  for (int round = 0; round < 2; ++round) {
    ByteWriter to_text(text);
    ByteWriter to_binary(binary);
    for (ByteWriter* writer : {&to_text, &to_binary}) {
      for (uint32_t i = 0; i < 20'000; ++i) writer->write(i * 2654435761u);
      writer->write(big);
      writer->writeFixed64(0x0102030405060708);
    }
  }
  ASSERT_EQ(text.size(), binary.size());
  EXPECT_EQ(std::memcmp(text.data(), binary.data(), text.size()), 0);
  ByteReader reader(text);
  for (int round = 0; round < 2; ++round) {
    for (uint32_t i = 0; i < 20'000; ++i) ASSERT_EQ(reader.read<uint32_t>(), i * 2654435761u);
    EXPECT_EQ(reader.read<std::string>(), big);
    EXPECT_EQ(reader.readFixed64(), 0x0102030405060708u);
  }
  EXPECT_TRUE(reader.atEnd());
}

TEST(SerdeWriter, AThrowingSerializerLeavesTheBytesWrittenBeforeIt) {
  std::string out;
  try {
    ByteWriter writer(out);
    writer.write(std::string("kept"));
    throw Error("user serializer failed");
  } catch (const Error&) {
  }
  EXPECT_EQ(out, bytes({0x04, 'k', 'e', 'p', 't'}));
}

TEST(SerdeReader, ReadsASequenceOfValues) {
  std::vector<std::byte> log;
  {
    ByteWriter writer(log);
    writer.write(std::string("first"));
    writer.write(int64_t{-7});
    writer.write(std::optional<double>(0.5));
    writer.writeFixed32(0xdeadbeef);
  }

  ByteReader reader{std::span<const std::byte>(log)};
  EXPECT_EQ(reader.size(), log.size());
  EXPECT_EQ(reader.read<std::string>(), "first");
  EXPECT_EQ(reader.offset(), 6u);
  EXPECT_EQ(reader.read<int64_t>(), -7);
  EXPECT_EQ(reader.read<std::optional<double>>(), 0.5);
  EXPECT_FALSE(reader.atEnd());
  EXPECT_EQ(reader.remaining(), 4u);
  EXPECT_EQ(reader.readFixed32(), 0xdeadbeefu);
  EXPECT_TRUE(reader.atEnd());
  EXPECT_NO_THROW(reader.expectEnd());
}

TEST(SerdeReader, PrimitiveReads) {
  std::string input = bytes({0x02, 0x01, 0xac, 0x02, 0x03, 0x02, 'h', 'i', 0x09, 0x08, 0x07});
  ByteReader reader(input);
  EXPECT_EQ(reader.readFixed16(), 0x0102);
  EXPECT_EQ(reader.readVarint(), 300u);
  EXPECT_EQ(reader.readZigzag(), -2);
  std::string_view view = reader.readStringView();
  EXPECT_EQ(view, "hi");
  EXPECT_EQ(view.data(), input.data() + 6);  // a view into the input, not a copy
  EXPECT_EQ(reader.readByte(), 0x09);
  std::span<const std::byte> rest = reader.readBytes(2);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0], std::byte{0x08});
  EXPECT_EQ(rest[1], std::byte{0x07});
  EXPECT_TRUE(reader.atEnd());
}

TEST(SerdeReader, AcceptsOverlongVarints) {
  EXPECT_EQ(deserialize<uint32_t>(bytes({0x80, 0x00})), 0u);
  EXPECT_EQ(deserialize<uint64_t>(bytes({0x81, 0x80, 0x80, 0x00})), 1u);
}

TEST(SerdeReader, FailNamesProblemValueAndOffset) {
  std::string input = bytes({0x01, 0x02, 0x03});
  ByteReader reader(input);
  (void)reader.readByte();
  try {
    reader.fail("unknown sensor kind 2", "a reading", 1);
    FAIL() << "fail() returned";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unknown sensor kind 2: reading a reading at offset 1 of 3");
  }
}

// ---- Round trips ----

TEST(SerdeRoundTrip, IntegerExtremesOfEveryType) {
  auto extremes = [](auto zero) {
    using T = decltype(zero);
    expectRoundTrip(std::numeric_limits<T>::min());
    expectRoundTrip(std::numeric_limits<T>::max());
    expectRoundTrip(T{0});
    expectRoundTrip(static_cast<T>(std::numeric_limits<T>::max() / 2));
    expectRoundTrip(static_cast<T>(std::numeric_limits<T>::min() / 2 - 1));
  };
  extremes(int8_t{});
  extremes(uint8_t{});
  extremes(int16_t{});
  extremes(uint16_t{});
  extremes(int32_t{});
  extremes(uint32_t{});
  extremes(int64_t{});
  extremes(uint64_t{});
  extremes(char{});
  extremes(static_cast<signed char>(0));
  extremes(static_cast<unsigned char>(0));
  extremes(short{});
  extremes(static_cast<unsigned short>(0));
  extremes(long{});
  extremes(static_cast<unsigned long>(0));
  extremes(static_cast<long long>(0));
  extremes(static_cast<unsigned long long>(0));
  extremes(char8_t{});
  extremes(char16_t{});
  extremes(char32_t{});
  extremes(wchar_t{});
}

TEST(SerdeRoundTrip, EveryPowerOfTwoNeighbourhood) {
  // Varint lengths change at multiples of 7 bits: cover each boundary on both sides.
  for (int bit = 0; bit < 64; ++bit) {
    uint64_t power = uint64_t{1} << bit;
    for (uint64_t value : {power - 1, power, power + 1}) {
      EXPECT_EQ(roundTrip(value), value);
      int64_t signed_value = static_cast<int64_t>(value);
      EXPECT_EQ(roundTrip(signed_value), signed_value);
      if (signed_value != std::numeric_limits<int64_t>::min()) {
        EXPECT_EQ(roundTrip(-signed_value), -signed_value);
      }
    }
  }
}

TEST(SerdeRoundTrip, FloatingPointBitForBit) {
  auto expectSameBits = [](double value) {
    EXPECT_EQ(std::bit_cast<uint64_t>(roundTrip(value)), std::bit_cast<uint64_t>(value));
  };
  expectSameBits(0.0);
  expectSameBits(-0.0);
  expectSameBits(std::numeric_limits<double>::infinity());
  expectSameBits(-std::numeric_limits<double>::infinity());
  expectSameBits(std::numeric_limits<double>::quiet_NaN());
  expectSameBits(std::bit_cast<double>(uint64_t{0x7ff8000000000123}));  // quiet NaN, payload
  expectSameBits(std::bit_cast<double>(uint64_t{0xfff0000000000001}));  // signalling, negative
  expectSameBits(std::numeric_limits<double>::denorm_min());
  expectSameBits(std::numeric_limits<double>::max());
  expectSameBits(std::numeric_limits<double>::lowest());
  expectSameBits(0.1);
  EXPECT_TRUE(std::signbit(roundTrip(-0.0)));

  auto expectSameFloatBits = [](float value) {
    EXPECT_EQ(std::bit_cast<uint32_t>(roundTrip(value)), std::bit_cast<uint32_t>(value));
  };
  expectSameFloatBits(-0.0f);
  expectSameFloatBits(std::numeric_limits<float>::infinity());
  expectSameFloatBits(std::bit_cast<float>(uint32_t{0x7fc00abc}));
  expectSameFloatBits(std::bit_cast<float>(uint32_t{0xff800001}));
  expectSameFloatBits(std::numeric_limits<float>::denorm_min());
  expectSameFloatBits(0.1f);

  std::vector<double> doubles = {-0.0, std::bit_cast<double>(uint64_t{0x7ff8000000000123}), 2.5};
  std::vector<double> back = roundTrip(doubles);
  ASSERT_EQ(back.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(back[i]), std::bit_cast<uint64_t>(doubles[i]));
  }
}

TEST(SerdeRoundTrip, Strings) {
  expectRoundTrip(std::string());
  expectRoundTrip(std::string("\0\0\0", 3));
  expectRoundTrip(std::string("caf\xc3\xa9 \xff\xfe"));
  std::string mebibyte(1 << 20, '\0');
  for (size_t i = 0; i < mebibyte.size(); ++i) mebibyte[i] = static_cast<char>(i * 31 + 7);
  std::string encoded = serialize(mebibyte);
  EXPECT_EQ(encoded.size(), 3 + mebibyte.size());
  EXPECT_EQ(encoded.substr(0, 3), bytes({0x80, 0x80, 0x40}));  // 2^20 as a varint
  EXPECT_EQ(deserialize<std::string>(encoded), mebibyte);
}

TEST(SerdeRoundTrip, NestedTypes) {
  using Rows = std::vector<std::pair<std::string, std::optional<double>>>;
  expectRoundTrip(Rows{});
  expectRoundTrip(Rows{{"a", 1.5}, {"", std::nullopt}, {std::string("n\0l", 3), -0.25}});

  using Triple = std::tuple<int8_t, uint64_t, std::string>;
  expectRoundTrip(Triple{std::numeric_limits<int8_t>::min(), std::numeric_limits<uint64_t>::max(),
                         "x"});
  expectRoundTrip(Triple{0, 0, ""});

  using Index = std::map<std::string, std::vector<int>>;
  expectRoundTrip(Index{});
  expectRoundTrip(Index{{"", {}}, {"evens", {0, 2, -4}}, {"ends", {INT32_MIN, INT32_MAX}}});

  expectRoundTrip(std::unordered_map<int64_t, std::string>{{-1, "neg"}, {1, "pos"}, {0, ""}});
  expectRoundTrip(std::set<std::string>{"b", "a", ""});
  expectRoundTrip(std::unordered_set<int>{5, -5, 0});
  expectRoundTrip(std::array<std::string, 3>{"x", "", "zz"});
  expectRoundTrip(std::optional<std::vector<int>>(std::vector<int>{}));
  expectRoundTrip(std::optional<std::vector<int>>());
  expectRoundTrip(std::vector<std::vector<uint8_t>>{{}, {0, 255}, {7}});
  expectRoundTrip(std::vector<bool>{});
  expectRoundTrip(std::vector<bool>{true, true, false});
  expectRoundTrip(std::vector<float>{1.5f, -0.0f});
  expectRoundTrip(std::vector<Color>{Color::kRed, Color::kBlue});
  expectRoundTrip(std::vector<std::byte>{std::byte{0}, std::byte{0xff}});
  expectRoundTrip(std::array<double, 2>{0.5, -1e300});
  expectRoundTrip(std::vector<Reading>{{"a", 20.5}, {"", -0.5}});
  expectRoundTrip(std::map<Time, std::pair<Duration, std::optional<Reading>>>{
      {Time(1000), {Seconds(2), Reading{"s", 1}}}, {Time(-5), {Milliseconds(0), std::nullopt}}});
  expectRoundTrip(std::vector<Offset>{Offset::kBack, Offset::kFar});
}

TEST(SerdeRoundTrip, IntegersWidenAcrossTypes) {
  // A field may be widened without rewriting old checkpoints.
  EXPECT_EQ(deserialize<int64_t>(serialize(int32_t{-5})), -5);
  EXPECT_EQ(deserialize<int32_t>(serialize(int16_t{-300})), -300);
  EXPECT_EQ(deserialize<uint64_t>(serialize(uint16_t{300})), 300u);
  EXPECT_EQ(deserialize<int16_t>(serialize(int64_t{-32768})), -32768);
  EXPECT_EQ(deserialize<uint16_t>(serialize(uint64_t{65535})), 65535);
}

// ---- Rejected input ----

TEST(SerdeErrors, TruncatedInputNamesValueAndOffset) {
  std::string input = bytes({38}) + std::string(38, 'a') + bytes({12}) + "hello";
  ASSERT_EQ(input.size(), 45u);
  EXPECT_EQ((decodeError<std::pair<std::string, std::string>>(input)),
            "truncated input: reading a string of 12 bytes at offset 40 of 45");
  EXPECT_EQ(decodeError<uint32_t>(bytes({0xac})),
            "truncated input: reading a uint32 at offset 0 of 1");
  EXPECT_EQ(decodeError<double>(bytes({0x00, 0x00})),
            "truncated input: reading a double at offset 0 of 2");
  EXPECT_EQ(decodeError<bool>(""), "truncated input: reading a bool at offset 0 of 0");
  EXPECT_EQ(decodeError<std::string>(bytes({0x80})),
            "truncated input: reading the length of a string at offset 0 of 1");
}

TEST(SerdeErrors, TruncationAtEveryOffsetThrows) {
  // The encoding is self-delimiting: no strict prefix of a value's bytes is a value.
  auto expectEveryPrefixRejected = [](const auto& value) {
    using T = std::remove_cvref_t<decltype(value)>;
    std::string encoded = serialize(value);
    for (size_t size = 0; size < encoded.size(); ++size) {
      EXPECT_THROW((void)deserialize<T>(std::string_view(encoded).substr(0, size)), Error)
          << "prefix of " << size << " of " << encoded.size() << " bytes";
    }
  };
  expectEveryPrefixRejected(std::numeric_limits<uint64_t>::max());
  expectEveryPrefixRejected(std::numeric_limits<int64_t>::min());
  expectEveryPrefixRejected(-0.0);
  expectEveryPrefixRejected(std::string("hello, world"));
  expectEveryPrefixRejected(std::vector<std::pair<std::string, std::optional<double>>>{
      {"a", 1.5}, {"bc", std::nullopt}, {"", 2.0}});
  expectEveryPrefixRejected(std::tuple<int8_t, uint64_t, std::string>{-1, 1ULL << 40, "xyz"});
  expectEveryPrefixRejected(std::map<std::string, std::vector<int>>{{"k", {1, 300, -70000}}});
  expectEveryPrefixRejected(std::vector<double>{1.0, 2.0});
  expectEveryPrefixRejected(std::array<uint16_t, 3>{1, 2, 40000});
  expectEveryPrefixRejected(std::set<std::string>{"p", "q"});
  expectEveryPrefixRejected(Reading{"sensor-7", 21.5});
}

TEST(SerdeErrors, IntegerThatDoesNotFitIsRejected) {
  EXPECT_EQ(decodeError<uint32_t>(serialize(uint64_t{1} << 32)),
            "integer out of range (4294967296): reading a uint32 at offset 0 of 5");
  EXPECT_EQ(decodeError<uint16_t>(serialize(uint32_t{65536})),
            "integer out of range (65536): reading a uint16 at offset 0 of 3");
  EXPECT_EQ(decodeError<int16_t>(serialize(int32_t{40000})),
            "integer out of range (40000): reading an int16 at offset 0 of 3");
  EXPECT_EQ(decodeError<int16_t>(serialize(int32_t{-32769})),
            "integer out of range (-32769): reading an int16 at offset 0 of 3");
  EXPECT_THROW((void)deserialize<int32_t>(serialize(std::numeric_limits<int64_t>::min())), Error);
  EXPECT_THROW((void)deserialize<uint32_t>(serialize(std::numeric_limits<uint64_t>::max())), Error);
  // Inside a container the offset is the element's.
  EXPECT_EQ(decodeError<std::vector<uint16_t>>(bytes({0x02, 0x01, 0x80, 0x80, 0x04})),
            "integer out of range (65536): reading a uint16 at offset 2 of 5");
}

TEST(SerdeErrors, VarintLongerThan64BitsIsRejected) {
  EXPECT_EQ(decodeError<uint64_t>(
                bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02})),
            "varint longer than 64 bits: reading a uint64 at offset 0 of 10");
  EXPECT_EQ(decodeError<uint64_t>(
                bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})),
            "varint longer than 64 bits: reading a uint64 at offset 0 of 11");
}

TEST(SerdeErrors, InvalidTagsAreRejected) {
  EXPECT_EQ(decodeError<bool>(bytes({0x02})),
            "invalid bool byte 2: reading a bool at offset 0 of 1");
  EXPECT_EQ(decodeError<std::optional<int>>(bytes({0x07, 0x00})),
            "invalid optional tag 7: reading an optional at offset 0 of 2");
}

TEST(SerdeErrors, AbsurdLengthsAreRejectedWithoutAllocating) {
  EXPECT_EQ(decodeError<std::vector<int>>(bytes({0xff, 0xff, 0xff, 0xff, 0x0f})),
            "length 4294967295 exceeds what the 0 remaining bytes can hold: reading a vector "
            "at offset 0 of 5");
  // Two doubles need 16 bytes; 15 follow.
  EXPECT_EQ(decodeError<std::vector<double>>(bytes({0x02}) + std::string(15, '\0')),
            "length 2 exceeds what the 15 remaining bytes can hold: reading a vector at offset "
            "0 of 16");
  EXPECT_EQ(decodeError<std::string>(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})),
            "truncated input: reading a string of 9223372036854775807 bytes at offset 9 of 9");
  std::string huge = bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  EXPECT_THROW((void)deserialize<std::vector<std::string>>(huge + "abc"), Error);
  EXPECT_THROW((void)(deserialize<std::map<int, int>>(huge + "abc")), Error);
  EXPECT_THROW((void)deserialize<std::unordered_set<int>>(huge + "abc"), Error);
  EXPECT_THROW((void)deserialize<std::vector<bool>>(huge + "abc"), Error);
}

TEST(SerdeErrors, RepeatedKeysAreRejected) {
  std::string twice = bytes({0x02, 0x01, 'a', 0x02, 0x01, 'a', 0x04});
  EXPECT_EQ((decodeError<std::map<std::string, int>>(twice)),
            "duplicate key: reading a map at offset 4 of 7");
  EXPECT_EQ((decodeError<std::unordered_map<std::string, int>>(twice)),
            "duplicate key: reading an unordered_map at offset 4 of 7");
  EXPECT_EQ(decodeError<std::set<int>>(bytes({0x02, 0x02, 0x02})),
            "duplicate element: reading a set at offset 2 of 3");
}

TEST(SerdeErrors, TrailingBytesAreRejected) {
  EXPECT_EQ(decodeError<int>(bytes({0x02, 0x00})),
            "trailing bytes: 1 unread byte at offset 1 of 2 after the value");
  EXPECT_EQ(decodeError<std::string>(bytes({0x01, 'a', 'b', 'c'})),
            "trailing bytes: 2 unread bytes at offset 2 of 4 after the value");
  std::vector<std::byte> binary = {std::byte{0x00}, std::byte{0x00}};
  EXPECT_THROW((void)deserialize<bool>(std::span<const std::byte>(binary)), Error);
  EXPECT_FALSE(deserialize<bool>(std::span<const std::byte>(binary).first(1)));
}

// ---- Arbitrary bytes: decoded or rejected, never a crash or a huge allocation ----

// Decodes `input` as a T: true if it decoded, false if caudal::Error was thrown. Any other
// exception escapes and fails the test.
template <class T>
bool decodesOrRejects(std::string_view input) {
  try {
    (void)deserialize<T>(input);
    return true;
  } catch (const Error&) {
    return false;
  }
}

template <class T>
void feedRandomBytes(std::mt19937_64& random, int inputs) {
  std::uniform_int_distribution<int> size_of(0, 48);
  std::uniform_int_distribution<int> byte_of(0, 255);
  for (int i = 0; i < inputs; ++i) {
    std::string input(static_cast<size_t>(size_of(random)), '\0');
    for (char& c : input) c = static_cast<char>(byte_of(random));
    (void)decodesOrRejects<T>(input);
  }
}

TEST(SerdeRandomInput, RandomBytesDecodeOrThrow) {
  std::mt19937_64 random(20240611);
  feedRandomBytes<uint16_t>(random, 500);
  feedRandomBytes<int64_t>(random, 500);
  feedRandomBytes<bool>(random, 200);
  feedRandomBytes<std::string>(random, 500);
  feedRandomBytes<std::vector<std::pair<std::string, std::optional<double>>>>(random, 1000);
  feedRandomBytes<std::tuple<int8_t, uint64_t, std::string>>(random, 1000);
  feedRandomBytes<std::map<std::string, std::vector<int>>>(random, 1000);
  feedRandomBytes<std::unordered_map<int64_t, std::set<uint32_t>>>(random, 1000);
  feedRandomBytes<std::vector<std::vector<double>>>(random, 1000);
  feedRandomBytes<std::vector<bool>>(random, 500);
  feedRandomBytes<std::array<std::optional<int16_t>, 3>>(random, 500);
  feedRandomBytes<std::vector<Reading>>(random, 500);
}

TEST(SerdeRandomInput, MutatedEncodingsDecodeOrThrow) {
  // Random bytes rarely get past the first length; changing a byte or two of a valid encoding
  // reaches the inner values.
  using Value = std::map<std::string, std::vector<std::pair<int, std::optional<double>>>>;
  Value value = {{"alpha", {{1, 2.5}, {-300, std::nullopt}}},
                 {"beta", {}},
                 {std::string("g\0m", 3), {{70000, -0.0}}}};
  std::string encoded = serialize(value);
  std::mt19937_64 random(7);
  std::uniform_int_distribution<size_t> position_of(0, encoded.size() - 1);
  std::uniform_int_distribution<int> byte_of(0, 255);
  std::uniform_int_distribution<int> edits_of(1, 3);
  int decoded = 0;
  int rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string input = encoded;
    for (int edits = edits_of(random); edits > 0; --edits) {
      input[position_of(random)] = static_cast<char>(byte_of(random));
    }
    if (i % 4 == 0) input.resize(position_of(random));
    (decodesOrRejects<Value>(input) ? decoded : rejected) += 1;
  }
  // A changed character inside a string still decodes; a changed length or tag does not.
  EXPECT_GT(decoded, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace caudal
