// mapWithState over a large state: 1 M and 10 M (int64 key, int64 state) pairs loaded as the
// initial state, then batches of 100 000 updates to random existing keys. Reports the time per
// batch (target: the same with 1 M and 10 M keys, as idle keys should cost nothing) and the
// memory the state takes (target: at most 64 bytes per key beyond the 16 of the key and the
// state), measured from the process's resident memory and from the engine's own estimate.
// A third run has 10 M keys but updates only 1 M of them, to separate the cost of idle keys
// from that of spreading the updates over more keys. Baseline, in the same run: an
// absl::flat_hash_map<int64_t, int64_t> holding the same keys, updated by a hand-written loop
// with the same keys. Last, a breakdown of the engine's batch: the same pipeline over a state
// that fits in the caches, and the state's table alone.
//
//   state_bench [--quick] [--threads N]
#include <absl/container/flat_hash_map.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench_report.h"
#include "caudal/detail/stable_hash.h"
#include "caudal/streaming.h"

namespace {

using caudal::bench::Clock;
using caudal::bench::percentile;
using caudal::bench::report;
using caudal::bench::secondsSince;
using Pair = std::pair<int64_t, int64_t>;

constexpr size_t kPartitions = 8;  // of the initial state's RDD and of each batch's input
constexpr double kKeyAndStateBytes = 2 * sizeof(int64_t);
constexpr double kTargetOverheadBytesPerKey = 64;

struct Sizes {
  int64_t small_keys;
  int64_t large_keys;
  int64_t cached_keys;  // a state that fits in the caches, for the breakdown
  int64_t updates_per_batch;
  int warmup_batches;
  int timed_batches;
};
constexpr Sizes kFullSizes{1'000'000, 10'000'000, 10'000, 100'000, 5, 100};
constexpr Sizes kQuickSizes{100'000, 1'000'000, 1'000, 10'000, 3, 20};

// A state of `keys` keys whose updates go to keys [0, active_keys) only.
struct Case {
  int64_t keys;
  int64_t active_keys;
};

// Resident and peak resident memory, in bytes, from /proc/self/status (0 where unavailable).
struct Memory {
  double rss = 0;
  double peak = 0;
};

// Resets the peak that readMemory() reports (and getrusage's) to the current resident memory,
// so that each run's peak is its own.
void resetPeakMemory() { std::ofstream("/proc/self/clear_refs") << "5"; }

Memory readMemory() {
  Memory memory;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    // Lines read "VmRSS:     123456 kB".
    auto kilobytes = [&] { return std::atof(line.c_str() + line.find(':') + 1) * 1024.0; };
    if (line.rfind("VmRSS:", 0) == 0) memory.rss = kilobytes();
    if (line.rfind("VmHWM:", 0) == 0) memory.peak = kilobytes();
  }
  return memory;
}

// Hands freed heap pages back to the system, so that resident memory counts what is live and
// not what the allocator keeps from the initial state's load.
void releaseFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

// splitmix64: its increment, then its finalizer.
uint64_t mix(uint64_t x) { return caudal::detail::mix64(x + 0x9e3779b97f4a7c15ULL); }

// The key that update `index` of batch `batch` (1, 2, …) touches: uniform over the keys.
int64_t updatedKey(int64_t batch, int64_t index, int64_t updates_per_batch, int64_t keys) {
  return static_cast<int64_t>(mix(static_cast<uint64_t>(batch * updates_per_batch + index)) %
                              static_cast<uint64_t>(keys));
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

struct Run {
  double load_seconds = 0;        // the first batch: loading the initial state, then its updates
  double bytes_per_key = 0;       // resident memory after the load, less before, per key
  double peak_bytes_per_key = 0;  // the same with the peak during the load
  double engine_overhead_bytes_per_key = 0;  // the state's own estimate (engine only)
  std::vector<double> batch_ms;
};

// mapWithState counting updates per key, over `c.keys` keys that start with state 0.
Run runEngine(const Sizes& sizes, Case c, int threads) {
  int64_t keys = c.keys;
  int64_t active = c.active_keys;
  releaseFreedMemory();
  resetPeakMemory();
  Memory before = readMemory();
  caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = threads});
  // mapWithState needs a checkpoint directory; this benchmark measures batches between
  // checkpoints (recovery_bench measures checkpoints), so none falls inside the run.
  caudal::bench::ScratchDirectory checkpoint("state-bench");
  ssc.checkpoint(checkpoint.path().string());

  std::vector<int64_t> indices(static_cast<size_t>(sizes.updates_per_batch));
  std::iota(indices.begin(), indices.end(), int64_t{0});
  caudal::RDD<int64_t> base = ssc.parallelize(std::move(indices), kPartitions);
  int64_t updates = sizes.updates_per_batch;
  // Each batch's updates are made from `base` when the batch is generated; the queue only ticks.
  int64_t batch_ms = ssc.batchDuration().milliseconds();
  auto input = ssc.queueStream(std::vector<caudal::RDD<int64_t>>{}, false)
                   .transform([base, updates, active, batch_ms](const caudal::RDD<int64_t>&,
                                                                caudal::Time time) {
                     int64_t batch = time.milliseconds() / batch_ms;
                     return base.map([batch, updates, active](int64_t index) {
                       return Pair(updatedKey(batch, index, updates, active), 1);
                     });
                   });

