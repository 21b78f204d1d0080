// Reading a generator table's WITH options: typed values with range checks, and errors that
// name the table and the option.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/connector/connector_factory.h"

namespace caudal::sql::generator {

/// Typed access to a table's options. Every getter records the key as known; `checkUnknown`
/// then rejects the keys nobody asked for. Not thread-safe (used while creating a source).
class OptionReader {
 public:
  /// `options` must outlive the reader.
  OptionReader(const TableOptions& options, std::string table_name, std::string connector);

  bool has(const std::string& key) const { return options_.count(key) != 0; }
  /// The raw text of `key`, or `fallback` when absent.
  std::string getString(const std::string& key, const std::string& fallback);
  /// An integer in [min, max]; `fallback` when absent.
  Result<int64_t> getInt(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  /// A finite number in [min, max]; `fallback` when absent.
  Result<double> getDouble(const std::string& key, double fallback, double min, double max);
  /// `true` or `false` (any case); `fallback` when absent.
  Result<bool> getBool(const std::string& key, bool fallback);
  /// A memory size as Flink writes it (`200`, `200b`, `1kb`, `2 mb`) in bytes, in [min, max].
  Result<int64_t> getBytes(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  /// A duration as Flink writes it (`1000` = ms, `10 s`, `5min`, `2 h`, `1 d`) in
  /// milliseconds, at least 0.
  Result<int64_t> getDurationMillis(const std::string& key, int64_t fallback);
  /// Records `key` as known without reading it.
  void markKnown(const std::string& key) { known_.insert(key); }

  /// An error `table 'NAME': <message>`.
  Status error(const std::string& message) const;
  /// An error for a present key whose text is not acceptable: `table 'NAME': option 'KEY'
  /// must be <expected>, got 'TEXT'`.
  Status invalid(const std::string& key, const std::string& expected) const;
  /// OK when every key is known (or is 'connector'); otherwise an error naming the first
  /// unknown key and listing the known ones (`known_extra` adds to that list, e.g.
  /// `fields.#.min`).
  Status checkUnknown(const std::vector<std::string>& known_extra = {}) const;

  const std::string& tableName() const { return table_name_; }

 private:
  const TableOptions& options_;
  std::string table_name_;
  std::string connector_;
  std::set<std::string> known_;
};

}  // namespace caudal::sql::generator
