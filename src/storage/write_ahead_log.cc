#include "storage/write_ahead_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <limits>
#include <optional>
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

constexpr std::string_view kSegmentPrefix = "log-";
constexpr size_t kSequenceDigits = 20;
constexpr size_t kFrameHeaderBytes = 8;  // u32 payload length, u32 CRC-32C of the payload
constexpr size_t kReadWindowBytes = size_t{1} << 20;

// What a segment file and the log's directory are called in error messages.
constexpr std::string_view kSegmentWhat = "write-ahead log segment";
constexpr std::string_view kLogWhat = "write-ahead log";

Status segmentError(const fs::path& path, std::string_view problem) {
  return pathError(kSegmentWhat, path, problem);
}
Status segmentErrno(const fs::path& path, std::string_view action, int error) {
  return pathErrno(kSegmentWhat, path, action, error);
}
Status directoryError(const fs::path& directory, std::string_view problem) {
  return pathError(kLogWhat, directory, problem);
}

std::string segmentName(uint64_t first_sequence) {
  return fmt::format("{}{:0{}}", kSegmentPrefix, first_sequence, kSequenceDigits);
}

// "log-<20 digits>" -> the sequence it starts at; anything else -> nullopt.
std::optional<uint64_t> parseSegmentName(std::string_view name) {
  return parseNumberedName(name, kSegmentPrefix, kSequenceDigits);
}

// Reads a segment through a window, so small records cost no system call each.
class SegmentReader {
 public:
  SegmentReader(int fd, const fs::path& path) : fd_(fd), path_(path) {}

  // Bytes [offset, offset + n) of the file, which the caller knows to exist; valid until the
  // next call.
  Result<std::span<const std::byte>> read(uint64_t offset, size_t n) {
    if (offset >= window_offset_ && offset + n <= window_offset_ + window_.size()) {
      return std::span<const std::byte>(window_).subspan(offset - window_offset_, n);
    }
    std::vector<std::byte>& target = n <= kReadWindowBytes ? window_ : large_;
    target.resize(std::max(n, std::min(kReadWindowBytes, available_ - offset)));
    auto filled = readAt(fd_, target, offset, kSegmentWhat, path_);
    if (!filled.isOk()) return filled.status();
    if (filled.value() < target.size()) {
      return segmentError(
          path_, fmt::format("shrank while being read (at offset {})", offset + filled.value()));
    }
    if (&target == &window_) window_offset_ = offset;
    return std::span<const std::byte>(target).first(n);
  }

  void setAvailable(uint64_t available) { available_ = available; }

 private:
  int fd_;
  const fs::path& path_;
  uint64_t available_ = 0;  // bytes the window may extend to
  std::vector<std::byte> window_;
  uint64_t window_offset_ = 0;
  std::vector<std::byte> large_;
};

// What a scan of one segment found.
struct ScanOutcome {
  uint64_t records = 0;      // valid records, from the start of the segment
  uint64_t valid_bytes = 0;  // end of the last valid record
  uint64_t file_bytes = 0;   // bytes scanned (the file size, or the limit given)
  std::string problem;       // empty, or what is wrong with the frame at `valid_bytes`
};

using RecordCallback = std::function<Status(uint64_t index, std::span<const std::byte> record)>;

// Checks the frames of `path` up to `limit` bytes in order, calling `on_record` (if set) with
// each valid record's index in the segment; stops at the first bad frame. I/O errors and
// errors from `on_record` are returned as errors, damage as `problem`.
Result<ScanOutcome> scanSegment(const fs::path& path, uint64_t limit,
                                const RecordCallback& on_record) {
  auto opened = openFile(path, O_RDONLY | O_CLOEXEC, kSegmentWhat, "open");
  if (!opened.isOk()) return opened.status();
  const ScopedFd& fd = opened.value();
  auto size = fileSize(fd.get(), kSegmentWhat, path);
  if (!size.isOk()) return size.status();
  ScanOutcome outcome;
  outcome.file_bytes = std::min(size.value(), limit);
  SegmentReader reader(fd.get(), path);
  reader.setAvailable(outcome.file_bytes);
  uint64_t offset = 0;
  while (offset < outcome.file_bytes) {
    uint64_t remaining = outcome.file_bytes - offset;
    if (remaining < kFrameHeaderBytes) {
      outcome.problem =
          fmt::format("partial frame header ({} of {} bytes)", remaining, kFrameHeaderBytes);
      break;
    }
    auto header = reader.read(offset, kFrameHeaderBytes);
    if (!header.isOk()) return header.status();
    uint32_t length = getU32(header.value().data());
    uint32_t expected_crc = getU32(header.value().data() + 4);
    if (length == 0) {
      outcome.problem = "zero record length";
      break;
    }
    if (remaining - kFrameHeaderBytes < length) {
      outcome.problem =
          fmt::format("partial record ({} of {} bytes)", remaining - kFrameHeaderBytes, length);
      break;
    }
    auto payload = reader.read(offset + kFrameHeaderBytes, length);
    if (!payload.isOk()) return payload.status();
    uint32_t actual_crc = crc32c(payload.value());
    if (actual_crc != expected_crc) {
      outcome.problem = fmt::format("checksum mismatch (stored {:08x}, computed {:08x})",
                                    expected_crc, actual_crc);
      break;
    }
    if (on_record) {
      Status visited = on_record(outcome.records, payload.value());
      if (!visited.isOk()) return visited;
    }
    ++outcome.records;
    offset += kFrameHeaderBytes + length;
    outcome.valid_bytes = offset;
  }
  return outcome;
}

}  // namespace

