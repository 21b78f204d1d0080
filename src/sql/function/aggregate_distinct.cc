// COUNT(DISTINCT x) and f(DISTINCT x): the state owns a hash map from each distinct non-NULL
// value to its multiplicity (so retractions are exact); f runs over the map's keys when the
// result is read.
#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>

#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sql/function/aggregate_kernels.h"
#include "sql/vector/data_chunk.h"

namespace caudal::sql::aggregate_detail {

namespace {

// The map key of a value: strings owned; floats as the bits of the value with -0.0 as 0.0 and
// one NaN, so that equal values are one key; other types as themselves.
template <class T>
struct KeyOf {
  using type = T;
};
template <>
struct KeyOf<std::string_view> {
  using type = std::string;
};
template <>
struct KeyOf<float> {
  using type = uint32_t;
};
template <>
struct KeyOf<double> {
  using type = uint64_t;
};

template <class T>
using Key = typename KeyOf<T>::type;
template <class T>
using DistinctMap = absl::flat_hash_map<Key<T>, int64_t>;

struct DistinctState {
  void* map;         // DistinctMap<T>*, created on first use
  int64_t distinct;  // keys with a positive multiplicity
};

template <class T>
Key<T> toKey(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v == 0) v = 0;
    if (v != v) v = std::numeric_limits<T>::quiet_NaN();
    Key<T> bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string(v);
  } else {
    return v;
  }
}

template <class T>
void writeKey(Vector& vector, uint32_t row, const Key<T>& key) {
  if constexpr (std::is_floating_point_v<T>) {
    T v;
    std::memcpy(&v, &key, sizeof v);
    vector.values<T>()[row] = v;
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    vector.values<std::string_view>()[row] = vector.addString(key);
  } else {
    vector.values<T>()[row] = key;
  }
}

template <class T>
void change(uint8_t* state, T v, int64_t delta) {
  DistinctState* s = as<DistinctState>(state);
  if (s->map == nullptr) s->map = new DistinctMap<T>();
  auto& map = *static_cast<DistinctMap<T>*>(s->map);
  auto it = map.end();
  if constexpr (std::is_same_v<T, std::string_view>) {
    it = map.find(absl::string_view(v.data(), v.size()));  // no copy of the string to look it up
  } else {
    it = map.find(toKey(v));
  }
  const int64_t before = it == map.end() ? 0 : it->second;
  const int64_t after = before + delta;
  if (before <= 0 && after > 0) ++s->distinct;
  if (before > 0 && after <= 0) --s->distinct;
  if (it == map.end()) {
    map.emplace(toKey(v), after);  // after != 0 here
  } else if (after == 0) {
    map.erase(it);
  } else {
    it->second = after;
  }
}

template <class T>
void distinctState(BoundAggregateFunction& f) {
  f.state_size = sizeof(DistinctState);
  f.initialize = [](uint8_t* state) { *as<DistinctState>(state) = DistinctState{nullptr, 0}; };
  f.destroy = [](uint8_t* state) {
    DistinctState* s = as<DistinctState>(state);
    delete static_cast<DistinctMap<T>*>(s->map);
    *s = DistinctState{nullptr, 0};
  };
  f.update = [](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    foldRows<T>(
        args[0], rows, states, signs, [](uint8_t* state, T v) { change<T>(state, v, 1); },
        [](uint8_t* state, T v) { change<T>(state, v, -1); });
    return Status::ok();
  };
}

// Runs `inner` over the distinct values of `state` and writes its result to row `row`.
template <class T>
void finalizeOver(const BoundAggregateFunction& inner, const DataType& arg, const DistinctState& state,
                  Vector& result, uint32_t row) {
  const auto* map = static_cast<const DistinctMap<T>*>(state.map);
  uint32_t n = 0;
  Vector input(arg, static_cast<uint32_t>(std::max<int64_t>(state.distinct, 1)));
  if (map != nullptr) {
    for (const auto& [key, count] : *map) {
      if (count > 0) writeKey<T>(input, n++, key);
    }
  }
  std::vector<uint64_t> inner_state((inner.state_size + 7) / 8 + 1);
  uint8_t* inner_ptr = reinterpret_cast<uint8_t*>(inner_state.data());
  inner.initialize(inner_ptr);
  std::vector<uint8_t*> states(n, inner_ptr);
  Vector one(inner.return_type, 1);
  const Status status = inner.update(std::span<const Vector>(&input, 1), Rows{nullptr, n}, states.data(), nullptr);
  if (status.isOk()) {
    const uint8_t* const_ptr = inner_ptr;
    inner.finalize(&const_ptr, 1, one);
    copyRows(one, Rows{nullptr, 1}, result, row);
  } else {
    result.setNull(row);  // not reached: append-only updates of the inner functions succeed
  }
  if (inner.destroy) inner.destroy(inner_ptr);
}

}  // namespace

Result<BoundAggregateFunction> makeCountDistinct(const DataType& arg) {
  BoundAggregateFunction f;
  f.name = "COUNT(DISTINCT)";
  f.argument_types = {arg};
  f.return_type = DataType::bigInt().withNullable(false);
  const bool known = !arg.isNested() && visitPhysicalType(arg.id(), [&](auto tag) {
    distinctState<decltype(tag)>(f);
  });
  if (!known) return Status::error(std::string("COUNT(DISTINCT) cannot compare values of ").append(arg.toString()));
  f.finalize = [](const uint8_t* const* states, uint32_t count, Vector& result) {
    int64_t* out = result.values<int64_t>();
    for (uint32_t i = 0; i < count; ++i) out[i] = as<DistinctState>(states[i])->distinct;
  };
  return f;
}

BoundAggregateFunction makeDistinct(BoundAggregateFunction inner) {
  BoundAggregateFunction f;
  f.name = inner.name + "(DISTINCT)";
  f.argument_types = inner.argument_types;
  f.return_type = inner.return_type;
  const DataType arg = inner.argument_types.at(0);
  // Only numeric functions (SUM, AVG) come here, so the visit always finds a type.
  visitPhysicalType(arg.id(), [&](auto tag) {
    using T = decltype(tag);
    distinctState<T>(f);
    f.finalize = [inner, arg](const uint8_t* const* states, uint32_t count, Vector& result) {
      for (uint32_t i = 0; i < count; ++i) finalizeOver<T>(inner, arg, *as<DistinctState>(states[i]), result, i);
    };
  });
  return f;
}

}  // namespace caudal::sql::aggregate_detail
