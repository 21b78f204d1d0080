#include "fault/input_feed.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace caudal::fault {
namespace fs = std::filesystem;
namespace {

// Spanish numbers and colours: short, distinct, easy to read in a failure message.
const char* const kVocabulary[] = {"uno",   "dos",      "tres",   "cuatro", "cinco",  "seis",
                                   "siete", "ocho",     "nueve",  "diez",   "rojo",   "azul",
                                   "verde", "negro",    "gris",   "rosa",   "blanco", "oro",
                                   "plata", "amarillo", "marron", "cian",   "lila",   "ambar"};

// Files moved into a directory the job watches (textFileStream): written under a staging
// directory beside it, then renamed in, so the job never sees half a file.
class FileFeed final : public InputFeed {
 public:
  explicit FileFeed(const fs::path& root) : input_(root / "input"), staging_(root / "staging") {
    fs::create_directories(input_);
    fs::create_directories(staging_);
  }

  std::vector<std::string> jobArguments() const override {
    return {"--source", "files", "--input", input_.string()};
  }

  void placeBeforeStart(const InputUnit& unit) override { deliver(unit); }

  void deliver(const InputUnit& unit) override {
    fs::path staged = staging_ / unit.name;
    {
      std::ofstream out(staged, std::ios::binary | std::ios::trunc);
      out << unit.content;
      if (!out.flush()) throw std::runtime_error("cannot write " + staged.string());
    }
    fs::rename(staged, input_ / unit.name);
  }

 private:
  fs::path input_;
  fs::path staging_;
};

std::string systemError(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// Lines sent over TCP to the job's NumberedLineReceiver (tests/fault/fault_job.cc): the lines
// of every unit, numbered from 0 in the order the units are placed or delivered. A client
// sends "<n>\n"; the server sends it "<k>\t<text>\n" for every delivered line k >= n, and
// each line delivered later as it comes. One client at a time: a new connection replaces the
// current one (a restarted job reconnects; the old connection is dead, or soon will be).
class SocketFeed final : public InputFeed {
 public:
  SocketFeed() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) {
      int error = errno;
      throw std::runtime_error(systemError("SocketFeed: socket", error));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 8) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      int error = errno;
      ::close(listen_fd_);
      throw std::runtime_error(systemError("SocketFeed: listen on 127.0.0.1", error));
    }
    port_ = ntohs(address.sin_port);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
      int error = errno;
      ::close(listen_fd_);
      throw std::runtime_error(systemError("SocketFeed: eventfd", error));
    }
    server_ = std::thread([this] { serve(); });
  }

  ~SocketFeed() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake();
    server_.join();
    ::close(wake_fd_);
    ::close(listen_fd_);
  }

  std::vector<std::string> jobArguments() const override {
    std::lock_guard lock(mutex_);
    return {"--source",    "socket",
            "--port",      std::to_string(port_),
            "--from-line", std::to_string(lines_.size())};
  }

  void placeBeforeStart(const InputUnit& unit) override { append(unit); }

  void deliver(const InputUnit& unit) override {
    append(unit);
    wake();
  }

  void throwIfFailed() const override {
    std::lock_guard lock(mutex_);
    if (failure_) throw std::runtime_error("the socket feed stopped serving: " + *failure_);
  }

 private:
  void append(const InputUnit& unit) {
    throwIfFailed();
    std::lock_guard lock(mutex_);
    size_t start = 0;
    for (size_t end; (end = unit.content.find('\n', start)) != std::string::npos; start = end + 1) {
      lines_.push_back(std::to_string(lines_.size()) + "\t" +
                       unit.content.substr(start, end - start + 1));
    }
  }

  void wake() const {
    uint64_t one = 1;
    // Fails only when the counter is full, and then the server is woken anyway.
    [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
  }

  // The server's thread: accepts, reads each client's resume position, sends what it has.
  void serve() {
    int client = -1;
    std::string request;  // what the client sent, up to its "\n"
    bool asked = false;   // whether the client sent its resume position
    size_t next = 0;      // the next line to send, once it did
    std::string out;      // bytes to send
    auto dropClient = [&] {
      if (client >= 0) ::close(client);
      client = -1;
      request.clear();
      asked = false;
      out.clear();
    };
    auto fail = [&](const std::string& what) {
      std::lock_guard lock(mutex_);
      failure_ = what;
    };
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_ || failure_) break;
        for (; asked && next < lines_.size(); ++next) out += lines_[next];
      }
      pollfd fds[3] = {{wake_fd_, POLLIN, 0},
                       {listen_fd_, POLLIN, 0},
                       {client, static_cast<short>(POLLIN | (out.empty() ? 0 : POLLOUT)), 0}};
      int ready = ::poll(fds, client >= 0 ? 3 : 2, 200);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) {
        int error = errno;
        fail(systemError("poll", error));
        break;
      }
      if (fds[0].revents != 0) {
        uint64_t count = 0;
        [[maybe_unused]] ssize_t drained = ::read(wake_fd_, &count, sizeof count);
      }
      if (fds[1].revents != 0) {
        int accepted = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (accepted >= 0) {
          dropClient();
          client = accepted;
          continue;  // fds[2] was the old client's
        }
        int error = errno;
        if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != ECONNABORTED) {
          fail(systemError("accept", error));
          break;
        }
      }
      if (client < 0) continue;
      if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        char buffer[256];
        ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
          dropClient();  // the job was killed, stopped or restarted its receiver
          continue;
        }
        if (got > 0 && !asked) {
          request.append(buffer, static_cast<size_t>(got));
          if (size_t newline = request.find('\n'); newline != std::string::npos) {
            std::optional<size_t> from = parseLine(request.substr(0, newline));
            std::lock_guard lock(mutex_);
            if (!from || *from > lines_.size()) {
              failure_ = "the job asked for line '" + request.substr(0, newline) + "', but " +
                         std::to_string(lines_.size()) + " lines were delivered";
              break;
            }
            asked = true;
            next = *from;
          }
        }
      }
      if ((fds[2].revents & POLLOUT) != 0 && !out.empty()) {
        ssize_t sent = ::send(client, out.data(), out.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno != EAGAIN && errno != EINTR) {
          dropClient();
          continue;
        }
        if (sent > 0) out.erase(0, static_cast<size_t>(sent));
      }
    }
    dropClient();
  }

  static std::optional<size_t> parseLine(const std::string& text) {
    size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
  }

  int listen_fd_ = -1;
  int wake_fd_ = -1;
  int port_ = 0;
  std::thread server_;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;      // guarded by mutex_; "<k>\t<text>\n"
  bool stopping_ = false;               // guarded by mutex_
  std::optional<std::string> failure_;  // guarded by mutex_: why the server stopped serving
};

}  // namespace

