// StreamingCore::recover is declared but its recovery core is written on another branch;
// this weak definition lets the library link until that one arrives (the strong definition
// then replaces it, and this file is deleted).
#include "caudal/detail/streaming_core.h"
#include "caudal/error.h"

namespace caudal::detail {

__attribute__((weak)) bool StreamingCore::recover() {
  throw Error("getOrCreate: recovery from a checkpoint is not implemented yet");
}

}  // namespace caudal::detail
