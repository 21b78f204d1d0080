// Wide operations on pair RDDs — groupByKey, join, repartition, sortByKey — with 1 and 2 worker
// threads, each against a hand-written single-threaded loop doing the same work on the same
// data (a hash map, a hash join, round-robin vectors, std::sort).
//
//   shuffle_bench [records]
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_report.h"
#include "caudal/streaming.h"

namespace {

using caudal::bench::Clock;
using caudal::bench::report;
using caudal::bench::secondsSince;
using Pair = std::pair<int64_t, int64_t>;
constexpr size_t kPartitions = 8;

std::vector<std::vector<Pair>> makePairs(size_t records, int64_t distinct_keys, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<Pair>> partitions(kPartitions);
  for (size_t i = 0; i < records; ++i) {
    partitions[i % kPartitions].emplace_back(static_cast<int64_t>(random() % distinct_keys),
                                             static_cast<int64_t>(i));
  }
  return partitions;
}

std::vector<Pair> flatten(const std::vector<std::vector<Pair>>& partitions) {
  std::vector<Pair> all;
  for (const auto& partition : partitions) all.insert(all.end(), partition.begin(), partition.end());
  return all;
}

// Runs `engine(ssc)` (returning a checksum) with 1 and 2 threads, and reports records/s per core
// and the ratio to `baseline_rate`. `engine` runs twice per thread count; the second is timed.
template <class Engine>
void compare(const std::string& name, double records, double baseline_rate, int64_t expected,
             Engine engine) {
  for (int threads : {1, 2}) {
    caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = threads});
    engine(ssc);
    auto start = Clock::now();
    int64_t checksum = engine(ssc);
    double seconds = secondsSince(start);
    if (checksum != expected) {
      std::fprintf(stderr, "%s: checksum %lld, expected %lld\n", name.c_str(),
                   static_cast<long long>(checksum), static_cast<long long>(expected));
      std::exit(1);
    }
    std::string label = name + ".engine.t" + std::to_string(threads);
    double rate = records / seconds / threads;
    report(label, "records_per_s_per_core", rate);
    report(label, "ratio_vs_handloop", rate / baseline_rate);
  }
}

template <class F>
std::pair<double, int64_t> timeLoop(double records, F loop) {
  loop();  // warm-up
  auto start = Clock::now();
  int64_t checksum = loop();
  return {records / secondsSince(start), checksum};
}

}  // namespace

int main(int argc, char** argv) {
  size_t records = argc > 1 ? static_cast<size_t>(std::atoll(argv[1])) : 2'000'000;
  auto left = makePairs(records, static_cast<int64_t>(records / 10), 1);
  auto right = makePairs(records / 4, static_cast<int64_t>(records / 10), 2);
  auto left_all = flatten(left);
  auto right_all = flatten(right);
  double n = static_cast<double>(records);
  report("shuffle", "records_per_run", n);

  {  // groupByKey: checksum = keys + total values grouped.
    auto [rate, expected] = timeLoop(n, [&] {
      absl::flat_hash_map<int64_t, std::vector<int64_t>> groups;
      for (const Pair& p : left_all) groups[p.first].push_back(p.second);
      int64_t sum = static_cast<int64_t>(groups.size());
      for (const auto& [key, values] : groups) sum += static_cast<int64_t>(values.size());
      return sum;
    });
    report("shuffle.groupByKey.handloop", "records_per_s_per_core", rate);
    compare("shuffle.groupByKey", n, rate, expected, [&](caudal::StreamingContext& ssc) {
      int64_t sum = 0;
      for (const auto& [key, values] : ssc.fromPartitions(left).groupByKey().collect()) {
        sum += 1 + static_cast<int64_t>(values.size());
      }
      return sum;
    });
  }

  {  // join (left has many values per key, right fewer): checksum = joined pairs.
    double joined_inputs = n + static_cast<double>(right_all.size());
    auto [rate, expected] = timeLoop(joined_inputs, [&] {
      absl::flat_hash_map<int64_t, std::vector<int64_t>> build;
      for (const Pair& p : right_all) build[p.first].push_back(p.second);
      int64_t pairs = 0;
      for (const Pair& p : left_all) {
        auto it = build.find(p.first);
        if (it != build.end()) pairs += static_cast<int64_t>(it->second.size());
      }
      return pairs;
    });
    report("shuffle.join.handloop", "records_per_s_per_core", rate);
    compare("shuffle.join", joined_inputs, rate, expected, [&](caudal::StreamingContext& ssc) {
      return ssc.fromPartitions(left).join(ssc.fromPartitions(right)).count();
    });
  }

  {  // repartition to 8: checksum = sum of values.
    auto [rate, expected] = timeLoop(n, [&] {
      std::vector<std::vector<Pair>> targets(kPartitions);
      size_t next = 0;
      for (const Pair& p : left_all) {
        targets[next].push_back(p);
        if (++next == kPartitions) next = 0;
      }
      int64_t sum = 0;
      for (const auto& target : targets)
        for (const Pair& p : target) sum += p.second;
      return sum;
    });
    report("shuffle.repartition.handloop", "records_per_s_per_core", rate);
    compare("shuffle.repartition", n, rate, expected, [&](caudal::StreamingContext& ssc) {
      return ssc.fromPartitions(left).repartition(kPartitions).values().reduce(
          [](int64_t a, int64_t b) { return a + b; });
    });
  }

  {  // sortByKey: checksum = number of positions whose key is out of order (0).
    auto [rate, expected] = timeLoop(n, [&] {
      std::vector<Pair> copy = left_all;
      std::stable_sort(copy.begin(), copy.end(),
                       [](const Pair& a, const Pair& b) { return a.first < b.first; });
      return static_cast<int64_t>(std::is_sorted(copy.begin(), copy.end(),
                                                 [](const Pair& a, const Pair& b) {
                                                   return a.first < b.first;
                                                 })
                                      ? 0
                                      : 1);
    });
    report("shuffle.sortByKey.handloop", "records_per_s_per_core", rate);
    compare("shuffle.sortByKey", n, rate, expected, [&](caudal::StreamingContext& ssc) {
      auto sorted = ssc.fromPartitions(left).sortByKey(true, kPartitions).collect();
      return static_cast<int64_t>(std::is_sorted(sorted.begin(), sorted.end(),
                                                 [](const Pair& a, const Pair& b) {
                                                   return a.first < b.first;
                                                 })
                                      ? 0
                                      : 1);
    });
  }
  report("shuffle", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
