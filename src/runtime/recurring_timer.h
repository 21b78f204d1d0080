// The batch clock: calls a function at every multiple of a period, on its own thread.
#pragma once

#include <absl/base/thread_annotations.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "caudal/duration.h"

namespace caudal {

/// Wall-clock time now, in milliseconds since the epoch.
Time wallClockNow();

/// Calls `on_tick(t)` for t = first, first + period, … as each time arrives (late ticks run at
/// once, in order, so a slow callback delays but never skips a batch).
class RecurringTimer {
 public:
  RecurringTimer(Duration period, std::function<void(Time)> on_tick);
  ~RecurringTimer();
  RecurringTimer(const RecurringTimer&) = delete;
  RecurringTimer& operator=(const RecurringTimer&) = delete;

  /// Starts ticking at `first_tick`.
  void start(Time first_tick);
  /// Stops and joins the thread. With `last_tick`, first lets every tick up to and including
  /// the first one at or after `last_tick` run. Idempotent; callable from any other thread.
  void stop(std::optional<Time> last_tick = std::nullopt);

 private:
  void loop(Time first_tick);

  Duration period_;
  std::function<void(Time)> on_tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::optional<Time> last_tick_ ABSL_GUARDED_BY(mutex_);
  std::mutex join_mutex_;                 // serializes stop() callers
  std::thread thread_;
};

}  // namespace caudal
