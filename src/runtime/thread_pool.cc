#include "runtime/thread_pool.h"

#include "caudal/error.h"

namespace caudal {
namespace {
thread_local bool tls_on_worker = false;
}  // namespace

ThreadPool::ThreadPool(int num_threads) {
  workers_.reserve(static_cast<size_t>(num_threads));
  for (int i = 0; i < num_threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
  }
  work_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

bool ThreadPool::onWorkerThread() { return tls_on_worker; }

void ThreadPool::parallelFor(size_t count, detail::FunctionRef<void(size_t)> task) {
  if (tls_on_worker) {
    throw Error("an RDD action (collect, count, …) cannot run inside a task; run it from "
                "foreachRDD or transform instead");
  }
  if (count == 0) return;
  std::lock_guard job_lock(job_mutex_);
  std::unique_lock lock(mutex_);
  task_ = &task;
  count_ = count;
  next_index_.store(0);
  failed_.store(false);
  first_error_ = nullptr;
  busy_workers_ = workers_.size();
  ++generation_;
  work_ready_.notify_all();
  work_done_.wait(lock, [&] { return busy_workers_ == 0; });
  task_ = nullptr;
  if (first_error_) std::rethrow_exception(std::exchange(first_error_, nullptr));
}

void ThreadPool::workerLoop() {
  tls_on_worker = true;
  uint64_t seen_generation = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return shutting_down_ || generation_ != seen_generation; });
    if (shutting_down_) return;
    seen_generation = generation_;
    const auto* task = task_;
    size_t count = count_;
    lock.unlock();
    while (!failed_.load(std::memory_order_relaxed)) {
      size_t index = next_index_.fetch_add(1);
      if (index >= count) break;
      try {
        (*task)(index);
      } catch (...) {
        std::lock_guard error_lock(mutex_);
        if (!first_error_) first_error_ = std::current_exception();
        failed_.store(true);
      }
    }
    lock.lock();
    if (--busy_workers_ == 0) work_done_.notify_one();
  }
}

}  // namespace caudal
