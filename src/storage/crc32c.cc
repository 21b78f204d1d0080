#include "storage/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define CAUDAL_CRC32C_SSE42 1
#endif

namespace caudal::storage {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // Castagnoli, bit-reflected

// Slicing-by-8 tables: kTables[0] is the byte-at-a-time table; kTables[k][b] is the CRC of
// byte b followed by k zero bytes, so eight bytes are folded with eight independent lookups.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables makeTables() {
  Tables tables{};
  for (uint32_t byte = 0; byte < 256; ++byte) {
    uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) != 0 ? kPolynomial : 0);
    tables[0][byte] = crc;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (size_t byte = 0; byte < 256; ++byte) {
      uint32_t previous = tables[k - 1][byte];
      tables[k][byte] = (previous >> 8) ^ tables[0][previous & 0xFF];
    }
  }
  return tables;
}

constexpr Tables kTables = makeTables();

// Little-endian load whatever the host byte order; compilers turn it into one load.
inline uint32_t loadLittleEndian32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint32_t extendWithTables(uint32_t crc, const unsigned char* p, size_t n) {
  uint32_t state = ~crc;
  while (n >= 8) {
    uint32_t low = state ^ loadLittleEndian32(p);
    uint32_t high = loadLittleEndian32(p + 4);
    state = kTables[7][low & 0xFF] ^ kTables[6][(low >> 8) & 0xFF] ^
            kTables[5][(low >> 16) & 0xFF] ^ kTables[4][low >> 24] ^ kTables[3][high & 0xFF] ^
            kTables[2][(high >> 8) & 0xFF] ^ kTables[1][(high >> 16) & 0xFF] ^
            kTables[0][high >> 24];
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) state = kTables[0][(state ^ *p) & 0xFF] ^ (state >> 8);
  return ~state;
}

#ifdef CAUDAL_CRC32C_SSE42
__attribute__((target("sse4.2"))) uint32_t extendWithSse42(uint32_t crc, const unsigned char* p,
                                                           size_t n) {
  uint32_t state = ~crc;
  // Single bytes up to an 8-byte boundary, so the wide loads below are aligned.
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7) != 0) {
    state = _mm_crc32_u8(state, *p++);
    --n;
  }
  uint64_t wide = state;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof word);
    wide = _mm_crc32_u64(wide, word);
    p += 8;
    n -= 8;
  }
  state = static_cast<uint32_t>(wide);
  for (; n > 0; --n) state = _mm_crc32_u8(state, *p++);
  return ~state;
}

bool detectSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") != 0;
}
#endif

const unsigned char* bytesOf(std::span<const std::byte> data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

bool crc32cHardwareAvailable() {
#ifdef CAUDAL_CRC32C_SSE42
  static const bool available = detectSse42();
  return available;
#else
  return false;
#endif
}

uint32_t crc32cExtendPortable(uint32_t crc, std::span<const std::byte> data) {
  return extendWithTables(crc, bytesOf(data), data.size());
}

uint32_t crc32cExtendHardware(uint32_t crc, std::span<const std::byte> data) {
#ifdef CAUDAL_CRC32C_SSE42
  return extendWithSse42(crc, bytesOf(data), data.size());
#else
  return extendWithTables(crc, bytesOf(data), data.size());
#endif
}

uint32_t crc32cExtend(uint32_t crc, std::span<const std::byte> data) {
  return crc32cHardwareAvailable() ? crc32cExtendHardware(crc, data)
                                   : crc32cExtendPortable(crc, data);
}

uint32_t crc32c(std::span<const std::byte> data) { return crc32cExtend(0, data); }

}  // namespace caudal::storage
