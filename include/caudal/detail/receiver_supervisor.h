// The runtime side of a Receiver: its lifecycle and restarts, the cutting of stored records
// into blocks, and the write-ahead log of those blocks.
#pragma once

#include <absl/base/thread_annotations.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caudal/detail/block_log.h"
#include "caudal/detail/engine_log.h"
#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/serde.h"

namespace caudal {
template <class T>
class Receiver;
}  // namespace caudal

namespace caudal::detail {

/// A block stored by a receiver, waiting for a batch.
template <class T>
struct ReceivedBlock {
  /// Its sequence number in the write-ahead log, or nullopt for a block kept only in memory.
  std::optional<uint64_t> sequence;
  /// Its records; empty for a block that only carries a position.
  std::vector<T> records;
};

/// The first byte of every block in the write-ahead log: the version of the block encoding
/// (then the receiver's stored position as `std::optional<std::string>` as of this block, then
/// the records as `std::vector<T>`).
inline constexpr uint8_t kReceivedBlockFormat = 1;

/// The log record of a block of `records`, after which the receiver's stored position is
/// `position`.
template <Serializable T>
std::vector<std::byte> encodeReceivedBlock(const std::vector<T>& records,
                                           const std::optional<std::string>& position) {
  std::vector<std::byte> bytes;
  ByteWriter out(bytes);
  out.writeByte(kReceivedBlockFormat);
  out.write(position);
  out.write(records);
  out.flush();
  return bytes;
}

/// Reads the format byte and the stored position of a block's log record, leaving `in` at
/// its records. Throws `caudal::Error` for an unknown format.
inline std::optional<std::string> readReceivedBlockHeader(ByteReader& in) {
  uint8_t format = in.readByte("the format of a received block");
  if (format != kReceivedBlockFormat) {
    in.fail("unknown received block format " + std::to_string(format),
            "the format of a received block", 0);
  }
  return in.read<std::optional<std::string>>();
}

/// Runs one `Receiver<T>`: starts it, restarts it when it asks (on a supervisor thread),
/// stops it; collects what it stores into blocks (the current block is cut every block
/// interval by a thread of its own) and, given a log, makes every block durable in it before
/// a batch can take it. `takeBlocks` hands the stored blocks over, in order.
///
/// Thread-safety: `start`, `stop` and `takeBlocks` are called by the stream (start before
/// anything else, stop at most concurrently with `takeBlocks`); the receiver-facing methods
/// (`storeRecord`, …) from any thread.
template <class T>
class ReceiverSupervisor {
 public:
  /// Supervises `receiver`; `name` starts its log lines and error messages.
  ReceiverSupervisor(std::unique_ptr<Receiver<T>> receiver, std::string name)
      : receiver_(std::move(receiver)), name_(std::move(name)) {
    receiver_->supervisor_ = this;
  }
  /// Stops the receiver and the threads (`stop()`).
  ~ReceiverSupervisor() { stop(); }
  ReceiverSupervisor(const ReceiverSupervisor&) = delete;
  ReceiverSupervisor& operator=(const ReceiverSupervisor&) = delete;

  /// Starts the block-cutting thread, calls `onStart()` and starts the supervisor thread.
  /// Blocks go to `log` (which must outlive the supervisor's `stop()`) when it is not null,
  /// else are kept in memory; `stored_position` is the position recovered from the log.
  /// Rethrows a `caudal::Error` from `onStart()` as it is, other exceptions as a
  /// `caudal::Error` naming the stream; nothing is left running then.
  void start(Duration block_interval, BlockLog* log, std::optional<std::string> stored_position) {
    log_ = log;
    {
      std::lock_guard lock(state_mutex_);
      stored_position_ = std::move(stored_position);
    }
    {
      std::lock_guard lock(control_mutex_);
      running_ = true;
      stopping_ = false;
    }
    block_interval_ = block_interval;
    block_thread_ = std::thread([this] { cutBlocksUntilStopped(); });
    receiver_stopped_ = false;
    try {
      receiver_->onStart();
    } catch (...) {
      receiver_stopped_ = true;
      stopThreads();
      try {
        throw;
      } catch (const Error&) {
        throw;
      } catch (const std::exception& e) {
        throw Error(name_ + ": the receiver's onStart failed: " + e.what());
      } catch (...) {
        throw Error(name_ + ": the receiver's onStart failed with an unknown exception");
      }
    }
    receiver_running_ = true;
    supervisor_thread_ = std::thread([this] { superviseRestarts(); });
  }

