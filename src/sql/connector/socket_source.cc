#include "sql/connector/socket_source.h"

#include "caudal/error.h"
#include "sql/format/record_chunker.h"

namespace caudal::sql {

SocketSource::SocketSource(std::string hostname, int port,
                           std::shared_ptr<const RecordFormat> format)
    : format_(std::move(format)),
      reader_("socket source", std::move(hostname), port,
              [this](std::string&& line) { onLine(std::move(line)); }) {}

SocketSource::~SocketSource() { reader_.stop(); }

void SocketSource::onLine(std::string&& line) {
  std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
}

void SocketSource::requireColumns(const std::vector<std::vector<size_t>>& paths) {
  required_.assign(schema().size(), false);
  for (const auto& path : paths) {
    if (!path.empty() && path[0] < required_.size()) required_[path[0]] = true;
  }
}

Result<SourceOffset> SocketSource::latestOffset() {
  if (!started_) {
    try {
      reader_.start();
    } catch (const Error& error) {
      return Status::error(error.what());
    }
    started_ = true;
  }
  std::lock_guard lock(mutex_);
  return SourceOffset{{first_line_ + static_cast<int64_t>(lines_.size())}};
}

size_t SocketSource::taskCount(const SourceOffset& start, const SourceOffset& end) const {
  if (start.positions.empty() || end.positions.empty()) return 0;
  return end.positions[0] > start.positions[0] ? 1 : 0;
}

Status SocketSource::read(const SourceOffset& start, const SourceOffset& end, size_t task,
                          const ChunkConsumer& emit) {
  (void)task;
  const int64_t begin = start.positions.at(0);
  const int64_t stop_at = end.positions.at(0);
  std::vector<std::string> lines;
  {
    std::lock_guard lock(mutex_);
    if (begin < first_line_ || stop_at > first_line_ + static_cast<int64_t>(lines_.size())) {
      return Status::error(std::string("socket ")
                               .append(reader_.endpoint())
                               .append(": lines [")
                               .append(std::to_string(begin))
                               .append(", ")
                               .append(std::to_string(stop_at))
                               .append(") are no longer buffered"));
    }
    lines.assign(lines_.begin() + (begin - first_line_), lines_.begin() + (stop_at - first_line_));
  }
  RecordChunker chunker(*format_, required_, emit, metrics());
  const bool skip_first = format_->skipsFirstLine();
  for (size_t i = 0; i < lines.size(); ++i) {
    const int64_t line_number = begin + static_cast<int64_t>(i) + 1;
    if (skip_first && line_number == 1) continue;
    Status status = chunker.add(lines[i], [&] {
      return std::string("socket ")
          .append(reader_.endpoint())
          .append(", line ")
          .append(std::to_string(line_number));
    });
    if (!status.isOk()) return status;
  }
  return chunker.finish();
}

void SocketSource::commit(const SourceOffset& end) {
  if (end.positions.empty()) return;
  std::lock_guard lock(mutex_);
  while (first_line_ < end.positions[0] && !lines_.empty()) {
    lines_.pop_front();
    ++first_line_;
  }
}

void SocketSource::stop() { reader_.stop(); }

size_t SocketSource::bufferedLines() const {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

}  // namespace caudal::sql