WriteAheadLog::WriteAheadLog(fs::path directory, WriteAheadLogOptions options)
    : directory_(std::move(directory)), options_(options) {}

WriteAheadLog::~WriteAheadLog() = default;

Result<std::unique_ptr<WriteAheadLog>> WriteAheadLog::open(const fs::path& directory,
                                                           WriteAheadLogOptions options) {
  if (options.segment_bytes == 0) {
    return directoryError(directory, "segment_bytes must be positive");
  }
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return directoryError(directory, fmt::format("cannot create: {}", ec.message()));

  std::unique_ptr<WriteAheadLog> log(new WriteAheadLog(directory, options));
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (auto first = parseSegmentName(it->path().filename().string())) {
      log->segments_.push_back({*first, it->path()});
    }
  }
  if (ec) return directoryError(directory, fmt::format("cannot list: {}", ec.message()));
  std::sort(log->segments_.begin(), log->segments_.end(),
            [](const Segment& a, const Segment& b) { return a.first_sequence < b.first_sequence; });

  if (log->segments_.empty()) {
    Status started = log->startSegment();
    if (!started.isOk()) return started;
    return log;
  }

  for (size_t i = 0; i < log->segments_.size(); ++i) {
    const Segment& segment = log->segments_[i];
    bool last = i + 1 == log->segments_.size();
    if (segment.first_sequence != log->next_sequence_ && i > 0) {
      return segmentError(segment.path,
                          fmt::format("starts at sequence {} but the previous segment ends "
                                      "before sequence {}",
                                      segment.first_sequence, log->next_sequence_));
    }
    auto scanned = scanSegment(segment.path, std::numeric_limits<uint64_t>::max(), nullptr);
    if (!scanned.isOk()) return scanned.status();
    const ScanOutcome& outcome = scanned.value();
    uint64_t bad_sequence = segment.first_sequence + outcome.records;
    if (!outcome.problem.empty() && !last) {
      return segmentError(segment.path,
                          fmt::format("{} at offset {} (record sequence {})", outcome.problem,
                                      outcome.valid_bytes, bad_sequence));
    }
    if (!outcome.problem.empty()) {
      // What a crash in the middle of an append leaves: the records before it are intact.
      logWarn(
          "write-ahead log segment '{}': {} at offset {} (record sequence {}); truncating "
          "the torn tail, {} bytes dropped",
          segment.path.string(), outcome.problem, outcome.valid_bytes, bad_sequence,
          outcome.file_bytes - outcome.valid_bytes);
    }
    log->next_sequence_ = bad_sequence;
    if (last) {
      Status opened = log->openForAppend(segment, outcome.file_bytes, outcome.valid_bytes);
      if (!opened.isOk()) return opened;
    }
  }
  return log;
}

Status WriteAheadLog::openForAppend(const Segment& segment, uint64_t file_bytes,
                                    uint64_t valid_bytes) {
  auto opened = openFile(segment.path, O_WRONLY | O_CLOEXEC, kSegmentWhat, "open for appending");
  if (!opened.isOk()) return opened.status();
  fd_ = std::move(opened.value());
  if (file_bytes != valid_bytes) {
    if (::ftruncate(fd_.get(), static_cast<off_t>(valid_bytes)) != 0) {
      return segmentErrno(segment.path, fmt::format("truncate to {} bytes", valid_bytes), errno);
    }
    // Durable before new records land after it, or the old tail could come back.
    if (::fdatasync(fd_.get()) != 0) return segmentErrno(segment.path, "sync", errno);
  }
  segment_size_ = valid_bytes;
  return Status::ok();
}

Status WriteAheadLog::startSegment() {
  // The full segment is made durable before the next one exists, so after a crash only the
  // last segment can have a torn tail; and sync() only ever needs the last one.
  if (fd_.valid() && ::fdatasync(fd_.get()) != 0) {
    return failWith(segmentErrno(segments_.back().path, "sync", errno));
  }
  fs::path path = directory_ / segmentName(next_sequence_);
  auto created = openFile(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kSegmentWhat, "create");
  if (!created.isOk()) return created.status();
  fd_ = std::move(created.value());  // closes the previous segment
  segments_.push_back({next_sequence_, std::move(path)});
  segment_size_ = 0;
  directory_dirty_ = true;
  return Status::ok();
}

