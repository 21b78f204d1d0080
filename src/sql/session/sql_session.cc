#include "sql/session/sql_session.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "runtime/thread_pool.h"
#include "sql/connector/memory_tables.h"
#include "sql/function/function_registry.h"
#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "sql/planner/optimizer.h"

namespace caudal::sql {

namespace {

// Keeps the whole result of a bounded SELECT, run in complete mode: each batch's output
// replaces the previous one.
class CollectingSink : public TableSink {
 public:
  Status open(const SinkContext&) override { return Status::ok(); }
  Status writeBatch(int64_t, std::span<const DataChunk> chunks) override {
    rows_.clear();
    for (auto& [row, kind] : chunkRows(chunks)) rows_.push_back(std::move(row));
    return Status::ok();
  }
  std::vector<Row> takeRows() { return std::move(rows_); }

 private:
  std::vector<Row> rows_;
};

std::string padRight(const std::string& text, size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

std::string padLeft(const std::string& text, size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text;
}

}  // namespace

std::string formatTable(const Schema& schema, const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const Field& field : schema.columns) widths.push_back(field.name.size());
  std::vector<std::vector<std::string>> cells;
  for (const Row& row : rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      line.push_back(row[c].toString());
      widths[c] = std::max(widths[c], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  std::string border = "+";
  for (size_t width : widths) border += std::string(width + 2, '-') + "+";
  std::string out = border + "\n|";
  for (size_t c = 0; c < widths.size(); ++c) out.append(" ").append(padRight(schema.columns[c].name, widths[c])).append(" |");
  out += "\n" + border + "\n";
  for (const auto& line : cells) {
    out += "|";
    for (size_t c = 0; c < line.size(); ++c) {
      const bool numeric = schema.columns[c].type.isNumeric();
      out.append(" ").append(numeric ? padLeft(line[c], widths[c]) : padRight(line[c], widths[c])).append(" |");
    }
    out += "\n";
  }
  if (!cells.empty()) out += border + "\n";
  out += std::to_string(rows.size()) + (rows.size() == 1 ? " row in set\n" : " rows in set\n");
  return out;
}

SqlSession::SqlSession(int threads)
    : memory_tables_(std::make_unique<MemoryTables>()),
      pool_(std::make_unique<ThreadPool>(threads > 0 ? threads
                                                     : std::max(1, static_cast<int>(std::thread::hardware_concurrency())))) {}

SqlSession::~SqlSession() { stopAll(); }

void SqlSession::stopAll() {
  for (auto& query : queries_) query->stop();
}

Result<std::vector<StatementResult>> SqlSession::execute(std::string_view script) {
  CAUDAL_ASSIGN_OR_RETURN(std::vector<ast::StatementPtr> statements, ast::parseScript(script));
  std::vector<StatementResult> results;
  for (const ast::StatementPtr& statement : statements) {
    CAUDAL_ASSIGN_OR_RETURN(StatementResult result, run(*statement));
    results.push_back(std::move(result));
  }
  return results;
}

Result<StatementResult> SqlSession::executeOne(std::string_view statement) {
  CAUDAL_ASSIGN_OR_RETURN(ast::StatementPtr parsed, ast::parseStatement(statement));
  return run(*parsed);
}

Result<Trigger> SqlSession::trigger() const {
  auto found = options_.find("trigger");
  if (found == options_.end()) return Trigger{};
  return Trigger::parse(found->second);
}

Result<StatementResult> SqlSession::run(const ast::Statement& statement) {
  StatementResult result;
  switch (statement.kind) {
    case ast::StatementKind::kCreateTable: return createTable(statement.as<ast::CreateTable>());
    case ast::StatementKind::kCreateView: return createView(statement.as<ast::CreateView>());
    case ast::StatementKind::kDrop: {
      const auto& drop = statement.as<ast::Drop>();
      if (drop.object == ast::ObjectKind::kFunction) return Status::error("functions cannot be created or dropped");
      const Status status = catalog_.drop(drop.name.back().text, drop.object == ast::ObjectKind::kView, drop.if_exists);
      if (!status.isOk()) return Status::error(formatSqlError(drop.position, status.message()));
      result.message = drop.object == ast::ObjectKind::kView ? "view dropped" : "table dropped";
      return result;
    }
    case ast::StatementKind::kInsert: return insert(statement.as<ast::Insert>());
    case ast::StatementKind::kStatementSet: {
      for (const auto& one : statement.as<ast::StatementSet>().inserts) {
        CAUDAL_ASSIGN_OR_RETURN(StatementResult started, insert(*one));
        result = std::move(started);
      }
      return result;
    }
    case ast::StatementKind::kQuery: return select(*statement.as<ast::QueryStatement>().query);
    case ast::StatementKind::kSet: {
      const auto& set = statement.as<ast::SetOption>();
      if (!set.option) {
        result.kind = StatementResult::Kind::kRows;
        result.schema.columns = {{"key", DataType::string()}, {"value", DataType::string()}};
        for (const auto& [key, value] : options_) result.rows.push_back({Value::string(key), Value::string(value)});
        return result;
      }
      if (set.option->key == "trigger") {
        auto parsed = Trigger::parse(set.option->value);
        if (!parsed.isOk()) return Status::error(formatSqlError(set.option->position, parsed.status().message()));
      }
      options_[set.option->key] = set.option->value;
      result.message = "option '" + set.option->key + "' set to '" + set.option->value + "'";
      return result;
    }
    case ast::StatementKind::kReset: {
      const auto& reset = statement.as<ast::ResetOption>();
      if (reset.key) {
        options_.erase(*reset.key);
      } else {
        options_.clear();
      }
      result.message = "options reset";
      return result;
    }
    case ast::StatementKind::kShow: {
      const auto& show = statement.as<ast::Show>();
      result.kind = StatementResult::Kind::kRows;
      if (show.what == ast::ShowKind::kFunctions) {
        result.schema.columns = {{"function name", DataType::string()}};
        for (const std::string& name : FunctionRegistry::builtins().names()) result.rows.push_back({Value::string(name)});
        return result;
      }
      if (show.what != ast::ShowKind::kTables && show.what != ast::ShowKind::kViews) {
        return Status::error(formatSqlError(show.position, "there is one catalog and one database; SHOW TABLES and "
                                                           "SHOW VIEWS list what they hold"));
      }
      const bool views = show.what == ast::ShowKind::kViews;
      result.schema.columns = {{views ? "view name" : "table name", DataType::string()}};
      for (const auto& table : catalog_.list()) {
        if (!views || table->is_view) result.rows.push_back({Value::string(table->name)});
      }
      return result;
    }
    case ast::StatementKind::kDescribe: return describe(statement.as<ast::Describe>());
    case ast::StatementKind::kExplain: return explain(statement.as<ast::Explain>());
    case ast::StatementKind::kCreateFunction:
      return Status::error(formatSqlError(statement.position, "user-defined functions are not supported"));
  }
  return result;
}

Result<StatementResult> SqlSession::createTable(const ast::CreateTable& create) {
  if (create.as_query != nullptr) {
    return Status::error(formatSqlError(create.position, "CREATE TABLE ... AS SELECT is not supported; create the "
                                                         "table, then INSERT INTO it"));
  }
  auto table = std::make_shared<CatalogTable>();
  table->name = create.name.back().text;
  for (const ast::ColumnDefinition& column : create.columns) {
    if (column.column_kind == ast::ColumnKind::kMetadata) {
      return Status::error(formatSqlError(column.name.position, "metadata columns are not supported"));
    }
    for (const Field& existing : table->schema.columns) {
      if (lowerCase(existing.name) == lowerCase(column.name.text)) {
        return Status::error(formatSqlError(column.name.position, "column '" + column.name.text + "' is declared twice"));
      }
    }
    if (column.column_kind == ast::ColumnKind::kPhysical) {
      CAUDAL_ASSIGN_OR_RETURN(DataType type, bindDataType(*column.type));
      table->physical_index.push_back(static_cast<int>(table->physical_schema.size()));
      table->physical_schema.columns.push_back({column.name.text, type});
      table->schema.columns.push_back({column.name.text, type});
      table->computed_sql.emplace_back();
    } else {
      table->physical_index.push_back(-1);
      table->computed_sql.push_back(ast::toSql(*column.expr));
      table->schema.columns.push_back({column.name.text, DataType::null()});
    }
  }
  // Computed columns' types come from binding them over the physical columns.
  Binder binder(catalog_, FunctionRegistry::builtins());
  for (size_t c = 0; c < create.columns.size(); ++c) {
    if (create.columns[c].column_kind != ast::ColumnKind::kComputed) continue;
    CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<BoundExpr> bound,
                            binder.bindExpression(*create.columns[c].expr, table->physical_schema));
    table->schema.columns[c].type = bound->type;
  }
  if (create.watermark) {
    table->watermark = std::make_pair(create.watermark->column.text, ast::toSql(*create.watermark->expr));
  }
  if (create.primary_key) {
    for (const auto& column : create.primary_key->columns) table->primary_key.push_back(column.text);
  }
  for (const ast::TableOption& option : create.options) table->options[option.key] = option.value;
  if (table->options.find("connector") == table->options.end()) {
    return Status::error(formatSqlError(create.position, "table '" + table->name +
                                                             "' has no 'connector' option; add WITH ('connector' = ...)"));
  }
  const std::string name = table->name;
  const Status added = catalog_.add(std::move(table), create.if_not_exists);
  if (!added.isOk()) return Status::error(formatSqlError(create.name.back().position, added.message()));
  StatementResult result;
  result.message = "table '" + name + "' created";
  return result;
}

Result<StatementResult> SqlSession::createView(const ast::CreateView& create) {
  Binder binder(catalog_, FunctionRegistry::builtins());
  CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, binder.bindQuery(*create.query));
  auto view = std::make_shared<CatalogTable>();
  view->name = create.name.back().text;
  view->is_view = true;
  view->view_sql = ast::toSql(*create.query);
  view->schema = plan->schema;
  if (!create.columns.empty()) {
    if (create.columns.size() != view->schema.size()) {
      return Status::error(formatSqlError(create.position, "the view names " + std::to_string(create.columns.size()) +
                                                               " columns but its query returns " +
                                                               std::to_string(view->schema.size())));
    }
    for (size_t c = 0; c < create.columns.size(); ++c) view->schema.columns[c].name = create.columns[c].text;
  }
  const std::string name = view->name;
  const Status added = catalog_.add(std::move(view), create.if_not_exists);
  if (!added.isOk()) return Status::error(formatSqlError(create.name.back().position, added.message()));
  StatementResult result;
  result.message = "view '" + name + "' created";
  return result;
}

Result<std::unique_ptr<TableSource>> SqlSession::makeSource(const LogicalNode& scan) {
  ConnectorContext context;
  context.memory_tables = memory_tables_.get();
  context.table_name = scan.table->name;
  CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<TableSource> source,
                          createTableSource(scan.table->options, scan.table->physical_schema, context));
  if (!scan.read_all_columns) source->requireColumns(scan.required_columns);
  return source;
}

