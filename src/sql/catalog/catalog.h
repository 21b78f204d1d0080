// The session's tables and views: what CREATE TABLE / CREATE VIEW declared.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/connector/connector_factory.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql {

/// A table (with a connector) or a view (a query), as declared.
struct CatalogTable {
  /// The name as declared (lookups ignore case).
  std::string name;
  bool is_view = false;
  /// Every column, in declaration order: physical ones, then (for tables) computed ones at their
  /// declared positions.
  Schema schema;
  /// Tables: the columns the connector produces (the physical ones), in order.
  Schema physical_schema;
  /// Tables: for each column of `schema`, its position in `physical_schema`, or -1 for a
  /// computed column, whose SQL expression is in `computed_sql` at the same index.
  std::vector<int> physical_index;
  std::vector<std::string> computed_sql;
  /// `WATERMARK FOR column AS <sql>` (event time arrives in a later release; kept and shown).
  std::optional<std::pair<std::string, std::string>> watermark;
  std::vector<std::string> primary_key;
  TableOptions options;
  /// Views: the query's SQL text, re-bound wherever the view is used.
  std::string view_sql;
};

/// Tables and views by name (case-insensitive, as unquoted Flink names are here). Not
/// thread-safe: owned by one session.
class Catalog {
 public:
  /// Adds `table`; an error if the name is taken (unless `if_not_exists`: then a no-op).
  Status add(std::shared_ptr<const CatalogTable> table, bool if_not_exists);
  /// Removes a table or view; an error if absent (unless `if_exists`) or of the other kind.
  Status drop(const std::string& name, bool view, bool if_exists);
  /// The table or view, or null.
  std::shared_ptr<const CatalogTable> find(const std::string& name) const;
  /// Every table and view, sorted by name.
  std::vector<std::shared_ptr<const CatalogTable>> list() const;
  /// The declared names closest to `name` (for "did you mean" hints), at most one.
  std::optional<std::string> closestName(const std::string& name) const;

 private:
  std::map<std::string, std::shared_ptr<const CatalogTable>> tables_;  // by lower-case name
};

/// `name` lower-cased (ASCII).
std::string lowerCase(std::string_view name);

}  // namespace caudal::sql
