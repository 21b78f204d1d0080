#include "caudal/detail/block_log.h"

#include <fmt/format.h>

#include <exception>
#include <string_view>
#include <utility>

#include "caudal/error.h"
#include "storage/write_ahead_log.h"

namespace caudal::detail {
namespace {

// The message a visitor returns to end `readFrom` at the end of the range asked for; never
// seen outside `BlockLog::read`.
constexpr std::string_view kRangeEnd = "end of the range read";

}  // namespace

struct BlockLog::Impl {
  std::unique_ptr<storage::WriteAheadLog> log;
};

BlockLog::BlockLog(std::string directory, std::unique_ptr<Impl> impl)
    : directory_(std::move(directory)), impl_(std::move(impl)) {}

BlockLog::~BlockLog() = default;

std::unique_ptr<BlockLog> BlockLog::open(const std::string& directory, uint64_t segment_bytes) {
  auto opened = storage::WriteAheadLog::open(directory, {.segment_bytes = segment_bytes});
  if (!opened.isOk()) throw Error(opened.status().message());
  auto impl = std::make_unique<Impl>();
  impl->log = std::move(opened.value());
  return std::unique_ptr<BlockLog>(new BlockLog(directory, std::move(impl)));
}

uint64_t BlockLog::appendAndSync(std::span<const std::byte> record) {
  std::lock_guard lock(mutex_);
  auto appended = impl_->log->append(record);
  if (!appended.isOk()) throw Error(appended.status().message());
  impl_->log->sync().throwIfError();
  return appended.value();
}

void BlockLog::read(uint64_t first, uint64_t end, const Visitor& visit) const {
  if (first >= end) return;
  std::lock_guard lock(mutex_);
  const storage::WriteAheadLog& log = *impl_->log;
  if (first < log.firstSequence() || end > log.nextSequence()) {
    throw Error(fmt::format("write-ahead log '{}': cannot read blocks {} to {}: it holds blocks "
                            "{} to {}",
                            directory_, first, end - 1, log.firstSequence(),
                            log.nextSequence() == 0 ? 0 : log.nextSequence() - 1));
  }
  // The visitor's exceptions cross the log's scan as a status, so none is unwound through it.
  std::exception_ptr thrown;
  Status read = log.readFrom(first, [&](uint64_t sequence, std::span<const std::byte> record) {
    if (sequence >= end) return Status::error(std::string(kRangeEnd));
    try {
      visit(sequence, record);
    } catch (...) {
      thrown = std::current_exception();
      return Status::error(std::string(kRangeEnd));
    }
    return Status::ok();
  });
  if (thrown) {
    read.ignore();  // only says that the visitor stopped the scan
    std::rethrow_exception(thrown);
  }
  if (!read.isOk() && read.message() != kRangeEnd) throw Error(read.message());
}

void BlockLog::deleteBefore(uint64_t sequence) {
  std::lock_guard lock(mutex_);
  impl_->log->deleteBefore(sequence).throwIfError();
}

uint64_t BlockLog::firstSequence() const {
  std::lock_guard lock(mutex_);
  return impl_->log->firstSequence();
}

uint64_t BlockLog::nextSequence() const {
  std::lock_guard lock(mutex_);
  return impl_->log->nextSequence();
}

size_t BlockLog::segmentCount() const {
  std::lock_guard lock(mutex_);
  return impl_->log->segments().size();
}

}  // namespace caudal::detail
