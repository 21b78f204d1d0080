// CRC-32C: the published check value and the RFC 3720 (iSCSI) vectors on the table path and
// the SSE4.2 path, and both paths against a bit-at-a-time reference on random buffers.

#include "storage/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "unit/storage/storage_testing.h"

namespace caudal::storage {
namespace {
using test::bytesOf;

enum class Path { kPortable, kHardware, kDispatch };

std::string pathName(const testing::TestParamInfo<Path>& info) {
  switch (info.param) {
    case Path::kPortable:
      return "Portable";
    case Path::kHardware:
      return "Hardware";
    case Path::kDispatch:
      return "Dispatch";
  }
  return "Unknown";
}

// The reference definition: one bit at a time, reflected polynomial 0x82F63B78.
uint32_t bitwiseCrc32c(std::span<const std::byte> data) {
  uint32_t crc = 0xFFFFFFFF;
  for (std::byte b : data) {
    crc ^= static_cast<uint32_t>(b);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) != 0 ? 0x82F63B78u : 0u);
  }
  return ~crc;
}

class Crc32cPath : public testing::TestWithParam<Path> {
 protected:
  void SetUp() override {
    if (GetParam() == Path::kHardware && !crc32cHardwareAvailable()) {
      GTEST_SKIP() << "this CPU has no SSE4.2 crc32 instruction";
    }
  }
  uint32_t extend(uint32_t crc, std::span<const std::byte> data) const {
    switch (GetParam()) {
      case Path::kPortable:
        return crc32cExtendPortable(crc, data);
      case Path::kHardware:
        return crc32cExtendHardware(crc, data);
      case Path::kDispatch:
        return crc32cExtend(crc, data);
    }
    return 0;
  }
  uint32_t crc(std::span<const std::byte> data) const { return extend(0, data); }
};

TEST_P(Crc32cPath, CheckValueOfDigitsOneToNine) {
  EXPECT_EQ(crc(bytesOf("123456789")), 0xE3069283u);
}

TEST_P(Crc32cPath, EmptyInputIsZero) {
  EXPECT_EQ(crc({}), 0u);
  EXPECT_EQ(extend(0xE3069283u, {}), 0xE3069283u);
}

TEST_P(Crc32cPath, Rfc3720ThirtyTwoZeroBytes) {
  std::vector<std::byte> data(32, std::byte{0x00});
  EXPECT_EQ(crc(data), 0x8A9136AAu);
}

TEST_P(Crc32cPath, Rfc3720ThirtyTwoOnesBytes) {
  std::vector<std::byte> data(32, std::byte{0xFF});
  EXPECT_EQ(crc(data), 0x62A8AB43u);
}

TEST_P(Crc32cPath, Rfc3720AscendingBytes) {
  std::vector<std::byte> data(32);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i);
  EXPECT_EQ(crc(data), 0x46DD794Eu);
}

TEST_P(Crc32cPath, Rfc3720DescendingBytes) {
  std::vector<std::byte> data(32);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(31 - i);
  EXPECT_EQ(crc(data), 0x113FDB5Cu);
}

TEST_P(Crc32cPath, ExtendingInPiecesEqualsTheWhole) {
  std::vector<std::byte> data = bytesOf("The quick brown fox jumps over the lazy dog, twice over.");
  uint32_t whole = crc(data);
  std::span<const std::byte> all(data);
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    EXPECT_EQ(extend(crc(all.first(cut)), all.subspan(cut)), whole) << "cut at " << cut;
  }
}

TEST_P(Crc32cPath, MatchesBitwiseReferenceForEveryLengthAndAlignment) {
  std::mt19937 random(20240611);
  std::vector<std::byte> buffer(300 + 16);
  for (std::byte& b : buffer) b = static_cast<std::byte>(random());
  for (size_t alignment = 0; alignment < 16; ++alignment) {
    for (size_t length = 0; length <= 300; ++length) {
      std::span<const std::byte> data(buffer.data() + alignment, length);
      ASSERT_EQ(crc(data), bitwiseCrc32c(data))
          << "length " << length << ", alignment " << alignment;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Crc32c, Crc32cPath,
                         testing::Values(Path::kPortable, Path::kHardware, Path::kDispatch),
                         pathName);

TEST(Crc32c, TablePathAndInstructionPathAgreeOnRandomBuffers) {
  if (!crc32cHardwareAvailable()) GTEST_SKIP() << "this CPU has no SSE4.2 crc32 instruction";
  std::mt19937 random(7);
  std::vector<std::byte> buffer(300 + 16);
  for (std::byte& b : buffer) b = static_cast<std::byte>(random());
  for (size_t alignment = 0; alignment < 16; ++alignment) {
    for (size_t length = 0; length <= 300; ++length) {
      std::span<const std::byte> data(buffer.data() + alignment, length);
      uint32_t seed = static_cast<uint32_t>(random());
      ASSERT_EQ(crc32cExtendPortable(seed, data), crc32cExtendHardware(seed, data))
          << "length " << length << ", alignment " << alignment;
    }
  }
}

TEST(Crc32c, OneShotEqualsExtendFromZero) {
  std::vector<std::byte> data = bytesOf("123456789");
  EXPECT_EQ(crc32c(data), 0xE3069283u);
  EXPECT_EQ(crc32c(data), crc32cExtend(0, data));
}

}  // namespace
}  // namespace caudal::storage
