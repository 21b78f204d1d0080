#include "sql/connector/filesystem_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "storage/file_io.h"

namespace caudal::sql {

namespace fs = std::filesystem;

FilesystemSink::FilesystemSink(std::string table_name, std::string directory,
                               std::shared_ptr<const RecordFormat> format)
    : table_name_(std::move(table_name)),
      directory_(std::move(directory)),
      format_(std::move(format)) {}

Status FilesystemSink::open(const SinkContext& context) {
  const std::string prefix = std::string("table '").append(table_name_).append("': ");
  if (context.mode != OutputMode::kAppend) {
    return Status::error(
        std::string(prefix)
            .append("connector 'filesystem' supports only the append output mode, not ")
            .append(outputModeName(context.mode)));
  }
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec || !fs::is_directory(directory_)) {
    return Status::error(std::string(prefix)
                             .append("cannot create the directory '")
                             .append(directory_)
                             .append("'")
                             .append(ec ? ": " + ec.message() : std::string()));
  }
  encoder_ = format_->newEncoder();
  return Status::ok();
}

std::string FilesystemSink::fileName(int64_t batch_id) const {
  char number[32];
  std::snprintf(number, sizeof number, "%05lld", static_cast<long long>(batch_id));
  const std::string extension = format_->name() == "raw" ? "txt" : format_->name();
  return std::string("part-").append(number).append("-0.").append(extension);
}

Status FilesystemSink::writeBatch(int64_t batch_id, std::span<const DataChunk> chunks) {
  if (encoder_ == nullptr)
    return Status::error(std::string("table '").append(table_name_).append("': sink not open"));
  std::string text;
  bool any = false;
  for (const DataChunk& chunk : chunks) {
    const Rows rows = chunk.rows();
    for (uint32_t i = 0; i < rows.count; ++i) {
      if (!isAccumulate(chunk.kindAt(rows[i]))) continue;
      if (!any) text = encoder_->header();
      any = true;
      encoder_->encode(chunk, rows[i], text);
    }
  }
  if (!any) return Status::ok();
  const std::string name = fileName(batch_id);
  const fs::path target = fs::path(directory_) / name;
  const fs::path temporary = fs::path(directory_) / ("." + name + ".tmp");
  const std::string what = std::string("table '").append(table_name_).append("': output file");
  auto fd = storage::openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, what, "create");
  if (!fd.isOk()) return fd.status();
  Status status = storage::writeAllAt(
      fd.value().get(), std::as_bytes(std::span(text.data(), text.size())), 0, what, temporary);
  if (status.isOk() && ::fsync(fd.value().get()) != 0)
    status = storage::pathErrno(what, temporary, "sync", errno);
  Status closed = fd.value().close(what, temporary);
  if (status.isOk()) status = std::move(closed);
  closed.ignore();
  if (status.isOk() && ::rename(temporary.c_str(), target.c_str()) != 0) {
    status = storage::pathErrno(what, target, "rename into place", errno);
  }
  if (!status.isOk()) {
    std::error_code ec;
    fs::remove(temporary, ec);
    return status;
  }
  return storage::syncDirectory(directory_, what);
}

}  // namespace caudal::sql
