#include "caudal/detail/engine_log.h"

#include "common/logging.h"

namespace caudal::detail {

bool engineLogEnabled(LogLevel level) { return logEnabled(level); }

void engineLog(LogLevel level, std::string_view message) {
  if (logEnabled(level)) logLine(level, message);
}

}  // namespace caudal::detail