OptimizerContext SqlSession::optimizerContext() {
  OptimizerContext context;
  context.statistics = [this](const CatalogTable& table) {
    ConnectorContext connector;
    connector.memory_tables = memory_tables_.get();
    connector.table_name = table.name;
    Result<SourceStatistics> statistics = describeTableSource(table.options, table.physical_schema, connector);
    // Options the source rejects fail the query when it is created; until then nothing is known.
    return statistics.isOk() ? statistics.value() : SourceStatistics{};
  };
  return context;
}

Result<StatementResult> SqlSession::insert(const ast::Insert& insert) {
  Binder binder(catalog_, FunctionRegistry::builtins());
  CAUDAL_ASSIGN_OR_RETURN(PlannedQuery planned, binder.bindInsert(insert));
  CAUDAL_RETURN_IF_ERROR(optimize(*planned.plan, optimizerContext()));
  TableOptions sink_options = planned.sink_table->options;
  std::optional<OutputMode> mode;
  auto mode_option = sink_options.find("output-mode");
  if (mode_option != sink_options.end()) {
    auto parsed = parseOutputMode(mode_option->second);
    if (!parsed.isOk()) return Status::error("table '" + planned.sink_table->name + "': " + parsed.status().message());
    mode = parsed.value();
    sink_options.erase(mode_option);
  }
  ConnectorContext context;
  context.memory_tables = memory_tables_.get();
  context.table_name = planned.sink_table->name;
  CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<TableSink> sink,
                          createTableSink(sink_options, planned.sink_table->physical_schema, context));
  if (!mode) mode = planned.plan->appendOnly() ? OutputMode::kAppend : OutputMode::kUpdate;
  CAUDAL_ASSIGN_OR_RETURN(Trigger trigger_value, trigger());
  const std::string name = "insert-into_" + planned.sink_table->name + "-" + std::to_string(++query_counter_);
  CAUDAL_ASSIGN_OR_RETURN(
      std::unique_ptr<StreamingQuery> query,
      StreamingQuery::create(name, std::move(planned.plan), std::move(planned.upsert_key), std::move(sink), *mode,
                             trigger_value, pool_.get(), [this](const LogicalNode& scan) { return makeSource(scan); }));
  std::shared_ptr<StreamingQuery> shared(std::move(query));
  shared->start();
  queries_.push_back(shared);
  StatementResult result;
  result.kind = StatementResult::Kind::kQuery;
  result.query = shared;
  result.message = "query '" + name + "' started";
  return result;
}

