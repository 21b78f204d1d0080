// The receiver behind socketTextStream: reads lines from a TCP server on its own thread.
#pragma once

#include <string>

#include "caudal/receiver.h"
#include "connectors/socket/socket_line_reader.h"

namespace caudal {

/// Connects to `host:port`, reads newline-terminated lines ("\r\n" accepted) and stores each
/// into the current block. A refused, failed or closed connection is logged and retried with
/// exponential backoff (100 ms doubling to 2 s), as Spark restarts its socket receiver; the
/// receiver never stops by itself. (The reading is `SocketLineReader`'s.)
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
  std::string endpoint() const { return reader_.endpoint(); }

 private:
  SocketLineReader reader_;
};

}  // namespace caudal
