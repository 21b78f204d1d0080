// Receiver: the base class of custom sources, as Spark Streaming's.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/receiver_supervisor.h"
#include "caudal/duration.h"
#include "caudal/error.h"

namespace caudal {

/// A source of your own: subclass it, implement `onStart` and `onStop`, and pass it to
/// `StreamingContext::receiverStream`. The stream calls `onStart()` when the context starts
/// and `onStop()` when it stops (and both around a `restart`); in between, threads the
/// receiver started call `store` with what they receive, while `isStopped()` is false.
///
/// What becomes of stored records: `store(record)` adds to the current block, which is cut
/// every `Config::blockInterval`; `store(records)` makes one block at once. Each block is one
/// partition of the next batch, blocks in the order they were cut or stored.
///
/// Without the write-ahead log (`Config::receiverWriteAheadLog` off, or no checkpoint
/// directory) blocks are held in memory until a batch takes them, and what the process held
/// when it died is lost. With it, every block is appended to the log and synced to disk
/// before a batch can take it, and `store(records)` returns only then: a receiver that
/// acknowledges its source after `store(records)` returns loses nothing in a crash (Spark's
/// reliable receiver). After a restart from the checkpoint, the batches the crash interrupted
/// get their blocks back from the log, and the blocks no batch had taken go to the next
/// batch. Records stored one at a time are durable only once their block is cut: a crash
/// loses at most the last block interval of them.
///
/// Methods other than `onStart`/`onStop` may be called from any thread, once the receiver
/// belongs to a stream; before that they throw `caudal::Error`.
template <class T>
class Receiver {
 public:
  Receiver() = default;
  virtual ~Receiver() = default;
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  /// Starts receiving: starts the threads that receive and `store`, and returns promptly.
  /// Called when the context starts (a `caudal::Error` thrown here fails the start, with its
  /// message) and after each `restart` (an exception then is logged and the restart retried).
  /// Never called concurrently with `onStop`.
  virtual void onStart() = 0;
  /// Stops receiving: makes the threads `onStart` started finish, and joins them. Called when
  /// the context stops and at each `restart`, with `isStopped()` already true.
  virtual void onStop() = 0;

  /// Adds `record` to the current block. Does not block on I/O.
  void store(T record) { supervisor().storeRecord(std::move(record)); }

  /// Stores `records` as one block. With the write-ahead log, returns once the block is
  /// durable in the log (blocking on disk I/O), so the caller may then acknowledge its
  /// source; throws `caudal::Error` if the log failed, in which case the block is not stored
  /// (the job then fails at its next batch). An empty vector stores nothing.
  void store(std::vector<T> records) {
    supervisor().storeBlock(std::move(records), std::nullopt);
  }

  /// As `store(records)`, recording `position` (where the source is after these records: an
  /// offset, a line number) with the block: `storedPosition()` returns it once the block is
  /// stored, durably with the write-ahead log. With empty `records` only the position is
  /// stored.
  void store(std::vector<T> records, std::string position) {
    supervisor().storeBlock(std::move(records), std::move(position));
  }

  /// The position of the last block stored with one, or nullopt if none was. With the
  /// write-ahead log this includes the blocks in the log after a restart, so that `onStart`
  /// can resume a source that can be re-read right after what is durable: no record lost,
  /// none received twice.
  std::optional<std::string> storedPosition() const { return supervisor().storedPosition(); }

  /// Reports a problem: `message` is logged as an error and the receiver keeps running.
  void reportError(const std::string& message) { supervisor().reportError(message); }

  /// Restarts the receiver: logs `message`, then on a thread of the stream (never the
  /// caller's) makes `isStopped()` true, calls `onStop()`, waits `delay` and calls `onStart()`
  /// again. Returns at once. A restart requested while one is under way, or once the context
  /// is stopping, is ignored.
  void restart(const std::string& message, Duration delay = Seconds(2)) {
    supervisor().requestRestart(message, delay);
  }

  /// True when the receiver should not be receiving: before `onStart`, from the moment a stop
  /// or a restart begins until `onStart` is called again. Receiving loops run while it is false.
  bool isStopped() const { return supervisor_ == nullptr || supervisor_->isReceiverStopped(); }

 private:
  friend class detail::ReceiverSupervisor<T>;

  detail::ReceiverSupervisor<T>& supervisor() const {
    if (supervisor_ == nullptr) {
      throw Error("Receiver: not part of a stream yet (pass it to StreamingContext::receiverStream)");
    }
    return *supervisor_;
  }

  detail::ReceiverSupervisor<T>* supervisor_ = nullptr;  // set once by the supervisor
};

namespace detail {

/// Only declared: `decltype(receiverRecordOf(r))` is `T` for a class derived from `Receiver<T>`.
template <class T>
T receiverRecordOf(const Receiver<T>& receiver);

/// True when `R` derives from `Receiver<T>` for exactly one `T`.
template <class R>
concept IsReceiver = requires(const R& receiver) { detail::receiverRecordOf(receiver); };

/// The record type `T` of a receiver class `R` derived from `Receiver<T>`.
template <class R>
using ReceiverRecord = decltype(detail::receiverRecordOf(std::declval<const R&>()));

}  // namespace detail
}  // namespace caudal
