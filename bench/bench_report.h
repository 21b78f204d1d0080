// What every benchmark driver prints, and how it measures.
#pragma once

#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace caudal::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// CPU seconds all of the process's threads have used so far. Work divided by it is a rate per
/// core that time spent waiting for a shared machine's cores does not lower.
inline double processCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
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

/// An event line of about 60 bytes (a timestamp, a user, an action, a URL), as log or event
/// sources carry: the `i`-th of a stream of them.
inline std::string eventLine(int64_t i) {
  std::string line = "2026-11-21T05:25:58.123Z user=";
  line += std::to_string(i % 100000);
  line += " action=click url=/api/items/";
  line += std::to_string(i % 977);
  return line;
}

/// A new directory under the temporary directory ("caudal-<name>-XXXXXX"), removed with its
/// contents by the destructor. Exits with status 1 if it cannot be created.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / ("caudal-" + name + "-XXXXXX")).string()) {
    if (::mkdtemp(path_.data()) == nullptr) {
      std::perror("mkdtemp");
      std::exit(1);
    }
  }
  ~ScratchDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  /// The directory.
  std::filesystem::path path() const { return path_; }

 private:
  std::string path_;
};

/// The options of the drivers that take them: `--quick` (small sizes, a smoke run) and
/// `--threads N` (worker threads, default 2).
struct Options {
  bool quick = false;
  int threads = 2;
  /// With `--only TEXT`: run only the cases whose name contains TEXT (benches that support it).
  std::string only;

  /// True when the case `name` should run.
  bool selects(const std::string& name) const { return only.empty() || name.find(only) != std::string::npos; }
};

/// Parses `Options`; prints the usage and exits with status 2 on anything else.
inline Options parseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      options.quick = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      options.only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--threads N] [--only TEXT]\n", argv[0]);
      std::exit(2);
    }
  }
  return options;
}

}  // namespace caudal::bench
