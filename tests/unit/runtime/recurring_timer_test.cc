// RecurringTimer: ticks at exact multiples of its period, never skipping one, and stops either
// at once or after a given last tick. Periods are short (20 ms); assertions are on tick values
// and order only, never on how long anything took.

#include "runtime/recurring_timer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace caudal {
namespace {

constexpr Duration kPeriod = Milliseconds(20);

// The ticks a timer delivered, in order; waitFor blocks until there are enough.
class TickLog {
 public:
  void add(Time time) {
    {
      std::lock_guard lock(mutex_);
      ticks_.push_back(time);
    }
    changed_.notify_all();
  }
  void waitFor(size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ticks_.size() >= n; });
  }
  std::vector<Time> ticks() {
    std::lock_guard lock(mutex_);
    return ticks_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Time> ticks_;
};

// first, first + period, … (n of them).
std::vector<Time> consecutive(Time first, size_t n) {
  std::vector<Time> ticks;
  for (size_t i = 0; i < n; ++i) ticks.push_back(first + kPeriod * static_cast<int64_t>(i));
  return ticks;
}

Time nextMultiple() { return wallClockNow().floor(kPeriod) + kPeriod; }

TEST(RecurringTimer, TicksAreConsecutiveMultiplesOfThePeriod) {
  TickLog log;
  RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
  Time first = nextMultiple();
  timer.start(first);
  log.waitFor(5);
  timer.stop();
  std::vector<Time> ticks = log.ticks();
  ASSERT_GE(ticks.size(), 5u);
  EXPECT_EQ(ticks, consecutive(first, ticks.size()));
  for (Time t : ticks) EXPECT_TRUE(t.isMultipleOf(kPeriod)) << t.toString();
}

TEST(RecurringTimer, LateTicksRunAtOnceInOrderWithoutSkipping) {
  TickLog log;
  RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
  Time first = wallClockNow().floor(kPeriod) - kPeriod * 10;  // ten periods ago
  timer.start(first);
  log.waitFor(12);
  timer.stop();
  std::vector<Time> ticks = log.ticks();
  EXPECT_EQ(ticks, consecutive(first, ticks.size()));
}

TEST(RecurringTimer, GracefulStopRunsThroughTheLastTick) {
  TickLog log;
  RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
  Time first = nextMultiple();
  timer.start(first);
  timer.stop(first + kPeriod * 3);  // returns once that tick has run
  EXPECT_EQ(log.ticks(), consecutive(first, 4));
}

TEST(RecurringTimer, GracefulStopBetweenTicksRunsTheNextOne) {
  TickLog log;
  RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
  Time first = nextMultiple();
  timer.start(first);
  timer.stop(first + kPeriod * 2 + Milliseconds(1));  // the first tick at or after it is the 4th
  EXPECT_EQ(log.ticks(), consecutive(first, 4));
}

TEST(RecurringTimer, ImmediateStopBeforeTheFirstTick) {
  TickLog log;
  RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
  timer.start(wallClockNow().floor(kPeriod) + Minutes(60));
  timer.stop();
  timer.stop();  // idempotent
  EXPECT_TRUE(log.ticks().empty());
}

TEST(RecurringTimer, DestructorStops) {
  TickLog log;
  {
    RecurringTimer timer(kPeriod, [&](Time t) { log.add(t); });
    timer.start(wallClockNow().floor(kPeriod) + Minutes(60));
  }
  EXPECT_TRUE(log.ticks().empty());
}

TEST(RecurringTimer, StopWithoutStart) {
  RecurringTimer timer(kPeriod, [](Time) {});
  timer.stop();
  SUCCEED();
}

}  // namespace
}  // namespace caudal
