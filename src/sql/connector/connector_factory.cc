#include "sql/connector/connector_factory.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "sql/connector/blackhole_sink.h"
#include "sql/connector/connector_options.h"
#include "sql/connector/datagen_source.h"
#include "sql/connector/filesystem_sink.h"
#include "sql/connector/filesystem_source.h"
#include "sql/connector/memory_sink.h"
#include "sql/connector/memory_source.h"
#include "sql/connector/memory_tables.h"
#include "sql/connector/nexmark_source.h"
#include "sql/connector/print_sink.h"
#include "sql/connector/socket_source.h"
#include "sql/format/record_format.h"

namespace caudal::sql {
namespace {

using SourceMaker = std::function<Result<std::unique_ptr<TableSource>>(
    const TableOptions&, const Schema&, const ConnectorContext&)>;
using SinkMaker = std::function<Result<std::unique_ptr<TableSink>>(
    const TableOptions&, const Schema&, const ConnectorContext&)>;
using SourceDescriber = std::function<Result<SourceStatistics>(
    const TableOptions&, const Schema&, const ConnectorContext&)>;

/// One connector: its option keys as a source and as a sink (besides `connector`; they may
/// depend on the options, e.g. on the format), the keys it requires, how to make it (empty
/// when it cannot play that role) and how to describe its source without making it. New
/// connectors are one more entry of `connectors()`.
struct ConnectorEntry {
  std::string name;
  std::function<std::vector<std::string>(const TableOptions&)> source_keys;
  std::function<std::vector<std::string>(const TableOptions&)> sink_keys;
  std::vector<std::string> required;
  SourceMaker make_source;
  SinkMaker make_sink;
  SourceDescriber describe_source;
};

std::vector<std::string> keys(std::initializer_list<const char*> names) {
  return std::vector<std::string>(names.begin(), names.end());
}

// `base` followed by the option keys of the table's format (`default_format` when unset).
std::vector<std::string> withFormatKeys(std::vector<std::string> base, const TableOptions& options,
                                        const std::string& default_format = "") {
  for (std::string& key : recordFormatOptionKeys(stringOption(options, "format", default_format))) {
    base.push_back(std::move(key));
  }
  return base;
}

Result<std::unique_ptr<TableSource>> makeFilesystemSource(const TableOptions& options,
                                                          const Schema& schema,
                                                          const ConnectorContext& context) {
  (void)context;
  auto format = makeRecordFormat(stringOption(options, "format", ""), options, schema);
  if (!format.isOk()) return format.status();
  FilesystemSourceOptions source;
  source.path = stringOption(options, "path", "");
  auto interval = durationOption(options, "source.monitor-interval", std::chrono::milliseconds(0));
  if (!interval.isOk()) return interval.status();
  source.monitor_interval = interval.value();
  if (options.count("source.path.regex-pattern"))
    source.name_pattern = options.at("source.path.regex-pattern");
  auto max_files = integerOption(options, "maxFilesPerTrigger", 0, 1, INT64_MAX);
  if (!max_files.isOk()) return max_files.status();
  source.max_files_per_trigger = max_files.value();
  auto made = FilesystemSource::make(std::move(source), format.value());
  if (!made.isOk()) return made.status();
  return std::unique_ptr<TableSource>(std::move(made.value()));
}

// The characters a value of `type` takes in a text line, roughly: a guess for sizing files,
// not a bound.
double textWidth(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBoolean: return 5;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt: return 6;
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: return 10;
    case TypeId::kDecimal128: return 20;
    case TypeId::kDate: return 10;
    case TypeId::kTime: return 12;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: return 23;
    case TypeId::kString:
    case TypeId::kBytes:
      return type.precision() > 0 ? std::min<double>(type.precision(), 20) : 20;
    case TypeId::kRow: {
      double width = 2;
      for (const Field& field : type.children()) width += textWidth(field.type) + 1;
      return width;
    }
    case TypeId::kArray: return 2 + 3 * (textWidth(type.elementType()) + 1);
    case TypeId::kMap: return 2 + 3 * (textWidth(type.keyType()) + textWidth(type.valueType()) + 2);
    case TypeId::kNull: return 4;
  }
  return 10;
}

// A single file is a bounded table of about (file size / estimated line length) rows, the line
// length being the sum of the columns' `textWidth`s plus a separator each (json: plus each
// column's quoted name and braces). A directory is an unbounded stream of the files that
// appear in it.
Result<SourceStatistics> describeFilesystemSource(const TableOptions& options, const Schema& schema,
                                                  const ConnectorContext& context) {
  (void)context;
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string path = stringOption(options, "path", "");
  SourceStatistics statistics;
  if (!fs::is_regular_file(path, ec) || ec) return statistics;
  statistics.bounded = true;
  const std::uintmax_t bytes = fs::file_size(path, ec);
  if (ec) return statistics;
  const bool json = stringOption(options, "format", "") == "json";
  double line = json ? 3 : 1;
  for (const Field& column : schema.columns) {
    line += textWidth(column.type) + 1;
    if (json) line += static_cast<double>(column.name.size()) + 3;
  }
  statistics.rows = static_cast<double>(bytes) / line;
  return statistics;
}

Result<std::unique_ptr<TableSink>> makeFilesystemSink(const TableOptions& options,
                                                      const Schema& schema,
                                                      const ConnectorContext& context) {
  auto format = makeRecordFormat(stringOption(options, "format", ""), options, schema);
  if (!format.isOk()) return format.status();
  return std::unique_ptr<TableSink>(std::make_unique<FilesystemSink>(
      context.table_name, stringOption(options, "path", ""), format.value()));
}

Result<std::unique_ptr<TableSource>> makeSocketSource(const TableOptions& options,
                                                      const Schema& schema,
                                                      const ConnectorContext& context) {
  (void)context;
  auto format = makeRecordFormat(stringOption(options, "format", "csv"), options, schema);
  if (!format.isOk()) return format.status();
  auto port = integerOption(options, "port", 0, 1, 65535);
  if (!port.isOk()) return port.status();
  return std::unique_ptr<TableSource>(std::make_unique<SocketSource>(
      stringOption(options, "hostname", ""), static_cast<int>(port.value()), format.value()));
}

Result<std::unique_ptr<TableSource>> makeMemorySource(const TableOptions& options,
                                                      const Schema& schema,
                                                      const ConnectorContext& context) {
  const std::string name = stringOption(options, "table-name", context.table_name);
  if (!context.memory_tables->hasInput(name) && !context.memory_tables->hasResult(name)) {
    return Status::error(std::string("memory table '").append(name).append("' does not exist"));
  }
  return std::unique_ptr<TableSource>(
      std::make_unique<MemorySource>(*context.memory_tables, name, schema));
}

// A memory table with an input is a stream; one without is the bounded table of its result
// rows, as many as it has now (the source takes them when its query first asks).
Result<SourceStatistics> describeMemorySource(const TableOptions& options, const Schema& schema,
                                              const ConnectorContext& context) {
  (void)schema;
  const std::string name = stringOption(options, "table-name", context.table_name);
  SourceStatistics statistics;
  if (context.memory_tables->hasInput(name)) return statistics;
  if (!context.memory_tables->hasResult(name)) {
    return Status::error(std::string("memory table '").append(name).append("' does not exist"));
  }
  statistics.bounded = true;
  statistics.rows = static_cast<double>(context.memory_tables->rows(name).size());
  return statistics;
}

Result<std::unique_ptr<TableSink>> makeMemorySink(const TableOptions& options, const Schema& schema,
                                                  const ConnectorContext& context) {
  (void)schema;
  const std::string name = stringOption(options, "table-name", context.table_name);
  return std::unique_ptr<TableSink>(std::make_unique<MemorySink>(*context.memory_tables, name));
}

Result<std::unique_ptr<TableSink>> makePrintSink(const TableOptions& options, const Schema& schema,
                                                 const ConnectorContext& context) {
  (void)schema;
  (void)context;
  PrintOptions print;
  Result<int64_t> num_rows = integerOption(options, "numRows", 20, 0, int64_t{1} << 31);
  if (!num_rows.isOk()) return num_rows.status();
  print.num_rows = num_rows.value();
  auto truncate = options.find("truncate");
  if (truncate != options.end()) {
    if (truncate->second == "true") {
      print.truncate = 20;
    } else if (truncate->second == "false") {
      print.truncate = 0;
    } else {
      Result<int64_t> width = integerOption(options, "truncate", 20, 0, int64_t{1} << 31);
      if (!width.isOk()) {
        return Status::error(
            std::string("option 'truncate' must be 'true', 'false' or a width, got '")
                .append(truncate->second)
                .append("'"));
      }
      print.truncate = width.value();
    }
  }
  return std::unique_ptr<TableSink>(std::make_unique<PrintSink>(print));
}

Result<std::unique_ptr<TableSink>> makeBlackholeSink(const TableOptions&, const Schema&,
                                                     const ConnectorContext&) {
  return std::unique_ptr<TableSink>(std::make_unique<BlackholeSink>());
}

const std::vector<ConnectorEntry>& connectors() {
  static const std::vector<ConnectorEntry> entries = [] {
    std::vector<ConnectorEntry> list;
    list.push_back({"blackhole",
                    nullptr,
                    [](const TableOptions&) { return keys({"output-mode"}); },
                    {},
                    nullptr,
                    makeBlackholeSink,
                    nullptr});
    // The generators check their own options (datagen's per-field `fields.<name>.*` keys).
    auto every_key = [](const TableOptions& options) {
      std::vector<std::string> all;
      for (const auto& [key, value] : options) all.push_back(key);
      return all;
    };
    list.push_back({"datagen", every_key, nullptr, {}, createDatagenSource, nullptr, describeDatagenSource});
    list.push_back({"filesystem",
                    [](const TableOptions& options) {
                      return withFormatKeys(
                          keys({"path", "format", "source.monitor-interval",
                                "source.path.regex-pattern", "maxFilesPerTrigger"}),
                          options);
                    },
                    [](const TableOptions& options) {
                      return withFormatKeys(keys({"path", "format", "output-mode"}), options);
                    },
                    {"path", "format"},
                    makeFilesystemSource,
                    makeFilesystemSink,
                    describeFilesystemSource});
    list.push_back({"memory",
                    [](const TableOptions&) { return keys({"table-name"}); },
                    [](const TableOptions&) {
                      return keys({"table-name", "output-mode"});
                    },
                    {},
                    makeMemorySource,
                    makeMemorySink,
                    describeMemorySource});
    list.push_back({"nexmark", every_key, nullptr, {}, createNexmarkSource, nullptr, describeNexmarkSource});
    list.push_back({"print",
                    nullptr,
                    [](const TableOptions&) {
                      return keys({"numRows", "truncate", "output-mode"});
                    },
                    {},
                    nullptr,
                    makePrintSink,
                    nullptr});
    list.push_back({"socket",
                    [](const TableOptions& options) {
                      return withFormatKeys(keys({"hostname", "port", "format"}), options, "csv");
                    },
                    nullptr,
                    {"hostname", "port"},
                    makeSocketSource,
                    nullptr,
                    [](const TableOptions&, const Schema&, const ConnectorContext&) -> Result<SourceStatistics> {
                      return SourceStatistics{};  // lines as they arrive, never ending
                    }});
    return list;
  }();
  return entries;
}

std::string tablePrefix(const ConnectorContext& context) {
  return std::string("table '").append(context.table_name).append("': ");
}

// `message` as an error naming the table, once (the generators' messages name it already).
Status tableError(const ConnectorContext& context, const std::string& message) {
  const std::string prefix = tablePrefix(context);
  if (message.rfind(prefix, 0) == 0) return Status::error(message);
  return Status::error(prefix + message);
}

// Finds the connector, checks its role and options; the entry or an error with the prefix.
Result<const ConnectorEntry*> checkedEntry(const TableOptions& options,
                                           const ConnectorContext& context, bool as_source) {
  const std::string prefix = tablePrefix(context);
  auto name = options.find("connector");
  if (name == options.end()) return Status::error(prefix + "'connector' is missing");
  const ConnectorEntry* entry = nullptr;
  std::string names;
  for (const ConnectorEntry& candidate : connectors()) {
    if (candidate.name == name->second) entry = &candidate;
    names.append(names.empty() ? "" : ", ").append(candidate.name);
  }
  if (entry == nullptr) {
    return Status::error(std::string(prefix)
                             .append("unknown connector '")
                             .append(name->second)
                             .append("'; known connectors: ")
                             .append(names));
  }
  const auto& role_keys = as_source ? entry->source_keys : entry->sink_keys;
  if (!role_keys) {
    return Status::error(
        std::string(prefix)
            .append("connector '")
            .append(entry->name)
            .append(as_source ? "' can only be used as a sink" : "' can only be used as a source")
            .append(" (table '")
            .append(context.table_name)
            .append("')"));
  }
  std::vector<std::string> known = {"connector"};
  for (std::string& key : role_keys(options)) known.push_back(std::move(key));
  Status status = checkOptionKeys(options, entry->name, known, entry->required);
  if (!status.isOk()) return Status::error(prefix + status.message());
  return entry;
}

}  // namespace