  auto spec = caudal::StateSpec::function(
      [](const int64_t&, std::optional<int64_t> value, caudal::State<int64_t>& state) {
        int64_t count = state.getOption().value_or(0) + value.value_or(0);
        state.update(count);
        return count;
      });
  {
    // Only the spec holds the initial pairs, so they are freed once the first batch loads them.
    std::vector<std::vector<Pair>> partitions(kPartitions);
    for (int64_t key = 0; key < keys; ++key) {
      partitions[static_cast<size_t>(key) % kPartitions].emplace_back(key, 0);
    }
    spec.initialState(ssc.fromPartitions(std::move(partitions)));
  }
  auto counts = input.mapWithState(std::move(spec));
  counts.checkpoint(caudal::Seconds(1'000'000));
  int64_t mapped = 0;
  counts.foreachRDD([&](const caudal::RDD<int64_t>& rdd) { mapped += rdd.count(); });

  Run run;
  auto start = Clock::now();
  ssc.runBatches(1);
  run.load_seconds = secondsSince(start);
  ssc.runBatches(sizes.warmup_batches);

  releaseFreedMemory();
  Memory after = readMemory();
  run.bytes_per_key = (after.rss - before.rss) / static_cast<double>(keys);
  run.peak_bytes_per_key = (after.peak - before.rss) / static_cast<double>(keys);
  // The state is reachable through the stream's graph node, which is mapWithState's.
  auto node = std::static_pointer_cast<typename decltype(counts)::Node>(counts.node());
  const auto& state = *node->state();
  run.engine_overhead_bytes_per_key =
      static_cast<double>(state.overheadBytes()) / static_cast<double>(state.numKeys());

  for (int i = 0; i < sizes.timed_batches; ++i) {
    auto batch_start = Clock::now();
    ssc.runBatches(1);
    run.batch_ms.push_back(secondsSince(batch_start) * 1000.0);
  }
  int64_t batches = 1 + sizes.warmup_batches + sizes.timed_batches;
  if (static_cast<int64_t>(state.numKeys()) != keys || mapped != batches * updates) {
    std::fprintf(stderr,
                 "mapWithState: %lld keys in state, %lld records mapped; expected %lld, %lld\n",
                 static_cast<long long>(state.numKeys()), static_cast<long long>(mapped),
                 static_cast<long long>(keys), static_cast<long long>(batches * updates));
    std::exit(1);
  }
  ssc.stop(false);  // not graceful: no final checkpoint of the whole state
  return run;
}

// Runs `run_batch(b)` for the batches after the load (b = 2, 3, …): the warm-up ones, then the
// timed ones, whose durations (ms) it returns.
template <class RunBatch>
std::vector<double> timeBatches(const Sizes& sizes, RunBatch&& run_batch) {
  std::vector<double> batch_ms;
  int64_t batch = 1;
  for (; batch <= 1 + sizes.warmup_batches; ++batch) run_batch(batch);
  for (int i = 0; i < sizes.timed_batches; ++i, ++batch) {
    auto start = Clock::now();
    run_batch(batch);
    batch_ms.push_back(secondsSince(start) * 1000.0);
  }
  return batch_ms;
}

// The same work by hand: a hash map from key to count, updated in a loop, each new count
// "emitted" into a checksum.
Run runHandLoop(const Sizes& sizes, Case c) {
  int64_t keys = c.keys;
  releaseFreedMemory();
  Memory before = readMemory();
  absl::flat_hash_map<int64_t, int64_t> counts;
  for (int64_t key = 0; key < keys; ++key) counts.emplace(key, 0);
  releaseFreedMemory();  // the tables the map outgrew
  Memory after = readMemory();
  Run run;
  run.bytes_per_key = (after.rss - before.rss) / static_cast<double>(keys);
  int64_t checksum = 0;
  auto runBatch = [&](int64_t batch) {
    for (int64_t i = 0; i < sizes.updates_per_batch; ++i) {
      checksum += ++counts[updatedKey(batch, i, sizes.updates_per_batch, c.active_keys)];
    }
  };
  run.batch_ms = timeBatches(sizes, runBatch);
  if (checksum <= 0 || static_cast<int64_t>(counts.size()) != keys) {
    std::fprintf(stderr, "hand loop: %lld keys, expected %lld\n",
                 static_cast<long long>(counts.size()), static_cast<long long>(keys));
    std::exit(1);
  }
  return run;
}

