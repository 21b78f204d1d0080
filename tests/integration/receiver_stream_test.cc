// receiverStream with custom receivers on real threads: storing, errors, restarts, stopping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "common/logging.h"
#include "integration/stderr_capture.h"
#include "integration/wait_until.h"
#include "support/dstream_testing.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::smallConfig;
using test::waitUntil;

// What happened to a receiver, in order, readable from the test's thread.
class EventLog {
 public:
  void add(std::string event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

// A receiver whose thread takes commands from the test: "record:<x>" stores x alone,
// "block:<x>,<y>" stores one block, "error:<m>" reports an error, "fail" asks for a restart.
// The thread runs while !isStopped(); onStop joins it. Events: "start", "stop", and
// "joined" once onStop has joined the thread.
class CommandReceiver final : public Receiver<std::string> {
 public:
  explicit CommandReceiver(std::shared_ptr<EventLog> events) : events_(std::move(events)) {}
  ~CommandReceiver() override { onStop(); }

  void onStart() override {
    events_->add("start");
    thread_ = std::thread([this] { run(); });
  }

  void onStop() override {
    if (!thread_.joinable()) return;
    events_->add("stop");
    wake_.notify_all();
    thread_.join();
    events_->add("joined");
  }

  // How many commands the receiving thread has carried out.
  size_t executed() const { return executed_.load(); }

  // Queues a command for the receiving thread.
  void send(std::string command) {
    {
      std::lock_guard lock(mutex_);
      commands_.push_back(std::move(command));
    }
    wake_.notify_all();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!isStopped()) {
      wake_.wait_for(lock, std::chrono::milliseconds(5), [&] { return !commands_.empty(); });
      while (!commands_.empty() && !isStopped()) {
        std::string command = std::move(commands_.front());
        commands_.pop_front();
        lock.unlock();
        execute(command);
        lock.lock();
      }
    }
  }

  void execute(const std::string& command) {
    struct Count {
      std::atomic<size_t>& executed;
      ~Count() { ++executed; }
    } count{executed_};
    size_t colon = command.find(':');
    std::string verb = command.substr(0, colon);
    std::string argument = colon == std::string::npos ? "" : command.substr(colon + 1);
    if (verb == "record") {
      store(argument);
    } else if (verb == "block") {
      store(split(argument, ','));
    } else if (verb == "error") {
      reportError(argument);
    } else if (verb == "fail") {
      restart("simulated failure", Milliseconds(20));
    }
  }

  std::shared_ptr<EventLog> events_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> commands_;  // guarded by mutex_
  std::atomic<size_t> executed_{0};
  std::thread thread_;
};

// Every record of each batch, and the number of partitions of each batch.
struct Collected {
  std::mutex mutex;
  std::vector<std::vector<std::string>> batches;
  std::vector<size_t> partitions;

  size_t recordCount() {
    std::lock_guard lock(mutex);
    size_t n = 0;
    for (const auto& batch : batches) n += batch.size();
    return n;
  }
  std::vector<std::string> records() {
    std::lock_guard lock(mutex);
    std::vector<std::string> all;
    for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
    return all;
  }
};

void collectInto(const DStream<std::string>& stream, Collected& collected) {
  stream.foreachRDD([&collected](const RDD<std::string>& rdd) {
    auto parts = rdd.collectPartitions();
    std::vector<std::string> records;
    for (const auto& part : parts) records.insert(records.end(), part.begin(), part.end());
    std::lock_guard lock(collected.mutex);
    collected.batches.push_back(std::move(records));
    collected.partitions.push_back(parts.size());
  });
}

bool runBatchesUntilRecords(StreamingContext& ssc, Collected& collected, size_t count) {
  return waitUntil([&] {
    ssc.runBatches(1);
    return collected.recordCount() >= count;
  });
}

TEST(ReceiverStreamTest, StoredRecordsAndBlocksReachTheBatchesInOrder) {
  auto events = std::make_shared<EventLog>();
  auto owned = std::make_unique<CommandReceiver>(events);
  CommandReceiver* receiver = owned.get();
  Collected collected;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  DStream<std::string> stream = ssc.receiverStream(std::move(owned));
  collectInto(stream, collected);

  ssc.runBatches(1);
  EXPECT_THAT(events->events(), ElementsAre("start"));
  receiver->send("block:a,b,c");
  ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 3));
  receiver->send("record:d");
  receiver->send("record:e");
  ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 5));
  receiver->send("block:f");
  ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 6));

  EXPECT_EQ(collected.records(), (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  {
    std::lock_guard lock(collected.mutex);
    for (size_t i = 0; i < collected.batches.size(); ++i) {
      // A block never straddles two batches, and an empty batch has no partition.
      if (collected.batches[i].empty()) {
        EXPECT_EQ(collected.partitions[i], 0u);
      }
    }
  }
  ssc.stop();
  EXPECT_THAT(events->events(), ElementsAre("start", "stop", "joined"));
}

TEST(ReceiverStreamTest, RecordsStoredOneByOneAreCutIntoBlocksEveryBlockInterval) {
  auto events = std::make_shared<EventLog>();
  auto owned = std::make_unique<CommandReceiver>(events);
  CommandReceiver* receiver = owned.get();
  Collected collected;
  Config config = smallConfig();
  config.blockInterval = Milliseconds(20);
  StreamingContext ssc(Milliseconds(1000), config);
  collectInto(ssc.receiverStream(std::move(owned)), collected);

  ssc.runBatches(1);
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) {
    // Appended, not "r" + to_string: GCC 12 at -O3 warns falsely (-Wstringop-overflow) on the latter.
    expected.push_back(std::string("r").append(std::to_string(i)));
    receiver->send("record:" + expected.back());
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  ASSERT_TRUE(waitUntil([&] {
    ssc.runBatches(1);
    return collected.recordCount() >= expected.size();
  }));
  EXPECT_EQ(collected.records(), expected);
  size_t most_partitions = 0;
  {
    std::lock_guard lock(collected.mutex);
    for (size_t parts : collected.partitions) most_partitions = std::max(most_partitions, parts);
  }
  EXPECT_GT(most_partitions, 1u) << "150 ms of records with 20 ms blocks gave one partition";
}

TEST(ReceiverStreamTest, ReportErrorIsLoggedAndTheReceiverKeepsRunning) {
  test::TempDirectory temp;
  auto events = std::make_shared<EventLog>();
  auto owned = std::make_unique<CommandReceiver>(events);
  CommandReceiver* receiver = owned.get();
  Collected collected;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.receiverStream(std::move(owned)), collected);
  ssc.runBatches(1);
  {
    test::StderrCapture log(temp / "stderr.log");
    receiver->send("error:the sensor went quiet");
    receiver->send("block:after-error");
    ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 1));
    if (logEnabled(LogLevel::kError)) {
      EXPECT_THAT(log.contents(),
                  HasSubstr("receiverStream: error reported by the receiver: the sensor went quiet"));
    }
  }
  EXPECT_EQ(collected.records(), (std::vector<std::string>{"after-error"}));
  EXPECT_THAT(events->events(), ElementsAre("start"));
  EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
}

