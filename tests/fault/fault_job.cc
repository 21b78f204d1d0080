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
// usage: caudal_fault_job --checkpoint DIR --output DIR --source files --input DIR
//          [--batch-ms 200] [--checkpoint-ms 1000] [--window-batches 4] [--slide-batches 2]
//          [--stop-file PATH]
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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
  // Where the lines come from. "files": textFileStream over `input`. The socket receiver
  // with its write-ahead log will be the second kind.
  std::string source = "files";
  std::string input;
  int64_t batch_ms = 200;
  int64_t checkpoint_ms = 1000;
  int64_t window_batches = 4;
  int64_t slide_batches = 2;
  std::string stop_file;
};

int64_t parsePositive(std::string_view flag, std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    throw std::invalid_argument(std::string(flag) + " needs a positive integer, got '" +
                                std::string(text) + "'");
  }
  return value;
}

JobOptions parseOptions(int argc, char** argv) {
  JobOptions options;
  std::map<std::string_view, std::string*> texts = {{"--checkpoint", &options.checkpoint},
                                                    {"--output", &options.output},
                                                    {"--source", &options.source},
                                                    {"--input", &options.input},
                                                    {"--stop-file", &options.stop_file}};
  std::map<std::string_view, int64_t*> numbers = {{"--batch-ms", &options.batch_ms},
                                                  {"--checkpoint-ms", &options.checkpoint_ms},
                                                  {"--window-batches", &options.window_batches},
                                                  {"--slide-batches", &options.slide_batches}};
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
    std::string_view value = argv[++i];
    if (auto text = texts.find(flag); text != texts.end()) {
      *text->second = value;
    } else if (auto number = numbers.find(flag); number != numbers.end()) {
      *number->second = parsePositive(flag, value);
    } else {
      throw std::invalid_argument("unknown option " + std::string(flag));
    }
  }
  if (options.checkpoint.empty() || options.output.empty()) {
    throw std::invalid_argument("--checkpoint and --output are required");
  }
  return options;
}

DStream<std::string> openSource(StreamingContext& ssc, const JobOptions& options) {
  if (options.source == "files") {
    if (options.input.empty()) throw std::invalid_argument("--source files needs --input DIR");
    return ssc.textFileStream(options.input);
  }
  throw std::invalid_argument("unknown --source '" + options.source + "' (known: files)");
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
