// Reading lines from a TCP server on a thread of its own, reconnecting when the connection
// fails: the engine of socketTextStream's receiver and of the SQL socket source.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "caudal/duration.h"

namespace caudal {

/// Connects to `host:port`, reads newline-terminated lines ("\r\n" accepted; a last line
/// without a newline counts when the server closes) and calls `on_line` with each, in order,
/// on its own thread. A refused, failed or closed connection is logged and retried with
/// exponential backoff (100 ms doubling to 2 s), as Spark restarts its socket receiver; it
/// never stops by itself. `label` starts its messages (`socketTextStream`).
class SocketLineReader {
 public:
  using LineHandler = std::function<void(std::string&&)>;

  SocketLineReader(std::string label, std::string host, int port, LineHandler on_line);
  /// Stops the thread.
  ~SocketLineReader();
  SocketLineReader(const SocketLineReader&) = delete;
  SocketLineReader& operator=(const SocketLineReader&) = delete;

  /// Resolves the host and starts the reading thread. Throws `caudal::Error` if the host does
  /// not resolve (a temporary resolver failure is retried instead). Not concurrently with stop.
  void start();
  /// Stops the thread (waking it from any wait) and joins it. Idempotent; `start` may follow.
  void stop();

  /// "host:port", for messages.
  std::string endpoint() const;

 private:
  void run();
  // Reads from a connected socket until it closes, fails, or the reader stops.
  void readLines(int fd);
  // Waits up to `timeout` for `fd` (if >= 0) to have `events`; false when stopping.
  bool waitFor(int fd, short events, Duration timeout, bool& ready);
  void sleepWithBackoff(Duration& backoff, const std::string& reason);

  std::string label_;
  std::string host_;
  int port_;
  LineHandler on_line_;
  int wake_fd_ = -1;  // eventfd that interrupts poll() on stop
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace caudal
