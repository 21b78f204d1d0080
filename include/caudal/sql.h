// Streaming SQL and DataFrames: Structured Streaming's front door to Caudal.
//
//   auto session = caudal::Session::create();
//   session->sql(R"(CREATE TABLE clicks (user_id BIGINT, url STRING, status INT, ts TIMESTAMP(3))
//                  WITH ('connector' = 'filesystem', 'path' = 'data/clicks/', 'format' = 'csv'))");
//   auto counts = session->table("clicks").filter("url LIKE '/api/%'").groupBy({"status"}).count();
//   auto query = counts.writeStream().format("print").outputMode("update").start();
//   query.awaitTermination();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caudal {

namespace sql {
class SqlSession;
class StreamingQuery;
}  // namespace sql

/// Rows shown as text: what a statement or a bounded query returned. NULL is an empty optional.
struct SqlTable {
  /// The result's columns, in order.
  std::vector<std::string> column_names;
  /// Flink's type names: `BIGINT`, `STRING`, `DECIMAL(10, 2)`, `TIMESTAMP(3)`.
  std::vector<std::string> column_types;
  /// One entry per row, one cell per column, each as `Value`'s text form (`12.50`,
  /// `2024-01-01 12:00:00.123`).
  std::vector<std::vector<std::optional<std::string>>> rows;
  /// A message for statements that return no rows (`table 'clicks' created`).
  std::string message;

  /// The rows as an ASCII table (or the message).
  std::string toString() const;
};

/// A continuous query started by `INSERT INTO` or `DataStreamWriter::start`. A handle: copies
/// refer to the same query. Thread-safe.
class StreamingQuery {
 public:
  /// The query's name (`insert-into_status_counts-1`).
  const std::string& name() const;
  /// Blocks until the query ends: its input is bounded and read, its trigger was once or
  /// available-now, it was stopped, or it failed (then throws `caudal::Error` with the cause).
  /// With a timeout, returns false if it is still running when the timeout passes.
  bool awaitTermination(std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  /// Stops the query after the batch in progress; blocks until it has stopped.
  void stop();
  bool isActive() const;
  /// The last batch's progress as one line of JSON: batchId, numInputRows, numOutputRows,
  /// numDroppedRows, durationMs, processedRowsPerSecond, and stateOperators: for each
  /// aggregation and join, operatorName, numRowsTotal (groups or stored rows),
  /// numRowsUpdated (by that batch) and memoryUsedBytes.
  std::string lastProgress() const;

 private:
  friend class Session;
  friend class DataStreamWriter;
  explicit StreamingQuery(std::shared_ptr<sql::StreamingQuery> query) : query_(std::move(query)) {}
  std::shared_ptr<sql::StreamingQuery> query_;
};

class DataFrame;
class Session;

/// `df.groupBy(...)`: the grouped rows, waiting for their aggregates. Builds a query; runs
/// nothing.
class GroupedData {
 public:
  /// `agg({"COUNT(*) AS n", "SUM(v) AS total"})`: the group columns, then these aggregates.
  DataFrame agg(const std::vector<std::string>& aggregates) const;
  /// The group columns and `count` (the rows of each group), as Spark's `count()`.
  DataFrame count() const;

 private:
  friend class DataFrame;
  GroupedData(std::shared_ptr<Session> session, std::string from, std::vector<std::string> columns)
      : session_(std::move(session)), from_(std::move(from)), columns_(std::move(columns)) {}
  std::shared_ptr<Session> session_;
  std::string from_;
  std::vector<std::string> columns_;
};

/// Where a streaming DataFrame's rows go: `df.writeStream().format("print").start()`.
class DataStreamWriter {
 public:
  /// The sink connector: `print` (the default), `memory`, `filesystem`, `blackhole`.
  DataStreamWriter& format(std::string connector);
  /// A connector option, as in a table's WITH clause (`path`, `format`, `table-name`).
  DataStreamWriter& option(std::string key, std::string value);
  /// `append`, `update` or `complete`; the default is append when the result's rows never
  /// change, update otherwise.
  DataStreamWriter& outputMode(std::string mode);
  /// `1s`, `500ms`, `0` (as fast as possible, the default), `once`, `available-now`.
  DataStreamWriter& trigger(std::string trigger);
  /// Calls `function` with each batch's output (as a bounded DataFrame) and the batch id,
  /// instead of writing to a connector.
  DataStreamWriter& foreachBatch(std::function<void(const SqlTable& batch, int64_t batch_id)> function);
  /// Plans and starts the query, which then runs on a thread of its own (this call does not
  /// wait for batches); the session keeps it until stopped. Throws `caudal::Error` naming what
  /// is wrong (an unknown option, an output mode the query cannot run in). A `foreachBatch`
  /// function is called on the query's thread, one batch at a time.
  StreamingQuery start();

