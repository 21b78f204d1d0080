#include "sql/catalog/catalog.h"

#include <absl/strings/ascii.h>

#include <algorithm>

#include "common/closest_name.h"

namespace caudal::sql {

std::string lowerCase(std::string_view name) {
  std::string lower(name);
  absl::AsciiStrToLower(&lower);
  return lower;
}

Status Catalog::add(std::shared_ptr<const CatalogTable> table, bool if_not_exists) {
  const std::string key = lowerCase(table->name);
  auto existing = tables_.find(key);
  if (existing != tables_.end()) {
    if (if_not_exists) return Status::ok();
    return Status::error(std::string(existing->second->is_view ? "a view" : "a table")
                             .append(" named '")
                             .append(existing->second->name)
                             .append("' already exists"));
  }
  tables_.emplace(key, std::move(table));
  return Status::ok();
}

Status Catalog::drop(const std::string& name, bool view, bool if_exists) {
  auto existing = tables_.find(lowerCase(name));
  if (existing == tables_.end()) {
    if (if_exists) return Status::ok();
    return Status::error(std::string(view ? "view '" : "table '").append(name).append("' does not exist"));
  }
  if (existing->second->is_view != view) {
    return Status::error(std::string("'").append(name).append(view ? "' is a table, not a view (use DROP TABLE)"
                                                                   : "' is a view, not a table (use DROP VIEW)"));
  }
  tables_.erase(existing);
  return Status::ok();
}

std::shared_ptr<const CatalogTable> Catalog::find(const std::string& name) const {
  auto found = tables_.find(lowerCase(name));
  return found == tables_.end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<const CatalogTable>> Catalog::list() const {
  std::vector<std::shared_ptr<const CatalogTable>> all;
  for (const auto& [key, table] : tables_) all.push_back(table);
  return all;
}

std::optional<std::string> Catalog::closestName(const std::string& name) const {
  std::vector<std::string_view> names;
  for (const auto& [key, table] : tables_) names.push_back(table->name);
  return caudal::closestName(name, names);
}

}  // namespace caudal::sql
