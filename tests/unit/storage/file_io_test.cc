// The storage file helpers: little-endian integers, numbered file names, whole writes and
// reads at an offset, and errors that name the file.

#include "storage/file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_directory.h"
#include "unit/storage/storage_testing.h"

namespace caudal::storage {
namespace {
namespace fs = std::filesystem;
using test::bytesOf;
using test::readWholeFile;
using test::TempDirectory;
using test::textOf;

TEST(FileIo, IntegersAreStoredLittleEndian) {
  std::array<std::byte, 8> bytes{};
  putU32(bytes.data(), 0x04030201u);
  EXPECT_EQ(textOf(std::span(bytes).first(4)), std::string("\x01\x02\x03\x04", 4));
  putU64(bytes.data(), 0x0807060504030201u);
  EXPECT_EQ(textOf(bytes), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(getU32(bytes.data()), 0x04030201u);
  EXPECT_EQ(getU64(bytes.data()), 0x0807060504030201u);
  std::vector<std::byte> high = bytesOf("\xff\xff\xff\xff\xff\xff\xff\xfe");
  EXPECT_EQ(getU64(high.data()), 0xfeffffffffffffffu);
}

TEST(FileIo, ParsesNumberedNamesOnly) {
  EXPECT_EQ(parseNumberedName("log-00000000000000000042", "log-", 20), 42u);
  EXPECT_EQ(parseNumberedName("log-18446744073709551615", "log-", 20),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parseNumberedName("log-18446744073709551616", "log-", 20), std::nullopt);  // 2^64
  EXPECT_EQ(parseNumberedName("log-0000000000000000042", "log-", 20), std::nullopt);
  EXPECT_EQ(parseNumberedName("log-000000000000000000042", "log-", 20), std::nullopt);
  EXPECT_EQ(parseNumberedName("gol-00000000000000000042", "log-", 20), std::nullopt);
  EXPECT_EQ(parseNumberedName("log-0000000000000000004x", "log-", 20), std::nullopt);
  EXPECT_EQ(parseNumberedName("log--0000000000000000042", "log-", 20), std::nullopt);
}

TEST(FileIo, WritesAndReadsAtOffsets) {
  TempDirectory dir;
  fs::path path = dir / "file";
  auto created = openFile(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, "test file", "create");
  ASSERT_TRUE(created.isOk()) << created.status().message();
  ScopedFd fd = std::move(created.value());
  ASSERT_TRUE(writeAllAt(fd.get(), bytesOf("hello"), 0, "test file", path).isOk());
  ASSERT_TRUE(writeAllAt(fd.get(), bytesOf("world"), 10, "test file", path).isOk());
  auto size = fileSize(fd.get(), "test file", path);
  ASSERT_TRUE(size.isOk()) << size.status().message();
  EXPECT_EQ(size.value(), 15u);

  // Asking for more than the file holds reads up to its end.
  std::vector<std::byte> buffer(20);
  auto read = readAt(fd.get(), buffer, 3, "test file", path);
  ASSERT_TRUE(read.isOk()) << read.status().message();
  ASSERT_EQ(read.value(), 12u);
  EXPECT_EQ(textOf(std::span(buffer).first(12)), std::string("lo\0\0\0\0\0world", 12));

  Status closed = fd.close("test file", path);
  ASSERT_TRUE(closed.isOk()) << closed.message();
  EXPECT_FALSE(fd.valid());
  EXPECT_EQ(readWholeFile(path), std::string("hello\0\0\0\0\0world", 15));
}

TEST(FileIo, MovingADescriptorLeavesTheSourceEmpty) {
  TempDirectory dir;
  fs::path path = dir.writeFile("file", "x");
  auto opened = openFile(path, O_RDONLY | O_CLOEXEC, "test file", "open");
  ASSERT_TRUE(opened.isOk()) << opened.status().message();
  ScopedFd first = std::move(opened.value());
  ASSERT_TRUE(first.valid());
  int fd = first.get();
  ScopedFd second = std::move(first);
  EXPECT_FALSE(first.valid());
  EXPECT_EQ(second.get(), fd);
  ScopedFd third;
  third = std::move(second);
  EXPECT_FALSE(second.valid());
  EXPECT_EQ(third.get(), fd);
}

TEST(FileIo, ErrorsNameWhatTheFileIsAndItsPath) {
  TempDirectory dir;
  fs::path missing = dir / "missing";
  auto opened = openFile(missing, O_RDONLY | O_CLOEXEC, "checkpoint file", "open");
  ASSERT_FALSE(opened.isOk());
  EXPECT_EQ(opened.status().message().rfind(
                "checkpoint file '" + missing.string() + "': cannot open: ", 0),
            0u)
      << opened.status().message();

  Status synced = syncDirectory(missing, "write-ahead log");
  ASSERT_FALSE(synced.isOk());
  EXPECT_EQ(synced.message().rfind(
                "write-ahead log '" + missing.string() + "': cannot open to sync: ", 0),
            0u)
      << synced.message();
  EXPECT_TRUE(syncDirectory(dir.path(), "write-ahead log").isOk());

  Status error = pathError("write-ahead log segment", "/data/log-1", "zero record length");
  EXPECT_EQ(error.message(), "write-ahead log segment '/data/log-1': zero record length");
}

}  // namespace
}  // namespace caudal::storage
