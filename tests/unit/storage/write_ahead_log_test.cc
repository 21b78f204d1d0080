// The write-ahead log: records read back in order across segments and reopenings; a torn or
// damaged tail of the last segment cut off (at every byte offset, and for bit flips) keeping
// exactly the whole records before it; damage elsewhere refused; old segments deleted safely.

#include "storage/write_ahead_log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/crc32c.h"
#include "support/temp_directory.h"
#include "unit/storage/storage_testing.h"

namespace caudal::storage {
namespace {
namespace fs = std::filesystem;
using test::appendU32;
using test::bytesOf;
using test::fileNames;
using test::LogCapture;
using test::overwrite;
using test::readWholeFile;
using test::TempDirectory;
using test::textOf;
using test::withBitFlipped;

std::unique_ptr<WriteAheadLog> openLog(const fs::path& directory, uint64_t segment_bytes) {
  auto opened = WriteAheadLog::open(directory, WriteAheadLogOptions{segment_bytes});
  if (!opened.isOk()) ADD_FAILURE() << opened.status().message();
  return std::move(opened).valueOrThrow();
}

uint64_t appendText(WriteAheadLog& log, std::string_view text) {
  auto appended = log.append(bytesOf(text));
  if (!appended.isOk()) ADD_FAILURE() << appended.status().message();
  return appended.isOk() ? appended.value() : ~uint64_t{0};
}

// Every record from `first`, as (sequence, text).
std::vector<std::pair<uint64_t, std::string>> readAll(const WriteAheadLog& log, uint64_t first) {
  std::vector<std::pair<uint64_t, std::string>> records;
  Status read = log.readFrom(first, [&](uint64_t sequence, std::span<const std::byte> record) {
    records.emplace_back(sequence, textOf(record));
    return Status::ok();
  });
  if (!read.isOk()) ADD_FAILURE() << read.message();
  return records;
}

std::vector<std::pair<uint64_t, std::string>> numbered(const std::vector<std::string>& texts,
                                                       uint64_t first_sequence = 0) {
  std::vector<std::pair<uint64_t, std::string>> records;
  for (size_t i = 0; i < texts.size(); ++i) records.emplace_back(first_sequence + i, texts[i]);
  return records;
}

void copyDirectory(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

// ---------------------------------------------------------------------------------------------

TEST(WriteAheadLog, RecordFrameIsLengthChecksumPayload) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 1 << 20);
    EXPECT_EQ(appendText(*log, "abc"), 0u);
    ASSERT_TRUE(log->sync().isOk());
  }
  std::string expected("\x03\x00\x00\x00", 4);
  appendU32(expected, crc32c(bytesOf("abc")));
  expected += "abc";
  EXPECT_EQ(readWholeFile(dir / "log-00000000000000000000"), expected);
}

TEST(WriteAheadLog, AppendsAndReadsBackAcrossSeveralSegments) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 64);
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    texts.push_back(fmt::format("record {}{}", i, std::string(static_cast<size_t>(i % 7), '+')));
    EXPECT_EQ(appendText(*log, texts.back()), static_cast<uint64_t>(i));
  }
  EXPECT_EQ(log->nextSequence(), 40u);
  EXPECT_EQ(log->firstSequence(), 0u);
  EXPECT_GE(log->segments().size(), 5u);
  ASSERT_TRUE(log->sync().isOk());
  for (const fs::path& segment : log->segments()) {
    EXPECT_LE(fs::file_size(segment), 64u) << segment;
  }
  EXPECT_EQ(readAll(*log, 0), numbered(texts));
  for (uint64_t first = 0; first <= 40; ++first) {
    auto expected = numbered(
        std::vector<std::string>(texts.begin() + static_cast<long>(first), texts.end()), first);
    EXPECT_EQ(readAll(*log, first), expected) << "from " << first;
  }
}

TEST(WriteAheadLog, SegmentsAreNamedAfterTheirFirstSequence) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 30);
  // Frames of 8 + 10 bytes: one per 30-byte segment.
  for (int i = 0; i < 3; ++i) appendText(*log, "0123456789");
  EXPECT_EQ(fileNames(log->segments()),
            (std::vector<std::string>{"log-00000000000000000000", "log-00000000000000000001",
                                      "log-00000000000000000002"}));
}

TEST(WriteAheadLog, RecordLargerThanASegmentGetsOneOfItsOwn) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 16);
  std::string big(100, 'x');
  appendText(*log, "a");
  appendText(*log, big);
  appendText(*log, "b");
  EXPECT_EQ(log->segments().size(), 3u);
  EXPECT_EQ(readAll(*log, 0), numbered({"a", big, "b"}));
}

