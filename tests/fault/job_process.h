// The fault test's job as a child process: started with its output appended to a log file,
// killed with SIGKILL, or left to stop by itself.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace caudal::fault {

/// One job command line, run again and again: each `start()` is a new process whose standard
/// output and error are appended to `log`. Not thread-safe. The destructor kills a process
/// still running.
class JobProcess {
 public:
  JobProcess(std::string executable, std::vector<std::string> arguments, std::filesystem::path log);
  ~JobProcess();
  JobProcess(const JobProcess&) = delete;
  JobProcess& operator=(const JobProcess&) = delete;

  /// Starts a new process (none may be running). Throws `std::runtime_error` if it cannot.
  void start();
  /// True while the process started last has not been reaped.
  bool running() const { return pid_ > 0; }
  /// If the process ended by itself, reaps it and returns how ("exit code 1", "signal 6");
  /// nullopt while it runs. Does not block.
  std::optional<std::string> endedBySelf();
  /// Sends SIGKILL and reaps the process. Returns how it ended: "signal 9", or how it ended
  /// by itself before the signal reached it.
  std::string kill();
  /// Waits up to `timeout` for the process to end and reaps it; returns how it ended, or
  /// nullopt on time-out (it then still runs).
  std::optional<std::string> waitForEnd(std::chrono::milliseconds timeout);

  /// Appends `line` to the log, between the job's own lines (a marker of what the test did).
  void note(const std::string& line) const;
  /// The last `lines` lines of the log.
  std::string logTail(size_t lines) const;

 private:
  std::string executable_;
  std::vector<std::string> arguments_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
};

/// How `status` (from waitpid) says a process ended: "exit code N" or "signal N".
std::string describeExit(int status);

}  // namespace caudal::fault
