// Word count over in-memory batches: the engine (flatMap → map → reduceByKey) against a
// hand-written single-threaded loop over the same text.
//
//   wordcount_bench [batches] [lines_per_batch]
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench_report.h"
#include "caudal/streaming.h"

namespace {

using caudal::bench::Clock;
using caudal::bench::peakRssMb;
using caudal::bench::percentile;
using caudal::bench::report;
using caudal::bench::secondsSince;

constexpr int kWordsPerLine = 10;
constexpr int kVocabulary = 10000;
constexpr size_t kPartitionsPerBatch = 8;

// Batches of lines of words drawn from a skewed vocabulary (a few words are very common, as in
// text), split into partitions.
std::vector<std::vector<std::vector<std::string>>> makeBatches(int batches, int lines_per_batch) {
  std::mt19937_64 random(42);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < kVocabulary; ++i) {
    std::string word = "w";
    word += std::to_string(i * 7919 % 100003);
    vocabulary.push_back(std::move(word));
  }
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto pick = [&]() -> const std::string& {
    double u = uniform(random);
    return vocabulary[static_cast<size_t>(u * u * u * kVocabulary) % kVocabulary];
  };
  std::vector<std::vector<std::vector<std::string>>> data(static_cast<size_t>(batches));
  for (auto& batch : data) {
    batch.resize(kPartitionsPerBatch);
    for (int l = 0; l < lines_per_batch; ++l) {
      std::string line;
      for (int w = 0; w < kWordsPerLine; ++w) {
        if (w > 0) line += ' ';
        line += pick();
      }
      batch[static_cast<size_t>(l) % kPartitionsPerBatch].push_back(std::move(line));
    }
  }
  return data;
}

// Splits at single spaces, as caudal::split does, without materializing the words.
template <class F>
void forEachWord(std::string_view line, F&& f) {
  size_t start = 0;
  while (true) {
    size_t end = line.find(' ', start);
    if (end == std::string_view::npos) {
      f(line.substr(start));
      return;
    }
    f(line.substr(start, end - start));
    start = end + 1;
  }
}

int64_t runHandLoop(const std::vector<std::vector<std::vector<std::string>>>& data) {
  int64_t distinct = 0;
  for (const auto& batch : data) {
    absl::flat_hash_map<std::string, int64_t> counts;
    for (const auto& partition : batch) {
      for (const std::string& line : partition) {
        forEachWord(line, [&](std::string_view word) {
          auto it = counts.find(absl::string_view(word.data(), word.size()));
          if (it == counts.end()) {
            counts.emplace(std::string(word), 1);
          } else {
            ++it->second;
          }
        });
      }
    }
    distinct += static_cast<int64_t>(counts.size());
  }
  return distinct;
}

struct EngineResult {
  double seconds = 0;
  std::vector<double> batch_ms;
  int64_t distinct = 0;
};

EngineResult runEngine(const std::vector<std::vector<std::vector<std::string>>>& data, int threads) {
  caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = threads});
  auto counts = ssc.queueStream(data)
                    .flatMap([](const std::string& line) { return caudal::split(line, ' '); })
                    .map([](const std::string& word) { return std::pair{word, 1}; })
                    .reduceByKey([](int a, int b) { return a + b; });
  EngineResult result;
  counts.foreachRDD([&](const caudal::RDD<std::pair<std::string, int>>& rdd) {
    result.distinct += rdd.count();
  });
  auto start = Clock::now();
  ssc.runBatches(static_cast<int>(data.size()));
  result.seconds = secondsSince(start);
  for (const caudal::BatchInfo& info : ssc.completedBatches()) {
    result.batch_ms.push_back(static_cast<double>(info.processingDelay().milliseconds()));
  }
  ssc.stop();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  int batches = argc > 1 ? std::atoi(argv[1]) : 20;
  int lines_per_batch = argc > 2 ? std::atoi(argv[2]) : 100000;
  auto data = makeBatches(batches, lines_per_batch);
  double words = static_cast<double>(batches) * lines_per_batch * kWordsPerLine;
  report("wordcount", "words_per_run", words);

  runHandLoop(data);  // warm caches and the allocator
  auto start = Clock::now();
  int64_t expected_distinct = runHandLoop(data);
  double hand_rate = words / secondsSince(start);
  report("wordcount.handloop", "words_per_s_per_core", hand_rate);

  for (int threads : {1, 2}) {
    std::string name = "wordcount.engine.t" + std::to_string(threads);
    runEngine(data, threads);  // warm-up
    EngineResult result = runEngine(data, threads);
    if (result.distinct != expected_distinct) {
      std::fprintf(stderr, "%s: %lld distinct words per run, the loop found %lld\n", name.c_str(),
                   static_cast<long long>(result.distinct), static_cast<long long>(expected_distinct));
      return 1;
    }
    double rate = words / result.seconds / threads;
    report(name, "words_per_s_per_core", rate);
    report(name, "ratio_vs_handloop", rate / hand_rate);
    report(name, "batch_ms_p50", percentile(result.batch_ms, 0.5));
    report(name, "batch_ms_p99", percentile(result.batch_ms, 0.99));
  }
  report("wordcount", "peak_rss_mb", peakRssMb());
  return 0;
}