TEST(WriteAheadLog, ReopenAfterCloseContinuesTheSequence) {
  TempDirectory dir;
  std::vector<std::string> texts = {"alpha", "beta", "gamma", "delta", "epsilon"};
  {
    auto log = openLog(dir.path(), 40);
    for (const std::string& text : texts) appendText(*log, text);
    ASSERT_TRUE(log->sync().isOk());
  }
  auto log = openLog(dir.path(), 40);
  EXPECT_EQ(log->firstSequence(), 0u);
  EXPECT_EQ(log->nextSequence(), 5u);
  EXPECT_EQ(readAll(*log, 0), numbered(texts));
  EXPECT_EQ(appendText(*log, "zeta"), 5u);
  texts.push_back("zeta");
  EXPECT_EQ(readAll(*log, 0), numbered(texts));
}

TEST(WriteAheadLog, EmptyRecordIsRefused) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 1 << 20);
  auto appended = log->append({});
  ASSERT_FALSE(appended.isOk());
  EXPECT_NE(appended.status().message().find("empty"), std::string::npos);
  EXPECT_EQ(log->nextSequence(), 0u);
}

TEST(WriteAheadLog, ReadFromOutsideTheLogIsAnError) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 1 << 20);
  appendText(*log, "one");
  Status read = log->readFrom(2, [](uint64_t, std::span<const std::byte>) { return Status::ok(); });
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.message().find("sequence 2"), std::string::npos) << read.message();
}

TEST(WriteAheadLog, VisitorErrorStopsTheReplay) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 1 << 20);
  for (const char* text : {"a", "b", "c"}) appendText(*log, text);
  std::vector<uint64_t> seen;
  Status read = log->readFrom(0, [&](uint64_t sequence, std::span<const std::byte>) {
    seen.push_back(sequence);
    return sequence == 1 ? Status::error("cannot apply record 1") : Status::ok();
  });
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.message(), "cannot apply record 1");
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1}));
}

// The last segment cut at every byte offset, as a crash in the middle of an append leaves it:
// reopening keeps exactly the records wholly before the cut, and appending carries on from the
// next sequence number.
TEST(WriteAheadLog, TornTailAtEveryByteOffsetKeepsTheWholeRecordsBeforeIt) {
  TempDirectory dir;
  fs::path original = dir / "original";
  // Two records fill the first 50-byte segment; three more go to the second.
  std::vector<std::string> texts = {"first record....", "second record...", "third", "fourth!",
                                    "fifth record"};
  {
    auto log = openLog(original, 50);
    for (const std::string& text : texts) appendText(*log, text);
    ASSERT_TRUE(log->sync().isOk());
    ASSERT_EQ(fileNames(log->segments()),
              (std::vector<std::string>{"log-00000000000000000000", "log-00000000000000000002"}));
  }
  const std::string last_name = "log-00000000000000000002";
  uint64_t last_size = fs::file_size(original / last_name);
  // Frame ends in the last segment, written out: 8 + 5, + 8 + 7, + 8 + 12.
  ASSERT_EQ(last_size, 48u);
  const uint64_t frame_ends[] = {13, 28, 48};

  fs::path copy = dir / "copy";
  for (uint64_t cut = 0; cut <= last_size; ++cut) {
    copyDirectory(original, copy);
    fs::resize_file(copy / last_name, cut);
    uint64_t whole = 0;
    while (whole < 3 && frame_ends[whole] <= cut) ++whole;
    uint64_t kept_bytes = whole == 0 ? 0 : frame_ends[whole - 1];

    LogCapture capture;
    auto opened = WriteAheadLog::open(copy, WriteAheadLogOptions{50});
    std::string log_text = capture.finish();
    ASSERT_TRUE(opened.isOk()) << "cut at " << cut << ": " << opened.status().message();
    WriteAheadLog& log = *opened.value();
    EXPECT_EQ(log.nextSequence(), 2 + whole) << "cut at " << cut;
    EXPECT_EQ(fs::file_size(copy / last_name), kept_bytes) << "cut at " << cut;
    std::vector<std::string> expected(texts.begin(), texts.begin() + 2 + static_cast<long>(whole));
    EXPECT_EQ(readAll(log, 0), numbered(expected)) << "cut at " << cut;
    if (cut == kept_bytes) {
      EXPECT_EQ(log_text.find("truncating"), std::string::npos) << "cut at " << cut << log_text;
    } else {
      EXPECT_NE(log_text.find((copy / last_name).string()), std::string::npos) << log_text;
      EXPECT_NE(log_text.find(fmt::format("at offset {}", kept_bytes)), std::string::npos)
          << "cut at " << cut << ": " << log_text;
    }

    EXPECT_EQ(appendText(log, "after the crash"), 2 + whole) << "cut at " << cut;
    ASSERT_TRUE(log.sync().isOk());
    expected.push_back("after the crash");
    opened = WriteAheadLog::open(copy, WriteAheadLogOptions{50});
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    EXPECT_EQ(readAll(*opened.value(), 0), numbered(expected)) << "cut at " << cut;
  }
}