std::vector<InputUnit> makeInput(std::mt19937_64& rng, int units, const std::string& prefix) {
  constexpr size_t kWords = sizeof kVocabulary / sizeof kVocabulary[0];
  // Word i is drawn with weight 1/(i+1): a few words in every batch, others rare.
  std::vector<double> weights;
  for (size_t i = 0; i < kWords; ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<size_t> word(weights.begin(), weights.end());
  std::uniform_int_distribution<int> lines(1, 12);
  std::uniform_int_distribution<int> words_per_line(1, 6);
  std::vector<InputUnit> input;
  for (int u = 0; u < units; ++u) {
    InputUnit unit;
    char number[16];
    std::snprintf(number, sizeof number, "%04d", u);
    unit.name = prefix + number;
    unit.marker = "unit-" + unit.name;
    unit.content = unit.marker + "\n";
    unit.words[unit.marker] = 1;
    for (int l = lines(rng); l > 0; --l) {
      for (int w = words_per_line(rng); w > 0; --w) {
        std::string chosen = kVocabulary[word(rng)];
        unit.content += chosen;
        unit.content += w > 1 ? ' ' : '\n';
        ++unit.words[chosen];
      }
    }
    input.push_back(std::move(unit));
  }
  return input;
}

std::unique_ptr<InputFeed> makeFeed(const std::string& source, const fs::path& root) {
  if (source == "files") return std::make_unique<FileFeed>(root);
  if (source == "socket") return std::make_unique<SocketFeed>();
  throw std::invalid_argument("no feed for the source '" + source + "' (known: files, socket)");
}

}  // namespace caudal::fault