  /// Stops the receiver (a restart under way is abandoned; `onStop()` is called if `onStart()`
  /// was called since the last `onStop()`), then cuts the current block, so that everything
  /// stored is in the blocks `takeBlocks` returns. Idempotent; blocks until the receiver's
  /// `onStop` returns.
  void stop() {
    {
      std::lock_guard lock(control_mutex_);
      if (!running_) return;
      stopping_ = true;
    }
    control_changed_.notify_all();
    if (supervisor_thread_.joinable()) supervisor_thread_.join();
    receiver_stopped_ = true;
    if (receiver_running_) callOnStop();
    stopThreads();
  }

  /// The blocks stored since the previous call, oldest first (with the log: in sequence
  /// order). Throws `caudal::Error` once the log has failed, since blocks are no longer durable.
  std::vector<ReceivedBlock<T>> takeBlocks() {
    std::lock_guard lock(state_mutex_);
    if (!log_failure_.empty()) {
      throw Error(name_ + ": the write-ahead log failed, so received blocks can no longer be " +
                  "made durable: " + log_failure_);
    }
    std::vector<ReceivedBlock<T>> taken;
    taken.swap(ready_);
    return taken;
  }

  /// The receiver this supervisor runs.
  Receiver<T>& receiver() { return *receiver_; }

  // ---- Called through Receiver<T> --------------------------------------------------------

  /// `Receiver::store(record)`: appends to the current block.
  void storeRecord(T&& record) {
    std::lock_guard lock(current_mutex_);
    current_.push_back(std::move(record));
  }

  /// `Receiver::store(records[, position])`: one block, durable when this returns if there is
  /// a log. Throws `caudal::Error` if the log fails.
  void storeBlock(std::vector<T>&& records, std::optional<std::string>&& position) {
    if (records.empty() && !position) return;
    commit(std::move(records), std::move(position));
  }

  /// `Receiver::storedPosition()`.
  std::optional<std::string> storedPosition() const {
    std::lock_guard lock(state_mutex_);
    return stored_position_;
  }

  /// `Receiver::reportError(message)`.
  void reportError(const std::string& message) {
    engineLog(LogLevel::kError, name_ + ": error reported by the receiver: " + message);
  }

  /// `Receiver::restart(message, delay)`.
  void requestRestart(const std::string& message, Duration delay) {
    {
      std::lock_guard lock(control_mutex_);
      if (!running_ || stopping_) {
        engineLog(LogLevel::kInfo,
                  name_ + ": restart ignored, the stream is not running: " + message);
        return;
      }
      if (restart_pending_) {
        engineLog(LogLevel::kInfo, name_ + ": restart already under way, ignored: " + message);
        return;
      }
      restart_pending_ = true;
      restart_message_ = message;
      restart_delay_ = delay;
    }
    control_changed_.notify_all();
  }

  /// `Receiver::isStopped()`.
  bool isReceiverStopped() const { return receiver_stopped_.load(); }

 private:
  // Appends `records` as one block: to the log first when there is one.
  void commit(std::vector<T>&& records, std::optional<std::string>&& position) {
    if (log_ == nullptr) {
      std::lock_guard lock(state_mutex_);
      if (position) stored_position_ = std::move(position);
      ready_.push_back({std::nullopt, std::move(records)});
      return;
    }
    if constexpr (Serializable<T>) {
      // Held across the append so that blocks reach `ready_` in sequence order.
      std::lock_guard commit_lock(commit_mutex_);
      std::optional<std::string> position_after = position ? std::move(position) : storedPosition();
      uint64_t sequence = 0;
      try {
        sequence = log_->appendAndSync(encodeReceivedBlock(records, position_after));
      } catch (const Error& e) {
        std::lock_guard lock(state_mutex_);
        if (log_failure_.empty()) log_failure_ = e.what();
        throw;
      }
      std::lock_guard lock(state_mutex_);
      stored_position_ = std::move(position_after);
      ready_.push_back({sequence, std::move(records)});
    } else {
      // The stream refuses to start with a log for a type it cannot write.
      throw Error(name_ + ": records of this type cannot be written to the write-ahead log");
    }
  }

  // Closes the current block, if it holds a record.
  void cutBlock() {
    std::vector<T> records;
    {
      std::lock_guard lock(current_mutex_);
      if (current_.empty()) return;
      records.swap(current_);
    }
    try {
      commit(std::move(records), std::nullopt);
    } catch (const Error& e) {
      // The failure is kept and fails the next batch; nobody waits on this block.
      engineLog(LogLevel::kError, name_ + ": a received block was lost: " + e.what());
    }
  }