 private:
  friend class DataFrame;
  DataStreamWriter(std::shared_ptr<Session> session, std::string query)
      : session_(std::move(session)), query_(std::move(query)) {}
  std::shared_ptr<Session> session_;
  std::string query_;
  std::map<std::string, std::string> options_{{"connector", "print"}};
  std::optional<std::string> mode_;
  std::optional<std::string> trigger_;
  std::function<void(const SqlTable&, int64_t)> foreach_batch_;
};

/// A query over tables, built step by step and planned by the same planner as SQL. Cheap to
/// copy; nothing runs until `writeStream().start()` or `collect()`.
class DataFrame {
 public:
  /// The SQL expressions to keep, e.g. `{"url", "status * 10 AS s"}`.
  DataFrame select(const std::vector<std::string>& expressions) const;
  /// The rows where the SQL condition holds.
  DataFrame filter(const std::string& condition) const;
  /// Same as `filter`.
  DataFrame where(const std::string& condition) const { return filter(condition); }
  /// Groups by SQL expressions (column names or expressions).
  GroupedData groupBy(const std::vector<std::string>& columns) const;
  /// Joins with `other` on a SQL condition over `l.` (this) and `r.` (other) columns;
  /// `how` is `inner`, `left`, `right` or `full`.
  DataFrame join(const DataFrame& other, const std::string& condition, const std::string& how = "inner") const;
  /// How the rows will be written.
  DataStreamWriter writeStream() const;
  /// Runs the query over bounded input, blocking until every input is read, and returns its
  /// whole result; throws `caudal::Error` if an input is unbounded.
  SqlTable collect() const;
  /// The logical and optimized plans, as EXPLAIN shows them.
  std::string explain() const;
  /// The query as SQL.
  const std::string& toSql() const { return query_; }

 private:
  friend class Session;
  friend class GroupedData;
  friend class DataStreamReader;
  DataFrame(std::shared_ptr<Session> session, std::string query)
      : session_(std::move(session)), query_(std::move(query)) {}
  std::shared_ptr<Session> session_;
  std::string query_;
};

/// `session.readStream().format("filesystem").option("path", dir).schema("a INT, b STRING")
/// .load()`: a streaming table made from connector options, as a DataFrame.
class DataStreamReader {
 public:
  /// The source connector: `filesystem`, `socket`, `datagen`, `nexmark`, `memory`.
  DataStreamReader& format(std::string connector);
  DataStreamReader& option(std::string key, std::string value);
  /// The columns, as in CREATE TABLE: `"user_id BIGINT, url STRING"`.
  DataStreamReader& schema(std::string columns);
  /// Creates the table (a temporary table of the session, named `stream_<n>`) and returns a
  /// DataFrame over it. Throws `caudal::Error` without `format` and `schema`, or for options
  /// the connector refuses.
  DataFrame load();
  /// `format("filesystem").option("format", "json").option("path", path).load()`.
  DataFrame json(const std::string& path);
  /// The same for CSV.
  DataFrame csv(const std::string& path);

 private:
  friend class Session;
  explicit DataStreamReader(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  std::shared_ptr<Session> session_;
  std::map<std::string, std::string> options_;
  std::string schema_;
};

/// A SQL session: a catalog of tables and views, session options (SET) and the queries started
/// from it. Create with `Session::create()`; use from one thread at a time.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// A session whose queries share `parallelism` worker threads (0: one per core).
  /// DataFrames hold the session too, so it lives as long as the last of them.
  static std::shared_ptr<Session> create(int parallelism = 0);
  /// Stops the session's queries, blocking until they have stopped.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Runs a script of `;`-separated statements and returns the last one's result. INSERT INTO
  /// starts a continuous query on a thread of its own and returns at once (see `queries()`);
  /// a SELECT over bounded tables blocks until its result is complete. Throws `caudal::Error`
  /// with the SQL line and column of the first error; statements before it keep their effect.
  SqlTable sql(std::string_view statements);
  /// A DataFrame over a table or view of the catalog.
  DataFrame table(const std::string& name);
  /// Builds a streaming table from connector options.
  DataStreamReader readStream();
  /// The queries started so far.
  std::vector<StreamingQuery> queries() const;
  /// A copy of the current rows of the `memory` sink table `name`; throws `caudal::Error` when
  /// no query writes to it.
  SqlTable memoryTable(const std::string& name) const;
  /// Stops every query, blocking until each has finished its batch in progress.
  void stopAll();

 private:
  friend class DataStreamWriter;
  friend class DataStreamReader;
  friend class DataFrame;
  explicit Session(int parallelism);
  std::string nextName(const char* prefix);
  std::unique_ptr<sql::SqlSession> impl_;
  int counter_ = 0;
};

}  // namespace caudal
