// Sources: lines/s through socketTextStream (a real TCP connection on loopback, the real batch
// clock) and through textFileStream (a large file, read in parallel by line ranges), each
// against a plain loop reading the same bytes and counting lines.
//
//   sources_bench [socket_lines] [file_lines]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "caudal/streaming.h"

namespace {

namespace fs = std::filesystem;
using caudal::bench::Clock;
using caudal::bench::percentile;
using caudal::bench::report;
using caudal::bench::secondsSince;

// A block of `lines` newline-terminated lines, sent or written repeatedly.
std::string makeBlock(int lines) {
  std::string block;
  for (int i = 0; i < lines; ++i) {
    block += caudal::bench::eventLine(i);
    block += '\n';
  }
  return block;
}

// Listens on a free loopback port; `serve()` accepts one connection, sends `repeats` copies of
// `block` as fast as the reader takes them, and closes.
class LoopbackSender {
 public:
  LoopbackSender() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listen_fd_, 1) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      std::perror("sources_bench: listen");
      std::exit(1);
    }
    port_ = ntohs(address.sin_port);
  }
  ~LoopbackSender() { ::close(listen_fd_); }

  int port() const { return port_; }

  void serve(const std::string& block, int64_t repeats) const {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    for (int64_t r = 0; r < repeats; ++r) {
      size_t sent = 0;
      while (sent < block.size()) {
        ssize_t n = ::send(fd, block.data() + sent, block.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
          ::close(fd);
          return;
        }
        sent += static_cast<size_t>(n);
      }
    }
    ::close(fd);
  }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
};

int64_t countNewlines(const char* data, size_t size) {
  int64_t lines = 0;
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', size - (p - data))));
       ++p) {
    ++lines;
  }
  return lines;
}

// The baseline: one thread receiving and counting newlines.
double socketBaselineLinesPerSecond(const std::string& block, int64_t repeats, int64_t lines) {
  LoopbackSender sender;
  std::thread server([&] { sender.serve(block, repeats); });
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(sender.port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto start = Clock::now();
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::exit(1);
  std::vector<char> buffer(64 * 1024);
  int64_t seen = 0;
  while (true) {
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n <= 0) break;
    seen += countNewlines(buffer.data(), static_cast<size_t>(n));
  }
  double seconds = secondsSince(start);
  ::close(fd);
  server.join();
  if (seen != lines) std::fprintf(stderr, "baseline saw %lld lines\n", static_cast<long long>(seen));
  return static_cast<double>(lines) / seconds;
}

void benchSocket(int64_t lines) {
  constexpr int kBlockLines = 10000;
  std::string block = makeBlock(kBlockLines);
  int64_t repeats = lines / kBlockLines;
  lines = repeats * kBlockLines;
  double bytes = static_cast<double>(block.size()) * static_cast<double>(repeats);
  report("source.socket", "lines_per_run", static_cast<double>(lines));
  double baseline = socketBaselineLinesPerSecond(block, repeats, lines);
  report("source.socket.recvloop", "lines_per_s", baseline);

  LoopbackSender sender;
  std::thread server([&] { sender.serve(block, repeats); });
  caudal::StreamingContext ssc(caudal::Milliseconds(100),
                               caudal::Config{.numWorkerThreads = 2,
                                              .blockInterval = caudal::Milliseconds(20)});
  std::atomic<int64_t> seen{0};
  ssc.socketTextStream("127.0.0.1", sender.port())
      .foreachRDD([&](const caudal::RDD<std::string>& rdd) { seen += rdd.count(); });
  auto start = Clock::now();
  ssc.start();
  while (seen.load() < lines && secondsSince(start) < 120) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  double seconds = secondsSince(start);
  std::vector<double> batch_ms;
  for (const auto& info : ssc.completedBatches()) {
    if (info.numRecords > 0) batch_ms.push_back(static_cast<double>(info.processingDelay().milliseconds()));
  }
  ssc.stop(false);
  server.join();
  if (seen.load() != lines) {
    std::fprintf(stderr, "source.socket: %lld of %lld lines\n", static_cast<long long>(seen.load()),
                 static_cast<long long>(lines));
    std::exit(1);
  }
  // Includes up to one batch interval of waiting for the last batch.
  double rate = static_cast<double>(lines) / seconds;
  report("source.socket.engine", "lines_per_s", rate);
  report("source.socket.engine", "mb_per_s", bytes / seconds / 1e6);
  report("source.socket.engine", "ratio_vs_recvloop", rate / baseline);
  report("source.socket.engine", "batch_ms_p50", percentile(batch_ms, 0.5));
  report("source.socket.engine", "batch_ms_p99", percentile(batch_ms, 0.99));
}

