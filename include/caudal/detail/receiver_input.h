// receiverStream and socketTextStream: the DStream side of a receiver, which gives its blocks
// to batches and, with the write-ahead log, replays them after a restart.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "caudal/detail/block_log.h"
#include "caudal/detail/dstream_node.h"
#include "caudal/detail/engine_log.h"
#include "caudal/detail/narrow_nodes.h"
#include "caudal/detail/type_name.h"
#include "caudal/error.h"
#include "caudal/rdd.h"
#include "caudal/receiver.h"
#include "caudal/serde.h"

namespace caudal::detail {

/// A source fed by a `Receiver<T>`: each batch takes every block stored since the previous
/// one, one partition per block, in order.
///
/// With `Config::receiverWriteAheadLog` and a recovery directory, the blocks go through a
/// write-ahead log in that directory (`BlockLog`, one record per block, numbered from 0) and
/// the source can replay:
/// - a batch's description is the range [first, end) of the block numbers it took;
/// - the position is the first block number no batch has taken yet;
/// - at `start()` the log is opened; the blocks from the restored position on (from the
///   oldest kept, without one) that `replay` does not give to a replayed batch go to the
///   first new batch, and the receiver's `storedPosition()` is that of the last block logged;
/// - `replay(time, description)` reads the batch's range back from the log;
/// - `releaseBefore(position)` deletes the log segments holding only blocks before it.
/// Without them, blocks are only held in memory and the source cannot replay.
template <class T>
class ReceiverInputNode final : public InputNode<T> {
 public:
  /// A stream named `name` fed by `receiver`; a log gets a new segment file every
  /// `log_segment_bytes`.
  ReceiverInputNode(const std::shared_ptr<StreamingCore>& core, std::string name,
                    std::unique_ptr<Receiver<T>> receiver,
                    uint64_t log_segment_bytes = uint64_t{64} << 20)
      : InputNode<T>(core, name),
        log_segment_bytes_(log_segment_bytes),
        supervisor_(std::move(receiver), std::move(name)) {}

  /// Stops the receiver (its `onStop()` runs if it is receiving).
  ~ReceiverInputNode() override { supervisor_.stop(); }

  /// Opens the log if there is one, then starts the receiver. Throws `caudal::Error` when the
  /// log cannot be used (unreadable, records of a type without a `Serializer`, or missing
  /// blocks the restored position needs) or the receiver's `onStart()` throws one.
  void start() override {
    auto core = this->sharedCore();
    std::optional<std::string> stored_position;
    if (logEnabled()) stored_position = openLog();
    supervisor_.start(core->config().blockInterval, log_.get(), std::move(stored_position));
  }

  /// Stops the receiver; what it stored goes to the next batches.
  void stop() override { supervisor_.stop(); }

  bool canReplay() const override { return logEnabled(); }

  void setRecoveryDirectory(const std::string& directory) override {
    recovery_directory_ = directory;
  }

  void describeBatch(Time time, ByteWriter& out) const override {
    auto range = batch_ranges_.find(time);
    if (range == batch_ranges_.end()) {
      out.writeByte(kInMemory);
      return;
    }
    out.writeByte(kLogged);
    out.writeVarint(range->second.first);
    out.writeVarint(range->second.second);
  }

  void writePosition(ByteWriter& out) const override {
    if (!log_) {
      out.writeByte(kInMemory);
      return;
    }
    out.writeByte(kLogged);
    out.writeVarint(next_unallocated_);
  }

  void readPosition(ByteReader& in) override { restored_position_ = readLoggedSequence(in); }

  void releaseBefore(ByteReader& position) override {
    std::optional<uint64_t> sequence = readLoggedSequence(position);
    if (sequence && log_) log_->deleteBefore(*sequence);
  }

  void clearSourceMetadata(Time time) override {
    InputNode<T>::clearSourceMetadata(time);
    batch_ranges_.erase(batch_ranges_.begin(), batch_ranges_.upper_bound(time));
  }

  /// The log, once `start()` opened it (null without one).
  const BlockLog* blockLog() const { return log_.get(); }
  /// The receiver this stream runs.
  Receiver<T>& receiver() { return supervisor_.receiver(); }

 protected:
  std::optional<RDD<T>> compute(Time time) override {
    std::vector<ReceivedBlock<T>> blocks;
    if (log_) {
      uint64_t first = next_unallocated_;
      // Blocks an earlier run logged and no batch took come first, then the new ones.
      if (next_unallocated_ < recovered_end_) {
        blocks = readBlocks(next_unallocated_, recovered_end_);
      }
      for (ReceivedBlock<T>& block : supervisor_.takeBlocks()) {
        if (*block.sequence >= first) blocks.push_back(std::move(block));
      }
      uint64_t end = blocks.empty() ? first : *blocks.back().sequence + 1;
      batch_ranges_[time] = {first, end};
      next_unallocated_ = end;
    } else {
      blocks = supervisor_.takeBlocks();
    }
    return toRdd(std::move(blocks));
  }