Result<std::unique_ptr<TableSink>> SqlSession::makeSink(const TableOptions& options, const Schema& schema,
                                                        const std::string& name) {
  ConnectorContext context;
  context.memory_tables = memory_tables_.get();
  context.table_name = name;
  return createTableSink(options, schema, context);
}

Result<std::shared_ptr<StreamingQuery>> SqlSession::startQuery(std::string_view select_text, const SinkMaker& make_sink,
                                                               std::optional<OutputMode> mode,
                                                               std::optional<Trigger> trigger_override, bool start) {
  CAUDAL_ASSIGN_OR_RETURN(ast::StatementPtr parsed, ast::parseStatement(select_text));
  if (parsed->kind != ast::StatementKind::kQuery) return Status::error("expected a query (SELECT ...)");
  return startQuery(*parsed->as<ast::QueryStatement>().query, make_sink, mode, trigger_override, start);
}

Result<std::shared_ptr<StreamingQuery>> SqlSession::startQuery(const ast::Query& select, const SinkMaker& make_sink,
                                                               std::optional<OutputMode> mode,
                                                               std::optional<Trigger> trigger_override, bool start) {
  Binder binder(catalog_, FunctionRegistry::builtins());
  CAUDAL_ASSIGN_OR_RETURN(LogicalPlan plan, binder.bindQuery(select));
  CAUDAL_RETURN_IF_ERROR(optimize(*plan, optimizerContext()));
  std::vector<size_t> key = upsertKeyOf(*plan);
  if (!mode) mode = plan->appendOnly() ? OutputMode::kAppend : OutputMode::kUpdate;
  Trigger trigger_value;
  if (trigger_override) {
    trigger_value = *trigger_override;
  } else {
    CAUDAL_ASSIGN_OR_RETURN(trigger_value, trigger());
  }
  CAUDAL_ASSIGN_OR_RETURN(std::unique_ptr<TableSink> sink, make_sink(plan->schema));
  const std::string name = "query-" + std::to_string(++query_counter_);
  CAUDAL_ASSIGN_OR_RETURN(
      std::unique_ptr<StreamingQuery> query,
      StreamingQuery::create(name, std::move(plan), std::move(key), std::move(sink), *mode, trigger_value, pool_.get(),
                             [this](const LogicalNode& scan) { return makeSource(scan); }));
  std::shared_ptr<StreamingQuery> shared(std::move(query));
  if (start) {
    shared->start();
    queries_.push_back(shared);
  }
  return shared;
}

