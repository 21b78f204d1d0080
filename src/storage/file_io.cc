#include "storage/file_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace caudal::storage {
namespace fs = std::filesystem;

Status pathError(std::string_view what, const fs::path& path, std::string_view problem) {
  return Status::error(fmt::format("{} '{}': {}", what, path.string(), problem));
}

Status pathErrno(std::string_view what, const fs::path& path, std::string_view action, int error) {
  return pathError(what, path, fmt::format("cannot {}: {}", action, std::strerror(error)));
}

ScopedFd::ScopedFd(ScopedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

Status ScopedFd::close(std::string_view what, const fs::path& path) {
  if (::close(std::exchange(fd_, -1)) != 0) return pathErrno(what, path, "close", errno);
  return Status::ok();
}

void ScopedFd::reset() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

Result<ScopedFd> openFile(const fs::path& path, int flags, std::string_view what,
                          std::string_view action) {
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return pathErrno(what, path, action, errno);
  return ScopedFd(fd);
}

Result<uint64_t> fileSize(int fd, std::string_view what, const fs::path& path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return pathErrno(what, path, "stat", errno);
  return static_cast<uint64_t>(info.st_size);
}

Status writeAllAt(int fd, std::span<const std::byte> bytes, uint64_t offset, std::string_view what,
                  const fs::path& path) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + written, bytes.size() - written,
                         static_cast<off_t>(offset + written));
    if (n < 0) {
      if (errno == EINTR) continue;
      return pathErrno(what, path, "write", errno);
    }
    written += static_cast<size_t>(n);
  }
  return Status::ok();
}

Result<size_t> readAt(int fd, std::span<std::byte> out, uint64_t offset, std::string_view what,
                      const fs::path& path) {
  size_t filled = 0;
  while (filled < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + filled, out.size() - filled, static_cast<off_t>(offset + filled));
    if (n < 0) {
      if (errno == EINTR) continue;
      return pathErrno(what, path, "read", errno);
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  return filled;
}

Status syncDirectory(const fs::path& directory, std::string_view what) {
  auto opened = openFile(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, what, "open to sync");
  if (!opened.isOk()) return opened.status();
  int result = ::fsync(opened.value().get());
  int error = errno;
  // Some file systems cannot sync a directory; its entries are then as durable as they allow.
  if (result != 0 && error != EINVAL && error != ENOTSUP) {
    return pathErrno(what, directory, "sync", error);
  }
  return Status::ok();
}

std::optional<uint64_t> parseNumberedName(std::string_view name, std::string_view prefix,
                                          size_t digits) {
  if (name.size() != prefix.size() + digits || !name.starts_with(prefix)) return std::nullopt;
  uint64_t value = 0;
  for (char c : name.substr(prefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace caudal::storage
