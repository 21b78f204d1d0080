// State<S> and StateSpec: the per-key state handle and the specification of mapWithState, as
// Spark Streaming's State and StateSpec.
#pragma once

#include <cstddef>
#include <tuple>
#include <optional>
#include <type_traits>
#include <utility>

#include "caudal/detail/type_traits.h"
#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/rdd.h"

namespace caudal {

template <class S>
class State;

namespace detail {
template <class S>
struct StateAccess;
}  // namespace detail

/// The state of one key, as `mapWithState`'s function sees it: read it, replace it or remove
/// it. Valid only during the call it is passed to.
template <class S>
class State {
 public:
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  /// True when the key has a state (after `update`, true; after `remove`, false).
  bool exists() const { return updated_ ? true : (existing_ != nullptr && !removed_); }

  /// The state. Throws `caudal::Error` when there is none.
  const S& get() const {
    if (updated_) return *updated_;
    if (existing_ == nullptr || removed_) throw Error("State::get: the key has no state");
    return *existing_;
  }

  /// The state, or nullopt when there is none.
  std::optional<S> getOption() const {
    if (!exists()) return std::nullopt;
    return get();
  }

  /// Replaces the state. Throws `caudal::Error` after `remove()` or while the key is timing out.
  void update(S new_state) {
    if (removed_) throw Error("State::update: cannot update the state after it has been removed");
    if (timing_out_) throw Error("State::update: cannot update the state of a key that is timing out");
    updated_ = std::move(new_state);
  }

  /// Removes the key's state. Throws `caudal::Error` when already removed or timing out.
  void remove() {
    if (timing_out_) throw Error("State::remove: cannot remove the state of a key that is timing out");
    if (removed_) throw Error("State::remove: the state has already been removed");
    removed_ = true;
    updated_.reset();
  }

  /// True on the last call for a key whose state timed out (the call has no value; the state
  /// is removed after it and can be neither updated nor removed).
  bool isTimingOut() const { return timing_out_; }

 private:
  friend struct detail::StateAccess<S>;
  State(const S* existing, bool timing_out) : existing_(existing), timing_out_(timing_out) {}

  const S* existing_;
  std::optional<S> updated_;
  bool removed_ = false;
  bool timing_out_;
};

namespace detail {

/// How the engine makes `State` handles and reads what the function did with them.
template <class S>
struct StateAccess {
  static State<S> make(const S* existing, bool timing_out) { return State<S>(existing, timing_out); }
  static bool removed(const State<S>& state) { return state.removed_; }
  static std::optional<S>& updated(State<S>& state) { return state.updated_; }
};

template <class T>
struct StateOf;
template <class S>
struct StateOf<State<S>> {
  using type = S;
};

/// The types of a mapping function `(Time, const K&, std::optional<V>, State<S>&) ->
/// std::optional<U>` or `(const K&, std::optional<V>, State<S>&) -> U`, read from its
/// signature (so it must not be a generic lambda).
template <class F, size_t kArity = std::tuple_size_v<typename CallSignature<F>::Args>>
struct MappingTraits {
  static_assert(kArity == 3 || kArity == 4,
                "StateSpec::function: the mapping function takes (Time, const K&, "
                "std::optional<V>, State<S>&) or (const K&, std::optional<V>, State<S>&)");
};
template <class F>
struct MappingTraits<F, 3> {
  static constexpr bool kWithTime = false;
  using K = ParameterOf<F, 0>;
  using V = typename IsOptional<ParameterOf<F, 1>>::value_type;
  using S = typename StateOf<ParameterOf<F, 2>>::type;
  using U = std::remove_cvref_t<typename CallSignature<F>::Result>;
};
template <class F>
struct MappingTraits<F, 4> {
  using Result = std::remove_cvref_t<typename CallSignature<F>::Result>;
  static_assert(std::is_same_v<ParameterOf<F, 0>, Time>,
                "StateSpec::function: a four-argument mapping function takes (Time, const K&, "
                "std::optional<V>, State<S>&)");
  static_assert(IsOptional<Result>::value,
                "StateSpec::function: a four-argument mapping function returns std::optional<U>");
  static constexpr bool kWithTime = true;
  using K = ParameterOf<F, 1>;
  using V = typename IsOptional<ParameterOf<F, 2>>::value_type;
  using S = typename StateOf<ParameterOf<F, 3>>::type;
  using U = typename IsOptional<Result>::value_type;
};

}  // namespace detail

/// What `mapWithState` runs: the mapping function and its options. Made by
/// `StateSpec::function(f)`; the options return the spec, so they chain. `K`, `V`, `S` and `U`
/// are the key, value, state and mapped types read from the function.
template <class K, class V, class S, class U, class F>
class StateSpecOf {
 public:
  /// The spec of mapping function `f`, with no option set (`StateSpec::function` makes it).
  explicit StateSpecOf(F f) : function_(std::move(f)) {}

  /// The state each key starts with (keys not in it start with none). Loaded when the first
  /// batch runs.
  StateSpecOf& initialState(RDD<std::pair<K, S>> rdd) {
    initial_state_ = std::move(rdd);
    return *this;
  }

  /// The number of partitions the state is split into (> 0; default: the context's default
  /// parallelism). Throws `caudal::Error` for 0.
  StateSpecOf& numPartitions(size_t n) {
    if (n == 0) throw Error("StateSpec::numPartitions: the number of partitions must be positive");
    num_partitions_ = n;
    return *this;
  }

  /// Keys that receive no data for longer than `idle` get one last call, with no value and
  /// `State::isTimingOut()` true, at the first batch after that, and then lose their state.
  /// Throws `caudal::Error` unless `idle` is positive.
  StateSpecOf& timeout(Duration idle) {
    if (idle <= Duration()) {
      throw Error("StateSpec::timeout: the timeout must be positive (got " + idle.toString() + ")");
    }
    timeout_ = idle;
    return *this;
  }

  /// The mapping function.
  const F& function() const { return function_; }
  /// The initial state, if `initialState` set one.
  const std::optional<RDD<std::pair<K, S>>>& initialStateRdd() const { return initial_state_; }
  /// The number of state partitions; 0 when not set (the context's default parallelism).
  size_t partitions() const { return num_partitions_; }
  /// The idle timeout, if `timeout` set one.
  const std::optional<Duration>& idleTimeout() const { return timeout_; }

 private:
  F function_;
  std::optional<RDD<std::pair<K, S>>> initial_state_;
  size_t num_partitions_ = 0;
  std::optional<Duration> timeout_;
};

/// Makes `mapWithState` specifications.
class StateSpec {
 public:
  /// The spec of mapping function `f`: `f(Time, const K&, std::optional<V>, State<S>&) ->
  /// std::optional<U>` (nullopt emits nothing) or `f(const K&, std::optional<V>, State<S>&) ->
  /// U`. `f` is called once per record of the batch, in order within a key, and once more with
  /// no value when a key times out.
  template <class F>
  // NOLINTNEXTLINE(readability-identifier-naming): Spark's name
  static auto function(F f) {
    using Traits = detail::MappingTraits<F>;
    return StateSpecOf<typename Traits::K, typename Traits::V, typename Traits::S,
                       typename Traits::U, F>(std::move(f));
  }
};

}  // namespace caudal
