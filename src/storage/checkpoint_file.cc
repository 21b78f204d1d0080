#include "storage/checkpoint_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <lz4.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "common/logging.h"
#include "storage/crc32c.h"
#include "storage/file_io.h"

namespace caudal::storage {
namespace fs = std::filesystem;
namespace {

// What the files are called in error messages ("checkpoint file '<path>': …").
constexpr std::string_view kFileWhat = "checkpoint file";
constexpr std::string_view kMagic = "CAUDALCK";
constexpr size_t kHeaderBytes = 32;  // magic 8, version 4, codec 1, reserved 3, lengths 2 x 8
constexpr size_t kChecksumBytes = 4;
constexpr size_t kMinFileBytes = kHeaderBytes + kChecksumBytes;
constexpr std::string_view kFilePrefix = "checkpoint-";
constexpr size_t kTimeDigits = 20;
constexpr std::string_view kTempMarker = ".tmp-";
// LZ4 cannot expand a block by more than about 255 times; a header claiming more is corrupt,
// and rejecting it avoids allocating what a damaged length field asks for.
constexpr uint64_t kLz4MaxExpansion = 255;

Status fileError(const fs::path& path, std::string_view problem) {
  return pathError(kFileWhat, path, problem);
}
Status fileErrno(const fs::path& path, std::string_view action, int error) {
  return pathErrno(kFileWhat, path, action, error);
}

Result<std::vector<std::byte>> compress(const fs::path& path, std::span<const std::byte> data,
                                        Codec codec) {
  std::vector<std::byte> stored;
  switch (codec) {
    case Codec::kNone:
      return std::vector<std::byte>(data.begin(), data.end());
    case Codec::kZstd: {
      stored.resize(ZSTD_compressBound(data.size()));
      size_t size = ZSTD_compress(stored.data(), stored.size(), data.data(), data.size(),
                                  ZSTD_CLEVEL_DEFAULT);
      if (ZSTD_isError(size)) {
        return fileError(path, fmt::format("zstd compression failed: {}", ZSTD_getErrorName(size)));
      }
      stored.resize(size);
      return stored;
    }
    case Codec::kLz4: {
      if (data.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        return fileError(path, fmt::format("{} bytes is more than lz4 can compress ({} bytes)",
                                           data.size(), LZ4_MAX_INPUT_SIZE));
      }
      int input_size = static_cast<int>(data.size());
      stored.resize(static_cast<size_t>(LZ4_compressBound(input_size)));
      int size = LZ4_compress_default(reinterpret_cast<const char*>(data.data()),
                                      reinterpret_cast<char*>(stored.data()), input_size,
                                      static_cast<int>(stored.size()));
      if (size <= 0) return fileError(path, "lz4 compression failed");
      stored.resize(static_cast<size_t>(size));
      return stored;
    }
  }
  return fileError(path, fmt::format("unknown codec {}", static_cast<int>(codec)));
}

Result<std::vector<std::byte>> decompress(const fs::path& path, std::span<const std::byte> stored,
                                          Codec codec, uint64_t length) {
  switch (codec) {
    case Codec::kNone:
      if (stored.size() != length) {
        return fileError(path, fmt::format("uncompressed length {} differs from stored length {}",
                                           length, stored.size()));
      }
      return std::vector<std::byte>(stored.begin(), stored.end());
    case Codec::kZstd: {
      unsigned long long content = ZSTD_getFrameContentSize(stored.data(), stored.size());
      if (content == ZSTD_CONTENTSIZE_ERROR) return fileError(path, "corrupt zstd data");
      if (content == ZSTD_CONTENTSIZE_UNKNOWN) {
        return fileError(path, "zstd frame does not record its content size");
      }
      if (content != length) {
        return fileError(path,
                         fmt::format("zstd frame holds {} bytes, header says {}", content, length));
      }
      std::vector<std::byte> out(length);
      size_t size = ZSTD_decompress(out.data(), out.size(), stored.data(), stored.size());
      if (ZSTD_isError(size)) {
        return fileError(path, fmt::format("corrupt zstd data: {}", ZSTD_getErrorName(size)));
      }
      if (size != length) {
        return fileError(path,
                         fmt::format("zstd data holds {} bytes, header says {}", size, length));
      }
      return out;
    }
    case Codec::kLz4: {
      if (stored.size() > static_cast<uint64_t>(std::numeric_limits<int>::max()) ||
          length > static_cast<uint64_t>(LZ4_MAX_INPUT_SIZE) ||
          length > kLz4MaxExpansion * stored.size()) {
        return fileError(path, fmt::format("lz4 lengths out of range (stored {}, uncompressed {})",
                                           stored.size(), length));
      }
      std::vector<std::byte> out(length);
      char empty_output;  // LZ4 wants a valid pointer even for an empty output
      char* output = out.empty() ? &empty_output : reinterpret_cast<char*>(out.data());
      int size = LZ4_decompress_safe(reinterpret_cast<const char*>(stored.data()), output,
                                     static_cast<int>(stored.size()), static_cast<int>(length));
      if (size < 0) return fileError(path, "corrupt lz4 data");
      if (static_cast<uint64_t>(size) != length) {
        return fileError(path,
                         fmt::format("lz4 data holds {} bytes, header says {}", size, length));
      }
      return out;
    }
  }
  return fileError(path, fmt::format("unknown codec {}", static_cast<int>(codec)));
}

std::string randomSuffix() {
  std::random_device device;
  uint64_t value = (static_cast<uint64_t>(device()) << 32) ^ device();
  return fmt::format("{:016x}", value);
}

Result<std::vector<std::byte>> readWholeFile(const fs::path& path) {
  auto opened = openFile(path, O_RDONLY | O_CLOEXEC, kFileWhat, "open");
  if (!opened.isOk()) return opened.status();
  const ScopedFd& fd = opened.value();
  auto size = fileSize(fd.get(), kFileWhat, path);
  if (!size.isOk()) return size.status();
  std::vector<std::byte> bytes(static_cast<size_t>(size.value()));
  auto filled = readAt(fd.get(), bytes, 0, kFileWhat, path);
  if (!filled.isOk()) return filled.status();
  bytes.resize(filled.value());  // shrank since fstat: judged by the caller by its real size
  return bytes;
}

// "checkpoint-<20 digits>" -> its batch time; anything else -> nullopt.
std::optional<int64_t> parseFileName(std::string_view name) {
  std::optional<uint64_t> value = parseNumberedName(name, kFilePrefix, kTimeDigits);
  if (!value || *value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return std::nullopt;
  }
  return static_cast<int64_t>(*value);
}

bool isTempFileName(std::string_view name) {
  return name.starts_with(".") && name.substr(1).starts_with(kFilePrefix) &&
         name.find(kTempMarker) != std::string_view::npos;
}

struct Entry {
  int64_t time_ms;
  fs::path path;
};

Result<std::vector<Entry>> listEntries(const fs::path& directory) {
  std::vector<Entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (auto time = parseFileName(it->path().filename().string())) {
      entries.push_back({*time, it->path()});
    }
  }
  if (ec) {
    return Status::error(fmt::format("checkpoint directory '{}': cannot list: {}",
                                     directory.string(), ec.message()));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.time_ms < b.time_ms; });
  return entries;
}

}  // namespace

