// Reading and checking a table's WITH options: the helpers every connector shares.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/connector/connector_factory.h"

namespace caudal::sql {

/// Errors unless every key of `options` is in `known` (`unknown option 'pth' for connector
/// 'filesystem'; known options: connector, path, format, ...`; several: `unknown options 'a',
/// 'b' ...`) and every key of `required` is present (`option 'path' is required for connector
/// 'filesystem'`). Messages have no table prefix.
Status checkOptionKeys(const TableOptions& options, const std::string& connector,
                       const std::vector<std::string>& known,
                       const std::vector<std::string>& required);

/// The option's value, or `fallback` when absent.
std::string stringOption(const TableOptions& options, const std::string& key,
                         const std::string& fallback);
/// An integer option in [min, max]; `fallback` when absent.
Result<int64_t> integerOption(const TableOptions& options, const std::string& key, int64_t fallback,
                              int64_t min, int64_t max);
/// A duration option as Flink writes them (`10 s`, `500ms`, `1 min`, `2h`, `1 d`; a bare number
/// is milliseconds); `fallback` when absent.
Result<std::chrono::milliseconds> durationOption(const TableOptions& options,
                                                 const std::string& key,
                                                 std::chrono::milliseconds fallback);

}  // namespace caudal::sql
