#include "connectors/file/line_range_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "caudal/error.h"

namespace caudal {
namespace {

constexpr size_t kReadSize = 1 << 20;

[[noreturn]] void failRead(const std::string& path, int error) {
  throw Error("textFileStream: cannot read '" + path + "': " + std::strerror(error));
}

}  // namespace

void readLinesInRange(const std::string& path, uint64_t begin, uint64_t end,
                      detail::FunctionRef<void(std::string&&)> sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) failRead(path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // No line starts in an empty range; the check at a newline below would let [0, 0) read the
  // first line.
  if (begin >= end) return;

  // Start one byte early and skip to the first newline: a range that begins exactly at a
  // line start then keeps that line, and one that begins mid-line leaves it to the range
  // before, which reads its last line past `end`.
  uint64_t position = begin == 0 ? 0 : begin - 1;
  bool skipping = begin != 0;
  uint64_t line_start = position;
  std::string line;
  std::vector<char> buffer(kReadSize);
  while (true) {
    ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(position));
    if (n < 0) {
      if (errno == EINTR) continue;
      failRead(path, errno);
    }
    if (n == 0) break;
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    size_t start = 0;
    while (start < chunk.size()) {
      size_t newline = chunk.find('\n', start);
      if (newline == std::string_view::npos) {
        if (!skipping) line.append(chunk.substr(start));
        break;
      }
      if (skipping) {
        skipping = false;
      } else {
        line.append(chunk.substr(start, newline - start));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        sink(std::move(line));
        line.clear();
      }
      start = newline + 1;
      line_start = position + start;
      if (line_start >= end) return;
    }
    position += static_cast<uint64_t>(n);
  }
  if (!skipping && !line.empty() && line_start < end) {  // a last line with no newline
    if (line.back() == '\r') line.pop_back();
    sink(std::move(line));
  }
}

}  // namespace caudal
