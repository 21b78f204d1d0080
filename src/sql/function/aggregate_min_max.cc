// MIN and MAX: a running extreme for append-only input; a multiset of the values (ordered
// map value -> count) when the input retracts, so that retracting the extreme finds the next.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>

#include "sql/function/aggregate_kernels.h"

namespace caudal::sql::aggregate_detail {

namespace {

template <class T>
struct Extreme {
  T value;
  uint8_t has_value;
};

// Keys of the retracting multiset: the value itself, strings owned.
template <class T>
using MultisetKey = std::conditional_t<std::is_same_v<T, std::string_view>, std::string, T>;
template <class T>
using MultisetLess = std::conditional_t<std::is_same_v<T, std::string_view>, std::less<>, TotalLess<T>>;
template <class T>
using Multiset = std::map<MultisetKey<T>, int64_t, MultisetLess<T>>;

template <class T>
void writeValue(Vector& result, uint32_t row, const T& value) {
  if constexpr (std::is_same_v<T, std::string_view>) {
    result.values<std::string_view>()[row] = result.addString(value);
  } else {
    result.values<T>()[row] = value;
  }
}

Status retractionError(bool is_max) {
  return Status::error(std::string(is_max ? "MAX" : "MIN")
                           .append(" was resolved for append-only input but received a retraction"));
}

// Append-only MIN/MAX of a fixed-width type.
template <class T, bool kMax>
void fixedExtreme(BoundAggregateFunction& f) {
  f.state_size = sizeof(Extreme<T>);
  f.initialize = [](uint8_t* state) {
    // Integers start at the identity of min/max so the update is branch-free.
    Extreme<T>* s = as<Extreme<T>>(state);
    s->value = kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    s->has_value = 0;
  };
  f.update = [](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    if (anyRetraction(signs, rows.count)) return retractionError(kMax);
    const auto add = [](uint8_t* state, T v) {
      Extreme<T>* s = as<Extreme<T>>(state);
      if constexpr (std::is_floating_point_v<T>) {
        if (s->has_value == 0 || (kMax ? lessThan(s->value, v) : lessThan(v, s->value))) s->value = v;
      } else {
        s->value = kMax ? std::max(s->value, v) : std::min(s->value, v);
      }
      s->has_value = 1;
    };
    foldRows<T>(args[0], rows, states, nullptr, add, add);
    return Status::ok();
  };
  f.finalize = [](const uint8_t* const* states, uint32_t count, Vector& result) {
    for (uint32_t i = 0; i < count; ++i) {
      const Extreme<T>* s = as<Extreme<T>>(states[i]);
      if (s->has_value != 0) {
        result.values<T>()[i] = s->value;
      } else {
        result.setNull(i);
      }
    }
  };
}

// Append-only MIN/MAX of strings: the state owns a copy of the extreme.
template <bool kMax>
void stringExtreme(BoundAggregateFunction& f) {
  f.state_size = sizeof(std::string*);
  f.initialize = [](uint8_t* state) { *as<std::string*>(state) = nullptr; };
  f.destroy = [](uint8_t* state) {
    delete *as<std::string*>(state);
    *as<std::string*>(state) = nullptr;
  };
  f.update = [](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    if (anyRetraction(signs, rows.count)) return retractionError(kMax);
    const auto add = [](uint8_t* state, std::string_view v) {
      std::string*& s = *as<std::string*>(state);
      if (s == nullptr) {
        s = new std::string(v);
      } else if (kMax ? std::string_view(*s) < v : v < std::string_view(*s)) {
        s->assign(v);
      }
    };
    foldRows<std::string_view>(args[0], rows, states, nullptr, add, add);
    return Status::ok();
  };
  f.finalize = [](const uint8_t* const* states, uint32_t count, Vector& result) {
    for (uint32_t i = 0; i < count; ++i) {
      const std::string* s = *as<std::string*>(states[i]);
      if (s != nullptr) {
        writeValue<std::string_view>(result, i, *s);
      } else {
        result.setNull(i);
      }
    }
  };
}

// MIN/MAX over retracting input: the state owns the multiset of the values.
template <class T, bool kMax>
void multisetExtreme(BoundAggregateFunction& f) {
  using Set = Multiset<T>;
  f.state_size = sizeof(Set*);
  f.initialize = [](uint8_t* state) { *as<Set*>(state) = nullptr; };
  f.destroy = [](uint8_t* state) {
    delete *as<Set*>(state);
    *as<Set*>(state) = nullptr;
  };
  f.update = [](std::span<const Vector> args, Rows rows, uint8_t* const* states, const int8_t* signs) {
    // Counts may go negative when a retraction comes before its value (then cancel out).
    const auto change = [](uint8_t* state, T v, int64_t delta) {
      Set*& set = *as<Set*>(state);
      if (set == nullptr) set = new Set();
      auto it = set->find(v);
      if (it == set->end()) {
        set->emplace(MultisetKey<T>(v), delta);
      } else if ((it->second += delta) == 0) {
        set->erase(it);
      }
    };
    foldRows<T>(
        args[0], rows, states, signs, [&](uint8_t* state, T v) { change(state, v, 1); },
        [&](uint8_t* state, T v) { change(state, v, -1); });
    return Status::ok();
  };
  f.finalize = [](const uint8_t* const* states, uint32_t count, Vector& result) {
    for (uint32_t i = 0; i < count; ++i) {
      const Set* set = *as<Set*>(states[i]);
      bool found = false;
      if (set != nullptr) {
        const auto pick = [&](auto begin, auto end) {
          for (auto it = begin; it != end; ++it) {
            if (it->second > 0) {
              writeValue<T>(result, i, T(it->first));
              found = true;
              return;
            }
          }
        };
        if (kMax) {
          pick(set->rbegin(), set->rend());
        } else {
          pick(set->begin(), set->end());
        }
      }
      if (!found) result.setNull(i);
    }
  };
}

}  // namespace

Result<BoundAggregateFunction> makeMinMax(const DataType& arg, bool is_max, bool retracting) {
  BoundAggregateFunction f;
  f.name = is_max ? "MAX" : "MIN";
  f.argument_types = {arg};
  f.return_type = arg.withNullable(true);
  const bool known = !arg.isNested() && visitPhysicalType(arg.id(), [&](auto tag) {
    using T = decltype(tag);
    if (retracting) {
      is_max ? multisetExtreme<T, true>(f) : multisetExtreme<T, false>(f);
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      is_max ? stringExtreme<true>(f) : stringExtreme<false>(f);
    } else {
      is_max ? fixedExtreme<T, true>(f) : fixedExtreme<T, false>(f);
    }
  });
  if (!known) {
    return Status::error(std::string(f.name).append(" expects a comparable argument but got ").append(arg.toString()));
  }
  return f;
}

}  // namespace caudal::sql::aggregate_detail
