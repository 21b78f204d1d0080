// The receivers' write-ahead log on real files: blocks durable before store() returns,
// batches replayed after a restart (simulated in-process: the stream is dropped and a new one
// opens the same directory, as the core does at recovery), old segments released.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "caudal/detail/receiver_input.h"
#include "caudal/detail/streaming_core.h"
#include "caudal/streaming.h"
#include "integration/wait_until.h"
#include "storage/write_ahead_log.h"
#include "support/dstream_testing.h"
#include "support/socket_server.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using test::Partitions;
using test::waitUntil;

using Lines = std::vector<std::string>;

// A receiver the test stores into directly; remembers the stored position it saw in onStart.
class HandReceiver final : public Receiver<std::string> {
 public:
  void onStart() override { position_at_start = storedPosition(); }
  void onStop() override {}
  std::optional<std::string> position_at_start;
};

using Node = detail::ReceiverInputNode<std::string>;

std::shared_ptr<detail::StreamingCore> makeCore(bool write_ahead_log) {
  Config config = test::smallConfig();
  config.receiverWriteAheadLog = write_ahead_log;
  config.blockInterval = Seconds(60);  // blocks come from store(vector) only
  return detail::StreamingCore::create(Milliseconds(100), config);
}

// A receiver stream on `directory`, set up as the core sets up a source before start().
std::shared_ptr<Node> makeNode(const std::shared_ptr<detail::StreamingCore>& core,
                               const fs::path& directory,
                               std::optional<std::string> position = std::nullopt,
                               uint64_t segment_bytes = uint64_t{64} << 20) {
  auto node = std::make_shared<Node>(core, "receiverStream", std::make_unique<HandReceiver>(),
                                     segment_bytes);
  if (position) {
    ByteReader in(*position);
    node->readPosition(in);
  }
  node->setRecoveryDirectory(directory.string());
  node->initializeSource(Time(0));
  return node;
}

HandReceiver& receiverOf(Node& node) { return dynamic_cast<HandReceiver&>(node.receiver()); }

// Generates batch `ms` and returns its partitions.
Partitions<std::string> runBatch(Node& node, int64_t ms) {
  node.generate(Time(ms));
  return node.getOrCompute(Time(ms))->collectPartitions();
}

// Replays batch `ms` from `description` and returns its partitions.
Partitions<std::string> replayBatch(Node& node, int64_t ms, const std::string& description) {
  ByteReader in(description);
  node.replay(Time(ms), in);
  return node.getOrCompute(Time(ms))->collectPartitions();
}

std::string describe(const Node& node, int64_t ms) {
  std::string bytes;
  ByteWriter out(bytes);
  node.describeBatch(Time(ms), out);
  out.flush();
  return bytes;
}

std::string position(const Node& node) {
  std::string bytes;
  ByteWriter out(bytes);
  node.writePosition(out);
  out.flush();
  return bytes;
}

// The logged range [first, end) a description holds.
std::pair<uint64_t, uint64_t> rangeOf(const std::string& description) {
  ByteReader in(description);
  EXPECT_EQ(in.readByte(), 1) << "not a logged range";
  uint64_t first = in.readVarint();
  uint64_t end = in.readVarint();
  return {first, end};
}

// A block as read from the log by the storage layer itself, not through the stream.
struct LoggedBlock {
  std::optional<std::string> position;
  Lines records;
  bool operator==(const LoggedBlock&) const = default;
};

std::vector<LoggedBlock> readLogIndependently(const fs::path& directory) {
  auto opened = storage::WriteAheadLog::open(directory);
  if (!opened.isOk()) throw Error(opened.status().message());
  std::vector<LoggedBlock> blocks;
  Status read = opened.value()->readFrom(
      opened.value()->firstSequence(), [&](uint64_t, std::span<const std::byte> record) {
        ByteReader in(record);
        LoggedBlock block;
        block.position = detail::readReceivedBlockHeader(in);
        block.records = in.read<Lines>();
        blocks.push_back(std::move(block));
        return Status::ok();
      });
  read.throwIfError();
  return blocks;
}

