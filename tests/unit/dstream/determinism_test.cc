// Determinism (STYLE.md): each pipeline runs with worker threads, default parallelism and input
// partitioning drawn at random from {1, 2, 3, 4, 7}, for a fixed list of seeds, and must give
// the same answer every time (as sets: shuffle order is unspecified), equal to an oracle
// computed with plain std::map in the test.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"

namespace caudal {
namespace {

using test::tagged;

using test::Batches;
using test::Partitions;
using test::recordBatches;

constexpr std::array<uint32_t, 6> kSeeds = {1, 7, 42, 2024, 31337, 4000000007u};
constexpr std::array<int, 5> kParallelisms = {1, 2, 3, 4, 7};
constexpr int kDataBatches = 4;
constexpr int kRunBatches = kDataBatches + 1;  // the last one finds the queue empty

// How one run is set up, drawn from a seed.
struct Setting {
  int threads;
  int parallelism;
  std::mt19937 rng;  // for the input partitioning and operator partition counts

  explicit Setting(uint32_t seed) : rng(seed) {
    threads = draw();
    parallelism = draw();
  }
  int draw() { return kParallelisms[std::uniform_int_distribution<size_t>(0, kParallelisms.size() - 1)(rng)]; }
  std::string describe(uint32_t seed) const {
    return "seed " + std::to_string(seed) + ": numWorkerThreads=" + std::to_string(threads) +
           " defaultParallelism=" + std::to_string(parallelism);
  }
  StreamingContext context() const {
    return StreamingContext(Seconds(1), Config{.numWorkerThreads = threads, .defaultParallelism = parallelism});
  }
};

// Cuts `records` into `n` contiguous partitions at random points (some may be empty).
template <class T>
Partitions<T> cutRandomly(const std::vector<T>& records, size_t n, std::mt19937& rng) {
  std::vector<size_t> cuts = {0, records.size()};
  for (size_t i = 1; i < n; ++i) cuts.push_back(std::uniform_int_distribution<size_t>(0, records.size())(rng));
  std::sort(cuts.begin(), cuts.end());
  Partitions<T> partitions;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    partitions.emplace_back(records.begin() + static_cast<ptrdiff_t>(cuts[i]),
                            records.begin() + static_cast<ptrdiff_t>(cuts[i + 1]));
  }
  return partitions;
}

template <class T>
Batches<T> partitionBatches(const std::vector<std::vector<T>>& batches, Setting& setting) {
  Batches<T> result;
  for (const auto& records : batches) result.push_back(cutRandomly(records, static_cast<size_t>(setting.draw()), setting.rng));
  return result;
}

// ---- fixed input data ----------------------------------------------------------------------------

// Lines of words from a small vocabulary (with a Zipf-like skew so some keys are hot), per batch.
std::vector<std::vector<std::string>> textBatches() {
  std::mt19937 rng(12345);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 40; ++i) vocabulary.push_back(tagged("w", i));
  std::vector<std::vector<std::string>> batches(kDataBatches);
  for (auto& lines : batches) {
    for (int l = 0; l < 60; ++l) {
      std::string line;
      int words = std::uniform_int_distribution<int>(0, 8)(rng);
      for (int w = 0; w < words; ++w) {
        size_t a = std::uniform_int_distribution<size_t>(0, vocabulary.size() - 1)(rng);
        size_t b = std::uniform_int_distribution<size_t>(0, vocabulary.size() - 1)(rng);
        if (w > 0) line += ' ';
        line += vocabulary[std::min(a, b)];
      }
      lines.push_back(line);
    }
  }
  return batches;
}

using StringPair = std::pair<std::string, std::string>;

std::vector<std::vector<StringPair>> clickBatches() {
  std::mt19937 rng(777);
  std::vector<std::vector<StringPair>> batches(kDataBatches);
  for (auto& clicks : batches) {
    for (int i = 0; i < 80; ++i) {
      int user = std::uniform_int_distribution<int>(0, 19)(rng);
      int page = std::uniform_int_distribution<int>(0, 9)(rng);
      clicks.emplace_back(tagged("u", user), tagged("p", page));
    }
  }
  return batches;
}

std::vector<std::vector<StringPair>> profileBatches() {
  std::mt19937 rng(888);
  std::vector<std::vector<StringPair>> batches(kDataBatches);
  for (auto& profiles : batches) {
    for (int i = 0; i < 15; ++i) {  // users 0..24: some never click, some have two profiles
      int user = std::uniform_int_distribution<int>(0, 24)(rng);
      int country = std::uniform_int_distribution<int>(0, 4)(rng);
      profiles.emplace_back(tagged("u", user), tagged("c", country));
    }
  }
  return batches;
}

// ---- oracles ---------------------------------------------------------------------------------------

using WordCount = std::pair<std::string, int>;
using WordCounts = std::vector<std::vector<WordCount>>;

std::map<std::string, int> countWords(const std::vector<std::string>& lines) {
  std::map<std::string, int> counts;
  for (const auto& line : lines) {
    for (const auto& word : split(line, ' ')) ++counts[word];
  }
  return counts;
}

WordCounts wordCountOracle() {
  WordCounts result;
  for (const auto& lines : textBatches()) {
    auto counts = countWords(lines);
    result.emplace_back(counts.begin(), counts.end());
  }
  result.resize(kRunBatches);
  return result;
}

