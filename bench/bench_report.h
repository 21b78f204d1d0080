// What every benchmark driver prints, and how it measures.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace caudal::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// One figure, as `bench: <benchmark> <metric> <value>` on a line of its own.
inline void report(const std::string& benchmark, const std::string& metric, double value) {
  std::printf("bench: %s %s %.6g\n", benchmark.c_str(), metric.c_str(), value);
  std::fflush(stdout);
}

/// The process's peak resident memory so far, in MiB.
inline double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

/// The `p`-quantile (0..1) of `values`, nearest rank.
inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[index];
}

/// The options of the drivers that take them: `--quick` (small sizes, a smoke run) and
/// `--threads N` (worker threads, default 2).
struct Options {
  bool quick = false;
  int threads = 2;
};

/// Parses `Options`; prints the usage and exits with status 2 on anything else.
inline Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      options.quick = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--threads N]\n", argv[0]);
      std::exit(2);
    }
  }
  return options;
}

}  // namespace caudal::bench
