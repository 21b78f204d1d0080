// Checkpoint files: the documented layout, round trips for every codec, and damage (a cut at
// every byte, a flip of every bit) always reported, never read back as data; and the
// checkpoint directory's retention and fallback to an older checkpoint.

#include "storage/checkpoint_file.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "storage/crc32c.h"
#include "support/temp_directory.h"
#include "unit/storage/storage_testing.h"

namespace caudal::storage {
namespace {
namespace fs = std::filesystem;
using test::appendU32;
using test::appendU64;
using test::bytesOf;
using test::fileNames;
using test::LogCapture;
using test::overwrite;
using test::readWholeFile;
using test::TempDirectory;
using test::withBitFlipped;

uint32_t crcOf(std::string_view text) { return crc32c(bytesOf(text)); }

// A file built by hand from the documented layout.
std::string handBuiltFile(uint32_t version, uint8_t codec, std::string_view stored,
                          uint64_t uncompressed_length) {
  std::string file = "CAUDALCK";
  appendU32(file, version);
  file += static_cast<char>(codec);
  file += std::string(3, '\0');
  appendU64(file, uncompressed_length);
  appendU64(file, stored.size());
  file += stored;
  appendU32(file, crcOf(file));
  return file;
}

const Codec kAllCodecs[] = {Codec::kNone, Codec::kZstd, Codec::kLz4};

std::string codecName(Codec codec) {
  switch (codec) {
    case Codec::kNone:
      return "none";
    case Codec::kZstd:
      return "zstd";
    case Codec::kLz4:
      return "lz4";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// One file
// ---------------------------------------------------------------------------------------------

TEST(CheckpointFile, UncompressedFileHasTheDocumentedLayout) {
  TempDirectory dir;
  fs::path path = dir / "blob";
  ASSERT_TRUE(writeCheckpointFile(path, bytesOf("hello"), Codec::kNone).isOk());
  std::string expected = "CAUDALCK";
  expected += std::string("\x01\x00\x00\x00", 4);                  // version 1
  expected += std::string("\x00\x00\x00\x00", 4);                  // codec none, 3 reserved bytes
  expected += std::string("\x05\x00\x00\x00\x00\x00\x00\x00", 8);  // uncompressed length
  expected += std::string("\x05\x00\x00\x00\x00\x00\x00\x00", 8);  // stored length
  expected += "hello";
  appendU32(expected, crcOf(expected));
  EXPECT_EQ(readWholeFile(path), expected);
}

TEST(CheckpointFile, ReadsAHandBuiltFile) {
  TempDirectory dir;
  fs::path path = dir.writeFile("blob", handBuiltFile(1, 0, "state bytes", 11));
  auto read = readCheckpointFile(path);
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(read.value(), bytesOf("state bytes"));
}

TEST(CheckpointFile, CompressedFilesRecordCodecAndBothLengths) {
  TempDirectory dir;
  std::string text(1000, 'a');
  for (Codec codec : {Codec::kZstd, Codec::kLz4}) {
    fs::path path = dir / fmt::format("blob-{}", codecName(codec));
    ASSERT_TRUE(writeCheckpointFile(path, bytesOf(text), codec).isOk());
    std::string file = readWholeFile(path);
    ASSERT_GE(file.size(), 36u);
    EXPECT_EQ(static_cast<uint8_t>(file[12]), static_cast<uint8_t>(codec)) << codecName(codec);
    uint64_t uncompressed = 0, stored = 0;
    for (int i = 7; i >= 0; --i) {
      uncompressed = uncompressed << 8 | static_cast<uint8_t>(file[16 + i]);
      stored = stored << 8 | static_cast<uint8_t>(file[24 + i]);
    }
    EXPECT_EQ(uncompressed, 1000u) << codecName(codec);
    EXPECT_LT(stored, 1000u) << codecName(codec) << ": 1000 equal bytes compress";
    EXPECT_EQ(file.size(), 36 + stored) << codecName(codec);
  }
}

TEST(CheckpointFile, RoundTripsSmallEmptyAndOneMebibyteBlobsWithEveryCodec) {
  TempDirectory dir;
  std::mt19937 random(42);
  std::vector<std::byte> mebibyte(1 << 20);
  // Half random, half repetitive: both codecs' literal and match paths are exercised.
  for (size_t i = 0; i < mebibyte.size(); ++i) {
    mebibyte[i] = i < mebibyte.size() / 2 ? static_cast<std::byte>(random())
                                          : static_cast<std::byte>(i % 251);
  }
  std::vector<std::vector<std::byte>> blobs = {{}, bytesOf("a small blob"), mebibyte};
  for (Codec codec : kAllCodecs) {
    for (size_t b = 0; b < blobs.size(); ++b) {
      fs::path path = dir / fmt::format("blob-{}-{}", codecName(codec), b);
      Status written = writeCheckpointFile(path, blobs[b], codec);
      ASSERT_TRUE(written.isOk()) << written.message();
      auto read = readCheckpointFile(path);
      ASSERT_TRUE(read.isOk()) << read.status().message();
      EXPECT_EQ(read.value(), blobs[b]) << codecName(codec) << ", blob " << b;
    }
  }
}

TEST(CheckpointFile, ReplacesAnExistingFileAndLeavesNoTemporaryFile) {
  TempDirectory dir;
  fs::path path = dir / "blob";
  ASSERT_TRUE(writeCheckpointFile(path, bytesOf("first"), Codec::kNone).isOk());
  ASSERT_TRUE(writeCheckpointFile(path, bytesOf("second"), Codec::kZstd).isOk());
  auto read = readCheckpointFile(path);
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(read.value(), bytesOf("second"));
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"blob"});
}

TEST(CheckpointFile, WriteIntoAMissingDirectoryFailsNamingTheTemporaryFile) {
  TempDirectory dir;
  Status written = writeCheckpointFile(dir / "missing" / "blob", bytesOf("x"), Codec::kNone);
  ASSERT_FALSE(written.isOk());
  EXPECT_NE(written.message().find((dir / "missing").string()), std::string::npos)
      << written.message();
  EXPECT_NE(written.message().find("cannot create"), std::string::npos) << written.message();
}

TEST(CheckpointFile, MissingFileIsAnErrorNamingIt) {
  TempDirectory dir;
  auto read = readCheckpointFile(dir / "absent");
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find((dir / "absent").string()), std::string::npos);
}

TEST(CheckpointFile, NewerFormatVersionIsRefusedSayingSo) {
  TempDirectory dir;
  fs::path path = dir.writeFile("blob", handBuiltFile(2, 0, "future", 6));
  auto read = readCheckpointFile(path);
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find("unsupported format version 2"), std::string::npos)
      << read.status().message();
  EXPECT_NE(read.status().message().find(path.string()), std::string::npos);
}

