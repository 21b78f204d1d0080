// One thread that runs posted tasks in order: the job queue, so batches run one at a time.
#pragma once

#include <absl/base/thread_annotations.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace caudal {

/// Runs posted tasks one after another on its own thread, in posting order.
class SerialExecutor {
 public:
  SerialExecutor();
  ~SerialExecutor();
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  /// Queues `task`; ignored once the executor is stopping. Never blocks on running tasks.
  void post(std::function<void()> task);
  /// Drops the tasks not yet started (the running one finishes). Callable from a task.
  void discardQueued();
  /// Stops and joins: with `drain`, after running every queued task; otherwise after the
  /// running task, dropping the rest. Idempotent; must not be called from a task.
  void stop(bool drain);
  /// Number of tasks queued or running.
  size_t pending() const;
  /// True on the executor's own thread.
  bool onExecutorThread() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mutex_);
  bool running_task_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool drain_ ABSL_GUARDED_BY(mutex_) = false;
  std::mutex join_mutex_;
  std::thread thread_;
};

}  // namespace caudal