TEST(WriteAheadLog, BitFlipInTheLastRecordDropsItWithAWarning) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 1 << 20);
    for (const char* text : {"one", "two", "three"}) appendText(*log, text);
    ASSERT_TRUE(log->sync().isOk());
  }
  // Frames: 8 + 3, 8 + 3, 8 + 5; flip a bit in the payload of "three" (offset 22 + 8 + 1).
  fs::path segment = dir / "log-00000000000000000000";
  std::string file = readWholeFile(segment);
  ASSERT_EQ(file.size(), 35u);
  file[31] = static_cast<char>(file[31] ^ 0x04);
  overwrite(segment, file);

  LogCapture capture;
  auto log = openLog(dir.path(), 1 << 20);
  std::string log_text = capture.finish();
  EXPECT_EQ(log->nextSequence(), 2u);
  EXPECT_EQ(readAll(*log, 0), numbered({"one", "two"}));
  EXPECT_NE(log_text.find("WARN"), std::string::npos) << log_text;
  EXPECT_NE(log_text.find(segment.string() + "': checksum mismatch"), std::string::npos)
      << log_text;
  EXPECT_NE(log_text.find("at offset 22 (record sequence 2)"), std::string::npos) << log_text;
  EXPECT_EQ(appendText(*log, "three again"), 2u);
}

// Whatever single bit of the last segment flips, reopening keeps a prefix of the records, all
// intact, and drops at least the damaged one.
TEST(WriteAheadLog, EveryBitFlipInTheLastSegmentKeepsOnlyIntactRecords) {
  TempDirectory dir;
  fs::path original = dir / "original";
  std::vector<std::string> texts = {"alpha", "beta", "gamma"};
  {
    auto log = openLog(original, 1 << 20);
    for (const std::string& text : texts) appendText(*log, text);
    ASSERT_TRUE(log->sync().isOk());
  }
  const std::string name = "log-00000000000000000000";
  std::string whole = readWholeFile(original / name);
  const uint64_t frame_ends[] = {13, 25, 38};
  ASSERT_EQ(whole.size(), 38u);
  fs::path copy = dir / "copy";
  for (size_t bit = 0; bit < whole.size() * 8; ++bit) {
    copyDirectory(original, copy);
    overwrite(copy / name, withBitFlipped(whole, bit));
    size_t damaged_record = 0;
    while (frame_ends[damaged_record] <= bit / 8) ++damaged_record;

    LogCapture capture;
    auto opened = WriteAheadLog::open(copy, WriteAheadLogOptions{1 << 20});
    capture.finish();
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    std::vector<std::string> expected(texts.begin(),
                                      texts.begin() + static_cast<long>(damaged_record));
    EXPECT_EQ(readAll(*opened.value(), 0), numbered(expected))
        << "flip of bit " << bit % 8 << " of byte " << bit / 8;
  }
}

TEST(WriteAheadLog, BitFlipInAnEarlierSegmentIsAnErrorNamingSegmentAndOffset) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 30);
    // Frames of 8 + 6: two per 30-byte segment.
    for (int i = 0; i < 6; ++i) appendText(*log, "record");
    ASSERT_TRUE(log->sync().isOk());
    ASSERT_EQ(log->segments().size(), 3u);
  }
  fs::path middle = dir / "log-00000000000000000002";
  std::string file = readWholeFile(middle);
  file[14 + 8 + 2] = static_cast<char>(file[14 + 8 + 2] ^ 0x80);  // second record's payload
  overwrite(middle, file);
  auto opened = WriteAheadLog::open(dir.path(), WriteAheadLogOptions{30});
  ASSERT_FALSE(opened.isOk());
  const std::string& message = opened.status().message();
  EXPECT_NE(message.find(fmt::format("segment '{}'", middle.string())), std::string::npos)
      << message;
  EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
  EXPECT_NE(message.find("at offset 14 (record sequence 3)"), std::string::npos) << message;
}

TEST(WriteAheadLog, TornEarlierSegmentIsAnError) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 30);
    for (int i = 0; i < 4; ++i) appendText(*log, "record");
  }
  fs::path first = dir / "log-00000000000000000000";
  fs::resize_file(first, 24);  // the second record's frame loses 4 of its 6 payload bytes
  auto opened = WriteAheadLog::open(dir.path(), WriteAheadLogOptions{30});
  ASSERT_FALSE(opened.isOk());
  EXPECT_NE(
      opened.status().message().find(fmt::format(
          "'{}': partial record (2 of 6 bytes) at offset 14 (record sequence 1)", first.string())),
      std::string::npos)
      << opened.status().message();
}

