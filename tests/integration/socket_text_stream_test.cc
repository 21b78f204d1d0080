// socketTextStream against a real TCP server on 127.0.0.1, with the receiver's real thread.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netdb.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/dstream_testing.h"
#include "common/logging.h"
#include "integration/stderr_capture.h"
#include "integration/wait_until.h"
#include "support/socket_server.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

using test::smallConfig;

using ::testing::HasSubstr;
using test::SocketServer;
using test::waitUntil;

// What the output saw: batch → partition (block) → lines, in batch order.
class Received {
 public:
  void add(std::vector<std::vector<std::string>> partitions) {
    std::lock_guard lock(mutex_);
    batches_.push_back(std::move(partitions));
  }
  std::vector<std::vector<std::vector<std::string>>> batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  // Every line received, in order.
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> all;
    for (const auto& batch : batches_) {
      for (const auto& block : batch) all.insert(all.end(), block.begin(), block.end());
    }
    return all;
  }
  size_t lineCount() const { return lines().size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<std::vector<std::vector<std::string>>> batches_;
};

// Records each batch of `stream`, block by block (glom keeps each partition's order).
void collectInto(const DStream<std::string>& stream, Received& received) {
  stream.glom().foreachRDD(
      [&received](const RDD<std::vector<std::string>>& rdd) { received.add(rdd.collect()); });
}

// Runs one batch at a time (every 10 ms) until `received` holds at least `count` lines.
bool runBatchesUntilLines(StreamingContext& ssc, const Received& received, size_t count) {
  return waitUntil([&] {
    ssc.runBatches(1);
    return received.lineCount() >= count;
  });
}

std::vector<std::string> numberedLines(const std::string& prefix, int first, int count) {
  std::vector<std::string> lines;
  for (int i = first; i < first + count; ++i) lines.push_back(prefix + std::to_string(i));
  return lines;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(SocketTextStreamTest, LinesArriveInOrderAcrossBatches) {
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);  // starts the receiver
  ASSERT_TRUE(server.accept()) << "the receiver never connected";
  std::vector<std::string> expected;
  for (int round = 0; round < 3; ++round) {
    auto lines = numberedLines("round" + std::to_string(round) + "-line", 0, 20);
    server.sendLines(lines);
    expected = concat(expected, lines);
    ASSERT_TRUE(runBatchesUntilLines(ssc, received, expected.size()))
        << "got " << received.lineCount() << " of " << expected.size() << " lines";
  }
  for (int i = 0; i < 3; ++i) ssc.runBatches(1);  // nothing more arrives

  EXPECT_EQ(received.lines(), expected);
  size_t non_empty_batches = 0;
  for (const auto& batch : received.batches()) non_empty_batches += batch.empty() ? 0 : 1;
  EXPECT_GE(non_empty_batches, 3u) << "each round was sent after the previous one was seen";
}

TEST(SocketTextStreamTest, StripsCrLfAndReassemblesLinesSplitAcrossSends) {
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  // Each piece is read by the receiver before the next is sent, so every split below is
  // seen by it as two separate reads.
  for (std::string_view piece : {"alpha\r\nbe", "ta\r\ngam", "ma\r", "\ndel", "ta\n", "\r\n",
                                 "epsilon\n"}) {
    server.send(piece);
    ASSERT_TRUE(server.waitUntilClientRead()) << "the receiver did not read '" << piece << "'";
  }
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, 6));
  EXPECT_EQ(received.lines(),
            (std::vector<std::string>{"alpha", "beta", "gamma", "delta", "", "epsilon"}));
}

TEST(SocketTextStreamTest, LastLineWithoutNewlineIsDeliveredWhenTheServerCloses) {
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  server.send("first\nsecond\r\nlast without newline");
  server.closeConnection();
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, 3));
  for (int i = 0; i < 3; ++i) ssc.runBatches(1);
  EXPECT_EQ(received.lines(),
            (std::vector<std::string>{"first", "second", "last without newline"}));
}

TEST(SocketTextStreamTest, FinalLineEndingInCarriageReturnIsStrippedToo) {
  // "\r" then the end of the stream: the "\r\n" that never completed is not part of the line
  // (Java's readLine, behind Spark's socketTextStream, ends a line at "\r" too).
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  server.send("first\r\nlast\r");
  server.closeConnection();
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, 2));
  EXPECT_EQ(received.lines(), (std::vector<std::string>{"first", "last"}));
}

TEST(SocketTextStreamTest, LinesLongerThanOneReadAndManyLinesInOneSend) {
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  std::vector<std::string> expected = {std::string(1 << 20, 'L'), "short",
                                       std::string((64 << 10) + 1, 'M')};
  auto many = numberedLines("bulk", 0, 20000);
  expected = concat(expected, many);
  server.sendLines(expected);
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, expected.size()));
  auto lines = received.lines();
  ASSERT_EQ(lines.size(), expected.size());
  EXPECT_TRUE(lines == expected) << "lines lost, reordered or cut";
}

