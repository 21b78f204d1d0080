#include "sql/connector/filesystem_source.h"

#include <filesystem>

#include "caudal/error.h"
#include "connectors/file/line_range_reader.h"
#include "sql/format/record_chunker.h"

namespace caudal::sql {

namespace fs = std::filesystem;

Result<std::unique_ptr<FilesystemSource>> FilesystemSource::make(
    FilesystemSourceOptions options, std::shared_ptr<const RecordFormat> format) {
  std::error_code ec;
  const fs::file_status status = fs::status(options.path, ec);
  if (ec || !fs::exists(status)) {
    return Status::error(std::string("path '").append(options.path).append("' does not exist"));
  }
  const bool directory = fs::is_directory(status);
  if (!directory && !fs::is_regular_file(status)) {
    return Status::error(
        std::string("path '").append(options.path).append("' is neither a file nor a directory"));
  }
  std::optional<std::regex> regex;
  if (options.name_pattern) {
    try {
      regex.emplace(*options.name_pattern);
    } catch (const std::regex_error& error) {
      return Status::error(
          std::string("option 'source.path.regex-pattern' is not a valid regular expression: ")
              .append(error.what()));
    }
  }
  auto source = std::unique_ptr<FilesystemSource>(
      new FilesystemSource(std::move(options), std::move(format), directory));
  source->name_regex_ = std::move(regex);
  if (directory) {
    try {
      source->watcher_.start(/*new_files_only=*/false);
    } catch (const Error& error) {
      return Status::error(error.what());
    }
  } else {
    std::lock_guard lock(source->mutex_);
    source->files_.push_back(source->options_.path);
  }
  return source;
}

FilesystemSource::FilesystemSource(FilesystemSourceOptions options,
                                   std::shared_ptr<const RecordFormat> format, bool directory)
    : options_(std::move(options)),
      format_(std::move(format)),
      directory_(directory),
      watcher_(options_.path) {}

void FilesystemSource::requireColumns(const std::vector<std::vector<size_t>>& paths) {
  required_.assign(schema().size(), false);
  for (const auto& path : paths) {
    if (!path.empty() && path[0] < required_.size()) required_[path[0]] = true;
  }
}

Status FilesystemSource::listDirectory() {
  std::vector<NewFile> found;
  try {
    found = watcher_.newFiles();
  } catch (const Error& error) {
    return Status::error(error.what());
  }
  std::lock_guard lock(mutex_);
  for (NewFile& file : found) {
    if (name_regex_ && !std::regex_match(fs::path(file.path).filename().string(), *name_regex_))
      continue;
    files_.push_back(std::move(file.path));
  }
  return Status::ok();
}

Result<SourceOffset> FilesystemSource::latestOffset() {
  if (directory_) {
    const auto now = std::chrono::steady_clock::now();
    if (!last_listing_ || now - *last_listing_ >= options_.monitor_interval) {
      last_listing_ = now;
      if (Status status = listDirectory(); !status.isOk()) return status;
    }
  }
  int64_t available = 0;
  {
    std::lock_guard lock(mutex_);
    available = static_cast<int64_t>(files_.size());
  }
  int64_t end = available;
  if (options_.max_files_per_trigger > 0)
    end = std::min(end, last_end_ + options_.max_files_per_trigger);
  last_end_ = end;
  return SourceOffset{{end}};
}

bool FilesystemSource::finished() const { return !directory_ && last_end_ >= 1; }

size_t FilesystemSource::taskCount(const SourceOffset& start, const SourceOffset& end) const {
  if (start.positions.empty() || end.positions.empty()) return 0;
  return static_cast<size_t>(std::max<int64_t>(0, end.positions[0] - start.positions[0]));
}

std::vector<std::string> FilesystemSource::files() const {
  std::lock_guard lock(mutex_);
  return std::vector<std::string>(files_.begin(),
                                  files_.begin() + std::min<int64_t>(last_end_, files_.size()));
}

Status FilesystemSource::read(const SourceOffset& start, const SourceOffset& end, size_t task,
                              const ChunkConsumer& emit) {
  (void)end;
  const int64_t index = start.positions.at(0) + static_cast<int64_t>(task);
  std::string path;
  {
    std::lock_guard lock(mutex_);
    if (index < 0 || index >= static_cast<int64_t>(files_.size())) {
      return Status::error(std::string("filesystem source '")
                               .append(options_.path)
                               .append("': no file at offset ")
                               .append(std::to_string(index)));
    }
    path = files_[static_cast<size_t>(index)];
  }
  RecordChunker chunker(*format_, required_, emit, metrics());
  const bool skip_first = format_->skipsFirstLine();
  int64_t line_number = 0;
  Status status = Status::ok();
  try {
    // The reader cannot be stopped early: after an error the remaining lines are skipped.
    readLinesInRange(path, 0, UINT64_MAX, [&](std::string&& line) {
      ++line_number;
      if (!status.isOk() || (skip_first && line_number == 1)) return;
      status = chunker.add(line, [&] {
        return std::string("file ").append(path).append(", line ").append(
            std::to_string(line_number));
      });
    });
  } catch (const Error& error) {
    status.ignore();
    return Status::error(error.what());
  }
  if (!status.isOk()) return status;
  return chunker.finish();
}

}  // namespace caudal::sql
