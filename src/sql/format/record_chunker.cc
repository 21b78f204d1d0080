#include "sql/format/record_chunker.h"

namespace caudal::sql {

RecordChunker::RecordChunker(const RecordFormat& format, std::vector<bool> required,
                             const ChunkConsumer& emit, SourceMetrics& metrics)
    : format_(format),
      required_(std::move(required)),
      emit_(emit),
      metrics_(metrics),
      decoder_(format.newDecoder(required_)),
      types_(format.schema().types()) {
  if (required_.empty()) required_.assign(types_.size(), true);
  startChunk();
}

void RecordChunker::startChunk() {
  chunk_ = DataChunk(types_, kVectorSize);
  rows_ = 0;
}

Status RecordChunker::add(std::string_view record, detail::FunctionRef<std::string()> place) {
  if (format_.isIgnorable(record)) return Status::ok();
  const MalformedRecordPolicy& policy = format_.policy();
  std::optional<ParseFailure> failure = decoder_->decode(record, chunk_, rows_);
  if (failure) {
    switch (policy.mode) {
      case MalformedMode::kFailFast:
        return Status::error(place().append(", ").append(failure->message));
      case MalformedMode::kDropMalformed:
        metrics_.rows_dropped.fetch_add(1, std::memory_order_relaxed);
        return Status::ok();  // the next record overwrites the row
      case MalformedMode::kIgnoreErrors:
        if (failure->whole_record) {
          metrics_.rows_dropped.fetch_add(1, std::memory_order_relaxed);
          return Status::ok();
        }
        break;  // the failed fields are NULL already
      case MalformedMode::kPermissive:
        if (policy.corrupt_column) {
          for (size_t c = 0; c < types_.size(); ++c) setNullAt(chunk_.column(c), rows_);
          Vector& corrupt = chunk_.column(*policy.corrupt_column);
          corrupt.values<std::string_view>()[rows_] = corrupt.addString(record);
          corrupt.setValid(rows_);
        } else if (failure->whole_record) {
          for (size_t c = 0; c < types_.size(); ++c) setNullAt(chunk_.column(c), rows_);
        }
        break;
    }
  } else if (policy.corrupt_column) {
    setNullAt(chunk_.column(*policy.corrupt_column), rows_);
  }
  ++rows_;
  chunk_.setSize(rows_);
  if (rows_ == kVectorSize) return emitChunk();
  return Status::ok();
}

Status RecordChunker::finish() {
  if (rows_ == 0) return Status::ok();
  return emitChunk();
}

Status RecordChunker::emitChunk() {
  for (size_t c = 0; c < types_.size(); ++c) {
    const bool corrupt = format_.policy().corrupt_column == c;
    if (!required_[c] && !corrupt) chunk_.column(c) = Vector::constantNull(types_[c]);
  }
  chunk_.setSize(rows_);
  metrics_.rows_read.fetch_add(rows_, std::memory_order_relaxed);
  Status status = emit_(chunk_);
  startChunk();
  return status;
}

}  // namespace caudal::sql
