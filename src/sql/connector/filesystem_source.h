// The `filesystem` source: a file read once as a bounded table, or a directory whose new files
// are the stream's input (Structured Streaming's file source).
#pragma once

#include <absl/base/thread_annotations.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "connectors/file/directory_watcher.h"
#include "sql/connector/table_source.h"
#include "sql/format/record_format.h"

namespace caudal::sql {

/// What a filesystem source reads and how (the table's options, parsed).
struct FilesystemSourceOptions {
  /// `path`: a file (a bounded table) or a directory (unbounded: every file that appears in it
  /// is read once).
  std::string path;
  /// `source.monitor-interval`: the shortest time between two listings of the directory;
  /// zero lists it at every `latestOffset`.
  std::chrono::milliseconds monitor_interval{0};
  /// `source.path.regex-pattern`: only files whose name matches it wholly are read.
  std::optional<std::string> name_pattern;
  /// `maxFilesPerTrigger`: at most this many new files per micro-batch (0: no limit).
  int64_t max_files_per_trigger = 0;
};

/// Reads files line by line with a line format. The offset is `{files admitted}`: files are
/// admitted in the order they were found (each listing's new files oldest modification first,
/// ties by name), kept in a list so any range can be read again. Names starting with `.` or `_`
/// are skipped (temporary files); files must appear whole (moved in, not written in place).
/// One read task per file; errors name the file and line (`file data/a.csv, line 17, column
/// 'status': cannot parse 'abc' as INT`).
class FilesystemSource final : public TableSource {
 public:
  /// Checks that the path exists; errors (without table prefix) otherwise.
  static Result<std::unique_ptr<FilesystemSource>> make(FilesystemSourceOptions options,
                                                        std::shared_ptr<const RecordFormat> format);

  const Schema& schema() const override { return format_->schema(); }
  bool bounded() const override { return !directory_; }
  void requireColumns(const std::vector<std::vector<size_t>>& paths) override;
  SourceOffset initialOffset() const override { return SourceOffset{{0}}; }
  Result<SourceOffset> latestOffset() override;
  bool finished() const override;
  size_t taskCount(const SourceOffset& start, const SourceOffset& end) const override;
  Status read(const SourceOffset& start, const SourceOffset& end, size_t task,
              const ChunkConsumer& emit) override;

  /// The files admitted so far, in offset order (for tests and progress reports).
  std::vector<std::string> files() const;

 private:
  FilesystemSource(FilesystemSourceOptions options, std::shared_ptr<const RecordFormat> format,
                   bool directory);
  Status listDirectory();

  const FilesystemSourceOptions options_;
  const std::shared_ptr<const RecordFormat> format_;
  const bool directory_;
  std::optional<std::regex> name_regex_;
  std::vector<bool> required_;  // empty: every column
  DirectoryWatcher watcher_;    // driver thread only
  std::optional<std::chrono::steady_clock::time_point> last_listing_;
  int64_t last_end_ = 0;  // the last offset returned
  mutable std::mutex mutex_;
  std::vector<std::string> files_ ABSL_GUARDED_BY(mutex_);  // found, in order; admitted ones first
};

}  // namespace caudal::sql