TEST(SocketTextStreamTest, StopWhileTheReceiverWaitsToRetryReturnsPromptly) {
  SocketServer server;
  int port = server.listen();
  server.stopListening();
  StreamingContext ssc(Milliseconds(100), smallConfig());
  ssc.socketTextStream("127.0.0.1", port).foreachRDD([](const RDD<std::string>&) {});
  ssc.start();
  ASSERT_TRUE(waitUntil([&] { return ssc.completedBatches().size() >= 3; }));
  // By now the receiver sleeps in its backoff; stop() must wake it rather than wait it out.
  ssc.stop(true);
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_TRUE(ssc.awaitTerminationOrTimeout(Milliseconds(10)));
}

TEST(SocketTextStreamTest, BlocksCutEveryBlockIntervalBecomePartitions) {
  SocketServer server;
  int port = server.listen();
  Received received;
  Config config = smallConfig();
  config.blockInterval = Milliseconds(50);
  StreamingContext ssc(Milliseconds(1000), config);
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  // 30 lines over about 300 ms: several 50 ms blocks, all taken by the next batch.
  auto expected = numberedLines("line", 0, 30);
  for (const std::string& line : expected) {
    server.sendLine(line);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(server.waitUntilClientRead());
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, expected.size()));

  EXPECT_EQ(received.lines(), expected) << "blocks keep the order of the lines";
  size_t most_partitions = 0;
  for (const auto& batch : received.batches()) {
    most_partitions = std::max(most_partitions, batch.size());
    for (const auto& block : batch) EXPECT_FALSE(block.empty()) << "a block is never empty";
  }
  EXPECT_GT(most_partitions, 1u) << "300 ms of data with 50 ms blocks gave one partition";
}

TEST(SocketTextStreamTest, RefusedConnectionIsRetriedWithBackoffUntilTheServerListens) {
  SocketServer server;
  int port = server.listen();
  server.stopListening();  // nobody listens on `port` now: connections are refused

  test::TempDirectory temp;
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);
  {
    test::StderrCapture log(temp / "stderr.log");
    ssc.runBatches(1);
    if (logEnabled(LogLevel::kWarn)) {
      // Two refused attempts, the second waiting twice as long as the first.
      ASSERT_TRUE(waitUntil([&] {
        ssc.runBatches(1);
        return log.contents().find("retrying in 200 ms") != std::string::npos;
      })) << log.contents();
      std::string text = log.contents();
      EXPECT_THAT(text, HasSubstr("127.0.0.1:" + std::to_string(port)));
      EXPECT_THAT(text, HasSubstr("Connection refused"));
      EXPECT_THAT(text, HasSubstr("retrying in 100 ms"));
    } else {
      for (int i = 0; i < 30; ++i) {
        ssc.runBatches(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
  EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
  EXPECT_EQ(received.lineCount(), 0u);

  ASSERT_EQ(server.listen(port), port);
  ASSERT_TRUE(server.accept()) << "the receiver did not retry";
  auto expected = numberedLines("late", 0, 10);
  server.sendLines(expected);
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, expected.size()));
  EXPECT_EQ(received.lines(), expected);
  EXPECT_EQ(ssc.getState(), StreamingContextState::kActive);
}

TEST(SocketTextStreamTest, ReconnectsAfterTheServerClosesTheConnection) {
  SocketServer server;
  int port = server.listen();
  Received received;
  StreamingContext ssc(Milliseconds(100), smallConfig());
  collectInto(ssc.socketTextStream("127.0.0.1", port), received);

  ssc.runBatches(1);
  ASSERT_TRUE(server.accept());
  auto before = numberedLines("before", 0, 10);
  server.sendLines(before);
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, before.size()));
  server.closeConnection();

  ASSERT_TRUE(server.accept()) << "the receiver did not reconnect";
  auto after = numberedLines("after", 0, 10);
  server.sendLines(after);
  ASSERT_TRUE(runBatchesUntilLines(ssc, received, before.size() + after.size()));
  for (int i = 0; i < 3; ++i) ssc.runBatches(1);
  EXPECT_EQ(received.lines(), concat(before, after));
}

// True when the resolver cannot say right now whether `host` exists (no DNS server).
bool resolverUnavailable(const char* host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  int error = getaddrinfo(host, "9999", &hints, &result);
  if (result) freeaddrinfo(result);
  return error == EAI_AGAIN;
}

