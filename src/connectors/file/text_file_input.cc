// textFileStream: new files of a directory become a batch, read in parallel by line ranges.
#include <algorithm>
#include <memory>
#include <vector>

#include "caudal/streaming_context.h"
#include "common/logging.h"
#include "connectors/file/directory_watcher.h"
#include "connectors/file/line_range_reader.h"

namespace caudal {
namespace {

// Files larger than this are read as several partitions.
constexpr uint64_t kSliceBytes = 64ull << 20;

struct FileSlice {
  std::string path;
  uint64_t begin = 0;
  uint64_t end = 0;  // exclusive; the line that starts before it is read to its end
};

// One partition per slice: the lines that start inside it (see readLinesInRange).
class TextFileSliceNode final : public detail::RddNode<std::string> {
 public:
  TextFileSliceNode(std::shared_ptr<detail::ExecutionContext> context, std::vector<FileSlice> slices)
      : RddNode(std::move(context), slices.size()), slices_(std::move(slices)) {}

  void computePartition(size_t partition, detail::FunctionRef<void(std::string&&)> sink) const override {
    const FileSlice& slice = slices_[partition];
    readLinesInRange(slice.path, slice.begin, slice.end, sink);
  }

 private:
  std::vector<FileSlice> slices_;
};

class FileInputNode final : public detail::InputNode<std::string> {
 public:
  FileInputNode(const std::shared_ptr<detail::StreamingCore>& core, std::string directory,
                bool new_files_only)
      : InputNode(core, "textFileStream"),
        watcher_(std::move(directory)),
        new_files_only_(new_files_only) {}

  void start() override { watcher_.start(new_files_only_); }

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
  bool new_files_only_;
};

}  // namespace

DStream<std::string> StreamingContext::textFileStream(const std::string& directory,
                                                      bool new_files_only) {
  core_->checkCanDefine("textFileStream");
  if (directory.empty()) throw Error("textFileStream: the directory is empty");
  auto node = std::make_shared<FileInputNode>(core_, directory, new_files_only);
  core_->addInput(node);
  return DStream<std::string>(std::move(node));
}

}  // namespace caudal
