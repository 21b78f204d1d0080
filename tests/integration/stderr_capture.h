// Reading what the engine logs to standard error while a test runs.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "support/temp_directory.h"

namespace caudal::test {

/// Redirects file descriptor 2 to `file` until destroyed; `contents()` may be read at any
/// time meanwhile (unlike GoogleTest's CaptureStderr), so a test can wait for a log line. The
/// destructor restores standard error and copies what was captured to it.
class StderrCapture {
 public:
  explicit StderrCapture(std::filesystem::path file) : file_(std::move(file)) {
    std::fflush(stderr);
    int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("StderrCapture: cannot open " + file_.string());
    saved_ = ::dup(2);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::string captured = contents();
    std::fwrite(captured.data(), 1, captured.size(), stderr);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  /// What was written to standard error so far.
  std::string contents() const {
    std::fflush(stderr);
    return readWholeFile(file_);
  }

 private:
  std::filesystem::path file_;
  int saved_ = -1;
};

}  // namespace caudal::test