std::vector<std::string> fileNames(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReceiverWriteAheadLogTest, StoreReturnsOnlyOnceTheBlockIsInTheLogOnDisk) {
  test::TempDirectory temp;
  auto core = makeCore(true);
  auto node = makeNode(core, temp.path());
  node->start();
  HandReceiver& receiver = receiverOf(*node);

  receiver.store(Lines{"a", "b"}, "line-2");
  EXPECT_EQ(readLogIndependently(temp.path()),
            (std::vector<LoggedBlock>{{"line-2", {"a", "b"}}}));
  receiver.store(Lines{"c"});
  EXPECT_EQ(readLogIndependently(temp.path()),
            (std::vector<LoggedBlock>{{"line-2", {"a", "b"}}, {"line-2", {"c"}}}));
  EXPECT_EQ(receiver.storedPosition(), "line-2");

  // Records stored one at a time reach the log when their block is cut (here: at stop).
  receiver.store("d");
  receiver.store("e");
  node->stop();
  EXPECT_EQ(readLogIndependently(temp.path()),
            (std::vector<LoggedBlock>{
                {"line-2", {"a", "b"}}, {"line-2", {"c"}}, {"line-2", {"d", "e"}}}));
  EXPECT_EQ(runBatch(*node, 100), (Partitions<std::string>{{"a", "b"}, {"c"}, {"d", "e"}}));
  EXPECT_EQ(rangeOf(describe(*node, 100)), (std::pair<uint64_t, uint64_t>{0, 3}));
}

TEST(ReceiverWriteAheadLogTest, AfterARestartReplayedBatchesGetTheirBlocksAndTheRestGoesToTheNextBatch) {
  test::TempDirectory temp;
  std::string checkpointed_position;  // after batch 100, as a checkpoint of it stores it
  std::string description_200;        // batch 200 ran after that checkpoint
  {
    auto core = makeCore(true);
    auto node = makeNode(core, temp.path());
    node->start();
    HandReceiver& receiver = receiverOf(*node);
    EXPECT_EQ(receiver.position_at_start, std::nullopt);
    receiver.store(Lines{"b0-1", "b0-2"}, "p1");
    receiver.store(Lines{"b1"});
    EXPECT_EQ(runBatch(*node, 100), (Partitions<std::string>{{"b0-1", "b0-2"}, {"b1"}}));
    EXPECT_EQ(rangeOf(describe(*node, 100)), (std::pair<uint64_t, uint64_t>{0, 2}));
    checkpointed_position = position(*node);

    receiver.store(Lines{"b2"}, "p3");
    receiver.store(Lines{"b3"});
    EXPECT_EQ(runBatch(*node, 200), (Partitions<std::string>{{"b2"}, {"b3"}}));
    description_200 = describe(*node, 200);
    EXPECT_EQ(rangeOf(description_200), (std::pair<uint64_t, uint64_t>{2, 4}));

    // Durable, but no batch took them before the "crash".
    receiver.store(Lines{"b4"}, "p5");
    receiver.store(Lines{"b5-1", "b5-2"});
  }

  auto core = makeCore(true);
  auto node = makeNode(core, temp.path(), checkpointed_position);
  node->start();
  HandReceiver& receiver = receiverOf(*node);
  EXPECT_EQ(receiver.position_at_start, "p5") << "onStart sees the last durable position";
  EXPECT_EQ(receiver.storedPosition(), "p5");

  EXPECT_EQ(replayBatch(*node, 200, description_200), (Partitions<std::string>{{"b2"}, {"b3"}}));
  EXPECT_EQ(describe(*node, 200), description_200);
  receiver.store(Lines{"new"});
  EXPECT_EQ(runBatch(*node, 300), (Partitions<std::string>{{"b4"}, {"b5-1", "b5-2"}, {"new"}}));
  EXPECT_EQ(rangeOf(describe(*node, 300)), (std::pair<uint64_t, uint64_t>{4, 7}));
  EXPECT_EQ(runBatch(*node, 400), (Partitions<std::string>{}));
  EXPECT_EQ(rangeOf(describe(*node, 400)), (std::pair<uint64_t, uint64_t>{7, 7}));
  EXPECT_EQ(receiver.storedPosition(), "p5");
}

