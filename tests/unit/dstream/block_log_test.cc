// detail::BlockLog, the receivers' view of the write-ahead log, on real files.
#include "caudal/detail/block_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "caudal/error.h"
#include "support/temp_directory.h"

namespace caudal::detail {
namespace {

using ::testing::HasSubstr;

std::span<const std::byte> bytesOf(const std::string& text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

// The records [first, end) as (sequence, text) pairs.
std::vector<std::pair<uint64_t, std::string>> readRange(const BlockLog& log, uint64_t first,
                                                        uint64_t end) {
  std::vector<std::pair<uint64_t, std::string>> records;
  log.read(first, end, [&](uint64_t sequence, std::span<const std::byte> record) {
    records.emplace_back(sequence,
                         std::string(reinterpret_cast<const char*>(record.data()), record.size()));
  });
  return records;
}

TEST(BlockLogTest, AppendedRecordsAreNumberedAndReadBackByRange) {
  test::TempDirectory temp;
  auto log = BlockLog::open((temp / "log").string());
  EXPECT_EQ(log->appendAndSync(bytesOf("zero")), 0u);
  EXPECT_EQ(log->appendAndSync(bytesOf("one")), 1u);
  EXPECT_EQ(log->appendAndSync(bytesOf("two")), 2u);
  EXPECT_EQ(log->nextSequence(), 3u);
  using Records = std::vector<std::pair<uint64_t, std::string>>;
  EXPECT_EQ(readRange(*log, 1, 2), (Records{{1, "one"}}));
  EXPECT_EQ(readRange(*log, 0, 3), (Records{{0, "zero"}, {1, "one"}, {2, "two"}}));
  EXPECT_EQ(readRange(*log, 2, 2), Records{});

  auto reopened = BlockLog::open((temp / "log").string());
  EXPECT_EQ(reopened->nextSequence(), 3u);
  EXPECT_EQ(readRange(*reopened, 2, 3), (Records{{2, "two"}}));
}

TEST(BlockLogTest, ReadingPastTheLogOrDeletedRecordsIsAnErrorNamingTheDirectory) {
  test::TempDirectory temp;
  std::string directory = (temp / "log").string();
  auto log = BlockLog::open(directory, /*segment_bytes=*/1);
  for (const char* text : {"a", "b", "c"}) log->appendAndSync(bytesOf(text));
  log->deleteBefore(2);
  EXPECT_EQ(log->firstSequence(), 2u);
  EXPECT_EQ(log->segmentCount(), 1u);
  for (auto [first, end] : {std::pair<uint64_t, uint64_t>{0, 3}, {2, 4}}) {
    try {
      readRange(*log, first, end);
      ADD_FAILURE() << "read " << first << ".." << end << " did not throw";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr(directory));
      EXPECT_THAT(e.what(), HasSubstr("it holds blocks 2 to 2"));
    }
  }
}

TEST(BlockLogTest, AnExceptionFromTheVisitorReachesTheCaller) {
  test::TempDirectory temp;
  auto log = BlockLog::open((temp / "log").string());
  log->appendAndSync(bytesOf("x"));
  EXPECT_THROW(log->read(0, 1, [](uint64_t, std::span<const std::byte>) { throw Error("bad"); }),
               Error);
}

}  // namespace
}  // namespace caudal::detail
