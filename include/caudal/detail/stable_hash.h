// Hashing of keys that is the same in every process, so that a key lands in the same partition
// after a restart (checkpointed state is partitioned by it).
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace caudal::detail {

/// splitmix64's finalizer: every input bit affects every output bit.
constexpr uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// Combines two hashes, order-sensitively.
constexpr uint64_t hashCombine(uint64_t seed, uint64_t value) {
  return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

#if defined(__GNUC__)
#define CAUDAL_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CAUDAL_ALWAYS_INLINE inline
#endif

/// Hash of a byte string: 8 bytes per multiply, then a full mix. Tails shorter than 8 bytes
/// are read with fixed-size loads (no variable-length memcpy call on the hot path).
CAUDAL_ALWAYS_INLINE uint64_t hashBytes(const void* data, size_t size) {
  constexpr uint64_t kMul = 0x9ddfea08eb382d69ULL;
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (size * kMul);
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, bytes, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 47;
    bytes += 8;
    size -= 8;
  }
  if (size > 0) {
    uint64_t word;
    if (size >= 4) {  // two overlapping 4-byte loads cover 4..7 bytes
      uint32_t low;
      uint32_t high;
      std::memcpy(&low, bytes, 4);
      std::memcpy(&high, bytes + size - 4, 4);
      word = (static_cast<uint64_t>(high) << 32) | low;
    } else {  // 1..3 bytes: first, middle and last
      word = (static_cast<uint64_t>(bytes[0]) << 16) | (static_cast<uint64_t>(bytes[size / 2]) << 8) |
             bytes[size - 1];
    }
    h = (h ^ word ^ (static_cast<uint64_t>(size) << 59)) * kMul;
    h ^= h >> 47;
  }
  return mix64(h);
}

template <class T>
struct StableHash;

template <class T>
concept StablyHashable = requires(const T& value) {
  { StableHash<T>{}(value) } -> std::convertible_to<uint64_t>;
};

template <class T>
  requires(std::is_integral_v<T> || std::is_enum_v<T>)
struct StableHash<T> {
  uint64_t operator()(T value) const { return mix64(static_cast<uint64_t>(value)); }
};

template <std::floating_point T>
struct StableHash<T> {
  uint64_t operator()(T value) const {
    double d = value == 0 ? 0.0 : static_cast<double>(value);  // -0.0 == 0.0
    if (d != d) d = std::numeric_limits<double>::quiet_NaN();  // one NaN
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return mix64(bits);
  }
};

template <>
struct StableHash<std::string_view> {
  uint64_t operator()(std::string_view s) const { return hashBytes(s.data(), s.size()); }
};
template <>
struct StableHash<std::string> : StableHash<std::string_view> {};

template <class A, class B>
struct StableHash<std::pair<A, B>> {
  uint64_t operator()(const std::pair<A, B>& p) const {
    return hashCombine(StableHash<A>{}(p.first), StableHash<B>{}(p.second));
  }
};

template <class... Ts>
struct StableHash<std::tuple<Ts...>> {
  uint64_t operator()(const std::tuple<Ts...>& t) const {
    uint64_t h = 0x1234567;
    std::apply([&](const Ts&... items) { ((h = hashCombine(h, StableHash<Ts>{}(items))), ...); },
               t);
    return h;
  }
};

template <class T>
struct StableHash<std::optional<T>> {
  uint64_t operator()(const std::optional<T>& o) const {
    return o ? hashCombine(1, StableHash<T>{}(*o)) : mix64(0);
  }
};

template <class T>
struct StableHash<std::vector<T>> {
  uint64_t operator()(const std::vector<T>& v) const {
    uint64_t h = mix64(v.size());
    for (const T& item : v) h = hashCombine(h, StableHash<T>{}(item));
    return h;
  }
};

template <class T, size_t N>
struct StableHash<std::array<T, N>> {
  uint64_t operator()(const std::array<T, N>& a) const {
    uint64_t h = mix64(N);
    for (const T& item : a) h = hashCombine(h, StableHash<T>{}(item));
    return h;
  }
};

/// A user type is hashed through its `std::hash` specialization; for partitioning to survive a
/// restart, that hash must not depend on the process (no addresses, no random seed).
template <class T>
  requires(!std::is_arithmetic_v<T> && !std::is_enum_v<T> && requires(const T& value) {
    { std::hash<T>{}(value) } -> std::convertible_to<size_t>;
  })
struct StableHash<T> {
  uint64_t operator()(const T& value) const { return mix64(std::hash<T>{}(value)); }
};

/// Hasher for hash tables keyed by `T`.
template <class T>
struct StableHasher {
  size_t operator()(const T& value) const { return StableHash<T>{}(value); }
};

/// Byte-wise equality of two strings, inline: hash-table probes compare mostly short keys, for
/// which a call to memcmp costs more than the comparison.
CAUDAL_ALWAYS_INLINE bool equalBytes(std::string_view a, std::string_view b) {
  size_t size = a.size();
  if (size != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (size >= 8) {
    for (; size > 8; size -= 8, x += 8, y += 8) {
      uint64_t u, v;
      std::memcpy(&u, x, 8);
      std::memcpy(&v, y, 8);
      if (u != v) return false;
    }
    uint64_t u, v;  // the last 8 bytes, overlapping what was compared
    std::memcpy(&u, x + size - 8, 8);
    std::memcpy(&v, y + size - 8, 8);
    return u == v;
  }
  if (size >= 4) {
    uint32_t u1, v1, u2, v2;
    std::memcpy(&u1, x, 4);
    std::memcpy(&v1, y, 4);
    std::memcpy(&u2, x + size - 4, 4);
    std::memcpy(&v2, y + size - 4, 4);
    return u1 == v1 && u2 == v2;
  }
  for (size_t i = 0; i < size; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

/// Key equality for hash tables keyed by `T`: `==`, inlined for strings.
template <class T>
struct KeyEqual {
  bool operator()(const T& a, const T& b) const {
    if constexpr (std::is_same_v<T, std::string>) {
      return equalBytes(a, b);
    } else {
      return a == b;
    }
  }
};

/// The partition in [0, n) of a key: the high bits of its stable hash, so that tables keyed by
/// the same hash (which use the low bits) stay well spread.
template <class K>
size_t partitionOf(const K& key, size_t num_partitions) {
  return static_cast<size_t>(
      (static_cast<unsigned __int128>(StableHash<K>{}(key)) * num_partitions) >> 64);
}

}  // namespace caudal::detail
