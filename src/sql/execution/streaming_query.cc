#include "sql/execution/streaming_query.h"

#include <absl/strings/ascii.h>

#include <algorithm>
#include <cstdio>

#include "sql/execution/physical_node.h"

namespace caudal::sql {

namespace {

using Clock = std::chrono::steady_clock;

// Aggregations and rankings: operators whose whole result complete mode can show.
bool hasAggregateOrRanking(const LogicalNode& node) {
  if (node.kind == LogicalKind::kAggregate || node.kind == LogicalKind::kWindow) return true;
  for (const auto& input : node.inputs) {
    if (hasAggregateOrRanking(*input)) return true;
  }
  return false;
}

}  // namespace

Result<Trigger> Trigger::parse(std::string_view text) {
  std::string value;
  for (char c : text) {
    if (c != ' ') value.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  Trigger trigger;
  if (value == "once") {
    trigger.kind = Kind::kOnce;
    return trigger;
  }
  if (value == "available-now" || value == "availablenow") {
    trigger.kind = Kind::kAvailableNow;
    return trigger;
  }
  size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) {
    return Status::error("invalid trigger '" + std::string(text) +
                         "': expected an interval such as '1s', '500ms', '0', or 'once' or 'available-now'");
  }
  const int64_t amount = std::stoll(value.substr(0, digits));
  const std::string unit = value.substr(digits);
  int64_t millis = 0;
  if (unit.empty() || unit == "ms" || unit == "milliseconds" || unit == "millisecond") {
    millis = amount;
  } else if (unit == "s" || unit == "second" || unit == "seconds" || unit == "sec") {
    millis = amount * 1000;
  } else if (unit == "min" || unit == "minute" || unit == "minutes") {
    millis = amount * 60000;
  } else {
    return Status::error("invalid trigger '" + std::string(text) + "': unknown unit '" + unit + "' (use ms, s or min)");
  }
  trigger.interval = std::chrono::milliseconds(millis);
  return trigger;
}

std::string QueryProgress::toJson() const {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                "{\"batchId\":%lld,\"numInputRows\":%lld,\"numOutputRows\":%lld,\"numDroppedRows\":%lld,"
                "\"durationMs\":%.3f,\"processedRowsPerSecond\":%.1f,\"stateOperators\":[",
                static_cast<long long>(batch_id), static_cast<long long>(input_rows),
                static_cast<long long>(output_rows), static_cast<long long>(dropped_rows_total), duration_ms,
                input_rows_per_second);
  std::string json = buffer;
  for (size_t i = 0; i < state_operators.size(); ++i) {
    const StateOperatorProgress& state = state_operators[i];
    std::snprintf(buffer, sizeof buffer,
                  "%s{\"operatorName\":\"%s\",\"numRowsTotal\":%lld,\"numRowsUpdated\":%lld,\"memoryUsedBytes\":%lld}",
                  i > 0 ? "," : "", state.operator_name.c_str(), static_cast<long long>(state.rows_total),
                  static_cast<long long>(state.rows_updated), static_cast<long long>(state.memory_used_bytes));
    json += buffer;
  }
  json += "]}";
  return json;
}

