// Small POSIX file helpers shared by checkpoint files and the write-ahead log: descriptors
// closed on scope exit, whole writes and reads at an offset, directory fsync, errors naming the
// file, numbered file names and little-endian integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "common/status.h"

namespace caudal::storage {

// Every helper that can fail takes `what` (what the file is to its owner, e.g. "checkpoint
// file") and the path, so its error reads "<what> '<path>': cannot <action>: <reason>".

/// The error "<what> '<path>': <problem>".
Status pathError(std::string_view what, const std::filesystem::path& path,
                 std::string_view problem);

/// The error "<what> '<path>': cannot <action>: <strerror(error)>", for a failed system call.
Status pathErrno(std::string_view what, const std::filesystem::path& path, std::string_view action,
                 int error);

/// Owns a file descriptor (or none, -1) and closes it when destroyed or replaced. Move-only.
class ScopedFd {
 public:
  /// Owns no descriptor.
  ScopedFd() = default;
  /// Takes ownership of `fd` (-1 for none).
  explicit ScopedFd(int fd) : fd_(fd) {}
  /// Closes the descriptor, ignoring errors (use `close` to see them).
  ~ScopedFd() { reset(); }
  /// Takes `other`'s descriptor, leaving it owning none.
  ScopedFd(ScopedFd&& other) noexcept;
  /// Closes the descriptor held, then takes `other`'s.
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  /// The descriptor, or -1.
  int get() const { return fd_; }
  /// True when a descriptor is owned.
  bool valid() const { return fd_ >= 0; }
  /// Closes the descriptor now; a failed close is an error naming `what` and `path`.
  Status close(std::string_view what, const std::filesystem::path& path);

 private:
  void reset();

  int fd_ = -1;
};

/// Opens `path` with the `open(2)` `flags` (mode 0644 when it creates the file); a failure is
/// `pathErrno(what, path, action, errno)`, `action` being e.g. "open" or "create".
Result<ScopedFd> openFile(const std::filesystem::path& path, int flags, std::string_view what,
                          std::string_view action);

/// The size in bytes of the open file `fd`, which is `path`.
Result<uint64_t> fileSize(int fd, std::string_view what, const std::filesystem::path& path);

/// Writes all of `bytes` to `fd` (the file `path`) from `offset`, retrying short writes and
/// EINTR. Blocks on I/O.
Status writeAllAt(int fd, std::span<const std::byte> bytes, uint64_t offset, std::string_view what,
                  const std::filesystem::path& path);

/// Reads from `fd` (the file `path`) at `offset` into `out` until it is full or the file ends,
/// retrying EINTR; returns the bytes read (fewer than `out.size()` only at the end of the file).
/// Blocks on I/O.
Result<size_t> readAt(int fd, std::span<std::byte> out, uint64_t offset, std::string_view what,
                      const std::filesystem::path& path);

/// Fsyncs `directory`, so names created, renamed or deleted in it are durable; errors read
/// "<what> '<directory>': …". A file system that cannot sync a directory (EINVAL, ENOTSUP)
/// counts as success. Blocks on I/O.
Status syncDirectory(const std::filesystem::path& directory, std::string_view what);

/// The number in the file name "<prefix><exactly `digits` decimal digits>" (e.g. "log-" and
/// 20 digits); nullopt for any other name or a number above 2^64 - 1.
std::optional<uint64_t> parseNumberedName(std::string_view name, std::string_view prefix,
                                          size_t digits);

/// Stores `value` little-endian in `p[0..4)`.
inline void putU32(std::byte* p, uint32_t value) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::byte>(value >> (8 * i));
}

/// Stores `value` little-endian in `p[0..8)`.
inline void putU64(std::byte* p, uint64_t value) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::byte>(value >> (8 * i));
}

/// The little-endian u32 in `p[0..4)`.
inline uint32_t getU32(const std::byte* p) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(p[i]) << (8 * i);
  return value;
}

/// The little-endian u64 in `p[0..8)`.
inline uint64_t getU64(const std::byte* p) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(p[i]) << (8 * i);
  return value;
}

}  // namespace caudal::storage
