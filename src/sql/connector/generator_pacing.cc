#include "sql/connector/generator_pacing.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace caudal::sql::generator {

int64_t steadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

GeneratorPacing::GeneratorPacing(int64_t total, double rows_per_second, int64_t max_per_batch, MicrosClock clock)
    : total_(total), rows_per_second_(rows_per_second), max_per_batch_(std::max<int64_t>(max_per_batch, 1)),
      clock_(std::move(clock)) {}

int64_t GeneratorPacing::advance() {
  int64_t target = end_ + max_per_batch_;
  if (rows_per_second_ > 0) {
    const int64_t now = clock_();
    if (first_call_micros_ < 0) first_call_micros_ = now;
    const double due = rows_per_second_ * static_cast<double>(now - first_call_micros_) / 1e6;
    // Saturate rather than overflow for absurd rates.
    const int64_t due_rows = due >= 9e18 ? INT64_MAX : static_cast<int64_t>(std::floor(due));
    target = std::min(target, due_rows);
  }
  if (total_ >= 0) target = std::min(target, total_);
  end_ = std::max(end_, target);
  return end_;
}

size_t taskCountFor(int64_t rows, size_t parallelism) {
  if (rows <= 0) return 0;
  const int64_t by_size = (rows + kRowsPerTask - 1) / kRowsPerTask;
  return static_cast<size_t>(std::clamp<int64_t>(by_size, 1, static_cast<int64_t>(std::max<size_t>(parallelism, 1))));
}

std::pair<int64_t, int64_t> taskSlice(int64_t start, int64_t end, size_t tasks, size_t task) {
  if (tasks == 0 || task >= tasks || end <= start) return {start, start};
  const int64_t rows = end - start;
  const int64_t n = static_cast<int64_t>(tasks);
  const int64_t i = static_cast<int64_t>(task);
  // Boundaries at floor(rows * i / n), computed without overflow.
  auto boundary = [&](int64_t k) {
    return start + (rows / n) * k + (rows % n) * k / n;
  };
  return {boundary(i), boundary(i + 1)};
}

}  // namespace caudal::sql::generator