Status writeCheckpointFile(const fs::path& path, std::span<const std::byte> data, Codec codec) {
  auto stored = compress(path, data, codec);
  if (!stored.isOk()) return stored.status();

  std::array<std::byte, kHeaderBytes> header{};
  std::memcpy(header.data(), kMagic.data(), kMagic.size());
  putU32(header.data() + 8, kCheckpointFormatVersion);
  header[12] = static_cast<std::byte>(codec);
  putU64(header.data() + 16, data.size());
  putU64(header.data() + 24, stored.value().size());
  std::array<std::byte, kChecksumBytes> checksum{};
  putU32(checksum.data(), crc32cExtend(crc32c(header), stored.value()));

  fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  fs::path temp =
      directory / fmt::format(".{}{}{}", path.filename().string(), kTempMarker, randomSuffix());
  auto created = openFile(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileWhat, "create");
  if (!created.isOk()) return created.status();
  ScopedFd& fd = created.value();
  Status status = writeAllAt(fd.get(), header, 0, kFileWhat, temp);
  if (status.isOk()) {
    status = writeAllAt(fd.get(), stored.value(), kHeaderBytes, kFileWhat, temp);
  }
  if (status.isOk()) {
    status = writeAllAt(fd.get(), checksum, kHeaderBytes + stored.value().size(), kFileWhat, temp);
  }
  if (status.isOk() && ::fsync(fd.get()) != 0) status = fileErrno(temp, "sync", errno);
  if (Status closed = fd.close(kFileWhat, temp); !closed.isOk() && status.isOk()) {
    status = std::move(closed);
  }
  if (status.isOk() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = fileErrno(path, fmt::format("rename '{}' to it", temp.string()), errno);
  }
  if (!status.isOk()) {
    ::unlink(temp.c_str());
    return status;
  }
  return syncDirectory(directory, "checkpoint directory");
}