TEST(CheckpointFile, OtherFilesAreRefusedForTheirMagic) {
  TempDirectory dir;
  fs::path path = dir.writeFile("blob", "PK\x03\x04 this is a zip file, not a checkpoint at all");
  auto read = readCheckpointFile(path);
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find("bad magic"), std::string::npos)
      << read.status().message();
}

TEST(CheckpointFile, ExtraBytesAfterTheChecksumAreAnError) {
  TempDirectory dir;
  fs::path path = dir.writeFile("blob", handBuiltFile(1, 0, "abc", 3) + "zz");
  auto read = readCheckpointFile(path);
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find("41 bytes where the header says 39"), std::string::npos)
      << read.status().message();
}

TEST(CheckpointFile, UnknownCodecAndWrongUncompressedLengthAreErrors) {
  TempDirectory dir;
  auto unknown = readCheckpointFile(dir.writeFile("codec", handBuiltFile(1, 9, "abc", 3)));
  ASSERT_FALSE(unknown.isOk());
  EXPECT_NE(unknown.status().message().find("unknown codec 9"), std::string::npos)
      << unknown.status().message();
  auto length = readCheckpointFile(dir.writeFile("length", handBuiltFile(1, 0, "abc", 4)));
  ASSERT_FALSE(length.isOk());
  EXPECT_NE(length.status().message().find("uncompressed length 4"), std::string::npos)
      << length.status().message();
}

TEST(CheckpointFile, NotZstdDataWithAGoodChecksumIsAnError) {
  TempDirectory dir;
  auto read = readCheckpointFile(dir.writeFile("blob", handBuiltFile(1, 1, "not zstd", 8)));
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find("zstd"), std::string::npos) << read.status().message();
}

