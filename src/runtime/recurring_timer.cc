#include "runtime/recurring_timer.h"

#include <chrono>

namespace caudal {

Time wallClockNow() {
  using namespace std::chrono;
  return Time(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

RecurringTimer::RecurringTimer(Duration period, std::function<void(Time)> on_tick)
    : period_(period), on_tick_(std::move(on_tick)) {}

RecurringTimer::~RecurringTimer() { stop(); }

void RecurringTimer::start(Time first_tick) {
  thread_ = std::thread([this, first_tick] { loop(first_tick); });
}

void RecurringTimer::stop(std::optional<Time> last_tick) {
  std::lock_guard join_lock(join_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      last_tick_ = last_tick;
    }
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RecurringTimer::loop(Time first_tick) {
  Time next = first_tick;
  std::unique_lock lock(mutex_);
  while (true) {
    auto due = std::chrono::system_clock::time_point(std::chrono::milliseconds(next.milliseconds()));
    while (!(stopping_ && !last_tick_) && wallClockNow() < next) wake_.wait_until(lock, due);
    if (stopping_ && !last_tick_) return;
    lock.unlock();
    on_tick_(next);
    lock.lock();
    // A graceful stop ends after the first tick at or after its last tick has run.
    if (stopping_ && (!last_tick_ || next >= *last_tick_)) return;
    next = next + period_;
  }
}

}  // namespace caudal
