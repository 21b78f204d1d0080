#include "support/socket_server.h"

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace caudal::test {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("SocketServer: " + what + ": " + std::strerror(errno));
}

bool sameAddress(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_family == b.sin_family && a.sin_port == b.sin_port &&
         a.sin_addr.s_addr == b.sin_addr.s_addr;
}

// The descriptor of this process whose socket has local address `local` and peer `peer`,
// or -1.
int findSocketOfThisProcess(const sockaddr_in& local, const sockaddr_in& peer) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::string name = entry.path().filename().string();
    int fd = -1;
    auto [end, parse_error] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (parse_error != std::errc() || end != name.data() + name.size()) continue;
    struct stat info{};
    if (::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    sockaddr_in fd_local{};
    sockaddr_in fd_peer{};
    socklen_t length = sizeof fd_local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&fd_local), &length) != 0) continue;
    length = sizeof fd_peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&fd_peer), &length) != 0) continue;
    if (sameAddress(fd_local, local) && sameAddress(fd_peer, peer)) return fd;
  }
  return -1;
}

}  // namespace

SocketServer::~SocketServer() {
  closeConnection();
  stopListening();
}

int SocketServer::listen(int port) {
  stopListening();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    fail("bind to 127.0.0.1:" + std::to_string(port));
  }
  if (::listen(fd, 16) != 0) {
    ::close(fd);
    fail("listen");
  }
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    fail("getsockname");
  }
  listen_fd_ = fd;
  port_ = ntohs(address.sin_port);
  return port_;
}

void SocketServer::stopListening() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

bool SocketServer::accept(std::chrono::milliseconds timeout) {
  if (listen_fd_ < 0) throw std::runtime_error("SocketServer::accept: not listening");
  pollfd fds{listen_fd_, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&fds, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) fail("poll");
  if (ready == 0) return false;
  int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) fail("accept");
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  closeConnection();
  connection_fd_ = fd;
  return true;
}

void SocketServer::send(std::string_view bytes) {
  if (connection_fd_ < 0) throw std::runtime_error("SocketServer::send: no connection");
  while (!bytes.empty()) {
    ssize_t n = ::send(connection_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("send");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void SocketServer::sendLine(std::string_view line) {
  std::string text(line);
  text += '\n';
  send(text);
}

void SocketServer::sendLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line;
    text += '\n';
  }
  send(text);
}

void SocketServer::closeConnection() {
  if (connection_fd_ >= 0) ::close(connection_fd_);
  connection_fd_ = -1;
}

bool SocketServer::waitUntilClientRead(std::chrono::milliseconds timeout) const {
  if (connection_fd_ < 0) throw std::runtime_error("SocketServer::waitUntilClientRead: no connection");
  sockaddr_in server_side{};
  sockaddr_in client_side{};
  socklen_t length = sizeof server_side;
  if (::getsockname(connection_fd_, reinterpret_cast<sockaddr*>(&server_side), &length) != 0) {
    fail("getsockname");
  }
  length = sizeof client_side;
  if (::getpeername(connection_fd_, reinterpret_cast<sockaddr*>(&client_side), &length) != 0) {
    return false;  // the client is gone
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int unacknowledged = -1;
    ::ioctl(connection_fd_, SIOCOUTQ, &unacknowledged);
    int unread = -1;
    int client_fd = findSocketOfThisProcess(client_side, server_side);
    if (client_fd >= 0) ::ioctl(client_fd, FIONREAD, &unread);
    if (unacknowledged == 0 && unread == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace caudal::test