// A cut at every byte offset of a small file, as a crash in the middle of a write without the
// rename would leave: always an error saying "truncated", never data.
TEST(CheckpointFile, TruncationAtEveryByteOffsetIsDetected) {
  TempDirectory dir;
  for (Codec codec : kAllCodecs) {
    fs::path original = dir / fmt::format("original-{}", codecName(codec));
    ASSERT_TRUE(writeCheckpointFile(original,
                                    bytesOf("a small checkpoint, twice: a small checkpoint"), codec)
                    .isOk());
    std::string whole = readWholeFile(original);
    fs::path cut_path = dir / "cut";
    for (size_t cut = 0; cut < whole.size(); ++cut) {
      overwrite(cut_path, std::string_view(whole).substr(0, cut));
      auto read = readCheckpointFile(cut_path);
      ASSERT_FALSE(read.isOk()) << codecName(codec) << ": cut at " << cut << " read back";
      const std::string& message = read.status().message();
      EXPECT_NE(message.find(cut_path.string()), std::string::npos) << message;
      if (cut >= 32) {
        std::string expected = fmt::format("truncated: {} of {} bytes", cut, whole.size());
        EXPECT_NE(message.find(expected), std::string::npos) << message;
      } else {
        EXPECT_NE(message.find(fmt::format("truncated: {} of at least 36 bytes", cut)),
                  std::string::npos)
            << message;
      }
    }
  }
}

// Every single-bit flip of a small file is caught: by the magic, the version, the lengths or
// the checksum.
TEST(CheckpointFile, EveryBitFlipIsDetected) {
  TempDirectory dir;
  for (Codec codec : kAllCodecs) {
    fs::path original = dir / fmt::format("original-{}", codecName(codec));
    ASSERT_TRUE(writeCheckpointFile(original, bytesOf("bits of state: 0123456789"), codec).isOk());
    std::string whole = readWholeFile(original);
    fs::path flipped_path = dir / "flipped";
    for (size_t bit = 0; bit < whole.size() * 8; ++bit) {
      overwrite(flipped_path, withBitFlipped(whole, bit));
      auto read = readCheckpointFile(flipped_path);
      ASSERT_FALSE(read.isOk()) << codecName(codec) << ": flip of bit " << bit % 8 << " of byte "
                                << bit / 8 << " went unnoticed";
      EXPECT_NE(read.status().message().find(flipped_path.string()), std::string::npos);
    }
  }
}

TEST(CheckpointFile, FlipInTheStoredBytesIsAChecksumMismatch) {
  TempDirectory dir;
  fs::path path = dir / "blob";
  ASSERT_TRUE(writeCheckpointFile(path, bytesOf("payload"), Codec::kNone).isOk());
  std::string file = readWholeFile(path);
  file[34] = static_cast<char>(file[34] ^ 0x10);
  overwrite(path, file);
  auto read = readCheckpointFile(path);
  ASSERT_FALSE(read.isOk());
  EXPECT_NE(read.status().message().find("checksum mismatch"), std::string::npos)
      << read.status().message();
}

// ---------------------------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------------------------

CheckpointDirectory openDirectory(const fs::path& path, int keep = 3) {
  auto opened = CheckpointDirectory::open(path, keep);
  if (!opened.isOk()) ADD_FAILURE() << opened.status().message();
  return std::move(opened).valueOrThrow();
}

TEST(CheckpointDirectory, FileNamesCarryTheBatchTimeInTwentyDigits) {
  EXPECT_EQ(CheckpointDirectory::fileName(Time(1500)), "checkpoint-00000000000000001500");
  EXPECT_EQ(CheckpointDirectory::fileName(Time(0)), "checkpoint-00000000000000000000");
}

TEST(CheckpointDirectory, EmptyOrNewDirectoryHasNoCheckpoint) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir / "new" / "checkpoints");
  EXPECT_TRUE(fs::is_directory(dir / "new" / "checkpoints"));
  auto latest = checkpoints.readLatest();
  ASSERT_TRUE(latest.isOk()) << latest.status().message();
  EXPECT_FALSE(latest.value().has_value());
}

