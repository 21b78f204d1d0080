#include "connectors/file/directory_watcher.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <tuple>

#include "caudal/error.h"

namespace caudal {
namespace fs = std::filesystem;

DirectoryWatcher::DirectoryWatcher(std::string directory) : directory_(std::move(directory)) {}

void DirectoryWatcher::start(bool new_files_only) {
  std::error_code ec;
  if (!fs::exists(directory_, ec)) {
    throw Error("textFileStream: directory '" + directory_ + "' does not exist");
  }
  if (!fs::is_directory(directory_, ec)) {
    throw Error("textFileStream: '" + directory_ + "' is not a directory");
  }
  fs::directory_iterator probe(directory_, ec);
  if (ec) throw Error("textFileStream: cannot list '" + directory_ + "': " + ec.message());
  if (restored_) return;  // a restarted job: what it had not seen is new, whenever it came
  seen_.clear();
  if (new_files_only) newFiles();  // marks what is there now as seen
}

void DirectoryWatcher::restoreSeen(std::unordered_set<std::string> names) {
  seen_ = std::move(names);
  restored_ = true;
}

std::vector<NewFile> DirectoryWatcher::newFiles() {
  struct Found {
    fs::file_time_type modified;
    std::string name;
    NewFile file;
  };
  std::vector<Found> found;
  std::unordered_set<std::string> present;
  std::error_code ec;
  fs::directory_iterator it(directory_, ec);
  if (ec) throw Error("textFileStream: cannot list '" + directory_ + "': " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) throw Error("textFileStream: cannot list '" + directory_ + "': " + ec.message());
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_') continue;
    std::error_code entry_ec;
    if (!it->is_regular_file(entry_ec)) continue;
    present.insert(name);
    if (seen_.count(name)) continue;
    uint64_t size = it->file_size(entry_ec);
    auto modified = it->last_write_time(entry_ec);
    if (entry_ec) continue;  // vanished while listing: it was not there to take
    found.push_back({modified, name, NewFile{it->path().string(), size}});
  }
  // Forget names that are gone, so the set stays as small as the directory.
  seen_ = std::move(present);
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.modified, a.name) < std::tie(b.modified, b.name);
  });
  std::vector<NewFile> files;
  files.reserve(found.size());
  for (auto& entry : found) files.push_back(std::move(entry.file));
  return files;
}

}  // namespace caudal
