// Counter-based random numbers for the generator sources: every value is a pure function of
// (seed, row number, stream), so any range of rows reads the same whenever and by whichever
// task it is read, with no sequential state to replay.
#pragma once

#include <cstdint>

#include "caudal/detail/stable_hash.h"

namespace caudal::sql::generator {

using ::caudal::detail::mix64;  // splitmix64's finalizer, shared with the engine's stable hashing

/// The key of one random stream (a field, a decision) of a generator with `seed`.
inline uint64_t streamKey(uint64_t seed, uint64_t stream) {
  return mix64(seed * 0x9e3779b97f4a7c15ULL + stream * 0xd1b54a32d192ed03ULL + 0x632be59bd9b4e019ULL);
}

/// The random 64 bits of row (or event) `row` in the stream with key `key`.
inline uint64_t randomAt(uint64_t key, uint64_t row) { return mix64(key + row * 0x9e3779b97f4a7c15ULL); }

/// A uniform number in [0, n) from 64 random bits (Lemire's multiply-shift; no division).
inline uint64_t below(uint64_t random, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(random) * n) >> 64);
}

/// A uniform number in [0, n) from the low 32 random bits, for n < 2^32; the high half stays
/// free for a second, independent draw (`below32High`).
inline uint64_t below32Low(uint64_t random, uint64_t n) { return ((random & 0xffffffffULL) * n) >> 32; }
inline uint64_t below32High(uint64_t random, uint64_t n) { return ((random >> 32) * n) >> 32; }

/// A uniform double in [0, 1) from the top 53 random bits.
inline double unitDouble(uint64_t random) { return static_cast<double>(random >> 11) * 0x1.0p-53; }

/// A FNV-1a hash of a name, to derive a stream from a field path.
inline uint64_t nameHash(const char* data, uint64_t size) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (uint64_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace caudal::sql::generator