void benchFile(int64_t lines) {
  caudal::bench::ScratchDirectory scratch("sources-bench");
  fs::path directory = scratch.path();
  fs::create_directories(directory / "watched");
  fs::path staged = directory / "input.txt";
  constexpr int kBlockLines = 10000;
  std::string block = makeBlock(kBlockLines);
  int64_t repeats = lines / kBlockLines;
  lines = repeats * kBlockLines;
  {
    std::ofstream out(staged, std::ios::binary);
    for (int64_t r = 0; r < repeats; ++r) out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  double bytes = static_cast<double>(fs::file_size(staged));
  report("source.file", "lines_per_run", static_cast<double>(lines));
  report("source.file", "bytes_per_run", bytes);

  {  // Baseline: one thread reading the (page-cached) file and counting newlines.
    auto start = Clock::now();
    int fd = ::open(staged.c_str(), O_RDONLY | O_CLOEXEC);
    std::vector<char> buffer(1 << 20);
    int64_t seen = 0;
    ssize_t n;
    while ((n = ::read(fd, buffer.data(), buffer.size())) > 0) {
      seen += countNewlines(buffer.data(), static_cast<size_t>(n));
    }
    ::close(fd);
    double seconds = secondsSince(start);
    if (seen != lines) std::fprintf(stderr, "file baseline saw %lld lines\n", static_cast<long long>(seen));
    report("source.file.readloop", "lines_per_s_per_core", static_cast<double>(lines) / seconds);
  }

  double baseline = 0;
  for (int threads : {1, 2}) {
    std::string name = "source.file.engine.t" + std::to_string(threads);
    fs::path watched = directory / ("watched" + std::to_string(threads));
    fs::create_directories(watched);
    caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = threads});
    int64_t seen = 0;
    ssc.textFileStream(watched.string())
        .foreachRDD([&](const caudal::RDD<std::string>& rdd) { seen += rdd.count(); });
    ssc.runBatches(1);  // starts the source: files already there are not new
    fs::path copy = directory / ("copy" + std::to_string(threads));
    fs::copy_file(staged, copy);
    fs::rename(copy, watched / "input.txt");
    auto start = Clock::now();
    ssc.runBatches(1);
    double seconds = secondsSince(start);
    ssc.stop();
    if (seen != lines) {
      std::fprintf(stderr, "%s: %lld of %lld lines\n", name.c_str(), static_cast<long long>(seen),
                   static_cast<long long>(lines));
      std::exit(1);
    }
    double rate = static_cast<double>(lines) / seconds / threads;
    if (threads == 1) baseline = rate;
    report(name, "lines_per_s_per_core", rate);
    report(name, "mb_per_s", bytes / seconds / 1e6);
    if (threads == 2) report(name, "scaling_vs_t1", rate * threads / baseline);
  }
}

}  // namespace

int main(int argc, char** argv) {
  caudal::setLogLevel(caudal::LogLevel::kError);  // the sender's close is logged as a warning
  int64_t socket_lines = argc > 1 ? std::atoll(argv[1]) : 5'000'000;
  int64_t file_lines = argc > 2 ? std::atoll(argv[2]) : 2'000'000;
  benchSocket(socket_lines);
  benchFile(file_lines);
  report("sources", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