TEST(WriteAheadLog, MissingMiddleSegmentIsAnError) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 30);
    for (int i = 0; i < 6; ++i) appendText(*log, "record");
  }
  fs::remove(dir / "log-00000000000000000002");
  auto opened = WriteAheadLog::open(dir.path(), WriteAheadLogOptions{30});
  ASSERT_FALSE(opened.isOk());
  EXPECT_NE(opened.status().message().find("log-00000000000000000004': starts at sequence 4 but "
                                           "the previous segment ends before sequence 2"),
            std::string::npos)
      << opened.status().message();
}

TEST(WriteAheadLog, ZeroFilledTailIsCutOff) {
  TempDirectory dir;
  {
    auto log = openLog(dir.path(), 1 << 20);
    appendText(*log, "kept");
    ASSERT_TRUE(log->sync().isOk());
  }
  fs::path segment = dir / "log-00000000000000000000";
  fs::resize_file(segment, 12 + 64);  // a file system may leave zeros after a crash
  LogCapture capture;
  auto log = openLog(dir.path(), 1 << 20);
  std::string log_text = capture.finish();
  EXPECT_EQ(readAll(*log, 0), numbered({"kept"}));
  EXPECT_EQ(fs::file_size(segment), 12u);
  EXPECT_NE(log_text.find("zero record length at offset 12"), std::string::npos) << log_text;
}

TEST(WriteAheadLog, DeleteBeforeRemovesOnlySegmentsWhollyOlder) {
  TempDirectory dir;
  auto log = openLog(dir.path(), 30);
  std::vector<std::string> texts;
  // Frames of 8 + 6: two per segment, so segments start at 0, 2, 4, 6, 8.
  for (int i = 0; i < 10; ++i) {
    texts.push_back(fmt::format("rec-{}_", i));
    appendText(*log, texts.back());
  }
  ASSERT_EQ(log->segments().size(), 5u);

  ASSERT_TRUE(log->deleteBefore(0).isOk());
  EXPECT_EQ(log->firstSequence(), 0u);
  ASSERT_TRUE(log->deleteBefore(3).isOk());  // segment 0-1 goes; 3 is in segment 2-3
  EXPECT_EQ(log->firstSequence(), 2u);
  EXPECT_EQ(fileNames(log->segments()),
            (std::vector<std::string>{"log-00000000000000000002", "log-00000000000000000004",
                                      "log-00000000000000000006", "log-00000000000000000008"}));
  EXPECT_FALSE(fs::exists(dir / "log-00000000000000000000"));
  EXPECT_EQ(readAll(*log, 3),
            numbered(std::vector<std::string>(texts.begin() + 3, texts.end()), 3));

  ASSERT_TRUE(log->deleteBefore(6).isOk());  // 2-3 and 4-5 go; 6 starts a segment
  EXPECT_EQ(log->firstSequence(), 6u);
  EXPECT_EQ(readAll(*log, 6),
            numbered(std::vector<std::string>(texts.begin() + 6, texts.end()), 6));

  // Everything checkpointed: the segment being appended to stays.
  ASSERT_TRUE(log->deleteBefore(100).isOk());
  EXPECT_EQ(fileNames(log->segments()), std::vector<std::string>{"log-00000000000000000008"});
  EXPECT_EQ(log->firstSequence(), 8u);
  Status too_old =
      log->readFrom(7, [](uint64_t, std::span<const std::byte>) { return Status::ok(); });
  EXPECT_FALSE(too_old.isOk());

  // After reopening, the log starts where the deletions left it.
  log.reset();
  log = openLog(dir.path(), 30);
  EXPECT_EQ(log->firstSequence(), 8u);
  EXPECT_EQ(log->nextSequence(), 10u);
  EXPECT_EQ(readAll(*log, 8), numbered({texts[8], texts[9]}, 8));
  EXPECT_EQ(appendText(*log, "next"), 10u);
}

TEST(WriteAheadLog, UnrelatedFilesInTheDirectoryAreIgnored) {
  TempDirectory dir;
  dir.writeFile("README", "not a segment");
  dir.writeFile("log-1", "too few digits");
  auto log = openLog(dir.path(), 1 << 20);
  EXPECT_EQ(appendText(*log, "x"), 0u);
  EXPECT_EQ(readAll(*log, 0), numbered({"x"}));
}

}  // namespace
}  // namespace caudal::storage
