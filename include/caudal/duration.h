// Durations and batch times, with Spark Streaming's millisecond resolution.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace caudal {

/// A span of time in whole milliseconds, as Spark Streaming's `Duration`.
/// A value type: cheap to copy, usable from any thread.
class Duration {
 public:
  /// The zero duration.
  constexpr Duration() = default;
  /// A duration of `ms` milliseconds (may be negative, e.g. as a difference).
  constexpr explicit Duration(int64_t ms) : ms_(ms) {}

  /// The length in milliseconds.
  constexpr int64_t milliseconds() const { return ms_; }
  /// True when the length is zero.
  constexpr bool isZero() const { return ms_ == 0; }
  /// True when `other` is non-zero and divides this duration exactly.
  constexpr bool isMultipleOf(Duration other) const {
    return other.ms_ != 0 && ms_ % other.ms_ == 0;
  }
  /// "<ms> ms", as Spark prints durations.
  std::string toString() const { return std::to_string(ms_) + " ms"; }

  constexpr Duration operator+(Duration other) const { return Duration(ms_ + other.ms_); }
  constexpr Duration operator-(Duration other) const { return Duration(ms_ - other.ms_); }
  constexpr Duration operator*(int64_t times) const { return Duration(ms_ * times); }
  /// How many times `other` fits in this duration (integer division; `other` must be non-zero).
  constexpr int64_t operator/(Duration other) const { return ms_ / other.ms_; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  int64_t ms_ = 0;
};

// Spark Streaming's names for these factories (Seconds(1), not seconds(1)).
// NOLINTBEGIN(readability-identifier-naming)
/// `n` milliseconds.
constexpr Duration Milliseconds(int64_t n) { return Duration(n); }
/// `n` seconds.
constexpr Duration Seconds(int64_t n) { return Duration(n * 1000); }
/// `n` minutes.
constexpr Duration Minutes(int64_t n) { return Duration(n * 60 * 1000); }
// NOLINTEND(readability-identifier-naming)

/// A point in time: milliseconds since the Unix epoch (or since a manual clock's zero).
/// Batch times are `Time`s; batch k of a context runs at `zero + k * batchDuration`.
class Time {
 public:
  /// The epoch (or a manual clock's zero).
  constexpr Time() = default;
  /// The instant `ms` milliseconds after the epoch.
  constexpr explicit Time(int64_t ms) : ms_(ms) {}

  /// Milliseconds since the epoch.
  constexpr int64_t milliseconds() const { return ms_; }
  /// True when this time is a whole number of `d` after the epoch (`d` non-zero).
  constexpr bool isMultipleOf(Duration d) const {
    return d.milliseconds() != 0 && ms_ % d.milliseconds() == 0;
  }
  /// The largest multiple of `d` not after this time (`d` positive).
  constexpr Time floor(Duration d) const {
    int64_t q = ms_ / d.milliseconds();
    if (ms_ % d.milliseconds() < 0) --q;
    return Time(q * d.milliseconds());
  }
  /// "<ms> ms", as Spark Streaming prints batch times.
  std::string toString() const { return std::to_string(ms_) + " ms"; }

  constexpr Time operator+(Duration d) const { return Time(ms_ + d.milliseconds()); }
  constexpr Time operator-(Duration d) const { return Time(ms_ - d.milliseconds()); }
  constexpr Duration operator-(Time other) const { return Duration(ms_ - other.ms_); }
  constexpr auto operator<=>(const Time&) const = default;

 private:
  int64_t ms_ = 0;
};

}  // namespace caudal
