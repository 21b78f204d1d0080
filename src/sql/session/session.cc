// The public SQL and DataFrame API (include/caudal/sql.h) over the internal session.
#include <algorithm>

#include "caudal/error.h"
#include "caudal/sql.h"
#include "sql/connector/memory_tables.h"
#include "sql/session/sql_session.h"

namespace caudal {

namespace {

SqlTable toTable(const sql::Schema& schema, const std::vector<sql::Row>& rows) {
  SqlTable table;
  for (const sql::Field& field : schema.columns) {
    table.column_names.push_back(field.name);
    table.column_types.push_back(field.type.withNullable(true).toString());
  }
  for (const sql::Row& row : rows) {
    std::vector<std::optional<std::string>> cells;
    for (const sql::Value& value : row) {
      cells.push_back(value.isNull() ? std::nullopt : std::optional<std::string>(value.toString()));
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

SqlTable toTable(const sql::StatementResult& result) {
  if (result.kind == sql::StatementResult::Kind::kRows) return toTable(result.schema, result.rows);
  SqlTable table;
  table.message = result.message;
  return table;
}

template <class T>
T orThrow(Result<T> result) {
  return std::move(result).valueOrThrow();
}

// Calls a user function with each batch's rows.
class ForeachBatchSink : public sql::TableSink {
 public:
  explicit ForeachBatchSink(std::function<void(const SqlTable&, int64_t)> function) : function_(std::move(function)) {}
  Status open(const sql::SinkContext& context) override {
    schema_ = context.schema;
    return Status::ok();
  }
  Status writeBatch(int64_t batch_id, std::span<const sql::DataChunk> chunks) override {
    std::vector<sql::Row> rows;
    for (auto& [row, kind] : sql::chunkRows(chunks)) {
      if (sql::isAccumulate(kind)) rows.push_back(std::move(row));
    }
    try {
      function_(toTable(schema_, rows), batch_id);
    } catch (const std::exception& error) {
      return Status::error(std::string("foreachBatch function failed in batch ") + std::to_string(batch_id) + ": " +
                           error.what());
    }
    return Status::ok();
  }

 private:
  std::function<void(const SqlTable&, int64_t)> function_;
  sql::Schema schema_;
};

std::string joinList(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

}  // namespace

std::string SqlTable::toString() const {
  if (column_names.empty()) return message + "\n";
  sql::Schema schema;
  std::vector<sql::Row> shown;
  for (const std::string& name : column_names) schema.columns.push_back({name, sql::DataType::string()});
  for (const auto& row : rows) {
    sql::Row values;
    for (const auto& cell : row) {
      values.push_back(cell ? sql::Value::string(*cell) : sql::Value::null(sql::DataType::string()));
    }
    shown.push_back(std::move(values));
  }
  return sql::formatTable(schema, shown);
}

// ----- StreamingQuery -------------------------------------------------------------------------

const std::string& StreamingQuery::name() const { return query_->name(); }
bool StreamingQuery::awaitTermination(std::optional<std::chrono::milliseconds> timeout) {
  return query_->awaitTermination(timeout);
}
void StreamingQuery::stop() { query_->stop(); }
bool StreamingQuery::isActive() const { return query_->isActive(); }
std::string StreamingQuery::lastProgress() const { return query_->lastProgress().toJson(); }

// ----- Session --------------------------------------------------------------------------------

std::shared_ptr<Session> Session::create(int parallelism) { return std::shared_ptr<Session>(new Session(parallelism)); }

Session::Session(int parallelism) : impl_(std::make_unique<sql::SqlSession>(parallelism)) {}

Session::~Session() = default;

std::string Session::nextName(const char* prefix) { return std::string(prefix) + std::to_string(++counter_); }

SqlTable Session::sql(std::string_view statements) {
  std::vector<sql::StatementResult> results = orThrow(impl_->execute(statements));
  if (results.empty()) return SqlTable{};
  return toTable(results.back());
}

DataFrame Session::table(const std::string& name) {
  if (impl_->catalog().find(name) == nullptr) throw Error("table or view '" + name + "' not found");
  return DataFrame(shared_from_this(), "SELECT * FROM `" + name + "`");
}

DataStreamReader Session::readStream() { return DataStreamReader(shared_from_this()); }

std::vector<StreamingQuery> Session::queries() const {
  std::vector<StreamingQuery> all;
  for (const auto& query : impl_->queries()) all.push_back(StreamingQuery(query));
  return all;
}

SqlTable Session::memoryTable(const std::string& name) const {
  const sql::MemoryTables& tables = impl_->memoryTables();
  std::optional<sql::Schema> schema = tables.resultSchema(name);
  if (!schema) throw Error("memory table '" + name + "' has no result (no query writes to it)");
  return toTable(*schema, tables.rows(name));
}

void Session::stopAll() { impl_->stopAll(); }

// ----- DataFrame ------------------------------------------------------------------------------

DataFrame DataFrame::select(const std::vector<std::string>& expressions) const {
  return DataFrame(session_, "SELECT " + joinList(expressions) + " FROM (" + query_ + ") AS t");
}

DataFrame DataFrame::filter(const std::string& condition) const {
  return DataFrame(session_, "SELECT * FROM (" + query_ + ") AS t WHERE " + condition);
}

GroupedData DataFrame::groupBy(const std::vector<std::string>& columns) const {
  return GroupedData(session_, query_, columns);
}

DataFrame DataFrame::join(const DataFrame& other, const std::string& condition, const std::string& how) const {
  std::string type = how;
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (type != "INNER" && type != "LEFT" && type != "RIGHT" && type != "FULL") {
    throw Error("join type '" + how + "' is not one of inner, left, right, full");
  }
  return DataFrame(session_, "SELECT * FROM (" + query_ + ") AS l " + type + " JOIN (" + other.query_ + ") AS r ON " +
                                 condition);
}

DataStreamWriter DataFrame::writeStream() const { return DataStreamWriter(session_, query_); }

SqlTable DataFrame::collect() const {
  sql::StatementResult result = orThrow(session_->impl_->executeOne(query_));
  if (result.kind != sql::StatementResult::Kind::kRows) {
    if (result.query) result.query->stop();
    throw Error("collect() needs bounded input; this query reads an unbounded table: use writeStream()");
  }
  return toTable(result);
}

std::string DataFrame::explain() const {
  sql::StatementResult result = orThrow(session_->impl_->executeOne("EXPLAIN " + query_));
  return result.message;
}

DataFrame GroupedData::agg(const std::vector<std::string>& aggregates) const {
  std::vector<std::string> items = columns_;
  items.insert(items.end(), aggregates.begin(), aggregates.end());
  return DataFrame(session_, "SELECT " + joinList(items) + " FROM (" + from_ + ") AS t GROUP BY " + joinList(columns_));
}

DataFrame GroupedData::count() const { return agg({"COUNT(*) AS `count`"}); }

// ----- DataStreamWriter -----------------------------------------------------------------------

DataStreamWriter& DataStreamWriter::format(std::string connector) {
  options_["connector"] = std::move(connector);
  return *this;
}

DataStreamWriter& DataStreamWriter::option(std::string key, std::string value) {
  options_[std::move(key)] = std::move(value);
  return *this;
}

DataStreamWriter& DataStreamWriter::outputMode(std::string mode) {
  mode_ = std::move(mode);
  return *this;
}

DataStreamWriter& DataStreamWriter::trigger(std::string trigger) {
  trigger_ = std::move(trigger);
  return *this;
}

DataStreamWriter& DataStreamWriter::foreachBatch(std::function<void(const SqlTable&, int64_t)> function) {
  foreach_batch_ = std::move(function);
  return *this;
}

StreamingQuery DataStreamWriter::start() {
  std::optional<sql::OutputMode> mode;
  if (mode_) mode = orThrow(sql::parseOutputMode(*mode_));
  std::optional<sql::Trigger> trigger;
  if (trigger_) trigger = orThrow(sql::Trigger::parse(*trigger_));
  sql::SqlSession& impl = *session_->impl_;
  const std::string sink_name = session_->nextName("sink-");
  sql::SqlSession::SinkMaker make_sink;
  if (foreach_batch_) {
    make_sink = [this](const sql::Schema&) -> Result<std::unique_ptr<sql::TableSink>> {
      return std::unique_ptr<sql::TableSink>(new ForeachBatchSink(foreach_batch_));
    };
  } else {
    make_sink = [&](const sql::Schema& schema) {
      sql::TableOptions options(options_.begin(), options_.end());
      return impl.makeSink(options, schema, options.count("table-name") ? options.at("table-name") : sink_name);
    };
  }
  return StreamingQuery(orThrow(impl.startQuery(query_, make_sink, mode, trigger, true)));
}

// ----- DataStreamReader -----------------------------------------------------------------------

DataStreamReader& DataStreamReader::format(std::string connector) {
  options_["connector"] = std::move(connector);
  return *this;
}

DataStreamReader& DataStreamReader::option(std::string key, std::string value) {
  options_[std::move(key)] = std::move(value);
  return *this;
}

DataStreamReader& DataStreamReader::schema(std::string columns) {
  schema_ = std::move(columns);
  return *this;
}

DataFrame DataStreamReader::load() {
  if (schema_.empty()) throw Error("readStream() needs schema(\"column TYPE, ...\") before load()");
  if (options_.find("connector") == options_.end()) throw Error("readStream() needs format(\"connector\") before load()");
  const std::string name = session_->nextName("stream_");
  std::string ddl = "CREATE TEMPORARY TABLE `" + name + "` (" + schema_ + ") WITH (";
  bool first = true;
  for (const auto& [key, value] : options_) {
    if (!first) ddl += ", ";
    first = false;
    std::string quoted_value;
    for (char c : value) {
      if (c == '\'') quoted_value += '\'';
      quoted_value += c;
    }
    ddl += "'" + key + "' = '" + quoted_value + "'";
  }
  ddl += ")";
  session_->sql(ddl);
  return session_->table(name);
}

DataFrame DataStreamReader::json(const std::string& path) {
  options_["connector"] = "filesystem";
  options_["format"] = "json";
  options_["path"] = path;
  return load();
}

DataFrame DataStreamReader::csv(const std::string& path) {
  options_["connector"] = "filesystem";
  options_["format"] = "csv";
  options_["path"] = path;
  return load();
}

}  // namespace caudal
