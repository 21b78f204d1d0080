#include "connectors/socket/socket_line_reader.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "caudal/error.h"
#include "common/logging.h"
#include "runtime/recurring_timer.h"

namespace caudal {
namespace {

constexpr Duration kInitialBackoff = Milliseconds(100);
constexpr Duration kMaxBackoff = Seconds(2);
constexpr size_t kReadSize = 64 * 1024;
// poll() wakes up for data or for the stop eventfd; the timeout only bounds a lost wake-up.
constexpr Duration kPollTimeout = Seconds(1);

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// getaddrinfo for a TCP stream; nullptr plus `error` on failure.
AddrInfoPtr resolve(const std::string& host, int port, int& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  error = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result);
  return AddrInfoPtr(error == 0 ? result : nullptr);
}

bool isTemporaryResolverError(int error) { return error == EAI_AGAIN || error == EAI_SYSTEM; }

}  // namespace

SocketLineReader::SocketLineReader(std::string label, std::string host, int port,
                                   LineHandler on_line)
    : label_(std::move(label)), host_(std::move(host)), port_(port), on_line_(std::move(on_line)) {}

SocketLineReader::~SocketLineReader() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::string SocketLineReader::endpoint() const { return host_ + ":" + std::to_string(port_); }

void SocketLineReader::start() {
  int error = 0;
  AddrInfoPtr info = resolve(host_, port_, error);
  if (!info && !isTemporaryResolverError(error)) {
    throw Error(label_ + ": cannot resolve host '" + host_ + "': " + gai_strerror(error));
  }
  if (wake_fd_ < 0) wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    throw Error(label_ + " " + endpoint() + ": cannot create an eventfd: " + std::strerror(errno));
  }
  uint64_t pending = 0;  // a wake-up left by the previous stop
  [[maybe_unused]] ssize_t n = ::read(wake_fd_, &pending, sizeof pending);
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void SocketLineReader::stop() {
  stopping_ = true;
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
}

bool SocketLineReader::waitFor(int fd, short events, Duration timeout, bool& ready) {
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {fd, events, 0}};
  int count = fd >= 0 ? 2 : 1;
  int result;
  do {
    result = ::poll(fds, count, static_cast<int>(std::max<int64_t>(0, timeout.milliseconds())));
  } while (result < 0 && errno == EINTR);
  ready = count == 2 && fds[1].revents != 0;
  return !stopping_.load();
}

void SocketLineReader::sleepWithBackoff(Duration& backoff, const std::string& reason) {
  logWarn("{} {}: {}; retrying in {}", label_, endpoint(), reason, backoff.toString());
  bool ready;
  Time until = wallClockNow() + backoff;
  while (!stopping_.load() && wallClockNow() < until) {
    if (!waitFor(-1, 0, until - wallClockNow(), ready)) return;
  }
  backoff = std::min(backoff * 2, kMaxBackoff);
}

void SocketLineReader::run() {
  Duration backoff = kInitialBackoff;
  while (!stopping_.load()) {
    int error = 0;
    AddrInfoPtr info = resolve(host_, port_, error);
    if (!info) {
      sleepWithBackoff(backoff, std::string("cannot resolve host: ") + gai_strerror(error));
      continue;
    }
    int fd = -1;
    std::string failure = "no address to connect to";
    for (addrinfo* address = info.get(); address != nullptr && fd < 0; address = address->ai_next) {
      fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    address->ai_protocol);
      if (fd < 0) {
        failure = std::string("socket: ") + std::strerror(errno);
        continue;
      }
      int result = ::connect(fd, address->ai_addr, address->ai_addrlen);
      int connect_error = result == 0 ? 0 : errno;
      if (connect_error == EINPROGRESS) {
        bool ready = false;
        if (!waitFor(fd, POLLOUT, Seconds(10), ready)) {
          ::close(fd);
          return;
        }
        socklen_t length = sizeof connect_error;
        connect_error = ETIMEDOUT;
        if (ready) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &connect_error, &length);
      }
      if (connect_error != 0) {
        failure = std::string("cannot connect: ") + std::strerror(connect_error);
        ::close(fd);
        fd = -1;
      }
    }
    if (fd < 0) {
      sleepWithBackoff(backoff, failure);
      continue;
    }
    logInfo("{} {}: connected", label_, endpoint());
    backoff = kInitialBackoff;
    readLines(fd);
    ::close(fd);
    if (!stopping_.load()) sleepWithBackoff(backoff, "connection closed by the server");
  }
}

void SocketLineReader::readLines(int fd) {
  std::string partial;
  std::vector<char> buffer(kReadSize);
  while (true) {
    bool ready = false;
    if (!waitFor(fd, POLLIN, kPollTimeout, ready)) return;
    if (!ready) continue;
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      logWarn("{} {}: read failed: {}", label_, endpoint(), std::strerror(errno));
      return;
    }
    if (n == 0) {  // closed: a last line without "\n" still counts, as readLine returns it
      // Its "\r", if any, is a line end whose "\n" never came (readLine ends lines at "\r").
      if (!partial.empty() && partial.back() == '\r') partial.pop_back();
      if (!partial.empty()) on_line_(std::move(partial));
      return;
    }
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    size_t start = 0;
    for (size_t newline = chunk.find('\n'); newline != std::string_view::npos;
         newline = chunk.find('\n', start)) {
      std::string_view piece = chunk.substr(start, newline - start);
      std::string line = partial.empty() ? std::string(piece) : std::move(partial.append(piece));
      partial.clear();
      if (!line.empty() && line.back() == '\r') line.pop_back();
      on_line_(std::move(line));
      start = newline + 1;
    }
    partial.append(chunk.substr(start));
  }
}

}  // namespace caudal