Result<std::vector<std::byte>> readCheckpointFile(const fs::path& path) {
  auto read = readWholeFile(path);
  if (!read.isOk()) return read.status();
  const std::vector<std::byte>& file = read.value();
  const size_t size = file.size();

  auto truncatedHeader = [&] {
    return fileError(path, fmt::format("truncated: {} of at least {} bytes", size, kMinFileBytes));
  };
  // A file shorter than the magic is judged by the bytes it has: a prefix of it is truncated.
  std::string_view magic(reinterpret_cast<const char*>(file.data()), std::min(size, kMagic.size()));
  if (!kMagic.starts_with(magic)) return fileError(path, "not a checkpoint file (bad magic)");
  if (size < 12) return truncatedHeader();
  uint32_t version = getU32(file.data() + 8);
  if (version > kCheckpointFormatVersion) {
    return fileError(path, fmt::format("unsupported format version {} (this build reads up to {})",
                                       version, kCheckpointFormatVersion));
  }
  if (version == 0) return fileError(path, "unsupported format version 0");
  if (size < kHeaderBytes) return truncatedHeader();

  uint64_t uncompressed_length = getU64(file.data() + 16);
  uint64_t stored_length = getU64(file.data() + 24);
  if (stored_length > std::numeric_limits<uint64_t>::max() - kMinFileBytes) {
    return fileError(path, fmt::format("stored length {} out of range", stored_length));
  }
  uint64_t expected_size = kMinFileBytes + stored_length;
  if (size < expected_size) {
    return fileError(path, fmt::format("truncated: {} of {} bytes", size, expected_size));
  }
  if (size > expected_size) {
    return fileError(path, fmt::format("{} bytes where the header says {}", size, expected_size));
  }

  std::span<const std::byte> covered(file.data(), kHeaderBytes + stored_length);
  uint32_t expected_crc = getU32(file.data() + covered.size());
  uint32_t actual_crc = crc32c(covered);
  if (actual_crc != expected_crc) {
    return fileError(path, fmt::format("checksum mismatch (stored {:08x}, computed {:08x})",
                                       expected_crc, actual_crc));
  }

  // Checked after the checksum: with a good checksum these are a writer's bug, not damage.
  auto codec_byte = static_cast<uint8_t>(file[12]);
  if (codec_byte > static_cast<uint8_t>(Codec::kLz4)) {
    return fileError(path, fmt::format("unknown codec {}", codec_byte));
  }
  if (file[13] != std::byte{0} || file[14] != std::byte{0} || file[15] != std::byte{0}) {
    return fileError(path, "reserved header bytes are not zero");
  }
  return decompress(path, covered.subspan(kHeaderBytes), static_cast<Codec>(codec_byte),
                    uncompressed_length);
}

