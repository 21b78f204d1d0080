// Checkpoint files: one immutable, checksummed, optionally compressed blob per file, written
// atomically; and the directory of them a streaming job recovers from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "caudal/duration.h"
#include "common/status.h"

namespace caudal::storage {

/// How a checkpoint file's payload is compressed (the codec byte of the file header).
enum class Codec : uint8_t { kNone = 0, kZstd = 1, kLz4 = 2 };

/// The format version this build writes, and the newest one it reads.
inline constexpr uint32_t kCheckpointFormatVersion = 1;

/// Writes `data`, compressed with `codec`, as the checkpoint file `path` (layout in
/// src/storage/README.md): first to ".<name>.tmp-<random>" in the same directory, which is
/// fsynced and then renamed over `path`, after which the directory is fsynced. So `path`
/// holds either its old content or all of the new one, and is durable when this returns ok.
/// Errors name the path and the failing step. Blocks on I/O.
Status writeCheckpointFile(const std::filesystem::path& path, std::span<const std::byte> data,
                           Codec codec);

/// The blob stored in the checkpoint file `path`, after checking its magic, format version,
/// lengths against the file size, CRC-32C and decompressed length. Every error names the path
/// and the problem ("checksum mismatch", "truncated: 57 of 120 bytes", "unsupported format
/// version 2"); wrong data is never returned. Blocks on I/O.
Result<std::vector<std::byte>> readCheckpointFile(const std::filesystem::path& path);

/// A directory of checkpoint files named "checkpoint-<batch time in ms, 20 digits>", newest
/// = latest batch time. Keeps the newest few and recovers from the newest one that reads
/// back intact. Not thread-safe: one thread at a time (the checkpoint writer) calls it.
class CheckpointDirectory {
 public:
  /// A checkpoint read back: its batch time, file and blob.
  struct Loaded {
    Time time;
    std::filesystem::path path;
    std::vector<std::byte> bytes;
  };

  /// Opens `directory` (created with its parents if missing) and deletes temporary files
  /// left by a write that never finished. After each write the newest `keep` checkpoints
  /// (at least 1) are kept. Errors name the directory.
  static Result<CheckpointDirectory> open(const std::filesystem::path& directory, int keep = 3);

  /// Writes the checkpoint of batch `time` (non-negative), replacing one of the same time,
  /// then deletes all but the newest `keep` checkpoints, never the one just written. Ok once
  /// the new file is durable; a file that cannot be deleted is only logged.
  Status write(Time time, std::span<const std::byte> data, Codec codec);

  /// The newest checkpoint that reads back intact. Each unreadable newer file is logged as a
  /// warning naming it and the problem, and the previous one is tried. Returns nullopt when
  /// the directory holds no checkpoint, and an error naming the directory when it holds some
  /// but none can be read (a job must then refuse to start rather than start empty).
  Result<std::optional<Loaded>> readLatest() const;

  /// The checkpoint files present, oldest first (temporary files excluded).
  Result<std::vector<std::filesystem::path>> list() const;

  /// The file name of the checkpoint of batch `time`: "checkpoint-" and 20 digits.
  static std::string fileName(Time time);

  /// The directory.
  const std::filesystem::path& directory() const { return directory_; }

 private:
  CheckpointDirectory(std::filesystem::path directory, int keep);

  std::filesystem::path directory_;
  int keep_;
};

}  // namespace caudal::storage