Result<std::unique_ptr<StreamingQuery>> StreamingQuery::create(
    std::string name, LogicalPlan plan, std::vector<size_t> upsert_key, std::unique_ptr<TableSink> sink,
    OutputMode mode, Trigger trigger, ThreadPool* pool,
    const std::function<Result<std::unique_ptr<TableSource>>(const LogicalNode&)>& make_source) {
  std::unique_ptr<StreamingQuery> query(new StreamingQuery());
  query->name_ = std::move(name);
  query->plan_ = std::move(plan);
  query->upsert_key_ = std::move(upsert_key);
  query->sink_ = std::move(sink);
  query->mode_ = mode;
  query->trigger_ = trigger;
  const LogicalNode& root = *query->plan_;
  // A final ORDER BY / LIMIT, possibly under projections.
  const LogicalNode* node = &root;
  std::vector<const LogicalNode*> above;
  while (node->kind == LogicalKind::kProject) {
    above.push_back(node);
    node = node->inputs[0].get();
  }
  if (node->kind == LogicalKind::kSort) {
    query->sort_ = node;
    std::reverse(above.begin(), above.end());
    query->above_sort_ = std::move(above);
  }
  // With a final sort, the executor produces the sort's input, which is materialized, sorted
  // and then projected on output.
  const LogicalNode& executed = query->sort_ != nullptr ? *query->sort_->inputs[0] : root;
  // Between the aggregation and the output, only projections: every -U has its +U.
  const LogicalNode* below = &root;
  while (below->kind == LogicalKind::kProject) below = below->inputs[0].get();
  query->resolve_upserts_ = below->kind != LogicalKind::kAggregate;
  // Upserts by key straight from an aggregation drop the old images: no need to make them.
  const bool drops_update_before = mode == OutputMode::kUpdate && query->sort_ == nullptr &&
                                   !query->upsert_key_.empty() && !query->resolve_upserts_;
  CAUDAL_ASSIGN_OR_RETURN(query->executor_,
                          QueryExecutor::create(executed, pool, make_source, !drops_update_before));
  bool unbounded = false;
  for (const SourceSlot& slot : query->executor_->sources()) unbounded = unbounded || !slot.source->bounded();
  query->bounded_ = !unbounded;
  if (mode == OutputMode::kAppend && unbounded && !root.appendOnly()) {
    return Status::error("query '" + query->name_ +
                         "': append output mode is not supported when the result's rows change (aggregations, "
                         "outer joins, rankings) on unbounded input without event time; use 'update' or 'complete'");
  }
  if (mode == OutputMode::kAppend && unbounded && query->sort_ != nullptr) {
    return Status::error("query '" + query->name_ +
                         "': ORDER BY and LIMIT on unbounded input need 'update' or 'complete' output mode");
  }
  if (mode == OutputMode::kComplete && unbounded && !hasAggregateOrRanking(root)) {
    return Status::error("query '" + query->name_ +
                         "': complete output mode is not supported when there are no aggregations on unbounded input; "
                         "use 'append'");
  }
  query->materialize_ = mode == OutputMode::kComplete || query->sort_ != nullptr ||
                        (mode == OutputMode::kAppend && !root.appendOnly());
  SinkContext context;
  context.schema = root.schema;
  context.mode = mode;
  context.key_columns = query->upsert_key_;
  CAUDAL_RETURN_IF_ERROR(query->sink_->open(context));
  return query;
}

StreamingQuery::~StreamingQuery() {
  stop();
  if (executor_ != nullptr) {
    for (SourceSlot& slot : executor_->sources()) slot.source->stop();
  }
}

const Schema& StreamingQuery::schema() const { return plan_->schema; }

Result<std::vector<DataChunk>> StreamingQuery::finalResult() {
  std::vector<Row> rows;
  for (const auto& [row, count] : result_.rows()) {
    for (int64_t i = 0; i < count; ++i) rows.push_back(row);
  }
  if (sort_ != nullptr) {
    const auto& keys = sort_->order;
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& a, const Row& b) { return compareBySortKeys(a, b, keys) < 0; });
    const size_t begin = std::min(rows.size(), static_cast<size_t>(sort_->offset));
    size_t end = rows.size();
    if (sort_->limit >= 0) end = std::min(end, begin + static_cast<size_t>(sort_->limit));
    rows = std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(begin), rows.begin() + static_cast<std::ptrdiff_t>(end));
  }
  std::vector<std::pair<Row, RowKind>> with_kinds;
  for (Row& row : rows) with_kinds.emplace_back(std::move(row), RowKind::kInsert);
  const LogicalNode& materialized = sort_ != nullptr ? *sort_ : *plan_;
  std::vector<DataChunk> chunks = rowsToChunks(materialized.schema.types(), with_kinds);
  for (DataChunk& chunk : chunks) CAUDAL_RETURN_IF_ERROR(applyStatelessChain(above_sort_, chunk));
  return chunks;
}