TEST(ReceiverWriteAheadLogTest, WithoutARestoredPositionEveryLoggedBlockGoesToTheFirstBatch) {
  test::TempDirectory temp;
  {
    auto core = makeCore(true);
    auto node = makeNode(core, temp.path());
    node->start();
    receiverOf(*node).store(Lines{"x"}, "1");
    receiverOf(*node).store(Lines{"y"}, "2");
  }
  auto core = makeCore(true);
  auto node = makeNode(core, temp.path());
  node->start();
  EXPECT_EQ(receiverOf(*node).position_at_start, "2");
  EXPECT_EQ(runBatch(*node, 100), (Partitions<std::string>{{"x"}, {"y"}}));
}

TEST(ReceiverWriteAheadLogTest, ReleaseBeforeDeletesTheSegmentsOnlyOlderBatchesNeeded) {
  test::TempDirectory temp;
  std::string position_after_100;
  std::string description_200;
  {
    auto core = makeCore(true);
    // Every block takes a segment of its own.
    auto node = makeNode(core, temp.path(), std::nullopt, /*segment_bytes=*/1);
    node->start();
    HandReceiver& receiver = receiverOf(*node);
    for (std::string block : {"b0", "b1", "b2", "b3"}) receiver.store(Lines{block});
    EXPECT_EQ(runBatch(*node, 100), (Partitions<std::string>{{"b0"}, {"b1"}, {"b2"}, {"b3"}}));
    position_after_100 = position(*node);
    for (std::string block : {"b4", "b5"}) receiver.store(Lines{block});
    EXPECT_EQ(runBatch(*node, 200), (Partitions<std::string>{{"b4"}, {"b5"}}));
    description_200 = describe(*node, 200);
    EXPECT_EQ(node->blockLog()->segmentCount(), 6u);

    // The oldest checkpoint kept is batch 100's: blocks 0..3 are no longer needed.
    ByteReader in(position_after_100);
    node->releaseBefore(in);
    EXPECT_EQ(fileNames(temp.path()),
              (std::vector<std::string>{"log-00000000000000000004", "log-00000000000000000005"}));
  }
  auto core = makeCore(true);
  auto node = makeNode(core, temp.path(), position_after_100, 1);
  node->start();
  EXPECT_EQ(replayBatch(*node, 200, description_200), (Partitions<std::string>{{"b4"}, {"b5"}}));
}

TEST(ReceiverWriteAheadLogTest, APositionWhoseBlocksWereDeletedFailsStart) {
  test::TempDirectory temp;
  std::string position_after_100;
  {
    auto core = makeCore(true);
    auto node = makeNode(core, temp.path(), std::nullopt, 1);
    node->start();
    receiverOf(*node).store(Lines{"b0"});
    runBatch(*node, 100);
    position_after_100 = position(*node);  // block 1
    for (std::string block : {"b1", "b2", "b3"}) receiverOf(*node).store(Lines{block});
    runBatch(*node, 200);
    std::string position_after_200 = position(*node);  // block 4
    ByteReader in(position_after_200);
    node->releaseBefore(in);
  }
  auto core = makeCore(true);
  auto node = makeNode(core, temp.path(), position_after_100, 1);
  try {
    node->start();
    FAIL() << "start did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("position is block 1"));
    EXPECT_THAT(e.what(), HasSubstr(temp.path().string()));
    EXPECT_THAT(e.what(), HasSubstr("blocks were lost"));
  }
}

