// The write-ahead log of received blocks, as the receiver templates see it: a non-template
// front to the engine's write-ahead log (src/storage/), which public headers cannot include.
#pragma once

#include <absl/base/thread_annotations.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>

namespace caudal::detail {

/// Numbered records (serialized blocks) in segment files of one directory, durable once
/// `appendAndSync` returns. Every method blocks on I/O and throws `caudal::Error` naming the
/// log's directory (and the segment and offset of any damage) when it fails. Thread-safe:
/// calls are serialized by an internal mutex.
class BlockLog {
 public:
  /// Called by `read` with each record's sequence number and bytes (valid during the call).
  using Visitor = std::function<void(uint64_t sequence, std::span<const std::byte> record)>;

  /// Opens (creating it if missing) the log in `directory` and recovers it: a tail torn by a
  /// crash is cut off with a warning. A new segment is started when one would grow past
  /// `segment_bytes`.
  static std::unique_ptr<BlockLog> open(const std::string& directory,
                                        uint64_t segment_bytes = uint64_t{64} << 20);
  ~BlockLog();
  BlockLog(const BlockLog&) = delete;
  BlockLog& operator=(const BlockLog&) = delete;

  /// Appends `record` (not empty) and syncs it to disk; returns its sequence number once the
  /// record is durable. After a failed sync the log refuses every later append.
  uint64_t appendAndSync(std::span<const std::byte> record);

  /// Calls `visit` for each record with a sequence number in [`first`, `end`), in order.
  /// Throws when part of the range is not in the log (deleted, or never written).
  void read(uint64_t first, uint64_t end, const Visitor& visit) const;

  /// Deletes the segments whose records all have sequence numbers below `sequence` (never the
  /// segment being appended to).
  void deleteBefore(uint64_t sequence);

  /// The sequence number of the oldest record kept (= `nextSequence()` when there is none).
  uint64_t firstSequence() const;
  /// The sequence number the next record gets.
  uint64_t nextSequence() const;
  /// The number of segment files.
  size_t segmentCount() const;
  /// The log's directory.
  const std::string& directory() const { return directory_; }

 private:
  struct Impl;
  BlockLog(std::string directory, std::unique_ptr<Impl> impl);

  std::string directory_;
  mutable std::mutex mutex_;
  std::unique_ptr<Impl> impl_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace caudal::detail
