// A SQL session: the catalog, the session options (SET), and the statements that act on them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/catalog/catalog.h"
#include "sql/connector/connector_factory.h"
#include "sql/execution/row_set.h"
#include "sql/execution/streaming_query.h"
#include "sql/parser/ast.h"
#include "sql/planner/optimizer.h"

namespace caudal {
class ThreadPool;
}

namespace caudal::sql {

class MemoryTables;

/// What running one statement produced.
struct StatementResult {
  enum class Kind : uint8_t {
    kOk,     // DDL, SET: `message` says what was done
    kRows,   // SHOW, DESCRIBE, EXPLAIN, a SELECT on bounded input: `schema` and `rows`
    kQuery,  // INSERT, or a SELECT on unbounded input: `query` runs (already started for INSERT)
  };
  Kind kind = Kind::kOk;
  std::string message;
  Schema schema;
  std::vector<Row> rows;
  std::shared_ptr<StreamingQuery> query;
};

/// Runs SQL statements against a catalog of its own. Not thread-safe: one caller at a time
/// (the queries it starts run on their own threads).
class SqlSession {
 public:
  /// `threads` workers run every query's parallel work (0: one per core).
  explicit SqlSession(int threads = 0);
  ~SqlSession();

  /// Parses and runs every statement of `script`, in order, stopping at the first error
  /// (statements before it keep their effect). INSERT statements start continuous queries.
  Result<std::vector<StatementResult>> execute(std::string_view script);
  /// As `execute` for a text that holds one statement.
  Result<StatementResult> executeOne(std::string_view statement);

  /// Makes the sink of a query once its result's columns are known.
  using SinkMaker = std::function<Result<std::unique_ptr<TableSink>>(const Schema& schema)>;

  /// Plans a query (a SELECT's text) into a continuous query writing to the sink `make_sink`
  /// makes, in `mode` (default: append when the rows never change, update otherwise) with
  /// `trigger` (default: the session's 'trigger' option). Started (and listed in `queries()`)
  /// when `start`.
  Result<std::shared_ptr<StreamingQuery>> startQuery(std::string_view select, const SinkMaker& make_sink,
                                                     std::optional<OutputMode> mode, std::optional<Trigger> trigger,
                                                     bool start);
  /// As above, for a query already parsed (errors keep its positions in the script).
  Result<std::shared_ptr<StreamingQuery>> startQuery(const ast::Query& select, const SinkMaker& make_sink,
                                                     std::optional<OutputMode> mode, std::optional<Trigger> trigger,
                                                     bool start);
  /// The sink of connector options `options` for a result of `schema`.
  Result<std::unique_ptr<TableSink>> makeSink(const TableOptions& options, const Schema& schema,
                                              const std::string& name);

  /// The queries INSERT statements started, in order.
  const std::vector<std::shared_ptr<StreamingQuery>>& queries() const { return queries_; }
  /// Stops every running query.
  void stopAll();
  /// A check polled while a statement blocks (a SELECT on bounded tables runs to its end):
  /// when it returns true, the statement stops and fails with "query cancelled". The shell
  /// passes its Ctrl-C flag. Called from the thread executing the statement.
  void setCancelCheck(std::function<bool()> cancelled) { cancelled_ = std::move(cancelled); }

  Catalog& catalog() { return catalog_; }
  MemoryTables& memoryTables() { return *memory_tables_; }
  const MemoryTables& memoryTables() const { return *memory_tables_; }
  /// Session options set by SET (e.g. 'trigger', 'parallelism').
  const std::map<std::string, std::string>& options() const { return options_; }

 private:
  Result<StatementResult> run(const ast::Statement& statement);
  Result<StatementResult> createTable(const ast::CreateTable& create);
  Result<StatementResult> createView(const ast::CreateView& create);
  Result<StatementResult> insert(const ast::Insert& insert);
  Result<StatementResult> select(const ast::Query& query);
  Result<StatementResult> explain(const ast::Explain& explain);
  Result<StatementResult> describe(const ast::Describe& describe);
  Result<std::unique_ptr<TableSource>> makeSource(const LogicalNode& scan);
  /// What the optimizer learns of the session's tables: their sources' statistics.
  OptimizerContext optimizerContext();
  Result<Trigger> trigger() const;

  Catalog catalog_;
  std::unique_ptr<MemoryTables> memory_tables_;
  std::unique_ptr<ThreadPool> pool_;
  std::map<std::string, std::string> options_;
  std::vector<std::shared_ptr<StreamingQuery>> queries_;
  int query_counter_ = 0;
  std::function<bool()> cancelled_;
};

/// Rows shown as an ASCII table (the shell's and DESCRIBE's form):
/// ```
/// +--------+---+
/// | status | n |
/// +--------+---+
/// |    200 | 3 |
/// +--------+---+
/// ```
std::string formatTable(const Schema& schema, const std::vector<Row>& rows);

}  // namespace caudal::sql