  void cutBlocksUntilStopped() {
    auto interval = std::chrono::milliseconds(block_interval_.milliseconds());
    auto next_cut = std::chrono::steady_clock::now() + interval;
    std::unique_lock lock(control_mutex_);
    while (!block_thread_stopping_) {
      if (control_changed_.wait_until(lock, next_cut, [&] { return block_thread_stopping_; })) break;
      lock.unlock();
      cutBlock();
      next_cut += interval;
      auto now = std::chrono::steady_clock::now();
      if (next_cut < now) next_cut = now + interval;  // a slow log: do not cut in a burst
      lock.lock();
    }
  }

  // Waits for restart requests and carries them out, until the stream stops.
  void superviseRestarts() {
    std::unique_lock lock(control_mutex_);
    while (true) {
      control_changed_.wait(lock, [&] { return stopping_ || restart_pending_; });
      if (stopping_) return;
      std::string message = restart_message_;
      Duration delay = restart_delay_;
      lock.unlock();
      engineLog(LogLevel::kWarn,
                name_ + ": restarting the receiver in " + delay.toString() + ": " + message);
      receiver_stopped_ = true;
      if (receiver_running_) callOnStop();
      lock.lock();
      auto wait = std::chrono::milliseconds(std::max<int64_t>(0, delay.milliseconds()));
      if (control_changed_.wait_for(lock, wait, [&] { return stopping_; })) return;
      // Requests made while the receiver was stopping are answered by this restart.
      restart_pending_ = false;
      lock.unlock();
      receiver_stopped_ = false;
      std::string failure = callOnStart();
      lock.lock();
      if (!failure.empty() && !stopping_ && !restart_pending_) {
        restart_pending_ = true;
        restart_message_ = "onStart failed: " + failure;
      }
    }
  }

  // Calls onStart on the supervisor thread: returns why it failed, or "".
  std::string callOnStart() {
    try {
      receiver_->onStart();
      receiver_running_ = true;
      return "";
    } catch (const std::exception& e) {
      receiver_stopped_ = true;
      engineLog(LogLevel::kError, name_ + ": the receiver's onStart failed: " + e.what());
      return e.what();
    } catch (...) {
      receiver_stopped_ = true;
      engineLog(LogLevel::kError, name_ + ": the receiver's onStart failed");
      return "unknown exception";
    }
  }

  void callOnStop() {
    receiver_running_ = false;
    try {
      receiver_->onStop();
    } catch (const std::exception& e) {
      engineLog(LogLevel::kError, name_ + ": the receiver's onStop failed: " + e.what());
    } catch (...) {
      engineLog(LogLevel::kError, name_ + ": the receiver's onStop failed");
    }
  }

  // Stops the block-cutting thread and cuts the last block.
  void stopThreads() {
    {
      std::lock_guard lock(control_mutex_);
      block_thread_stopping_ = true;
      running_ = false;
    }
    control_changed_.notify_all();
    if (block_thread_.joinable()) block_thread_.join();
    cutBlock();
  }

  std::unique_ptr<Receiver<T>> receiver_;
  const std::string name_;
  BlockLog* log_ = nullptr;  // set by start(), before any thread
  Duration block_interval_;  // set by start(), before any thread

  // Whether onStart was called since the last onStop. Touched by start(), then only by the
  // supervisor thread, then by stop() once that thread is joined.
  bool receiver_running_ = false;
  std::atomic<bool> receiver_stopped_{true};

  std::mutex control_mutex_;
  std::condition_variable control_changed_;
  bool running_ ABSL_GUARDED_BY(control_mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(control_mutex_) = false;
  bool block_thread_stopping_ ABSL_GUARDED_BY(control_mutex_) = false;
  bool restart_pending_ ABSL_GUARDED_BY(control_mutex_) = false;
  std::string restart_message_ ABSL_GUARDED_BY(control_mutex_);
  Duration restart_delay_ ABSL_GUARDED_BY(control_mutex_);

  std::mutex current_mutex_;
  std::vector<T> current_ ABSL_GUARDED_BY(current_mutex_);

  std::mutex commit_mutex_;  // serializes appends to the log (taken before state_mutex_)

  mutable std::mutex state_mutex_;
  std::vector<ReceivedBlock<T>> ready_ ABSL_GUARDED_BY(state_mutex_);
  std::optional<std::string> stored_position_ ABSL_GUARDED_BY(state_mutex_);
  std::string log_failure_ ABSL_GUARDED_BY(state_mutex_);

  std::thread block_thread_;
  std::thread supervisor_thread_;
};

}  // namespace caudal::detail
