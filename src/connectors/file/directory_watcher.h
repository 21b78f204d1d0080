// textFileStream's view of a directory: which files are new since the last look.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace caudal {

/// A file found by `DirectoryWatcher::newFiles`.
struct NewFile {
  std::string path;
  uint64_t size = 0;
};

/// Remembers the names it has seen in a directory (only its regular files; names starting
/// with "." or "_" are skipped, as Spark and Hadoop do for temporary files).
class DirectoryWatcher {
 public:
  explicit DirectoryWatcher(std::string directory);

  /// Checks the directory and, with `new_files_only`, takes the files already in it as seen,
  /// so that only files that appear later are returned (Spark's `new_files_only`). Throws
  /// `caudal::Error` unless the directory exists and can be listed.
  void start(bool new_files_only);

  /// The files that appeared since the previous call, oldest modification first (ties by
  /// name). Throws `caudal::Error` naming the directory if it cannot be listed.
  std::vector<NewFile> newFiles();

  const std::string& directory() const { return directory_; }

  /// The names taken as seen: what a checkpoint saves so that a restarted job does not read
  /// them again.
  const std::unordered_set<std::string>& seen() const { return seen_; }
  /// Restores the seen names of a checkpoint, before `start`, which then keeps them.
  void restoreSeen(std::unordered_set<std::string> names);
  /// Takes the file `name` as seen (a replayed batch read it).
  void markSeen(const std::string& name) { seen_.insert(name); }

 private:
  std::string directory_;
  std::unordered_set<std::string> seen_;  // names present at the last listing
  bool restored_ = false;                 // seen_ comes from a checkpoint
};

}  // namespace caudal