TEST(CheckpointDirectory, ReadsTheNewestCheckpoint) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  ASSERT_TRUE(checkpoints.write(Time(2000), bytesOf("two"), Codec::kLz4).isOk());
  ASSERT_TRUE(checkpoints.write(Time(3000), bytesOf("three"), Codec::kZstd).isOk());
  ASSERT_TRUE(checkpoints.write(Time(1000), bytesOf("one"), Codec::kNone).isOk());
  auto latest = checkpoints.readLatest();
  ASSERT_TRUE(latest.isOk()) << latest.status().message();
  ASSERT_TRUE(latest.value().has_value());
  EXPECT_EQ(latest.value()->time.milliseconds(), 3000);
  EXPECT_EQ(latest.value()->bytes, bytesOf("three"));
  EXPECT_EQ(latest.value()->path, dir / "checkpoint-00000000000000003000");
}

TEST(CheckpointDirectory, KeepsTheNewestThree) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  for (int64_t t = 1; t <= 5; ++t) {
    ASSERT_TRUE(checkpoints.write(Time(t * 1000), bytesOf("state"), Codec::kNone).isOk());
  }
  auto listed = checkpoints.list();
  ASSERT_TRUE(listed.isOk()) << listed.status().message();
  EXPECT_EQ(fileNames(listed.value()),
            (std::vector<std::string>{"checkpoint-00000000000000003000",
                                      "checkpoint-00000000000000004000",
                                      "checkpoint-00000000000000005000"}));
}

TEST(CheckpointDirectory, HonoursAnotherRetentionCount) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path(), /*keep=*/1);
  for (int64_t t = 1; t <= 3; ++t) {
    ASSERT_TRUE(checkpoints.write(Time(t), bytesOf("state"), Codec::kNone).isOk());
  }
  auto listed = checkpoints.list();
  ASSERT_TRUE(listed.isOk());
  EXPECT_EQ(fileNames(listed.value()), std::vector<std::string>{"checkpoint-00000000000000000003"});
}

TEST(CheckpointDirectory, NeverDeletesTheCheckpointJustWritten) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  for (int64_t t = 2; t <= 4; ++t) {
    ASSERT_TRUE(checkpoints.write(Time(t * 1000), bytesOf("state"), Codec::kNone).isOk());
  }
  // Older than the three kept: it is written and stays; nothing newer is lost either.
  ASSERT_TRUE(checkpoints.write(Time(1000), bytesOf("old"), Codec::kNone).isOk());
  auto listed = checkpoints.list();
  ASSERT_TRUE(listed.isOk());
  EXPECT_EQ(fileNames(listed.value()),
            (std::vector<std::string>{
                "checkpoint-00000000000000001000", "checkpoint-00000000000000002000",
                "checkpoint-00000000000000003000", "checkpoint-00000000000000004000"}));
}

TEST(CheckpointDirectory, NegativeBatchTimeIsRefused) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  Status written = checkpoints.write(Time(-1), bytesOf("state"), Codec::kNone);
  ASSERT_FALSE(written.isOk());
  EXPECT_NE(written.message().find("negative batch time"), std::string::npos) << written.message();
}

TEST(CheckpointDirectory, CorruptNewestFallsBackToThePreviousWithAWarning) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  ASSERT_TRUE(checkpoints.write(Time(1000), bytesOf("one"), Codec::kNone).isOk());
  ASSERT_TRUE(checkpoints.write(Time(2000), bytesOf("two"), Codec::kZstd).isOk());
  fs::path newest = dir / "checkpoint-00000000000000002000";
  std::string file = readWholeFile(newest);
  file[file.size() - 6] = static_cast<char>(file[file.size() - 6] ^ 0x01);
  overwrite(newest, file);

  LogCapture capture;
  auto latest = checkpoints.readLatest();
  std::string log = capture.finish();
  ASSERT_TRUE(latest.isOk()) << latest.status().message();
  ASSERT_TRUE(latest.value().has_value());
  EXPECT_EQ(latest.value()->time.milliseconds(), 1000);
  EXPECT_EQ(latest.value()->bytes, bytesOf("one"));
  EXPECT_NE(log.find("WARN"), std::string::npos) << log;
  EXPECT_NE(log.find(newest.string() + "': checksum mismatch"), std::string::npos) << log;
  EXPECT_NE(log.find("recovering from the older checkpoint '" +
                     (dir / "checkpoint-00000000000000001000").string()),
            std::string::npos)
      << log;
}