Result<std::vector<DataChunk>> StreamingQuery::shapeOutput(std::vector<DataChunk> changelog, bool finished) {
  if (materialize_) {
    for (auto& [row, kind] : chunkRows(changelog)) result_.apply(row, kind);
  }
  switch (mode_) {
    case OutputMode::kComplete: return finalResult();
    case OutputMode::kAppend:
      if (!materialize_) return changelog;
      if (!finished) return std::vector<DataChunk>{};
      return finalResult();
    case OutputMode::kUpdate: {
      if (sort_ != nullptr) {
        CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> current, finalResult());
        RowMultiset now;
        for (auto& [row, kind] : chunkRows(current)) now.apply(row, kind);
        std::vector<std::pair<Row, RowKind>> diff;
        for (const auto& [row, count] : last_emitted_.rows()) {
          auto found = now.rows().find(row);
          const int64_t remaining = found == now.rows().end() ? 0 : found->second;
          for (int64_t i = remaining; i < count; ++i) diff.emplace_back(row, RowKind::kDelete);
        }
        for (const auto& [row, count] : now.rows()) {
          auto found = last_emitted_.rows().find(row);
          const int64_t before = found == last_emitted_.rows().end() ? 0 : found->second;
          for (int64_t i = before; i < count; ++i) diff.emplace_back(row, RowKind::kInsert);
        }
        last_emitted_ = std::move(now);
        return rowsToChunks(plan_->schema.types(), diff);
      }
      if (upsert_key_.empty()) {
        // No key to upsert by: an old image is a row to delete.
        for (DataChunk& chunk : changelog) {
          if (!chunk.hasKinds()) continue;
          for (uint8_t& kind : chunk.mutableKinds()) {
            if (kind == static_cast<uint8_t>(RowKind::kUpdateBefore)) kind = static_cast<uint8_t>(RowKind::kDelete);
          }
        }
        return changelog;
      }
      if (!resolve_upserts_) {
        // The aggregation's changes reach the sink as they are: each old image (-U) is
        // followed by the new one (+U), which replaces it by key.
        std::vector<DataChunk> upserts;
        for (DataChunk& chunk : changelog) {
          if (!chunk.hasKinds()) {
            upserts.push_back(std::move(chunk));
            continue;
          }
          const Rows rows = chunk.rows();
          auto kept = std::make_shared<std::vector<uint32_t>>();
          for (uint32_t i = 0; i < rows.count; ++i) {
            if (chunk.kindAt(rows[i]) != RowKind::kUpdateBefore) kept->push_back(rows[i]);
          }
          if (kept->empty()) continue;
          chunk.setSelection(std::move(kept));
          upserts.push_back(std::move(chunk));
        }
        return upserts;
      }
      // Upserts by key: each key changed in the batch ends as its last new image, or as a
      // deletion when its last change took the row away (an old image -U with no new one
      // after it: a filter above the aggregation dropped the new row).
      std::vector<std::pair<Row, RowKind>> last_by_key;
      absl::flat_hash_map<Row, size_t, RowHash, RowEqual> index_of_key;
      for (auto& [row, kind] : chunkRows(changelog)) {
        Row key;
        for (size_t column : upsert_key_) key.push_back(row[column]);
        const RowKind shown = isAccumulate(kind) ? RowKind::kUpdateAfter : RowKind::kDelete;
        auto found = index_of_key.find(key);
        if (found == index_of_key.end()) {
          index_of_key.emplace(std::move(key), last_by_key.size());
          last_by_key.emplace_back(std::move(row), shown);
        } else {
          last_by_key[found->second] = {std::move(row), shown};
        }
      }
      return rowsToChunks(plan_->schema.types(), last_by_key);
    }
  }
  return changelog;
}

