#include "fault/job_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace caudal::fault {

std::string describeExit(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

JobProcess::JobProcess(std::string executable, std::vector<std::string> arguments,
                       std::filesystem::path log)
    : executable_(std::move(executable)), arguments_(std::move(arguments)), log_(std::move(log)) {}

JobProcess::~JobProcess() {
  if (running()) kill();
}

void JobProcess::start() {
  if (running()) throw std::runtime_error("JobProcess::start: the job is already running");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  argv.push_back(executable_.data());
  for (std::string& argument : arguments_) argv.push_back(argument.data());
  argv.push_back(nullptr);
  // posix_spawn rather than fork: the test process has threads, and nothing but exec may
  // safely run in a forked copy of them.
  int error = ::posix_spawn(&pid_, executable_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start '" + executable_ + "': " + std::strerror(error));
  }
}

std::optional<std::string> JobProcess::endedBySelf() {
  if (!running()) return "not running";
  int status = 0;
  pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
  if (reaped == 0) return std::nullopt;
  pid_ = -1;
  return reaped < 0 ? std::string("lost: ") + std::strerror(errno) : describeExit(status);
}

std::string JobProcess::kill() {
  if (!running()) return "not running";
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return describeExit(status);
}

std::optional<std::string> JobProcess::waitForEnd(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto ended = endedBySelf()) return ended;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void JobProcess::note(const std::string& line) const {
  std::ofstream out(log_, std::ios::app);
  out << "[fault test] " << line << '\n';
}

std::string JobProcess::logTail(size_t lines) const {
  std::ifstream in(log_);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(std::move(line));
    if (tail.size() > lines) tail.pop_front();
  }
  std::string text;
  for (const std::string& line : tail) text += line + '\n';
  return text;
}

}  // namespace caudal::fault
