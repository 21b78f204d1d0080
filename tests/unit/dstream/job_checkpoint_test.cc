// The bytes of a job checkpoint and a batch-log record: they read back as written, and bytes
// that are not one are an error naming the offset, never a wrong checkpoint.
#include "dstream/job_checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "caudal/error.h"

namespace caudal::detail {
namespace {

using ::testing::HasSubstr;

JobCheckpoint sample() {
  JobCheckpoint checkpoint;
  checkpoint.batch_duration = Seconds(1);
  checkpoint.zero_time = Time(1'700'000'000'000);
  checkpoint.time = Time(1'700'000'012'000);
  checkpoint.next_logged_batch = 42;
  checkpoint.graph.streams = {{"textFileStream", Seconds(1), {}},
                              {"map", Seconds(1), {0}},
                              {"reduceByKeyAndWindow", Seconds(2), {1}},
                              {"foreachRDD", Seconds(2), {2}}};
  checkpoint.graph.sources = {"textFileStream"};
  checkpoint.positions = {std::string("\x02" "ab", 3)};
  checkpoint.states = {{2, {{Time(1'700'000'010'000), true}, {Time(1'700'000'012'000), false}}}};
  return checkpoint;
}

std::span<const std::byte> byteView(const std::string& text) { return std::as_bytes(std::span(text)); }

TEST(JobCheckpointFormat, ReadsBackAsWritten) {
  JobCheckpoint written = sample();
  JobCheckpoint read = decodeCheckpoint(byteView(encodeCheckpoint(written)));
  EXPECT_EQ(read.batch_duration, written.batch_duration);
  EXPECT_EQ(read.zero_time, written.zero_time);
  EXPECT_EQ(read.time, written.time);
  EXPECT_EQ(read.next_logged_batch, 42u);
  EXPECT_EQ(read.graph.streams, written.graph.streams);
  EXPECT_EQ(read.graph.sources, written.graph.sources);
  EXPECT_EQ(read.positions, written.positions);
  ASSERT_EQ(read.states.size(), 1u);
  EXPECT_EQ(read.states[0].partitions, 2u);
  EXPECT_EQ(read.states[0].chain, written.states[0].chain);
}

TEST(JobCheckpointFormat, EveryTruncationIsAnError) {
  std::string bytes = encodeCheckpoint(sample());
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_THROW(decodeCheckpoint(byteView(bytes.substr(0, size))), Error) << "cut at " << size;
  }
  EXPECT_THAT([&] { decodeCheckpoint(byteView(bytes + "x")); }, ::testing::Throws<Error>());
}

TEST(JobCheckpointFormat, UnknownVersionAndChainsWithoutSnapshotAreRefused) {
  std::string bytes = encodeCheckpoint(sample());
  bytes[0] = 9;
  try {
    decodeCheckpoint(byteView(bytes));
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("unsupported job checkpoint format version 9"));
  }
  JobCheckpoint no_snapshot = sample();
  no_snapshot.states[0].chain.front().full = false;
  EXPECT_THROW(decodeCheckpoint(byteView(encodeCheckpoint(no_snapshot))), Error);
}

TEST(JobCheckpointFormat, LoggedBatchReadsBackAndTruncationsAreErrors) {
  LoggedBatch batch{Time(5000), {"", std::string("\x00\x01", 2), "files"}};
  std::string bytes = encodeLoggedBatch(batch);
  LoggedBatch read = decodeLoggedBatch(byteView(bytes));
  EXPECT_EQ(read.time, batch.time);
  EXPECT_EQ(read.descriptions, batch.descriptions);
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_THROW(decodeLoggedBatch(byteView(bytes.substr(0, size))), Error) << "cut at " << size;
  }
}

TEST(GraphSignature, DifferencesAreNamed) {
  GraphSignature saved = sample().graph;
  GraphSignature rebuilt = saved;
  rebuilt.streams[2].slide = Seconds(4);
  try {
    checkSameGraph(saved, rebuilt, "/ckpt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'/ckpt' is not the job that wrote it: stream #2 is 'reduceByKeyAndWindow' "
                                    "(slide 4000 ms, parents #1) but was 'reduceByKeyAndWindow' (slide 2000 ms, "
                                    "parents #1)"));
  }
  rebuilt = saved;
  rebuilt.streams.pop_back();
  EXPECT_THROW(checkSameGraph(saved, rebuilt, "/ckpt"), Error);
  rebuilt = saved;
  rebuilt.sources = {"socketTextStream"};
  try {
    checkSameGraph(saved, rebuilt, "/ckpt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("its sources are [socketTextStream] but were [textFileStream]"));
  }
  EXPECT_NO_THROW(checkSameGraph(saved, saved, "/ckpt"));
}

}  // namespace
}  // namespace caudal::detail
