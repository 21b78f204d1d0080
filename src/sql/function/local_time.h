// The process's local time zone (TZ), as TIMESTAMP_LTZ values are shown and converted in.
#pragma once

#include <cstdint>

namespace caudal::sql {

/// The local zone's offset from UTC, in microseconds, at the instant `utc_micros`.
int64_t localOffsetMicros(int64_t utc_micros);
/// The local wall-clock time (a TIMESTAMP value) of the instant `utc_micros`.
inline int64_t utcToLocal(int64_t utc_micros) { return utc_micros + localOffsetMicros(utc_micros); }
/// The instant whose local wall-clock time is `local_micros` (the earlier one in a DST overlap,
/// the time after the gap for a time in a DST gap).
int64_t localToUtc(int64_t local_micros);
/// Now, in microseconds since the epoch.
int64_t currentMicros();

}  // namespace caudal::sql
