// Worker threads that run the tasks of one job at a time.
#pragma once

#include <absl/base/thread_annotations.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "caudal/detail/function_ref.h"

namespace caudal {

/// A fixed set of worker threads. `parallelFor` hands out task indices to the workers; one
/// job runs at a time (concurrent callers wait their turn).
class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int numThreads() const { return static_cast<int>(workers_.size()); }

  /// Runs `task(i)` for every i in [0, count) on the workers and blocks until all have ended.
  /// After a task throws, tasks not yet started are skipped; the first exception is rethrown.
  /// Must not be called from a worker thread.
  void parallelFor(size_t count, detail::FunctionRef<void(size_t)> task);

  /// True on one of this process's pool worker threads.
  static bool onWorkerThread();

 private:
  void workerLoop();

  std::mutex job_mutex_;  // serializes parallelFor callers

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  // The current job. Workers hand out indices through the atomics without the lock.
  const detail::FunctionRef<void(size_t)>* task_ ABSL_GUARDED_BY(mutex_) = nullptr;
  size_t count_ ABSL_GUARDED_BY(mutex_) = 0;
  std::atomic<size_t> next_index_{0};
  std::atomic<bool> failed_{false};
  size_t busy_workers_ ABSL_GUARDED_BY(mutex_) = 0;
  uint64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
  bool shutting_down_ ABSL_GUARDED_BY(mutex_) = false;
  std::exception_ptr first_error_ ABSL_GUARDED_BY(mutex_);

  std::vector<std::thread> workers_;
};

}  // namespace caudal