TEST(SocketTextStreamTest, UnknownHostFailsTheFirstRunBatchesNamingTheHost) {
  if (resolverUnavailable("no-such-host.invalid")) GTEST_SKIP() << "the resolver is unavailable";
  StreamingContext ssc(Milliseconds(100), smallConfig());
  ssc.socketTextStream("no-such-host.invalid", 9999).foreachRDD([](const RDD<std::string>&) {});
  try {
    ssc.runBatches(1);
    FAIL() << "runBatches did not throw";
  } catch (const BatchFailedError& e) {
    FAIL() << "expected caudal::Error at start, got BatchFailedError: " << e.what();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no-such-host.invalid"));
  }
}

TEST(SocketTextStreamTest, UnknownHostFailsStartNamingTheHost) {
  if (resolverUnavailable("no-such-host.invalid")) GTEST_SKIP() << "the resolver is unavailable";
  StreamingContext ssc(Milliseconds(100), smallConfig());
  ssc.socketTextStream("no-such-host.invalid", 9999).print();
  try {
    ssc.start();
    FAIL() << "start did not throw";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no-such-host.invalid"));
  }
  EXPECT_NE(ssc.getState(), StreamingContextState::kActive);
}

TEST(SocketTextStreamTest, PortOutOfRangeFailsAtDefinition) {
  StreamingContext ssc(Milliseconds(100), smallConfig());
  for (int port : {0, 70000, -1, 65536}) {
    try {
      ssc.socketTextStream("127.0.0.1", port);
      ADD_FAILURE() << "port " << port << " was accepted";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::to_string(port)));
    }
  }
}

std::vector<std::string> splitWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The network word count: lines → words → (word, 1) → reduceByKey, in real time.
TEST(SocketTextStreamTest, NetworkWordCountGracefulStopCountsEveryWordOnce) {
  SocketServer server;
  int port = server.listen();

  std::mutex mutex;
  std::map<std::string, int64_t> totals;  // guarded by mutex
  int64_t duplicate_keys = 0;             // guarded by mutex

  StreamingContext ssc(Milliseconds(200), smallConfig());
  auto lines = ssc.socketTextStream("127.0.0.1", port);
  auto counts = lines.flatMap([](std::string&& line) { return splitWords(line); })
                    .map([](std::string&& word) { return std::pair<std::string, int64_t>(word, 1); })
                    .reduceByKey([](int64_t a, int64_t b) { return a + b; });
  counts.foreachRDD([&](const RDD<std::pair<std::string, int64_t>>& rdd) {
    auto pairs = rdd.collect();
    std::lock_guard lock(mutex);
    std::map<std::string, int> seen_in_batch;
    for (const auto& [word, count] : pairs) {
      totals[word] += count;
      if (++seen_in_batch[word] > 1) ++duplicate_keys;
    }
  });
  auto counted = [&] {
    std::lock_guard lock(mutex);
    int64_t sum = 0;
    for (const auto& [word, count] : totals) sum += count;
    return sum;
  };

  ssc.start();
  EXPECT_FALSE(ssc.awaitTerminationOrTimeout(Milliseconds(50)));
  ASSERT_TRUE(server.accept());

  std::map<std::string, int64_t> expected;
  int64_t sent = 0;
  const std::vector<std::string> vocabulary = {"to", "be", "or", "not", "spark", "caudal"};
  for (int round = 0; round < 4; ++round) {
    std::vector<std::string> round_lines;
    for (int i = 0; i < 25; ++i) {
      std::string line;
      for (int w = 0; w <= (i + round) % 5; ++w) {
        const std::string& word = vocabulary[static_cast<size_t>(i * 7 + w * 3 + round) % vocabulary.size()];
        line += (w == 0 ? "" : "  ") + word;
        ++expected[word];
        ++sent;
      }
      round_lines.push_back(line);
    }
    server.sendLines(round_lines);
    ASSERT_TRUE(server.waitUntilClientRead());
    if (round < 3) {  // the last round is left for the graceful stop to deliver
      ASSERT_TRUE(waitUntil([&] { return counted() == sent; }))
          << "counted " << counted() << " of " << sent << " words";
    }
  }
  EXPECT_FALSE(ssc.awaitTerminationOrTimeout(Milliseconds(10)));
  ssc.stop(true);

  EXPECT_TRUE(ssc.awaitTerminationOrTimeout(Milliseconds(10)));
  EXPECT_EQ(ssc.getState(), StreamingContextState::kStopped);
  EXPECT_EQ(counted(), sent);
  std::lock_guard lock(mutex);
  EXPECT_EQ(totals, expected);
  EXPECT_EQ(duplicate_keys, 0) << "reduceByKey left a word twice in one batch";
  for (const BatchInfo& info : ssc.completedBatches()) EXPECT_FALSE(info.failed) << info.failureReason;
}

}  // namespace
}  // namespace caudal
