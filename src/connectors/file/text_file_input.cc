// textFileStream: new files of a directory become a batch, read in parallel by line ranges.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "caudal/streaming_context.h"
#include "common/logging.h"
#include "connectors/file/directory_watcher.h"

namespace caudal {
namespace {

// Files larger than this are read as several partitions.
constexpr uint64_t kSliceBytes = 64ull << 20;
constexpr size_t kReadSize = 1 << 20;

struct FileSlice {
  std::string path;
  uint64_t begin = 0;
  uint64_t end = 0;  // exclusive; the line that starts before it is read to its end
};

[[noreturn]] void failRead(const std::string& path, int error) {
  throw Error("textFileStream: cannot read '" + path + "': " + std::strerror(error));
}

// The lines that start inside a slice: a slice that does not start the file skips the line
// it starts in (the previous slice reads it), and the last line is read past `end` to its
// newline, as Hadoop's line record reader does.
class TextFileSliceNode final : public detail::RddNode<std::string> {
 public:
  TextFileSliceNode(std::shared_ptr<detail::ExecutionContext> context, std::vector<FileSlice> slices)
      : RddNode(std::move(context), slices.size()), slices_(std::move(slices)) {}

  void compute(size_t partition, detail::FunctionRef<void(std::string&&)> sink) const override {
    const FileSlice& slice = slices_[partition];
    int fd = ::open(slice.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) failRead(slice.path, errno);
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};

    // Start one byte early and skip to the first newline: a slice that begins exactly at a
    // line start then keeps that line, and one that begins mid-line leaves it to the slice
    // before, which reads its last line past `end`.
    uint64_t position = slice.begin == 0 ? 0 : slice.begin - 1;
    bool skipping = slice.begin != 0;
    uint64_t line_start = position;
    std::string line;
    std::vector<char> buffer(kReadSize);
    while (true) {
      ssize_t n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(position));
      if (n < 0) {
        if (errno == EINTR) continue;
        failRead(slice.path, errno);
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
        if (line_start >= slice.end) return;
      }
      position += static_cast<uint64_t>(n);
    }
    if (!skipping && !line.empty() && line_start < slice.end) {  // a last line with no newline
      if (line.back() == '\r') line.pop_back();
      sink(std::move(line));
    }
  }

 private:
  std::vector<FileSlice> slices_;
};

class FileInputNode final : public detail::InputNode<std::string> {
 public:
  FileInputNode(const std::shared_ptr<detail::StreamingCore>& core, std::string directory)
      : InputNode(core, "textFileStream"), watcher_(std::move(directory)) {}

  void start() override { watcher_.check(); }

 protected:
  std::optional<RDD<std::string>> compute(Time time) override {
    std::vector<FileSlice> slices;
    for (NewFile& file : watcher_.newFiles()) {
      logDebug("textFileStream: batch {} reads {}", time.toString(), file.path);
      uint64_t begin = 0;
      do {
        uint64_t end = std::min(file.size, begin + kSliceBytes);
        slices.push_back({file.path, begin, end});
        begin = end;
      } while (begin < file.size);
    }
    return RDD<std::string>(
        std::make_shared<TextFileSliceNode>(sharedCore()->executionContext(), std::move(slices)));
  }

 private:
  DirectoryWatcher watcher_;
};

}  // namespace

DStream<std::string> StreamingContext::textFileStream(const std::string& directory) {
  core_->checkCanDefine("textFileStream");
  if (directory.empty()) throw Error("textFileStream: the directory is empty");
  auto node = std::make_shared<FileInputNode>(core_, directory);
  core_->addInput(node);
  return DStream<std::string>(std::move(node));
}

}  // namespace caudal
