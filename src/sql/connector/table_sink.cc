#include "sql/connector/table_sink.h"

#include <absl/strings/ascii.h>

namespace caudal::sql {

const char* outputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::kAppend: return "append";
    case OutputMode::kUpdate: return "update";
    case OutputMode::kComplete: return "complete";
  }
  return "?";
}

Result<OutputMode> parseOutputMode(std::string_view text) {
  std::string mode(text);
  absl::AsciiStrToLower(&mode);
  if (mode == "append") return OutputMode::kAppend;
  if (mode == "update") return OutputMode::kUpdate;
  if (mode == "complete") return OutputMode::kComplete;
  return Status::error(std::string("invalid output mode '").append(text).append("': expected 'append', 'update' or 'complete'"));
}

}  // namespace caudal::sql