TEST(ReceiverWriteAheadLogTest, WithoutTheLogBlocksStayInMemoryAndNothingIsWritten) {
  test::TempDirectory temp;
  auto core = makeCore(false);
  auto node = makeNode(core, temp.path());
  node->start();
  EXPECT_FALSE(node->canReplay());
  receiverOf(*node).store(Lines{"m"}, "pos");
  EXPECT_EQ(receiverOf(*node).storedPosition(), "pos");
  EXPECT_EQ(runBatch(*node, 100), (Partitions<std::string>{{"m"}}));
  EXPECT_EQ(describe(*node, 100), std::string(1, '\0'));
  EXPECT_EQ(node->blockLog(), nullptr);
  EXPECT_TRUE(fs::is_empty(temp.path()));
}

// A record type with no caudal::Serializer.
struct Opaque {
  int value = 0;
};

class OpaqueReceiver final : public Receiver<Opaque> {
 public:
  void onStart() override { store(std::vector<Opaque>{{7}, {8}}); }
  void onStop() override {}
};

TEST(ReceiverWriteAheadLogTest, RecordsWithoutASerializerAndTheLogOnFailStartNamingTheStream) {
  test::TempDirectory temp;
  Config config = test::smallConfig();
  config.receiverWriteAheadLog = true;
  StreamingContext ssc(Milliseconds(100), config);
  DStream<Opaque> stream = ssc.receiverStream(std::make_unique<OpaqueReceiver>());
  stream.foreachRDD([](const RDD<Opaque>&) {});
  // What the core does for each source when the context has a checkpoint directory.
  std::dynamic_pointer_cast<detail::InputSource>(stream.node())->setRecoveryDirectory(temp.path().string());
  try {
    ssc.runBatches(1);
    FAIL() << "runBatches did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("receiverStream"));
    EXPECT_THAT(e.what(), HasSubstr("Opaque"));
    EXPECT_THAT(e.what(), HasSubstr("caudal::Serializer"));
  }
}

TEST(ReceiverWriteAheadLogTest, RecordsWithoutASerializerWorkWithTheLogOff) {
  StreamingContext ssc(Milliseconds(100), test::smallConfig());
  auto log = test::recordBatches(
      ssc.receiverStream(std::make_unique<OpaqueReceiver>()).map([](Opaque&& o) { return o.value; }));
  ssc.runBatches(1);
  EXPECT_EQ(log->recordsPerBatch(), (std::vector<std::vector<int>>{{7, 8}}));
}

TEST(ReceiverWriteAheadLogTest, SocketTextStreamLogsEveryLineItDelivers) {
  test::TempDirectory temp;
  test::SocketServer server;
  int port = server.listen();
  Config config = test::smallConfig();
  config.receiverWriteAheadLog = true;
  config.blockInterval = Milliseconds(20);
  StreamingContext ssc(Milliseconds(100), config);
  DStream<std::string> lines = ssc.socketTextStream("127.0.0.1", port);
  std::dynamic_pointer_cast<detail::InputSource>(lines.node())->setRecoveryDirectory(temp.path().string());
  std::mutex mutex;
  Lines received;  // guarded by mutex
  lines.foreachRDD([&](const RDD<std::string>& rdd) {
    Lines batch = rdd.collect();
    std::lock_guard lock(mutex);
    received.insert(received.end(), batch.begin(), batch.end());
  });

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  Lines sent;
  for (int i = 0; i < 500; ++i) sent.push_back("line " + std::to_string(i));
  server.sendLines(sent);
  ASSERT_TRUE(waitUntil([&] {
    ssc.runBatches(1);
    std::lock_guard lock(mutex);
    return received.size() >= sent.size();
  }));
  ssc.stop();
  EXPECT_EQ(received, sent);
  Lines logged;
  for (const LoggedBlock& block : readLogIndependently(temp.path())) {
    EXPECT_EQ(block.position, std::nullopt);
    logged.insert(logged.end(), block.records.begin(), block.records.end());
  }
  EXPECT_EQ(logged, sent);
}

}  // namespace
}  // namespace caudal