Result<bool> StreamingQuery::runBatch() {
  const auto started = Clock::now();
  std::vector<SourceSlot>& sources = executor_->sources();
  std::vector<SourceOffset> ends;
  bool has_new = false;
  for (SourceSlot& slot : sources) {
    auto latest = slot.source->latestOffset();
    if (!latest.isOk()) return Status::error("table '" + slot.table_name + "': " + latest.status().message());
    has_new = has_new || !(latest.value() == slot.committed);
    ends.push_back(std::move(latest.value()));
  }
  const bool first = next_batch_id_ == 0;
  const int64_t read_before = executor_->rowsRead();
  if (has_new || first) {
    CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> changelog, executor_->runBatch(ends));
    for (size_t i = 0; i < sources.size(); ++i) {
      sources[i].committed = ends[i];
      sources[i].source->commit(ends[i]);
    }
    const bool finished = executor_->allSourcesFinished();
    CAUDAL_ASSIGN_OR_RETURN(std::vector<DataChunk> output, shapeOutput(std::move(changelog), finished));
    const int64_t batch_id = next_batch_id_++;
    CAUDAL_RETURN_IF_ERROR(sink_->writeBatch(batch_id, output));
    int64_t output_rows = 0;
    for (const DataChunk& chunk : output) output_rows += chunk.count();
    std::lock_guard<std::mutex> lock(mutex_);
    progress_.batch_id = batch_id;
    progress_.input_rows = executor_->rowsRead() - read_before;
    progress_.output_rows = output_rows;
    progress_.dropped_rows_total = executor_->rowsDropped();
    progress_.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    progress_.input_rows_per_second =
        progress_.duration_ms > 0 ? static_cast<double>(progress_.input_rows) * 1000.0 / progress_.duration_ms : 0;
    progress_.state_operators = executor_->stateProgress();
  }
  return !executor_->allSourcesFinished();
}

void StreamingQuery::start() {
  active_ = true;
  thread_ = std::thread([this] { loop(); });
}

void StreamingQuery::loop() {
  std::string failure;
  auto next_start = Clock::now();
  while (!stop_requested_.load()) {
    auto more = runBatch();
    if (!more.isOk()) {
      failure = more.status().message();
      break;
    }
    if (!more.value() || trigger_.kind != Trigger::Kind::kProcessingTime) break;
    // Processing time: the next batch starts an interval after this one started; with no
    // interval, poll for new input briefly.
    next_start += trigger_.interval.count() > 0 ? trigger_.interval : std::chrono::milliseconds(10);
    std::unique_lock<std::mutex> lock(mutex_);
    if (next_start < Clock::now() && trigger_.interval.count() > 0) next_start = Clock::now();
    ended_.wait_until(lock, next_start, [&] { return stop_requested_.load(); });
  }
  Status closed = sink_->close();
  if (!closed.isOk() && failure.empty()) failure = closed.message();
  std::lock_guard<std::mutex> lock(mutex_);
  failure_ = failure;
  ended_flag_ = true;
  active_ = false;
  ended_.notify_all();
}

void StreamingQuery::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_requested_ = true;
    ended_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool StreamingQuery::awaitTermination(std::optional<std::chrono::milliseconds> timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!thread_.joinable() && !ended_flag_) return true;
  if (timeout) {
    if (!ended_.wait_for(lock, *timeout, [&] { return ended_flag_; })) return false;
  } else {
    ended_.wait(lock, [&] { return ended_flag_; });
  }
  if (!failure_.empty()) throw Error("query '" + name_ + "' failed: " + failure_);
  return true;
}

std::string StreamingQuery::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

QueryProgress StreamingQuery::lastProgress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return progress_;
}

}  // namespace caudal::sql