TEST(ReceiverStreamTest, RestartStopsThenStartsTheReceiverOnAnotherThread) {
  auto events = std::make_shared<EventLog>();
  auto owned = std::make_unique<CommandReceiver>(events);
  CommandReceiver* receiver = owned.get();
  Collected collected;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.receiverStream(std::move(owned)), collected);

  ssc.runBatches(1);
  receiver->send("block:before");
  ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 1));
  // The receiving thread asks for the restart: onStop joins that very thread, so the restart
  // must run elsewhere.
  receiver->send("fail");
  ASSERT_TRUE(waitUntil([&] { return events->events().size() >= 4; }));
  EXPECT_THAT(events->events(), ElementsAre("start", "stop", "joined", "start"));
  ASSERT_TRUE(waitUntil([&] { return !receiver->isStopped(); }));
  receiver->send("block:after");
  ASSERT_TRUE(runBatchesUntilRecords(ssc, collected, 2));
  EXPECT_EQ(collected.records(), (std::vector<std::string>{"before", "after"}));

  ssc.stop();
  EXPECT_TRUE(receiver->isStopped());
  EXPECT_THAT(events->events(), ElementsAre("start", "stop", "joined", "start", "stop", "joined"));
}

TEST(ReceiverStreamTest, RecordsStoredRightBeforeAGracefulStopAreDelivered) {
  auto events = std::make_shared<EventLog>();
  auto owned = std::make_unique<CommandReceiver>(events);
  CommandReceiver* receiver = owned.get();
  Collected collected;
  Config config = smallConfig();
  config.blockInterval = Seconds(60);  // only the stop cuts the block
  StreamingContext ssc(Milliseconds(50), config);
  collectInto(ssc.receiverStream(std::move(owned)), collected);
  ssc.start();
  receiver->send("record:last-1");
  receiver->send("record:last-2");
  ASSERT_TRUE(waitUntil([&] { return receiver->executed() == 2; }));
  ssc.stop(true);
  EXPECT_EQ(collected.records(), (std::vector<std::string>{"last-1", "last-2"}));
  EXPECT_THAT(events->events(), ElementsAre("start", "stop", "joined"));
}

// A receiver that cannot start.
class BrokenReceiver final : public Receiver<int> {
 public:
  void onStart() override { throw Error("BrokenReceiver: the device is unplugged"); }
  void onStop() override {}
};

TEST(ReceiverStreamTest, AnErrorFromOnStartFailsStartWithItsMessage) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  ssc.receiverStream(std::make_unique<BrokenReceiver>()).print();
  try {
    ssc.start();
    FAIL() << "start did not throw";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "BrokenReceiver: the device is unplugged");
  }
  EXPECT_NE(ssc.getState(), StreamingContextState::kActive);
}

TEST(ReceiverStreamTest, AReceiverNotPartOfAStreamRefusesToStore) {
  auto events = std::make_shared<EventLog>();
  CommandReceiver receiver(events);
  EXPECT_TRUE(receiver.isStopped());
  try {
    receiver.store("x");
    FAIL() << "store did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("receiverStream"));
  }
}

TEST(ReceiverStreamTest, NullReceiverIsRefusedAtDefinition) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  EXPECT_THROW(ssc.receiverStream(std::unique_ptr<BrokenReceiver>()), Error);
}

}  // namespace
}  // namespace caudal
