// reduceByKeyAndWindow(max) without an inverse function: a window of 3600 batches sliding by
// one against a window of 2 batches over the same kind of input, in the same run. The per-pane
// two-stacks aggregation should make a slide cost the same whatever the window's length
// (target: the long window within 2x the short one). Both windows are timed warm, one batch
// per runBatches(1) call, after the long window has filled; the last window's maxima are
// checked against a recomputation from the generator.
//
//   window_bench [--quick] [--threads N]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
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

constexpr size_t kInputPartitions = 8;
constexpr int kShortWindowBatches = 2;
constexpr double kTargetRatio = 2.0;

struct Sizes {
  int64_t keys;
  int64_t records_per_batch;
  int long_window_batches;
  int short_warmup_batches;  // the short window is full after 2; these warm the allocator
  int timed_batches;
};
constexpr Sizes kFullSizes{10000, 100000, 3600, 100, 200};
constexpr Sizes kQuickSizes{1000, 10000, 360, 20, 50};

// splitmix64: its increment, then its finalizer.
uint64_t mix(uint64_t x) { return caudal::detail::mix64(x + 0x9e3779b97f4a7c15ULL); }

// Record `index` of batch `batch` (1, 2, …): a pseudo-random key and value, different every
// batch, so that each key's maximum moves as the window slides.
Pair recordOf(int64_t batch, int64_t index, int64_t records_per_batch, int64_t keys) {
  uint64_t h = mix(static_cast<uint64_t>(batch * records_per_batch + index));
  return {static_cast<int64_t>(h % static_cast<uint64_t>(keys)), static_cast<int64_t>(mix(h) >> 1)};
}

// The input: a fixed RDD of record indices mapped, at each batch, to that batch's records, so
// no batch is held in memory before it runs. The queue holds nothing; it only ticks.
caudal::DStream<Pair> makeInput(caudal::StreamingContext& ssc, const Sizes& sizes) {
  std::vector<int64_t> indices(static_cast<size_t>(sizes.records_per_batch));
  std::iota(indices.begin(), indices.end(), int64_t{0});
  caudal::RDD<int64_t> base = ssc.parallelize(std::move(indices), kInputPartitions);
  int64_t batch_ms = ssc.batchDuration().milliseconds();
  return ssc.queueStream(std::vector<caudal::RDD<int64_t>>{}, false)
      .transform([base, batch_ms, sizes](const caudal::RDD<int64_t>&, caudal::Time time) {
        int64_t batch = time.milliseconds() / batch_ms;
        return base.map([batch, sizes](int64_t index) {
          return recordOf(batch, index, sizes.records_per_batch, sizes.keys);
        });
      });
}

struct WindowSummary {
  int64_t keys = 0;
  int64_t checksum = 0;  // the sum of the keys' maxima, wrapping
};

// The keys of batches (last - window, last] and the sum of their maxima, from the generator.
WindowSummary expectedSummary(const Sizes& sizes, int window_batches, int64_t last_batch) {
  std::vector<int64_t> maxima(static_cast<size_t>(sizes.keys), -1);
  for (int64_t batch = last_batch - window_batches + 1; batch <= last_batch; ++batch) {
    for (int64_t i = 0; i < sizes.records_per_batch; ++i) {
      auto [key, value] = recordOf(batch, i, sizes.records_per_batch, sizes.keys);
      int64_t& slot = maxima[static_cast<size_t>(key)];
      slot = std::max(slot, value);
    }
  }
  WindowSummary summary;
  uint64_t sum = 0;
  for (int64_t value : maxima) {
    if (value < 0) continue;  // no record of this key in the window
    ++summary.keys;
    sum += static_cast<uint64_t>(value);
  }
  summary.checksum = static_cast<int64_t>(sum);
  return summary;
}

// One window length in its own context: warmed up, then advanced one timed batch at a time.
class WindowRun {
 public:
  WindowRun(const Sizes& sizes, int window_batches, int threads)
      : ssc_(caudal::Seconds(1), caudal::Config{.numWorkerThreads = threads}),
        window_batches_(window_batches) {
    auto maxima = makeInput(ssc_, sizes)
                      .reduceByKeyAndWindow([](int64_t a, int64_t b) { return std::max(a, b); },
                                            caudal::Seconds(window_batches), caudal::Seconds(1));
    maxima.foreachRDD([this](const caudal::RDD<Pair>& rdd) {
      if (!summarize_next_) {
        records_emitted_ += rdd.count();  // consumes every record, cheaply
        return;
      }
      uint64_t sum = 0;
      for (const Pair& entry : rdd.collect()) sum += static_cast<uint64_t>(entry.second);
      last_.keys = rdd.count();
      last_.checksum = static_cast<int64_t>(sum);
    });
  }

  int windowBatches() const { return window_batches_; }
  int64_t batchesRun() const { return batches_run_; }
  int64_t recordsEmitted() const { return records_emitted_; }
  const std::vector<double>& batchMs() const { return batch_ms_; }