CheckpointDirectory::CheckpointDirectory(fs::path directory, int keep)
    : directory_(std::move(directory)), keep_(std::max(keep, 1)) {}

Result<CheckpointDirectory> CheckpointDirectory::open(const fs::path& directory, int keep) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) {
    return Status::error(fmt::format("checkpoint directory '{}': cannot create: {}",
                                     directory.string(), ec.message()));
  }
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (isTempFileName(it->path().filename().string())) stale.push_back(it->path());
  }
  if (ec) {
    return Status::error(fmt::format("checkpoint directory '{}': cannot list: {}",
                                     directory.string(), ec.message()));
  }
  for (const fs::path& path : stale) {
    // Left by a write that never reached its rename; the checkpoint it held never existed.
    if (fs::remove(path, ec); ec) {
      logWarn("checkpoint directory '{}': cannot delete unfinished file '{}': {}",
              directory.string(), path.string(), ec.message());
    } else {
      logInfo("checkpoint directory '{}': deleted unfinished file '{}'", directory.string(),
              path.string());
    }
  }
  return CheckpointDirectory(directory, keep);
}

std::string CheckpointDirectory::fileName(Time time) {
  return fmt::format("{}{:0{}}", kFilePrefix, time.milliseconds(), kTimeDigits);
}

Status CheckpointDirectory::write(Time time, std::span<const std::byte> data, Codec codec) {
  if (time.milliseconds() < 0) {
    return Status::error(fmt::format("checkpoint directory '{}': negative batch time {} ms",
                                     directory_.string(), time.milliseconds()));
  }
  Status written = writeCheckpointFile(directory_ / fileName(time), data, codec);
  if (!written.isOk()) return written;

  // Retention is housekeeping: the checkpoint is already durable, so failures are only logged.
  auto entries = listEntries(directory_);
  if (!entries.isOk()) {
    logWarn("{}; old checkpoints not deleted", entries.status().message());
    return Status::ok();
  }
  const std::vector<Entry>& all = entries.value();
  size_t excess = all.size() > static_cast<size_t>(keep_) ? all.size() - keep_ : 0;
  for (size_t i = 0; i < excess; ++i) {
    if (all[i].time_ms == time.milliseconds()) continue;
    std::error_code ec;
    if (fs::remove(all[i].path, ec); ec) {
      logWarn("checkpoint directory '{}': cannot delete old checkpoint '{}': {}",
              directory_.string(), all[i].path.string(), ec.message());
    }
  }
  return Status::ok();
}

Result<std::optional<CheckpointDirectory::Loaded>> CheckpointDirectory::readLatest() const {
  auto entries = listEntries(directory_);
  if (!entries.isOk()) return entries.status();
  const std::vector<Entry>& all = entries.value();
  std::vector<std::string> problems;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto bytes = readCheckpointFile(it->path);
    if (!bytes.isOk()) {
      logWarn("{}; trying the previous checkpoint", bytes.status().message());
      problems.push_back(bytes.status().message());
      continue;
    }
    if (!problems.empty()) {
      logWarn(
          "checkpoint directory '{}': recovering from the older checkpoint '{}' because {} "
          "newer one(s) could not be read",
          directory_.string(), it->path.string(), problems.size());
    }
    return std::optional<Loaded>(Loaded{Time(it->time_ms), it->path, std::move(bytes.value())});
  }
  if (all.empty()) return std::optional<Loaded>();
  std::string joined;
  for (const std::string& problem : problems) joined.append("; ").append(problem);
  return Status::error(fmt::format(
      "checkpoint directory '{}': none of its {} checkpoint files can be read, refusing to "
      "start from empty state{}",
      directory_.string(), all.size(), joined));
}

Result<std::vector<fs::path>> CheckpointDirectory::list() const {
  auto entries = listEntries(directory_);
  if (!entries.isOk()) return entries.status();
  std::vector<fs::path> paths;
  for (Entry& entry : entries.value()) paths.push_back(std::move(entry.path));
  return paths;
}

}  // namespace caudal::storage
