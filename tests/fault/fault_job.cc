// The job tests/fault/fault_test.cc kills with SIGKILL and restarts: a stateful word count
// over one source, written with saveAsTextFiles, resumed through getOrCreate every time it
// starts. Three outputs, one directory per batch each, lines "word count":
//   counts-<ms>  the batch's own counts (reduceByKey)
//   totals-<ms>  the running totals after the batch (updateStateByKey)
//   window-<ms>  the counts of the last `--window-batches` batches, every `--slide-batches`
//                batches (reduceByKeyAndWindow)
// It runs until it is killed, or until the file `--stop-file` appears, which stops it
// gracefully (exit code 0). Anything else it prints to standard error, exiting with 1.
//
// Two sources:
//   --source files --input DIR   textFileStream over DIR
//   --source socket --port N [--from-line N]
//       a reliable receiver with the write-ahead log on: it connects to 127.0.0.1:N, sends
//       the number of the line to resume at ("<n>\n": the position of the last block durable
//       in the log, or `--from-line` (default 0) when there is none yet) and reads lines
//       "<n>\t<text>\n", numbered from 0, in order. It stores the texts (without their
//       numbers) in blocks, each with the number of the line after it as its position, so
//       that after a crash the server resends exactly what is not durable.
//
// usage: caudal_fault_job --checkpoint DIR --output DIR (--source files --input DIR |
//          --source socket --port N [--from-line N])
//          [--batch-ms 200] [--checkpoint-ms 1000] [--window-batches 4] [--slide-batches 2]
//          [--stop-file PATH]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "caudal/streaming.h"

namespace {

namespace fs = std::filesystem;
using caudal::DStream;
using caudal::Milliseconds;
using caudal::StreamingContext;

using WordCount = std::pair<std::string, int64_t>;

struct JobOptions {
  std::string checkpoint;
  std::string output;
  // Where the lines come from: "files" (textFileStream over `input`) or "socket" (the
  // reliable receiver below, on 127.0.0.1:`port`, from line `from_line` on a first start).
  std::string source = "files";
  std::string input;
  int64_t port = 0;
  int64_t from_line = 0;
  int64_t batch_ms = 200;
  int64_t checkpoint_ms = 1000;
  int64_t window_batches = 4;
  int64_t slide_batches = 2;
  std::string stop_file;
};

std::optional<int64_t> parseNumber(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int64_t parseAtLeast(std::string_view flag, std::string_view text, int64_t minimum) {
  std::optional<int64_t> value = parseNumber(text);
  if (!value || *value < minimum) {
    throw std::invalid_argument(std::string(flag) + " needs an integer of at least " +
                                std::to_string(minimum) + ", got '" + std::string(text) + "'");
  }
  return *value;
}

JobOptions parseOptions(int argc, char** argv) {
  JobOptions options;
  std::map<std::string_view, std::string*> texts = {{"--checkpoint", &options.checkpoint},
                                                    {"--output", &options.output},
                                                    {"--source", &options.source},
                                                    {"--input", &options.input},
                                                    {"--stop-file", &options.stop_file}};
  // Each number's flag, where it goes and its smallest valid value.
  std::map<std::string_view, std::pair<int64_t*, int64_t>> numbers = {
      {"--batch-ms", {&options.batch_ms, 1}},
      {"--checkpoint-ms", {&options.checkpoint_ms, 1}},
      {"--window-batches", {&options.window_batches, 1}},
      {"--slide-batches", {&options.slide_batches, 1}},
      {"--port", {&options.port, 1}},
      {"--from-line", {&options.from_line, 0}}};
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
    std::string_view value = argv[++i];
    if (auto text = texts.find(flag); text != texts.end()) {
      *text->second = value;
    } else if (auto number = numbers.find(flag); number != numbers.end()) {
      *number->second.first = parseAtLeast(flag, value, number->second.second);
    } else {
      throw std::invalid_argument("unknown option " + std::string(flag));
    }
  }
  if (options.checkpoint.empty() || options.output.empty()) {
    throw std::invalid_argument("--checkpoint and --output are required");
  }
  return options;
}

// A reliable receiver of numbered lines from the fault test's SocketFeed (protocol at the top
// of this file). What it stores is durable in the write-ahead log when `store` returns, and
// it resumes at the position of the last block stored, so a kill loses no line and a restart
// receives none twice. A broken connection (the feed closed it, or went away) restarts it.
class NumberedLineReceiver final : public caudal::Receiver<std::string> {
 public:
  NumberedLineReceiver(int port, int64_t from_line)
      : port_(port), from_line_(from_line), where_("127.0.0.1:" + std::to_string(port)) {}

  void onStart() override {
    std::optional<std::string> stored = storedPosition();
    std::optional<int64_t> next = stored ? parseNumber(*stored) : from_line_;
    if (!next)
      throw caudal::Error("the write-ahead log holds a position that is not a line number: '" +
                          *stored + "'");
    thread_ = std::thread([this, from = *next] { receive(from); });
  }

  void onStop() override {
    if (thread_.joinable()) thread_.join();  // receive() sees isStopped() within kPollMs
  }

 private:
  static constexpr int kPollMs = 50;
  static constexpr caudal::Duration kRestartDelay = Milliseconds(100);

  // Closes the socket when the receiving thread leaves.
  struct Socket {
    int fd = -1;
    ~Socket() {
      if (fd >= 0) ::close(fd);
    }
  };

