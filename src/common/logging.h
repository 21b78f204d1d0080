// Leveled log lines to standard error.
#pragma once

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "caudal/logging.h"

namespace caudal {

/// True when lines at `level` are written.
bool logEnabled(LogLevel level);
/// Writes one line ("HH:MM:SS.mmm LEVEL message") to standard error, atomically.
void logLine(LogLevel level, std::string_view message);

template <class... Args>
void logDebug(fmt::format_string<Args...> format, Args&&... args) {
  if (logEnabled(LogLevel::kDebug))
    logLine(LogLevel::kDebug, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void logInfo(fmt::format_string<Args...> format, Args&&... args) {
  if (logEnabled(LogLevel::kInfo))
    logLine(LogLevel::kInfo, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void logWarn(fmt::format_string<Args...> format, Args&&... args) {
  if (logEnabled(LogLevel::kWarn))
    logLine(LogLevel::kWarn, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void logError(fmt::format_string<Args...> format, Args&&... args) {
  if (logEnabled(LogLevel::kError))
    logLine(LogLevel::kError, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace caudal