// Word counts over a window of two batches sliding by one.
WordCounts windowedWordCountOracle() {
  auto batches = textBatches();
  batches.resize(kRunBatches);
  WordCounts result;
  for (size_t b = 0; b < batches.size(); ++b) {
    std::map<std::string, int> counts = countWords(batches[b]);
    if (b > 0) {
      for (const auto& [word, n] : countWords(batches[b - 1])) counts[word] += n;
    }
    result.emplace_back(counts.begin(), counts.end());
  }
  return result;
}

using Joined = std::pair<std::string, std::pair<std::string, std::string>>;

std::vector<std::vector<Joined>> joinOracle() {
  auto clicks = clickBatches();
  auto profiles = profileBatches();
  std::vector<std::vector<Joined>> result;
  for (int b = 0; b < kDataBatches; ++b) {
    std::multimap<std::string, std::string> countries(profiles[b].begin(), profiles[b].end());
    std::vector<Joined> joined;
    for (const auto& [user, page] : clicks[b]) {
      auto [from, to] = countries.equal_range(user);
      for (auto it = from; it != to; ++it) joined.push_back({user, {page, it->second}});
    }
    std::sort(joined.begin(), joined.end());
    result.push_back(std::move(joined));
  }
  result.resize(kRunBatches);
  return result;
}

using ValueCount = std::pair<std::string, int64_t>;

std::vector<std::vector<ValueCount>> countByValueOracle() {
  std::vector<std::vector<ValueCount>> result;
  for (const auto& lines : textBatches()) {
    auto counts = countWords(lines);
    result.emplace_back(counts.begin(), counts.end());
  }
  result.resize(kRunBatches);
  return result;
}

// ---- pipelines ---------------------------------------------------------------------------------------

WordCounts runWordCount(Setting& setting) {
  auto ssc = setting.context();
  auto counts = ssc.queueStream(partitionBatches(textBatches(), setting))
                    .flatMap([](const std::string& line) { return split(line, ' '); })
                    .map([](std::string word) { return WordCount(std::move(word), 1); })
                    .reduceByKey([](int a, int b) { return a + b; });
  auto log = recordBatches(counts);
  ssc.runBatches(kRunBatches);
  return log->sortedPerBatch();
}

WordCounts runWindowedWordCount(Setting& setting) {
  auto ssc = setting.context();
  auto counts = ssc.queueStream(partitionBatches(textBatches(), setting))
                    .flatMap([](const std::string& line) { return split(line, ' '); })
                    .map([](std::string word) { return WordCount(std::move(word), 1); })
                    .reduceByKey([](int a, int b) { return a + b; })
                    .window(Seconds(2), Seconds(1))
                    .reduceByKey([](int a, int b) { return a + b; }, static_cast<size_t>(setting.draw()));
  auto log = recordBatches(counts);
  ssc.runBatches(kRunBatches);
  return log->sortedPerBatch();
}

std::vector<std::vector<Joined>> runJoin(Setting& setting) {
  auto ssc = setting.context();
  auto clicks = ssc.queueStream(partitionBatches(clickBatches(), setting));
  auto profiles = ssc.queueStream(partitionBatches(profileBatches(), setting));
  auto log = recordBatches(clicks.join(profiles));
  ssc.runBatches(kRunBatches);
  return log->sortedPerBatch();
}

std::vector<std::vector<ValueCount>> runRepartitionCountByValue(Setting& setting) {
  auto ssc = setting.context();
  auto counts = ssc.queueStream(partitionBatches(textBatches(), setting))
                    .flatMap([](const std::string& line) { return split(line, ' '); })
                    .repartition(static_cast<size_t>(setting.draw()))
                    .countByValue();
  auto log = recordBatches(counts);
  ssc.runBatches(kRunBatches);
  return log->sortedPerBatch();
}

// Runs `pipeline` once per seed; every run must equal `oracle`.
template <class Result, class Pipeline>
void expectDeterministic(const Result& oracle, Pipeline pipeline) {
  std::optional<Result> first;
  for (uint32_t seed : kSeeds) {
    Setting setting(seed);
    SCOPED_TRACE(setting.describe(seed));
    Result result = pipeline(setting);
    EXPECT_EQ(result, oracle);
    if (first) {
      EXPECT_EQ(result, *first);
    }
    first = std::move(result);
  }
}

TEST(Determinism, OraclesAreNotTrivial) {
  // Guards the data generators: every data batch has records and repeated keys.
  WordCounts counts = wordCountOracle();
  for (int b = 0; b < kDataBatches; ++b) EXPECT_GT(counts[static_cast<size_t>(b)].size(), 10u);
  EXPECT_TRUE(counts.back().empty());
  auto joined = joinOracle();
  for (int b = 0; b < kDataBatches; ++b) EXPECT_GT(joined[static_cast<size_t>(b)].size(), 10u);
}

TEST(Determinism, WordCount) { expectDeterministic(wordCountOracle(), runWordCount); }

TEST(Determinism, WindowedWordCount) { expectDeterministic(windowedWordCountOracle(), runWindowedWordCount); }

TEST(Determinism, Join) { expectDeterministic(joinOracle(), runJoin); }

TEST(Determinism, RepartitionThenCountByValue) {
  expectDeterministic(countByValueOracle(), runRepartitionCountByValue);
}

}  // namespace
}  // namespace caudal
