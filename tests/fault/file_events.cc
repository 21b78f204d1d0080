#include "fault/file_events.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace caudal::fault {

FileEvents::FileEvents() : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error(std::string("inotify_init1: ") + std::strerror(errno));
}

FileEvents::~FileEvents() { ::close(fd_); }

int FileEvents::watch(const std::filesystem::path& directory, uint32_t mask) {
  int id = ::inotify_add_watch(fd_, directory.c_str(), mask);
  if (id < 0) {
    throw std::runtime_error("inotify_add_watch '" + directory.string() +
                             "': " + std::strerror(errno));
  }
  labels_.emplace_back(id, directory.filename().string());
  return id;
}

void FileEvents::drain() {
  std::vector<std::string> ignored;
  readPending({}, ignored);
}

void FileEvents::readPending(const std::vector<int>& ids, std::vector<std::string>& names) {
  alignas(inotify_event) char buffer[16384];
  while (true) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n <= 0) return;  // EAGAIN: nothing more now
    for (char* at = buffer; at < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(at);
      if (std::find(ids.begin(), ids.end(), event->wd) != ids.end()) {
        std::string label;
        for (const auto& [id, name] : labels_) {
          if (id == event->wd) label = name;
        }
        names.push_back(label + "/" + (event->len > 0 ? event->name : ""));
      }
      at += sizeof(inotify_event) + event->len;
    }
  }
}

std::vector<std::string> FileEvents::take(const std::vector<int>& ids) {
  std::vector<std::string> names;
  readPending(ids, names);
  return names;
}

void FileEvents::waitReadable(std::chrono::milliseconds timeout) const {
  pollfd ready{fd_, POLLIN, 0};
  ::poll(&ready, 1, static_cast<int>(std::max<int64_t>(timeout.count(), 0)));
}

}  // namespace caudal::fault
