// Helpers shared by the storage unit tests: bytes from text, little-endian encoding by hand,
// damaging files (overwriting, flipping a bit) and capturing the warnings logged meanwhile.
// Temporary directories and reading whole files come from support/temp_directory.h.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/logging.h"

namespace caudal::test {

/// The bytes of `text`.
inline std::vector<std::byte> bytesOf(std::string_view text) {
  std::vector<std::byte> bytes(text.size());
  if (!text.empty()) std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

/// `bytes` as a string.
inline std::string textOf(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

/// Appends `value` to `out` little-endian, written out independently of the code under test.
inline void appendU32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

/// Appends `value` to `out` little-endian.
inline void appendU64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

/// Replaces the content of the file `path` with `contents`; a failure fails the test.
inline void overwrite(const std::filesystem::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  ASSERT_TRUE(out.good()) << path;
}

/// `bytes` with bit `bit % 8` of byte `bit / 8` inverted.
inline std::string withBitFlipped(std::string bytes, size_t bit) {
  bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
  return bytes;
}

/// The file names of `paths`, in order.
inline std::vector<std::string> fileNames(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::string> names;
  for (const std::filesystem::path& path : paths) names.push_back(path.filename().string());
  return names;
}

/// The lowest level being logged, so a test can restore it.
inline LogLevel currentLogLevel() {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (logEnabled(level)) return level;
  }
  return LogLevel::kOff;
}

/// Captures standard error, with warnings logged, while alive; restores the log level after.
class LogCapture {
 public:
  /// Starts logging warnings and capturing standard error.
  LogCapture() : saved_level_(currentLogLevel()) {
    setLogLevel(LogLevel::kWarn);
    testing::internal::CaptureStderr();
  }
  /// Stops capturing (if `finish` was not called) and restores the log level.
  ~LogCapture() {
    if (!finished_) testing::internal::GetCapturedStderr();
    setLogLevel(saved_level_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// Stops capturing; returns what was written.
  std::string finish() {
    finished_ = true;
    return testing::internal::GetCapturedStderr();
  }

 private:
  LogLevel saved_level_;
  bool finished_ = false;
};

}  // namespace caudal::test
