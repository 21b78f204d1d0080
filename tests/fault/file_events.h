// The moments the fault test kills the job at: file-system events in the directories the job
// writes (inotify), so that a kill lands inside a checkpoint, a batch-log append or an output
// write rather than only between them.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace caudal::fault {

/// Watches directories (not their subdirectories) for some events. Not thread-safe; the
/// destructor closes the watches.
class FileEvents {
 public:
  /// Throws `std::runtime_error` if inotify is unavailable.
  FileEvents();
  ~FileEvents();
  FileEvents(const FileEvents&) = delete;
  FileEvents& operator=(const FileEvents&) = delete;

  /// Watches `directory` (which must exist) for `mask` (IN_CREATE, IN_MODIFY, …); returns the
  /// watch's id. Throws `std::runtime_error` naming the directory.
  int watch(const std::filesystem::path& directory, uint32_t mask);
  /// Forgets the events that happened so far.
  void drain();
  /// The events of the watches `ids` that happened since the last call (or `drain`), as
  /// "<directory's name>/<file name>"; those of other watches are dropped. Does not block.
  std::vector<std::string> take(const std::vector<int>& ids);
  /// Blocks until an event is pending or `timeout` has passed.
  void waitReadable(std::chrono::milliseconds timeout) const;

 private:
  // Reads what is pending; appends the names of events of `ids` to `names`.
  void readPending(const std::vector<int>& ids, std::vector<std::string>& names);

  int fd_ = -1;
  std::vector<std::pair<int, std::string>> labels_;  // watch id, directory's name
};

}  // namespace caudal::fault
