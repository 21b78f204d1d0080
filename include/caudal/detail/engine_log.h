// Log lines from header-only parts of the engine (templates cannot include src/common/).
#pragma once

#include <string_view>

#include "caudal/logging.h"

namespace caudal::detail {

/// True when lines at `level` are written (see `setLogLevel`).
bool engineLogEnabled(LogLevel level);
/// Writes `message` as one log line at `level` to standard error, if that level is enabled.
/// Thread-safe.
void engineLog(LogLevel level, std::string_view message);

}  // namespace caudal::detail
