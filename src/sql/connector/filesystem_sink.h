// The `filesystem` sink: one file per batch in a directory, written atomically.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sql/connector/table_sink.h"
#include "sql/format/record_format.h"

namespace caudal::sql {

/// Writes batch `b`'s +I/+U rows to `<directory>/part-<b, 5+ digits>-0.<format>` (`csv`,
/// `json`, `txt` for raw), with the format's header first: the text goes to a hidden
/// `.part-...tmp` file that is fsynced and renamed over the name, then the directory is
/// fsynced, so a reader sees the whole file or none. Writing a batch again (after a failure)
/// replaces its file: the output holds each batch once. An empty batch writes no file.
/// Append mode only (as Spark's file sink). Errors start with `table '<name>': `.
class FilesystemSink final : public TableSink {
 public:
  FilesystemSink(std::string table_name, std::string directory,
                 std::shared_ptr<const RecordFormat> format);

  /// Creates the directory if needed; errors unless the mode is append.
  Status open(const SinkContext& context) override;
  Status writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) override;

  /// The file name batch `batch_id` is written to, e.g. `part-00007-0.csv`.
  std::string fileName(int64_t batch_id) const;

 private:
  std::string table_name_;
  std::string directory_;
  std::shared_ptr<const RecordFormat> format_;
  std::unique_ptr<RecordEncoder> encoder_;
};

}  // namespace caudal::sql
