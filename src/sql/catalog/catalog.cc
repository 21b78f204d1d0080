#include "sql/catalog/catalog.h"

#include <algorithm>

namespace caudal::sql {

std::string lowerCase(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

size_t editDistance(std::string_view a, std::string_view b) {
  const std::string x = lowerCase(a);
  const std::string y = lowerCase(b);
  std::vector<size_t> row(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
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
  std::optional<std::string> best;
  size_t best_distance = 3;  // farther than two edits is no hint
  for (const auto& [key, table] : tables_) {
    const size_t distance = editDistance(name, table->name);
    if (distance < best_distance) {
      best_distance = distance;
      best = table->name;
    }
  }
  return best;
}

}  // namespace caudal::sql
