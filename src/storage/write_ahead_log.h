// The write-ahead log: received blocks made durable before they are acknowledged, replayed
// after a crash, deleted once their batches are checkpointed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/file_io.h"

namespace caudal::storage {

/// How a `WriteAheadLog` lays out its segments.
struct WriteAheadLogOptions {
  /// A segment is closed and a new one started when the next record would take it past this
  /// size (a single larger record gets a segment of its own).
  uint64_t segment_bytes = uint64_t{64} << 20;
};

/// Called by `WriteAheadLog::readFrom` for each record in order; a non-ok status stops the
/// replay and is returned from it.
using WalRecordVisitor =
    std::function<Status(uint64_t sequence, std::span<const std::byte> record)>;

/// An append-only log of records in a directory of segment files "log-<sequence of the
/// segment's first record, 20 digits>" (format in src/storage/README.md). Each record gets the
/// next sequence number; numbers are consecutive from the log's start (0 for a new log).
///
/// Durability: `append` only writes; a record is durable once `sync()` returns ok after it.
/// Thread-safety: none. One thread, the log's writer, makes every call (or the callers
/// serialize them); `readFrom` must not run concurrently with `append` or `deleteBefore`.
class WriteAheadLog {
 public:
  /// Opens the log in `directory` (created with its parents if missing) and recovers it: every
  /// segment is scanned; a torn or corrupt tail of the last segment (a partial frame, a bad
  /// checksum) is truncated away and logged with the segment and offset, since a crash while
  /// appending leaves exactly that; damage in an earlier segment, or a gap in the sequence
  /// numbers, is an error naming the segment and offset. Blocks on I/O.
  static Result<std::unique_ptr<WriteAheadLog>> open(const std::filesystem::path& directory,
                                                     WriteAheadLogOptions options = {});

  /// Closes the current segment without syncing it (call `sync()` first for durability).
  ~WriteAheadLog();
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  /// Appends `record` (1 byte to 4 GiB - 1) and returns its sequence number. Not durable until
  /// `sync()`. Empty records are refused: a crash can leave a zero-filled tail, which would
  /// otherwise read back as empty records. After a failed write that cannot be undone, every
  /// later call fails. Blocks on I/O.
  Result<uint64_t> append(std::span<const std::byte> record);

  /// Makes every record appended so far durable (fsync of the segment, and of the directory
  /// when segments were created). Blocks on I/O.
  Status sync();

  /// Calls `visitor` for each record from sequence `first` (at least `firstSequence()`, at
  /// most `nextSequence()`) to the last one appended, in order. Errors name the segment and
  /// offset of damage found on the way. Blocks on I/O.
  Status readFrom(uint64_t first, const WalRecordVisitor& visitor) const;

  /// Deletes, oldest first, every segment whose records all have sequence numbers below
  /// `sequence`; the segment being appended to is never deleted. Records from `sequence` on
  /// stay readable.
  Status deleteBefore(uint64_t sequence);

  /// Sequence number of the oldest record still in the log (= `nextSequence()` when empty).
  uint64_t firstSequence() const;
  /// Sequence number the next appended record gets.
  uint64_t nextSequence() const { return next_sequence_; }
  /// The segment files, oldest first.
  std::vector<std::filesystem::path> segments() const;
  /// The log's directory.
  const std::filesystem::path& directory() const { return directory_; }

 private:
  struct Segment {
    uint64_t first_sequence;
    std::filesystem::path path;
  };

  WriteAheadLog(std::filesystem::path directory, WriteAheadLogOptions options);
  Status openForAppend(const Segment& segment, uint64_t file_bytes, uint64_t valid_bytes);
  Status startSegment();
  Status failWith(Status status);

  std::filesystem::path directory_;
  WriteAheadLogOptions options_;
  std::vector<Segment> segments_;  // oldest first; the last one is being appended to
  ScopedFd fd_;                    // the last segment, open for writing
  uint64_t segment_size_ = 0;      // bytes in the last segment
  uint64_t next_sequence_ = 0;
  bool directory_dirty_ = false;  // a segment was created since the directory was synced
  std::string broken_;            // why appending is impossible, after an unrecoverable write error
};

}  // namespace caudal::storage
