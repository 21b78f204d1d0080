#include "common/logging.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <mutex>
#include <string>

#include "caudal/error.h"

namespace caudal {
namespace {

std::optional<LogLevel> parseLevel(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (upper == "DEBUG" || upper == "TRACE" || upper == "ALL") return LogLevel::kDebug;
  if (upper == "INFO") return LogLevel::kInfo;
  if (upper == "WARN" || upper == "WARNING") return LogLevel::kWarn;
  if (upper == "ERROR" || upper == "FATAL") return LogLevel::kError;
  if (upper == "OFF") return LogLevel::kOff;
  return std::nullopt;
}

LogLevel initialLevel() {
  if (const char* env = std::getenv("CAUDAL_LOG_LEVEL")) {
    if (auto level = parseLevel(env)) return *level;
  }
  return LogLevel::kWarn;
}

std::atomic<LogLevel>& currentLevel() {
  static std::atomic<LogLevel> level{initialLevel()};
  return level;
}

const char* levelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO ";
    case LogLevel::kWarn: return "WARN ";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kOff: break;
  }
  return "";
}

}  // namespace

void setLogLevel(LogLevel level) { currentLevel().store(level); }

void setLogLevel(std::string_view level) {
  auto parsed = parseLevel(level);
  if (!parsed) {
    throw Error("setLogLevel: unknown level '" + std::string(level) +
                "' (expected DEBUG, INFO, WARN, ERROR or OFF)");
  }
  setLogLevel(*parsed);
}

bool logEnabled(LogLevel level) {
  return level != LogLevel::kOff && level >= currentLevel().load(std::memory_order_relaxed);
}

void logLine(LogLevel level, std::string_view message) {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  std::string line = fmt::format("{:02}:{:02}:{:02}.{:03} {} {}\n", local.tm_hour, local.tm_min,
                                 local.tm_sec, millis, levelName(level), message);
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace caudal
