#include "sql/connector/table_sink.h"

namespace caudal::sql {

const char* outputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::kAppend: return "append";
    case OutputMode::kUpdate: return "update";
    case OutputMode::kComplete: return "complete";
  }
  return "?";
}

}  // namespace caudal::sql
