// What every benchmark driver prints, and how it measures.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

}  // namespace caudal::bench
