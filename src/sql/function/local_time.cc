#include "sql/function/local_time.h"

#include <chrono>
#include <ctime>

#include "sql/types/temporal.h"

namespace caudal::sql {

int64_t localOffsetMicros(int64_t utc_micros) {
  const time_t seconds = static_cast<time_t>(floorDiv(utc_micros, kMicrosPerSecond));
  tm local{};
  if (localtime_r(&seconds, &local) == nullptr) return 0;
  return static_cast<int64_t>(local.tm_gmtoff) * kMicrosPerSecond;
}

int64_t localToUtc(int64_t local_micros) {
  // The offset at the guess, then at the corrected guess: exact except inside a DST change.
  const int64_t first = local_micros - localOffsetMicros(local_micros);
  return local_micros - localOffsetMicros(first);
}

int64_t currentMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace caudal::sql
