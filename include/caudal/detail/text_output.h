// Text output of DStreams: pprint's console format and saveAsTextFiles' directories.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caudal/duration.h"

namespace caudal::detail {

/// Writes Spark's print block to standard output, as one write: the dashed header with
/// `Time: <ms> ms`, each line, "..." when `truncated`, and a blank line. Thread-safe.
void printBatch(Time time, const std::vector<std::string>& lines, bool truncated);

/// The directory `saveAsTextFiles(prefix, suffix)` writes batch `time` to: `prefix-<ms>` or
/// `prefix-<ms>.suffix`.
std::string batchOutputPath(std::string_view prefix, std::string_view suffix, Time time);

/// Writes one batch's output directory (`part-00000`, … and `_SUCCESS`) so that it appears
/// whole or not at all: parts go to a hidden temporary directory beside the target, which
/// `commit` renames over the target (replacing the output of an earlier run of the batch).
/// Throws `caudal::Error` naming the path on any I/O failure; an uncommitted temporary
/// directory is removed by the destructor.
class AtomicDirectoryWriter {
 public:
  explicit AtomicDirectoryWriter(std::string target);
  ~AtomicDirectoryWriter();
  AtomicDirectoryWriter(const AtomicDirectoryWriter&) = delete;
  AtomicDirectoryWriter& operator=(const AtomicDirectoryWriter&) = delete;

  /// Writes part file `index` (`part-%05d`) with `content`; safe to call concurrently for
  /// different indices.
  void writePart(size_t index, std::string_view content) const;
  /// Writes `_SUCCESS`, flushes, and renames the directory into place.
  void commit();

 private:
  std::string target_;
  std::string temporary_;
  bool committed_ = false;
};

}  // namespace caudal::detail