  std::optional<RDD<T>> computeReplay(Time time, ByteReader& in) override {
    uint8_t kind = in.readByte("a receiver batch description");
    if (kind == kInMemory) return compute(time);  // the run that logged it kept no blocks
    if (kind != kLogged) throwUnknownKind(kind, "batch description");
    uint64_t first = in.readVarint("the first block of a batch");
    uint64_t end = in.readVarint("the end of a batch's blocks");
    if (!log_) {
      engineLog(LogLevel::kWarn, this->name() + ": batch " + time.toString() +
                                     " took blocks from the write-ahead log, which is now off: "
                                     "it gets what the receiver holds instead");
      return compute(time);
    }
    auto blocks = readBlocks(first, end);
    batch_ranges_[time] = {first, end};
    next_unallocated_ = std::max(next_unallocated_, end);
    return toRdd(std::move(blocks));
  }

 private:
  // The first byte of descriptions and positions.
  static constexpr uint8_t kInMemory = 0;
  static constexpr uint8_t kLogged = 1;

  bool logEnabled() const {
    return !recovery_directory_.empty() && this->sharedCore()->config().receiverWriteAheadLog;
  }

  [[noreturn]] void throwUnknownKind(uint8_t kind, const std::string& what) const {
    throw Error(this->name() + ": unknown " + what + " kind " + std::to_string(kind));
  }

  // The block number of a position, or nullopt for a position without a log.
  std::optional<uint64_t> readLoggedSequence(ByteReader& in) const {
    uint8_t kind = in.readByte("a receiver position");
    if (kind == kInMemory) return std::nullopt;
    if (kind != kLogged) throwUnknownKind(kind, "position");
    return in.readVarint("a receiver position");
  }

  // Opens the log and sets what start() recovers from it; returns the stored position of the
  // last block logged.
  std::optional<std::string> openLog() {
    if constexpr (!Serializable<T>) {
      throw Error(this->name() + " of " + typeName(typeid(T)) +
                  ": Config::receiverWriteAheadLog is on, but this record type has no "
                  "caudal::Serializer, which the write-ahead log needs: specialize "
                  "caudal::Serializer<" + typeName(typeid(T)) +
                  "> (see <caudal/serde.h>) or turn the write-ahead log off");
    } else {
      log_ = BlockLog::open(recovery_directory_, log_segment_bytes_);
      uint64_t first = log_->firstSequence();
      uint64_t next = log_->nextSequence();
      uint64_t position = restored_position_.value_or(first);
      if (position < first || position > next) {
        throw Error(this->name() + ": the checkpoint's position is block " +
                    std::to_string(position) + ", but the write-ahead log in '" +
                    recovery_directory_ + "' holds blocks " + std::to_string(first) + " to " +
                    std::to_string(next) + " (exclusive): blocks were lost");
      }
      next_unallocated_ = position;
      recovered_end_ = next;
      std::optional<std::string> stored_position;
      if (next > first) {
        log_->read(next - 1, next, [&](uint64_t sequence, std::span<const std::byte> record) {
          ByteReader in(record);
          stored_position = withBlockContext(sequence, [&] { return readReceivedBlockHeader(in); });
        });
      }
      if (next > position) {
        engineLog(LogLevel::kInfo, this->name() + ": " + std::to_string(next - position) +
                                       " blocks recovered from the write-ahead log in '" +
                                       recovery_directory_ + "'");
      }
      return stored_position;
    }
  }

  // Runs `read` (decoding block `sequence`), adding the log and block to its error.
  template <class Read>
  auto withBlockContext(uint64_t sequence, Read read) const {
    try {
      return read();
    } catch (const Error& e) {
      throw Error("write-ahead log '" + recovery_directory_ + "': block " +
                  std::to_string(sequence) + ": " + e.what());
    }
  }

  // Blocks [first, end) from the log.
  std::vector<ReceivedBlock<T>> readBlocks(uint64_t first, uint64_t end) const {
    std::vector<ReceivedBlock<T>> blocks;
    if constexpr (Serializable<T>) {
      log_->read(first, end, [&](uint64_t sequence, std::span<const std::byte> record) {
        withBlockContext(sequence, [&] {
          ByteReader in(record);
          [[maybe_unused]] auto position = readReceivedBlockHeader(in);
          blocks.push_back({sequence, in.read<std::vector<T>>()});
          in.expectEnd("a received block");
        });
      });
    }
    return blocks;
  }

  std::optional<RDD<T>> toRdd(std::vector<ReceivedBlock<T>> blocks) {
    auto partitions = std::make_shared<std::vector<std::vector<T>>>();
    partitions->reserve(blocks.size());
    int64_t records = 0;
    for (ReceivedBlock<T>& block : blocks) {
      if (block.records.empty()) continue;  // a block that only carried a position
      records += static_cast<int64_t>(block.records.size());
      partitions->push_back(std::move(block.records));
    }
    auto core = this->sharedCore();
    core->reportInputRecords(records);
    return RDD<T>(std::make_shared<ParallelCollectionNode<T>>(core->executionContext(),
                                                              std::move(partitions)));
  }

  const uint64_t log_segment_bytes_;
  std::string recovery_directory_;             // set before start()
  std::optional<uint64_t> restored_position_;  // set before start()
  // The following are used under the core's graph lock (or before the context starts).
  std::unique_ptr<BlockLog> log_;  // declared before supervisor_, which writes to it
  uint64_t next_unallocated_ = 0;  // the first block no batch has taken
  uint64_t recovered_end_ = 0;     // the blocks below it were in the log at start()
  std::map<Time, std::pair<uint64_t, uint64_t>> batch_ranges_;  // [first, end) per batch
  ReceiverSupervisor<T> supervisor_;
};

}  // namespace caudal::detail