Result<StatementResult> SqlSession::select(const ast::Query& query) {
  // First as a bounded query collecting its whole result.
  CollectingSink* rows = nullptr;
  auto collect = [&rows](const Schema&) -> Result<std::unique_ptr<TableSink>> {
    auto sink = std::make_unique<CollectingSink>();
    rows = sink.get();
    return std::unique_ptr<TableSink>(std::move(sink));
  };
  auto attempt = startQuery(query, collect, OutputMode::kComplete, Trigger{}, false);
  StatementResult result;
  if (attempt.isOk() && attempt.value()->bounded()) {
    // Run to the end (bounded input may still arrive at a rate: wait a little when a batch
    // found nothing new), polling for cancellation.
    std::shared_ptr<StreamingQuery> bounded = attempt.value();
    while (true) {
      if (cancelled_ && cancelled_()) return Status::error("query cancelled");
      const int64_t batches_before = bounded->lastProgress().batch_id;
      CAUDAL_ASSIGN_OR_RETURN(bool more, bounded->runBatch());
      if (!more) break;
      if (bounded->lastProgress().batch_id == batches_before) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    result.kind = StatementResult::Kind::kRows;
    result.schema = bounded->schema();
    result.rows = rows->takeRows();
    return result;
  }
  if (!attempt.isOk() && attempt.status().message().find("output mode") == std::string::npos) {
    return attempt.status();
  }
  // Unbounded: a continuous query printing its result, batch by batch, to the console.
  auto print = [this](const Schema& schema) { return makeSink(TableOptions{{"connector", "print"}}, schema, "console"); };
  CAUDAL_ASSIGN_OR_RETURN(std::shared_ptr<StreamingQuery> continuous,
                          startQuery(query, print, std::nullopt, std::nullopt, true));
  result.kind = StatementResult::Kind::kQuery;
  result.query = continuous;
  result.message = "query '" + continuous->name() + "' started";
  return result;
}

Result<StatementResult> SqlSession::explain(const ast::Explain& explain) {
  Binder binder(catalog_, FunctionRegistry::builtins());
  LogicalPlan plan;
  if (explain.statement->kind == ast::StatementKind::kQuery) {
    CAUDAL_ASSIGN_OR_RETURN(plan, binder.bindQuery(*explain.statement->as<ast::QueryStatement>().query));
  } else if (explain.statement->kind == ast::StatementKind::kInsert) {
    CAUDAL_ASSIGN_OR_RETURN(PlannedQuery planned, binder.bindInsert(explain.statement->as<ast::Insert>()));
    plan = std::move(planned.plan);
  } else {
    return Status::error(formatSqlError(explain.position, "EXPLAIN applies to a query or an INSERT"));
  }
  const std::string logical = plan->explain();
  CAUDAL_RETURN_IF_ERROR(optimize(*plan, optimizerContext()));
  const std::string physical = plan->explain();
  StatementResult result;
  result.kind = StatementResult::Kind::kOk;
  result.message = "== Logical Plan ==\n" + logical + "\n== Optimized Physical Plan ==\n" + physical;
  return result;
}

Result<StatementResult> SqlSession::describe(const ast::Describe& describe) {
  auto table = catalog_.find(describe.name.back().text);
  if (table == nullptr) {
    std::string message = "table or view '" + describe.name.back().text + "' not found";
    if (auto hint = catalog_.closestName(describe.name.back().text)) message += "; did you mean '" + *hint + "'?";
    return Status::error(formatSqlError(describe.position, message));
  }
  StatementResult result;
  result.kind = StatementResult::Kind::kRows;
  result.schema.columns = {{"name", DataType::string()},   {"type", DataType::string()}, {"null", DataType::boolean()},
                           {"key", DataType::string()},    {"extras", DataType::string()},
                           {"watermark", DataType::string()}};
  for (size_t c = 0; c < table->schema.size(); ++c) {
    const Field& field = table->schema.columns[c];
    const bool key = std::find(table->primary_key.begin(), table->primary_key.end(), field.name) != table->primary_key.end();
    std::string extras;
    if (!table->is_view && table->physical_index[c] < 0) extras = "AS " + table->computed_sql[c];
    std::string watermark;
    if (table->watermark && lowerCase(table->watermark->first) == lowerCase(field.name)) watermark = table->watermark->second;
    result.rows.push_back({Value::string(field.name), Value::string(field.type.withNullable(true).toString()),
                           Value::boolean(field.type.nullable()), key ? Value::string("PRI") : Value::null(DataType::string()),
                           extras.empty() ? Value::null(DataType::string()) : Value::string(extras),
                           watermark.empty() ? Value::null(DataType::string()) : Value::string(watermark)});
  }
  return result;
}

}  // namespace caudal::sql
