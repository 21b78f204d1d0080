// How far a generator source has got: rows made available by a rate over wall-clock time (or
// a batch at a time when unlimited), and how a range of rows is split into read tasks.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

namespace caudal::sql::generator {

/// Microseconds of a monotonic clock.
using MicrosClock = std::function<int64_t()>;
/// The steady clock, in microseconds.
int64_t steadyMicros();

/// The end offset a generator advertises, one micro-batch at a time. Driver thread only.
class GeneratorPacing {
 public:
  /// `total`: rows in all (-1: unbounded). `rows_per_second`: the rate (0: unlimited).
  /// `max_per_batch`: at most this many rows more per `advance` (> 0).
  GeneratorPacing(int64_t total, double rows_per_second, int64_t max_per_batch,
                  MicrosClock clock = steadyMicros);

  /// The new end: min(total, rate x time since the first call), advancing at most
  /// `max_per_batch` per call (and by exactly that when unlimited). Never goes back.
  int64_t advance();
  /// The end returned last.
  int64_t end() const { return end_; }
  /// True once a bounded generator's end reached its total.
  bool finished() const { return total_ >= 0 && end_ >= total_; }
  int64_t total() const { return total_; }

 private:
  int64_t total_;
  double rows_per_second_;
  int64_t max_per_batch_;
  MicrosClock clock_;
  int64_t first_call_micros_ = -1;
  int64_t end_ = 0;
};

/// Read tasks for `rows` rows with at most `parallelism` tasks: none for an empty range, one
/// per `kRowsPerTask` rows up to `parallelism`.
size_t taskCountFor(int64_t rows, size_t parallelism);
inline constexpr int64_t kRowsPerTask = 16384;

/// The contiguous slice [first, last) of [start, end) that task `task` of `tasks` reads.
std::pair<int64_t, int64_t> taskSlice(int64_t start, int64_t end, size_t tasks, size_t task);

}  // namespace caudal::sql::generator