Result<std::unique_ptr<TableSource>> createTableSource(const TableOptions& options,
                                                       const Schema& schema,
                                                       const ConnectorContext& context) {
  Result<const ConnectorEntry*> entry = checkedEntry(options, context, /*as_source=*/true);
  if (!entry.isOk()) return entry.status();
  Result<std::unique_ptr<TableSource>> source =
      entry.value()->make_source(options, schema, context);
  if (!source.isOk()) return tableError(context, source.status().message());
  return source;
}

Result<SourceStatistics> describeTableSource(const TableOptions& options, const Schema& schema,
                                             const ConnectorContext& context) {
  Result<const ConnectorEntry*> entry = checkedEntry(options, context, /*as_source=*/true);
  if (!entry.isOk()) return entry.status();
  Result<SourceStatistics> statistics = entry.value()->describe_source(options, schema, context);
  if (!statistics.isOk()) return tableError(context, statistics.status().message());
  return statistics;
}

Result<std::unique_ptr<TableSink>> createTableSink(const TableOptions& options,
                                                   const Schema& schema,
                                                   const ConnectorContext& context) {
  Result<const ConnectorEntry*> entry = checkedEntry(options, context, /*as_source=*/false);
  if (!entry.isOk()) return entry.status();
  Result<std::unique_ptr<TableSink>> sink = entry.value()->make_sink(options, schema, context);
  if (!sink.isOk()) return tableError(context, sink.status().message());
  return sink;
}

}  // namespace caudal::sql
