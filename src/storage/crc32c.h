// CRC-32C (Castagnoli): the checksum of checkpoint files and write-ahead log records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace caudal::storage {

/// CRC-32C of `data` (reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF,
/// as in iSCSI, RFC 3720). The empty input gives 0. Uses the SSE4.2 `crc32` instruction when
/// the CPU has it. Thread-safe.
uint32_t crc32c(std::span<const std::byte> data);

/// The CRC-32C of A followed by `data`, given `crc` = `crc32c(A)`; so
/// `crc32cExtend(crc32c(a), b) == crc32c(a + b)` and `crc32cExtend(0, b) == crc32c(b)`.
uint32_t crc32cExtend(uint32_t crc, std::span<const std::byte> data);

/// `crc32cExtend` computed with lookup tables only, whatever the CPU (for tests and
/// comparison).
uint32_t crc32cExtendPortable(uint32_t crc, std::span<const std::byte> data);

/// True when this build and CPU can compute CRC-32C with the SSE4.2 instruction.
bool crc32cHardwareAvailable();

/// `crc32cExtend` computed with the SSE4.2 instruction; call only when
/// `crc32cHardwareAvailable()` (for tests and comparison).
uint32_t crc32cExtendHardware(uint32_t crc, std::span<const std::byte> data);

}  // namespace caudal::storage
