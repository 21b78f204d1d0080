// The `socket` source: lines read from a TCP server, decoded with a line format.
#pragma once

#include <absl/base/thread_annotations.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/socket/socket_line_reader.h"
#include "sql/connector/table_source.h"
#include "sql/format/record_format.h"

namespace caudal::sql {

/// Reads lines from `hostname:port` on a background thread (connecting at the first
/// `latestOffset`, reconnecting with backoff as socketTextStream does) and buffers them. The
/// offset is `{lines received so far}`; `read` decodes a range of buffered lines (one task);
/// `commit` releases the lines before its offset. Lines are not durable: what was buffered
/// when the process died is lost (Spark's socket source is not fault-tolerant either).
/// Errors name the place: `socket localhost:9999, line 5, column 'n': cannot parse ...`.
class SocketSource final : public TableSource {
 public:
  SocketSource(std::string hostname, int port, std::shared_ptr<const RecordFormat> format);
  ~SocketSource() override;

  const Schema& schema() const override { return format_->schema(); }
  bool bounded() const override { return false; }
  void requireColumns(const std::vector<std::vector<size_t>>& paths) override;
  SourceOffset initialOffset() const override { return SourceOffset{{0}}; }
  /// Starts the reader on the first call (an error if the host does not resolve).
  Result<SourceOffset> latestOffset() override;
  size_t taskCount(const SourceOffset& start, const SourceOffset& end) const override;
  Status read(const SourceOffset& start, const SourceOffset& end, size_t task,
              const ChunkConsumer& emit) override;
  void commit(const SourceOffset& end) override;
  void stop() override;

  /// Lines buffered (received, not released).
  size_t bufferedLines() const;

 private:
  void onLine(std::string&& line);

  std::shared_ptr<const RecordFormat> format_;
  std::vector<bool> required_;
  SocketLineReader reader_;
  bool started_ = false;  // driver thread only
  mutable std::mutex mutex_;
  std::deque<std::string> lines_ ABSL_GUARDED_BY(mutex_);
  int64_t first_line_ ABSL_GUARDED_BY(mutex_) = 0;  // the index of lines_.front()
};

}  // namespace caudal::sql
