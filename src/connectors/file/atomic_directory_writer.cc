// saveAsTextFiles' output: a batch's directory appears whole or not at all.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "caudal/detail/text_output.h"
#include "caudal/error.h"
#include "common/logging.h"

namespace caudal::detail {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(std::string_view what, const std::string& path, int error) {
  throw Error(fmt::format("saveAsTextFiles: cannot {} '{}': {}", what, path, std::strerror(error)));
}

void writeFileSynced(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("create", path, errno);
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      fail("write", path, error);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    fail("sync", path, error);
  }
  if (::close(fd) != 0) fail("close", path, errno);
}

void syncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: some file systems do not allow opening directories
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string batchOutputPath(std::string_view prefix, std::string_view suffix, Time time) {
  std::string path = fmt::format("{}-{}", prefix, time.milliseconds());
  if (!suffix.empty()) path += fmt::format(".{}", suffix);
  return path;
}

AtomicDirectoryWriter::AtomicDirectoryWriter(std::string target) : target_(std::move(target)) {
  static std::atomic<uint64_t> counter{0};
  fs::path target_path(target_);
  fs::path parent = target_path.parent_path();
  std::error_code ec;
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) fail("create directory", parent.string(), ec.value());
  }
  // Hidden (leading '.'), so a textFileStream watching the same directory never reads it.
  std::string hidden_prefix = fmt::format(".{}.tmp-", target_path.filename().string());
  temporary_ = (parent / fmt::format("{}{}-{}", hidden_prefix, ::getpid(), counter.fetch_add(1))).string();
  // What an earlier write of this batch left when its process died: the batch runs again
  // after a recovery, so its leftovers go now rather than pile up.
  for (fs::directory_iterator it(parent.empty() ? fs::path(".") : parent, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().filename().string().starts_with(hidden_prefix)) {
      std::error_code remove_ec;
      fs::remove_all(it->path(), remove_ec);
    }
  }
  ec.clear();
  fs::remove_all(temporary_, ec);
  if (!fs::create_directory(temporary_, ec) || ec) fail("create directory", temporary_, ec.value());
}

AtomicDirectoryWriter::~AtomicDirectoryWriter() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temporary_, ec);
}

void AtomicDirectoryWriter::writePart(size_t index, std::string_view content) const {
  writeFileSynced(fmt::format("{}/part-{:05}", temporary_, index), content);
}

void AtomicDirectoryWriter::commit() {
  writeFileSynced(temporary_ + "/_SUCCESS", "");
  syncDirectory(temporary_);
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    // A re-run of the batch: swap the directories in one step, so that the target always holds
    // one whole output, then remove the old one (now under the temporary name).
    if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      fs::remove_all(temporary_, ec);
    } else {
      // A file system without the exchange: move the old output aside first, since rename()
      // cannot replace a non-empty directory (a crash in between leaves no target, which the
      // batch's re-run after recovery writes again).
      std::string old = temporary_ + ".old";
      fs::rename(target_, old, ec);
      if (ec) fail("replace", target_, ec.value());
      fs::rename(temporary_, target_, ec);
      if (ec) fail("rename into", target_, ec.value());
      fs::remove_all(old, ec);
    }
  } else {
    fs::rename(temporary_, target_, ec);
    if (ec) fail("rename into", target_, ec.value());
  }
  committed_ = true;
  std::string parent = fs::path(target_).parent_path().string();
  syncDirectory(parent.empty() ? "." : parent);
  logDebug("saveAsTextFiles: wrote {}", target_);
}

}  // namespace caudal::detail
