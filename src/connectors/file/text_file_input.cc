// textFileStream: new files of a directory become a batch, read in parallel by line ranges.
#include <algorithm>
#include <filesystem>
#include <string>
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

  // A batch is the files it read, with their sizes then; the position, the names seen.
  bool canReplay() const override { return true; }
  void describeBatch(Time, ByteWriter& out) const override {
    out.writeVarint(last_files_.size());
    for (const NewFile& file : last_files_) {
      out.write(file.path);
      out.write(file.size);
    }
  }
  void writePosition(ByteWriter& out) const override {
    std::vector<std::string> names(watcher_.seen().begin(), watcher_.seen().end());
    std::sort(names.begin(), names.end());
    out.write(names);
  }
  void readPosition(ByteReader& in) override {
    auto names = in.read<std::vector<std::string>>();
    watcher_.restoreSeen({names.begin(), names.end()});
  }

 protected:
  std::optional<RDD<std::string>> compute(Time time) override { return read(time, watcher_.newFiles()); }

  std::optional<RDD<std::string>> computeReplay(Time time, ByteReader& in) override {
    std::vector<NewFile> files(in.readLength(2, "the files of a textFileStream batch"));
    for (NewFile& file : files) {
      file.path = in.read<std::string>();
      file.size = in.read<uint64_t>();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file.path, ec)) {
        throw Error("textFileStream: '" + file.path + "', read by batch " + time.toString() +
                    " before a restart, is gone, so that batch cannot run again");
      }
      watcher_.markSeen(std::filesystem::path(file.path).filename().string());
    }
    return read(time, std::move(files));
  }

 private:
  // Batch `time`'s RDD: `files`, cut into slices.
  RDD<std::string> read(Time time, std::vector<NewFile> files) {
    std::vector<FileSlice> slices;
    for (const NewFile& file : files) {
      logDebug("textFileStream: batch {} reads {}", time.toString(), file.path);
      uint64_t begin = 0;
      do {
        uint64_t end = std::min(file.size, begin + kSliceBytes);
        slices.push_back({file.path, begin, end});
        begin = end;
      } while (begin < file.size);
    }
    last_files_ = std::move(files);
    return RDD<std::string>(
        std::make_shared<TextFileSliceNode>(sharedCore()->executionContext(), std::move(slices)));
  }

  DirectoryWatcher watcher_;
  bool new_files_only_;
  std::vector<NewFile> last_files_;  // what the last batch read
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
