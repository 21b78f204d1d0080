// The receiver behind socketTextStream: reads lines from a TCP server on its own thread.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "caudal/duration.h"
#include "caudal/receiver.h"

namespace caudal {

/// Connects to `host:port`, reads newline-terminated lines ("\r\n" accepted) and stores each
/// into the current block. A refused, failed or closed connection is logged and retried with
/// exponential backoff (100 ms doubling to 2 s), as Spark restarts its socket receiver; the
/// receiver never stops by itself.
class SocketLineReceiver final : public Receiver<std::string> {
 public:
  SocketLineReceiver(std::string host, int port);
  ~SocketLineReceiver() override;

  /// Resolves the host and starts the receiving thread. Throws `caudal::Error` if the host does
  /// not resolve (a temporary resolver failure is retried instead).
  void onStart() override;
  /// Stops the thread (waking it from any wait) and joins it. Idempotent.
  void onStop() override;

  /// "host:port", for messages.
  std::string endpoint() const;

 private:
  void run();
  // Reads from a connected socket until it closes, fails, or the receiver stops.
  void readLines(int fd);
  // Waits up to `timeout` for `fd` (if >= 0) to have `events`; false when stopping.
  bool waitFor(int fd, short events, Duration timeout, bool& ready);
  void sleepWithBackoff(Duration& backoff, const std::string& reason);

  std::string host_;
  int port_;
  int wake_fd_ = -1;  // eventfd that interrupts poll() on stop
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace caudal