namespace caudal {
namespace {

// A reliable receiver: stores numbered records in blocks of 7, each block with the number
// after it as its position, from where the log says it stopped, up to `total`.
class CountingReceiver final : public Receiver<int64_t> {
 public:
  explicit CountingReceiver(int64_t total) : total_(total) {}
  void onStart() override {
    int64_t from = storedPosition() ? std::stoll(*storedPosition()) : 0;
    thread_ = std::thread([this, from] {
      for (int64_t next = from; next < total_ && !isStopped();) {
        std::vector<int64_t> block;
        for (int i = 0; i < 7 && next < total_; ++i) block.push_back(next++);
        store(std::move(block), std::to_string(next));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  void onStop() override {
    if (thread_.joinable()) thread_.join();
  }

 private:
  int64_t total_;
  std::thread thread_;
};

// Through getOrCreate, several crashes (the context dropped mid-stream, the receiver stopped
// wherever it was): per-batch counts add up to every record exactly once, and the running
// totals after each batch equal the per-batch counts so far.
TEST(ReceiverRecovery, EveryRecordCountsOnceAcrossCrashes) {
  const int64_t kTotal = 3000;
  std::string directory = test::scratchDirectory().string();
  std::mutex mutex;
  std::map<int64_t, std::map<int64_t, int64_t>> per_batch;  // time -> key -> count
  std::map<int64_t, std::map<int64_t, int64_t>> totals;     // time -> key -> total
  auto factory = [&] {
    Config config = test::smallConfig();
    config.receiverWriteAheadLog = true;
    StreamingContext ssc(Seconds(1), config);
    ssc.checkpoint(directory);
    auto pairs = ssc.receiverStream(std::make_unique<CountingReceiver>(kTotal)).map([](int64_t n) {
      return std::pair<int64_t, int64_t>(n % 10, 1);
    });
    auto sum = [](int64_t a, int64_t b) { return a + b; };
    pairs.reduceByKey(sum).foreachRDD([&](const RDD<std::pair<int64_t, int64_t>>& rdd, Time time) {
      auto records = rdd.collect();
      std::map<int64_t, int64_t> counts(records.begin(), records.end());
      std::lock_guard lock(mutex);
      per_batch[time.milliseconds()] = counts;  // a batch run again replaces its counts
    });
    pairs
        .updateStateByKey([](const std::vector<int64_t>& ones, std::optional<int64_t> total) {
          return total.value_or(0) + static_cast<int64_t>(ones.size());
        })
        .checkpoint(Seconds(3))
        .foreachRDD([&](const RDD<std::pair<int64_t, int64_t>>& rdd, Time time) {
          std::map<int64_t, int64_t> counts;
          for (const auto& [key, total] : rdd.collect()) counts[key] = total;
          std::lock_guard lock(mutex);
          totals[time.milliseconds()] = counts;
        });
    return ssc;
  };
  auto totalOfLastBatch = [&] {
    std::lock_guard lock(mutex);
    int64_t sum = 0;
    if (!totals.empty()) {
      for (const auto& [key, total] : totals.rbegin()->second) sum += total;
    }
    return sum;
  };
  for (int run = 0; run < 4; ++run) {
    StreamingContext ssc = StreamingContext::getOrCreate(directory, factory);
    for (int i = 0; i < 2 + run; ++i) {
      ssc.runBatches(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  }  // dropped: a crash
  StreamingContext ssc = StreamingContext::getOrCreate(directory, factory);
  for (int i = 0; i < 500 && totalOfLastBatch() < kTotal; ++i) {
    ssc.runBatches(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ssc.stop();
  std::lock_guard lock(mutex);
  std::map<int64_t, int64_t> running;
  for (const auto& [time, counts] : per_batch) {
    for (const auto& [key, count] : counts) running[key] += count;
    EXPECT_EQ(totals.at(time), running) << "totals after batch " << time;
  }
  std::map<int64_t, int64_t> expected;
  for (int64_t n = 0; n < kTotal; ++n) ++expected[n % 10];
  EXPECT_EQ(running, expected);
  EXPECT_EQ(per_batch.size(), totals.size());
  EXPECT_EQ(static_cast<int64_t>(per_batch.rbegin()->first / 1000), static_cast<int64_t>(per_batch.size()))
      << "every batch time from 1 s on ran";
}

}  // namespace
}  // namespace caudal