TEST(CheckpointDirectory, TornNewestFallsBackPastSeveralUnreadableFiles) {
  TempDirectory dir;
  CheckpointDirectory checkpoints = openDirectory(dir.path());
  for (int64_t t = 1; t <= 3; ++t) {
    ASSERT_TRUE(
        checkpoints.write(Time(t), bytesOf(fmt::format("state {}", t)), Codec::kLz4).isOk());
  }
  fs::resize_file(dir / "checkpoint-00000000000000000003", 20);
  overwrite(dir / "checkpoint-00000000000000000002", "");

  LogCapture capture;
  auto latest = checkpoints.readLatest();
  std::string log = capture.finish();
  ASSERT_TRUE(latest.isOk()) << latest.status().message();
  ASSERT_TRUE(latest.value().has_value());
  EXPECT_EQ(latest.value()->time.milliseconds(), 1);
  EXPECT_EQ(latest.value()->bytes, bytesOf("state 1"));
  EXPECT_NE(log.find("checkpoint-00000000000000000003': truncated: 20 of at least 36 bytes"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("checkpoint-00000000000000000002': truncated: 0 of at least 36 bytes"),
            std::string::npos)
      << log;
}

TEST(CheckpointDirectory, NoReadableCheckpointIsAnErrorNamingTheDirectory) {
  TempDirectory dir;
  fs::path directory = dir / "checkpoints";
  CheckpointDirectory checkpoints = openDirectory(directory);
  ASSERT_TRUE(checkpoints.write(Time(1000), bytesOf("one"), Codec::kNone).isOk());
  ASSERT_TRUE(checkpoints.write(Time(2000), bytesOf("two"), Codec::kNone).isOk());
  for (const char* name : {"checkpoint-00000000000000001000", "checkpoint-00000000000000002000"}) {
    std::string file = readWholeFile(directory / name);
    file[36] = static_cast<char>(file[36] ^ 0x40);
    overwrite(directory / name, file);
  }
  LogCapture capture;
  auto latest = checkpoints.readLatest();
  capture.finish();
  ASSERT_FALSE(latest.isOk());
  const std::string& message = latest.status().message();
  EXPECT_NE(message.find(fmt::format("checkpoint directory '{}'", directory.string())),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("none of its 2 checkpoint files can be read"), std::string::npos)
      << message;
}

TEST(CheckpointDirectory, TemporaryFilesAreIgnoredAndStaleOnesDeletedOnOpen) {
  TempDirectory dir;
  {
    CheckpointDirectory checkpoints = openDirectory(dir.path());
    ASSERT_TRUE(checkpoints.write(Time(1000), bytesOf("one"), Codec::kNone).isOk());
  }
  // What a crash before the rename leaves, plus files that are none of the directory's.
  dir.writeFile(".checkpoint-00000000000000002000.tmp-0123456789abcdef", "half a checkpoint");
  dir.writeFile("notes.txt", "not a checkpoint");
  dir.writeFile("checkpoint-12", "too few digits");

  CheckpointDirectory reopened = openDirectory(dir.path());
  EXPECT_FALSE(fs::exists(dir / ".checkpoint-00000000000000002000.tmp-0123456789abcdef"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  auto listed = reopened.list();
  ASSERT_TRUE(listed.isOk());
  EXPECT_EQ(fileNames(listed.value()), std::vector<std::string>{"checkpoint-00000000000000001000"});

  // A temporary file appearing later (another write in progress) is not read either.
  dir.writeFile(".checkpoint-00000000000000003000.tmp-fedcba9876543210", "in progress");
  auto latest = reopened.readLatest();
  ASSERT_TRUE(latest.isOk()) << latest.status().message();
  ASSERT_TRUE(latest.value().has_value());
  EXPECT_EQ(latest.value()->time.milliseconds(), 1000);
  EXPECT_EQ(latest.value()->bytes, bytesOf("one"));
}

}  // namespace
}  // namespace caudal::storage