  /// Runs `n` untimed batches; returns their wall time in seconds.
  double warmUp(int n) {
    auto start = Clock::now();
    ssc_.runBatches(n);
    batches_run_ += n;
    return secondsSince(start);
  }

  /// Runs one batch and records its wall time.
  void timedBatch() {
    auto start = Clock::now();
    ssc_.runBatches(1);
    batch_ms_.push_back(secondsSince(start) * 1000.0);
    ++batches_run_;
  }

  /// Runs one untimed batch and returns what its window emitted.
  WindowSummary summarizedBatch() {
    summarize_next_ = true;
    ssc_.runBatches(1);
    summarize_next_ = false;
    ++batches_run_;
    return last_;
  }

 private:
  caudal::StreamingContext ssc_;
  int window_batches_;
  int64_t batches_run_ = 0;
  int64_t records_emitted_ = 0;
  bool summarize_next_ = false;
  WindowSummary last_;
  std::vector<double> batch_ms_;
};

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Reports the timed batches of `run` (the first being batch `first_timed`) under `name`.
void reportTimed(const std::string& name, const WindowRun& run, int64_t first_timed,
                 const Sizes& sizes, int threads) {
  const std::vector<double>& batch_ms = run.batchMs();
  double mean_ms = mean(batch_ms);
  auto slowest = std::max_element(batch_ms.begin(), batch_ms.end());
  report(name, "timed_batches", static_cast<double>(batch_ms.size()));
  report(name, "batch_ms_mean", mean_ms);
  report(name, "batch_ms_p50", percentile(batch_ms, 0.5));
  report(name, "batch_ms_p99", percentile(batch_ms, 0.99));
  report(name, "batch_ms_max", *slowest);
  // Where the maximum fell: the two-stacks flip (a key's panes turned into suffix aggregates
  // when its front stack runs out, every `window` panes) happens for every key in the same
  // batch here, as every key has a record in every batch.
  report(name, "batch_max_at", static_cast<double>(first_timed + (slowest - batch_ms.begin())));
  report(name, "records_per_s_per_core",
         static_cast<double>(sizes.records_per_batch) / (mean_ms / 1000.0) / threads);
}

}  // namespace

int main(int argc, char** argv) {
  caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  Sizes sizes = options.quick ? kQuickSizes : kFullSizes;
  int threads = options.threads;
  report("window", "keys", static_cast<double>(sizes.keys));
  report("window", "records_per_batch", static_cast<double>(sizes.records_per_batch));
  report("window", "threads", threads);

  std::string short_name = "window.short.w" + std::to_string(kShortWindowBatches);
  std::string long_name = "window.long.w" + std::to_string(sizes.long_window_batches);
  WindowRun short_run(sizes, kShortWindowBatches, threads);
  WindowRun long_run(sizes, sizes.long_window_batches, threads);

  // The long window is timed once full, after as many batches as it holds.
  double short_warmup_s = short_run.warmUp(sizes.short_warmup_batches);
  report(short_name, "warmup_ms_per_batch", short_warmup_s * 1000.0 / sizes.short_warmup_batches);
  double long_warmup_s = long_run.warmUp(sizes.long_window_batches);
  report(long_name, "warmup_ms_per_batch", long_warmup_s * 1000.0 / sizes.long_window_batches);

  // Alternating batches, so that whatever else loads the machine weighs on both alike.
  int64_t short_first = short_run.batchesRun() + 1;
  int64_t long_first = long_run.batchesRun() + 1;
  for (int i = 0; i < sizes.timed_batches; ++i) {
    short_run.timedBatch();
    long_run.timedBatch();
  }

  for (WindowRun* run : {&short_run, &long_run}) {
    WindowSummary got = run->summarizedBatch();
    WindowSummary expected = expectedSummary(sizes, run->windowBatches(), run->batchesRun());
    if (got.keys != expected.keys || got.checksum != expected.checksum ||
        run->recordsEmitted() <= 0) {
      std::fprintf(stderr,
                   "window of %d batches: batch %lld emitted %lld keys with maxima summing to "
                   "%lld; expected %lld keys, %lld\n",
                   run->windowBatches(), static_cast<long long>(run->batchesRun()),
                   static_cast<long long>(got.keys), static_cast<long long>(got.checksum),
                   static_cast<long long>(expected.keys),
                   static_cast<long long>(expected.checksum));
      return 1;
    }
  }

  reportTimed(short_name, short_run, short_first, sizes, threads);
  reportTimed(long_name, long_run, long_first, sizes, threads);
  double ratio = mean(long_run.batchMs()) / mean(short_run.batchMs());
  report("window", "long_vs_short_ratio_mean", ratio);
  report("window", "long_vs_short_ratio_p50",
         percentile(long_run.batchMs(), 0.5) / percentile(short_run.batchMs(), 0.5));
  report("window", "target_ratio", kTargetRatio);
  report("window", "ratio_vs_target", ratio / kTargetRatio);  // <= 1 meets the target
  report("window", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
