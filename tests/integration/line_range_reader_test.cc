// readLinesInRange on real files, at every kind of slice boundary textFileStream can cut.
#include "connectors/file/line_range_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "caudal/error.h"
#include "support/temp_directory.h"

namespace caudal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Lines = std::vector<std::string>;

Lines read(const fs::path& file, uint64_t begin, uint64_t end) {
  Lines lines;
  readLinesInRange(file.string(), begin, end, [&](std::string&& line) { lines.push_back(std::move(line)); });
  return lines;
}

// The lines of reading [0, cuts[0]), [cuts[0], cuts[1]), …, [cuts.back(), size), one after
// the other.
Lines readTiled(const fs::path& file, const std::vector<uint64_t>& cuts) {
  uint64_t size = fs::file_size(file);
  Lines lines;
  uint64_t begin = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    uint64_t end = i < cuts.size() ? cuts[i] : size;
    for (std::string& line : read(file, begin, end)) lines.push_back(std::move(line));
    begin = end;
  }
  return lines;
}

// Offsets in "aaa\nbb\r\ncccc\n\nd": a=0..2 \n=3, b=4..5 \r=6 \n=7, c=8..11 \n=12, \n=13, d=14.
constexpr std::string_view kText = "aaa\nbb\r\ncccc\n\nd";
const Lines kAllLines = {"aaa", "bb", "cccc", "", "d"};

class LineRangeReaderTest : public ::testing::Test {
 protected:
  test::TempDirectory temp_;
  fs::path file_ = temp_.writeFile("lines.txt", kText);
};

TEST_F(LineRangeReaderTest, WholeFileGivesEveryLine) {
  EXPECT_EQ(read(file_, 0, kText.size()), kAllLines);
}

TEST_F(LineRangeReaderTest, CutExactlyAtALineStartGivesThatLineToTheSecondRange) {
  EXPECT_EQ(read(file_, 0, 4), (Lines{"aaa"}));
  EXPECT_EQ(read(file_, 4, kText.size()), (Lines{"bb", "cccc", "", "d"}));
}

TEST_F(LineRangeReaderTest, CutOnTheNewlineGivesTheNextLineToTheSecondRange) {
  // Byte 3 is the "\n" of "aaa": the line starting at 4 starts in [3, …).
  EXPECT_EQ(read(file_, 0, 3), (Lines{"aaa"}));
  EXPECT_EQ(read(file_, 3, kText.size()), (Lines{"bb", "cccc", "", "d"}));
}

TEST_F(LineRangeReaderTest, CutOneByteBeforeTheNewline) {
  EXPECT_EQ(read(file_, 0, 2), (Lines{"aaa"}));
  EXPECT_EQ(read(file_, 2, kText.size()), (Lines{"bb", "cccc", "", "d"}));
}

TEST_F(LineRangeReaderTest, CutOneByteAfterALineStart) {
  // Byte 5 is inside "bb": the first range reads "bb" past its end.
  EXPECT_EQ(read(file_, 0, 5), (Lines{"aaa", "bb"}));
  EXPECT_EQ(read(file_, 5, kText.size()), (Lines{"cccc", "", "d"}));
}

TEST_F(LineRangeReaderTest, CutInsideACrLf) {
  // Byte 7 is the "\n" of "bb\r\n", byte 6 its "\r".
  EXPECT_EQ(read(file_, 0, 7), (Lines{"aaa", "bb"}));
  EXPECT_EQ(read(file_, 7, kText.size()), (Lines{"cccc", "", "d"}));
  EXPECT_EQ(read(file_, 0, 6), (Lines{"aaa", "bb"}));
  EXPECT_EQ(read(file_, 6, kText.size()), (Lines{"cccc", "", "d"}));
}

TEST_F(LineRangeReaderTest, CutAtAnEmptyLineAndAtTheLastLineWithoutNewline) {
  EXPECT_EQ(read(file_, 13, 14), (Lines{""}));
  EXPECT_EQ(read(file_, 14, kText.size()), (Lines{"d"}));
  EXPECT_EQ(read(file_, 0, 14), (Lines{"aaa", "bb", "cccc", ""}));
}

TEST_F(LineRangeReaderTest, EmptyRangesGiveNothing) {
  for (uint64_t at = 0; at <= kText.size(); ++at) {
    EXPECT_EQ(read(file_, at, at), Lines{}) << "empty range at " << at;
  }
}

TEST_F(LineRangeReaderTest, EveryTilingWithOneOrTwoCutsReadsEveryLineOnce) {
  for (uint64_t first = 0; first <= kText.size(); ++first) {
    EXPECT_EQ(readTiled(file_, {first}), kAllLines) << "cut at " << first;
    for (uint64_t second = first; second <= kText.size(); ++second) {
      EXPECT_EQ(readTiled(file_, {first, second}), kAllLines)
          << "cuts at " << first << " and " << second;
    }
  }
}

TEST_F(LineRangeReaderTest, EmptyFileGivesNothing) {
  fs::path empty = temp_.writeFile("empty.txt", "");
  EXPECT_EQ(read(empty, 0, 0), Lines{});
}

TEST_F(LineRangeReaderTest, LinesLongerThanTheReadBufferAndCutsNearItsEdges) {
  // Lines of up to 3 MiB around the reader's 1 MiB buffer, cut around each MiB boundary.
  constexpr uint64_t kMiB = 1 << 20;
  Lines lines = {std::string(kMiB - 1, 'a'), std::string(kMiB, 'b'), "", std::string(3 * kMiB, 'c'),
                 "short", std::string(kMiB + 1, 'd') + "\r", std::string(10, 'e')};
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  text.pop_back();  // the last line has no newline
  fs::path big = temp_.writeFile("big.txt", text);
  lines[5].pop_back();  // "\r\n" is not part of the line

  std::vector<uint64_t> cuts;
  for (uint64_t boundary = kMiB; boundary < text.size(); boundary += kMiB) {
    for (uint64_t cut : {boundary - 2, boundary - 1, boundary, boundary + 1}) cuts.push_back(cut);
  }
  for (uint64_t cut : cuts) {
    Lines got = readTiled(big, {cut});
    ASSERT_EQ(got.size(), lines.size()) << "cut at " << cut;
    EXPECT_TRUE(got == lines) << "cut at " << cut;
  }
  EXPECT_TRUE(readTiled(big, cuts) == lines) << "all cuts at once";
}

TEST_F(LineRangeReaderTest, MissingFileThrowsNamingIt) {
  fs::path missing = temp_ / "missing.txt";
  try {
    read(missing, 0, 10);
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(missing.string()));
  }
}

}  // namespace
}  // namespace caudal