  void receive(int64_t next) {
    Socket socket;
    socket.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (socket.fd < 0) return restartAfter("open a socket for", errno);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
      return restartAfter("connect to", errno);
    std::string request = std::to_string(next) + "\n";
    if (::send(socket.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
      return restartAfter("send the resume position to", errno);

    std::string pending;  // received bytes after the last complete line
    char buffer[16384];
    while (!isStopped()) {
      pollfd readable{socket.fd, POLLIN, 0};
      int ready = ::poll(&readable, 1, kPollMs);
      if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
      if (ready < 0) return restartAfter("poll", errno);
      ssize_t got = ::recv(socket.fd, buffer, sizeof buffer, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return restartAfter("receive from", errno);
      if (got == 0) {
        restart(where_ + " closed the connection", kRestartDelay);
        return;
      }
      pending.append(buffer, static_cast<size_t>(got));
      std::vector<std::string> lines;
      std::optional<std::string> unexpected;
      size_t start = 0;
      for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
        std::string_view line(pending.data() + start, end - start);
        size_t tab = line.find('\t');
        if (tab == std::string_view::npos || parseNumber(line.substr(0, tab)) != next) {
          unexpected = std::string(line);
          break;
        }
        lines.emplace_back(line.substr(tab + 1));
        ++next;
      }
      pending.erase(0, start);
      if (!lines.empty()) {
        // Durable when it returns: from now on the feed resends from `next`.
        try {
          store(std::move(lines), std::to_string(next));
        } catch (const caudal::Error& e) {
          restart(std::string("storing a block failed: ") + e.what(), kRestartDelay);
          return;
        }
      }
      if (unexpected) {
        // The feed never sends this; lose nothing, say so, and ask again from `next`.
        restart("expected line " + std::to_string(next) + " from " + where_ + ", got '" +
                    *unexpected + "'",
                kRestartDelay);
        return;
      }
    }
  }

  // "cannot <what> 127.0.0.1:<port>: <error>" (`what` a literal: nothing touches errno
  // before it is read).
  void restartAfter(const char* what, int error) {
    restart(std::string("cannot ") + what + " " + where_ + ": " + std::strerror(error),
            kRestartDelay);
  }

  int port_;
  int64_t from_line_;
  std::string where_;
  std::thread thread_;
};

DStream<std::string> openSource(StreamingContext& ssc, const JobOptions& options) {
  if (options.source == "files") {
    if (options.input.empty()) throw std::invalid_argument("--source files needs --input DIR");
    return ssc.textFileStream(options.input);
  }
  if (options.source == "socket") {
    if (options.port == 0 || options.port > 65535)
      throw std::invalid_argument("--source socket needs --port N (1 to 65535)");
    return ssc.receiverStream(
        std::make_unique<NumberedLineReceiver>(static_cast<int>(options.port), options.from_line));
  }
  throw std::invalid_argument("unknown --source '" + options.source + "' (known: files, socket)");
}

std::vector<std::string> splitWords(const std::string& line) {
  std::vector<std::string> words;
  size_t at = 0;
  while (at < line.size()) {
    size_t end = line.find(' ', at);
    if (end == std::string::npos) end = line.size();
    if (end > at) words.push_back(line.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

// "word count", so the test can parse the output whatever the record format of pairs.
void save(const DStream<WordCount>& stream, const std::string& prefix) {
  stream
      .map([](const WordCount& entry) { return entry.first + " " + std::to_string(entry.second); })
      .saveAsTextFiles(prefix);
}

StreamingContext makeJob(const JobOptions& options) {
  caudal::Config config;
  // Only receivers log: what the socket source stored is read back after a kill.
  config.receiverWriteAheadLog = true;
  // Fixed, not one per core: the state's partitioning is part of what a restart must find again.
  config.numWorkerThreads = 2;
  config.defaultParallelism = 2;
  caudal::Duration batch = Milliseconds(options.batch_ms);
  StreamingContext ssc(batch, config);
  ssc.checkpoint(options.checkpoint);
  auto words = openSource(ssc, options).flatMap(splitWords).map([](std::string&& word) {
    return WordCount(std::move(word), 1);
  });
  auto sum = [](int64_t a, int64_t b) { return a + b; };
  auto totals =
      words.updateStateByKey([](const std::vector<int64_t>& values, std::optional<int64_t> total) {
        int64_t next = total.value_or(0);
        for (int64_t value : values) next += value;
        return next;
      });
  // Short, so that kills land in checkpoints as often as in batches.
  totals.checkpoint(Milliseconds(options.checkpoint_ms));
  auto window = words.reduceByKeyAndWindow(sum, batch * options.window_batches,
                                           batch * options.slide_batches);
  // The order the outputs run in, batch by batch: a batch with totals has its counts.
  fs::path output(options.output);
  save(words.reduceByKey(sum), (output / "counts").string());
  save(totals, (output / "totals").string());
  save(window, (output / "window").string());
  return ssc;
}

int run(const JobOptions& options) {
  StreamingContext ssc =
      StreamingContext::getOrCreate(options.checkpoint, [&options] { return makeJob(options); });
  ssc.start();
  while (!ssc.awaitTerminationOrTimeout(Milliseconds(20))) {
    std::error_code ec;
    if (!options.stop_file.empty() && fs::exists(options.stop_file, ec)) {
      ssc.stop(true);
      break;
    }
  }
  ssc.awaitTermination();  // rethrows what stopped it, if anything
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "caudal_fault_job: %s\n", e.what());
    return 1;
  }
}
