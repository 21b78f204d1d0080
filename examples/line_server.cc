// A small TCP line generator to feed socketTextStream examples (a stand-in for `nc -lk`).
//
// Listens on 127.0.0.1 (loopback only), prints "port <N>" as its first line of output, then
// sends every connected client the same lines of words drawn from a small Spanish vocabulary
// ("uno dos tres ..."), `rate` lines per second, for `seconds` seconds, and exits.
//
//   line_server [--port N] [--rate LINES_PER_SECOND] [--seconds S]
//
// Defaults: port 0 (any free port), 10 lines/s, 10 s. The words come from a fixed-seed
// generator, so every run sends the same lines. For example:
//
//   build/examples/line_server --rate 20 --seconds 8 &    # prints e.g. "port 40123"
//   build/examples/network_wordcount 127.0.0.1 40123 5
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::array<std::string_view, 10> kWords = {"uno",  "dos",   "tres", "cuatro", "cinco",
                                                     "seis", "siete", "ocho", "nueve",  "diez"};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "line_server: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--port N] [--rate LINES_PER_SECOND] [--seconds S]\n", program);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  double rate = 10;
  double seconds = 10;
  for (int i = 1; i < argc; ++i) {
    std::string_view option = argv[i];
    if (i + 1 == argc) usage(argv[0]);
    const char* value = argv[++i];
    if (option == "--port") {
      port = std::atoi(value);
    } else if (option == "--rate") {
      rate = std::atof(value);
    } else if (option == "--seconds") {
      seconds = std::atof(value);
    } else {
      usage(argv[0]);
    }
  }
  if (port < 0 || port > 65535 || rate <= 0 || seconds <= 0) usage(argv[0]);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0) fail("socket");
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) fail("bind");
  if (listen(listener, 16) < 0) fail("listen");
  socklen_t length = sizeof address;
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) < 0) {
    fail("getsockname");
  }
  std::printf("port %d\n", ntohs(address.sin_port));
  std::fflush(stdout);

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto period =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));

  std::mt19937 random(42);
  std::uniform_int_distribution<size_t> word_count(1, 4);
  std::uniform_int_distribution<size_t> word(0, kWords.size() - 1);
  std::vector<int> clients;

  for (auto next = start + period; next <= end; next += period) {
    // Accept connections until the next line is due.
    for (auto now = Clock::now(); now < next; now = Clock::now()) {
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
      pollfd poll_listener{listener, POLLIN, 0};
      if (poll(&poll_listener, 1, static_cast<int>(wait.count())) > 0) {
        int client = accept(listener, nullptr, nullptr);
        if (client >= 0) clients.push_back(client);
      }
    }
    std::string line;
    for (size_t n = word_count(random); n > 0; --n) {
      line += kWords[word(random)];
      line += n > 1 ? ' ' : '\n';
    }
    // Send to every client; forget those that hung up.
    std::erase_if(clients, [&](int client) {
      if (send(client, line.data(), line.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(line.size())) {
        return false;
      }
      close(client);
      return true;
    });
  }
  for (int client : clients) close(client);
  close(listener);
  return 0;
}