// The state's table alone, on one thread: one batch's lookups and in-place updates, without
// the shuffle, the tasks or the output (what the engine does per record, less the rest).
Run runTableOnly(const Sizes& sizes, int64_t keys) {
  caudal::detail::StateTable<int64_t, int64_t> table(false);
  for (int64_t key = 0; key < keys; ++key) table.insert(key, 0, caudal::Time(0));
  Run run;
  auto runBatch = [&](int64_t batch) {
    for (int64_t i = 0; i < sizes.updates_per_batch; ++i) {
      uint32_t slot = table.find(updatedKey(batch, i, sizes.updates_per_batch, keys));
      ++table.entry(slot).second;
      table.touch(slot, caudal::Time(batch * 1000));
    }
  };
  run.batch_ms = timeBatches(sizes, runBatch);
  return run;
}

void reportBatches(const std::string& name, const Run& run, const Sizes& sizes, int threads) {
  double mean_ms = mean(run.batch_ms);
  report(name, "batch_ms_mean", mean_ms);
  report(name, "batch_ms_p50", percentile(run.batch_ms, 0.5));
  report(name, "batch_ms_p99", percentile(run.batch_ms, 0.99));
  report(name, "batch_ms_max", *std::max_element(run.batch_ms.begin(), run.batch_ms.end()));
  report(name, "updates_per_s_per_core",
         static_cast<double>(sizes.updates_per_batch) / (mean_ms / 1000.0) / threads);
  report(name, "rss_bytes_per_key", run.bytes_per_key);
  report(name, "rss_overhead_bytes_per_key", run.bytes_per_key - kKeyAndStateBytes);
}

std::string keysLabel(int64_t keys) {
  return keys % 1'000'000 == 0 ? std::to_string(keys / 1'000'000) + "M"
                               : std::to_string(keys / 1000) + "k";
}

std::string caseLabel(Case c) {
  std::string label = keysLabel(c.keys);
  if (c.active_keys != c.keys) label += "_active" + keysLabel(c.active_keys);
  return label;
}

}  // namespace

int main(int argc, char** argv) {
  caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  Sizes sizes = options.quick ? kQuickSizes : kFullSizes;
  int threads = options.threads;
  report("state", "updates_per_batch", static_cast<double>(sizes.updates_per_batch));
  report("state", "threads", threads);
  report("state", "target_overhead_bytes_per_key", kTargetOverheadBytesPerKey);

  // The small state, the large one, and the large one whose updates go only to as many keys
  // as the small one has: the last differs from the first only by its idle keys, the second
  // also by how many keys the updates spread over (and so by how much of the state the
  // caches hold).
  const Case small{sizes.small_keys, sizes.small_keys};
  const Case large{sizes.large_keys, sizes.large_keys};
  const Case large_idle{sizes.large_keys, sizes.small_keys};
  auto ratios = [&](const std::string& name, const std::vector<Run>& runs) {
    for (size_t i : {size_t{1}, size_t{2}}) {
      std::string label = caseLabel(i == 1 ? large : large_idle) + "_vs_" + caseLabel(small);
      report(name, "batch_ratio_mean_" + label, mean(runs[i].batch_ms) / mean(runs[0].batch_ms));
      report(name, "batch_ratio_p50_" + label,
             percentile(runs[i].batch_ms, 0.5) / percentile(runs[0].batch_ms, 0.5));
    }
  };

  std::vector<Run> engine_runs;
  for (Case c : {small, large, large_idle}) {
    std::string name = "state.engine." + caseLabel(c);
    Run run = runEngine(sizes, c, threads);
    report(name, "keys", static_cast<double>(c.keys));
    report(name, "load_s", run.load_seconds);
    reportBatches(name, run, sizes, threads);
    report(name, "peak_rss_bytes_per_key", run.peak_bytes_per_key);
    report(name, "engine_overhead_bytes_per_key", run.engine_overhead_bytes_per_key);
    report(name, "overhead_vs_target",  // <= 1 meets the target
           (run.bytes_per_key - kKeyAndStateBytes) / kTargetOverheadBytesPerKey);
    engine_runs.push_back(std::move(run));
  }
  ratios("state.engine", engine_runs);

  std::vector<Run> hand_runs;
  for (Case c : {small, large, large_idle}) {
    std::string name = "state.handloop." + caseLabel(c);
    Run run = runHandLoop(sizes, c);
    reportBatches(name, run, sizes, 1);
    hand_runs.push_back(std::move(run));
  }
  ratios("state.handloop", hand_runs);

  // Breakdown of the engine's batch: the same pipeline over a state that fits in the caches
  // (the cost that does not depend on the state's size), and the table's lookups alone.
  {
    std::string name = "state.breakdown.engine." + keysLabel(sizes.cached_keys);
    Run run = runEngine(sizes, Case{sizes.cached_keys, sizes.cached_keys}, threads);
    report(name, "batch_ms_mean", mean(run.batch_ms));
    report(name, "batch_ms_p50", percentile(run.batch_ms, 0.5));
  }
  for (int64_t keys : {sizes.small_keys, sizes.large_keys}) {
    std::string name = "state.breakdown.table_only." + keysLabel(keys);
    Run run = runTableOnly(sizes, keys);
    report(name, "batch_ms_mean_one_thread", mean(run.batch_ms));
    report(name, "batch_ms_p50_one_thread", percentile(run.batch_ms, 0.5));
  }
  return 0;
}
