// How much the engine logs.
#pragma once

#include <string_view>

namespace caudal {

/// Severity of a log line, lowest first.
enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

/// Logs only lines at `level` or above, to standard error. Thread-safe. The default is
/// `kWarn`, or the level named by the environment variable `CAUDAL_LOG_LEVEL`.
void setLogLevel(LogLevel level);

/// As `setLogLevel(LogLevel)`, by name ("DEBUG", "INFO", "WARN", "ERROR", "OFF"; any case), as
/// Spark's `setLogLevel`. Throws `caudal::Error` for an unknown name.
void setLogLevel(std::string_view level);

}  // namespace caudal
