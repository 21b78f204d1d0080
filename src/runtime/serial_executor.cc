#include "runtime/serial_executor.h"

namespace caudal {

SerialExecutor::SerialExecutor() : thread_([this] { loop(); }) {}

SerialExecutor::~SerialExecutor() { stop(false); }

void SerialExecutor::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
  }
  changed_.notify_all();
}

void SerialExecutor::discardQueued() {
  std::lock_guard lock(mutex_);
  queue_.clear();
}

void SerialExecutor::stop(bool drain) {
  std::lock_guard join_lock(join_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      drain_ = drain;
      if (!drain) queue_.clear();
    }
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t SerialExecutor::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (running_task_ ? 1 : 0);
}

bool SerialExecutor::onExecutorThread() const { return std::this_thread::get_id() == thread_.get_id(); }

void SerialExecutor::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() || (stopping_ && !drain_)) return;
    auto task = std::move(queue_.front());
    queue_.pop_front();
    running_task_ = true;
    lock.unlock();
    task();
    lock.lock();
    running_task_ = false;
  }
}

}  // namespace caudal
