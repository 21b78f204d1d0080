// A TCP server on 127.0.0.1 for tests: the far end of a socketTextStream.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace caudal::test {

/// A one-connection-at-a-time TCP server on 127.0.0.1, driven by the test's thread: listen
/// (on port 0 for a free port, or later on a given port), accept the client, send lines or
/// raw bytes, close the connection, stop listening. A failed system call throws
/// `std::runtime_error`. Not thread-safe: one thread drives it. The destructor closes
/// everything.
class SocketServer {
 public:
  SocketServer() = default;
  ~SocketServer();
  SocketServer(const SocketServer&) = delete;
  SocketServer& operator=(const SocketServer&) = delete;

  /// Listens on 127.0.0.1:`port` (0: a free port the system picks); returns the port.
  int listen(int port = 0);
  /// Stops listening (clients that connect are refused); the accepted connection stays open
  /// and `port()` keeps its value, so `listen(port())` starts again on the same port.
  void stopListening();
  /// The port of the last `listen` (0 before).
  int port() const { return port_; }

  /// Waits up to `timeout` for a client and makes it the current connection (closing the
  /// previous one). False if none came in time.
  bool accept(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// True while there is a current connection.
  bool connected() const { return connection_fd_ >= 0; }

  /// Sends `bytes` as they are on the current connection. With TCP_NODELAY set, separate
  /// calls leave as separate segments.
  void send(std::string_view bytes);
  /// Sends `line` followed by "\n".
  void sendLine(std::string_view line);
  /// Sends every line followed by "\n", in one piece.
  void sendLines(const std::vector<std::string>& lines);
  /// Closes the current connection: the client reads the end of the stream.
  void closeConnection();

  /// Waits up to `timeout` until the client has read everything sent on the current
  /// connection: its kernel acknowledged every byte and its receive queue is empty. The
  /// client must be a socket of this process (the receiver under test), found through
  /// /proc/self/fd. False if that did not happen in time.
  bool waitUntilClientRead(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  int listen_fd_ = -1;
  int connection_fd_ = -1;
  int port_ = 0;
};

}  // namespace caudal::test