Status WriteAheadLog::failWith(Status status) {
  broken_ = status.message();
  return status;
}

Result<uint64_t> WriteAheadLog::append(std::span<const std::byte> record) {
  if (!broken_.empty()) {
    return directoryError(directory_,
                          fmt::format("unusable after an earlier failure: {}", broken_));
  }
  if (record.empty()) return directoryError(directory_, "empty records cannot be appended");
  if (record.size() > std::numeric_limits<uint32_t>::max()) {
    return directoryError(
        directory_, fmt::format("a record of {} bytes is too large (at most {})", record.size(),
                                std::numeric_limits<uint32_t>::max()));
  }
  uint64_t frame_bytes = kFrameHeaderBytes + record.size();
  if (segment_size_ > 0 && segment_size_ + frame_bytes > options_.segment_bytes) {
    Status started = startSegment();
    if (!started.isOk()) return started;
  }
  std::array<std::byte, kFrameHeaderBytes> header{};
  putU32(header.data(), static_cast<uint32_t>(record.size()));
  putU32(header.data() + 4, crc32c(record));
  const fs::path& path = segments_.back().path;
  Status written = writeAllAt(fd_.get(), header, segment_size_, kSegmentWhat, path);
  if (written.isOk()) {
    written = writeAllAt(fd_.get(), record, segment_size_ + kFrameHeaderBytes, kSegmentWhat, path);
  }
  if (!written.isOk()) {
    // Cut the partial frame off so later appends follow the last whole record.
    if (::ftruncate(fd_.get(), static_cast<off_t>(segment_size_)) != 0) return failWith(written);
    return written;
  }
  segment_size_ += frame_bytes;
  return next_sequence_++;
}

Status WriteAheadLog::sync() {
  if (!broken_.empty()) {
    return directoryError(directory_,
                          fmt::format("unusable after an earlier failure: {}", broken_));
  }
  // After a failed fsync the kernel may have dropped the dirty pages, so nothing written
  // since the last good sync can be trusted: the log refuses further use.
  if (::fdatasync(fd_.get()) != 0) {
    return failWith(segmentErrno(segments_.back().path, "sync", errno));
  }
  if (directory_dirty_) {
    Status synced = syncDirectory(directory_, kLogWhat);
    if (!synced.isOk()) return failWith(synced);
    directory_dirty_ = false;
  }
  return Status::ok();
}

Status WriteAheadLog::readFrom(uint64_t first, const WalRecordVisitor& visitor) const {
  if (first < firstSequence() || first > next_sequence_) {
    return directoryError(directory_, fmt::format("cannot read from sequence {}: the log holds "
                                                  "sequences {} to {}",
                                                  first, firstSequence(), next_sequence_));
  }
  // The last segment starting at or before `first`.
  auto it = std::upper_bound(
      segments_.begin(), segments_.end(), first,
      [](uint64_t sequence, const Segment& segment) { return sequence < segment.first_sequence; });
  for (auto segment = std::prev(it); segment != segments_.end(); ++segment) {
    bool last = std::next(segment) == segments_.end();
    uint64_t expected_records =
        (last ? next_sequence_ : std::next(segment)->first_sequence) - segment->first_sequence;
    uint64_t limit = last ? segment_size_ : std::numeric_limits<uint64_t>::max();
    uint64_t base = segment->first_sequence;
    auto scanned =
        scanSegment(segment->path, limit, [&](uint64_t index, std::span<const std::byte> record) {
          if (base + index < first) return Status::ok();
          return visitor(base + index, record);
        });
    if (!scanned.isOk()) return scanned.status();
    const ScanOutcome& outcome = scanned.value();
    if (!outcome.problem.empty()) {
      return segmentError(segment->path,
                          fmt::format("{} at offset {} (record sequence {})", outcome.problem,
                                      outcome.valid_bytes, base + outcome.records));
    }
    if (outcome.records != expected_records) {
      return segmentError(segment->path,
                          fmt::format("holds {} records where {} were expected (ends at offset {})",
                                      outcome.records, expected_records, outcome.valid_bytes));
    }
  }
  return Status::ok();
}

Status WriteAheadLog::deleteBefore(uint64_t sequence) {
  bool deleted = false;
  // Oldest first, so a crash part-way leaves a log without a gap.
  while (segments_.size() > 1 && segments_[1].first_sequence <= sequence) {
    std::error_code ec;
    fs::remove(segments_.front().path, ec);
    if (ec) {
      return segmentError(segments_.front().path, fmt::format("cannot delete: {}", ec.message()));
    }
    segments_.erase(segments_.begin());
    deleted = true;
  }
  return deleted ? syncDirectory(directory_, kLogWhat) : Status::ok();
}

uint64_t WriteAheadLog::firstSequence() const { return segments_.front().first_sequence; }

std::vector<fs::path> WriteAheadLog::segments() const {
  std::vector<fs::path> paths;
  for (const Segment& segment : segments_) paths.push_back(segment.path);
  return paths;
}

}  // namespace caudal::storage
