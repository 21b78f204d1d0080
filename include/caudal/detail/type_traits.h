// Type predicates the typed operators are constrained with.
#pragma once

#include <optional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>

namespace caudal::detail {

template <class T>
struct IsStdPair : std::false_type {};
template <class A, class B>
struct IsStdPair<std::pair<A, B>> : std::true_type {};

/// `T` is a `std::pair<K, V>`: the record type of the key-value operations.
template <class T>
concept KeyValue = IsStdPair<T>::value;

/// `T` is a `std::pair<K, V>` whose key type is `K2`: the left side of a join with a
/// `std::pair<K2, W>` stream.
template <class T, class K2>
concept KeyValueWithKey = KeyValue<T> && std::is_same_v<typename T::first_type, K2>;

/// `T` is a `std::optional<U>` (then `value_type` is `U`).
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {
  using value_type = T;
};

/// The signature of a callable that is not generic (a function, a function pointer, a lambda
/// without `auto` parameters): `Result` and the parameter types as the tuple `Args`.
template <class F>
struct CallSignature : CallSignature<decltype(&std::remove_cvref_t<F>::operator())> {};
template <class R, class... A>
struct CallSignature<R(A...)> {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct CallSignature<R (*)(A...)> : CallSignature<R(A...)> {};
template <class C, class R, class... A>
struct CallSignature<R (C::*)(A...)> : CallSignature<R(A...)> {};
template <class C, class R, class... A>
struct CallSignature<R (C::*)(A...) const> : CallSignature<R(A...)> {};

/// Parameter `I` of the callable `F`, without reference or const.
template <class F, size_t I>
using ParameterOf = std::remove_cvref_t<std::tuple_element_t<I, typename CallSignature<F>::Args>>;

/// What `f(T&&)` returns, as a stored value type.
template <class F, class T>
using ResultOf = std::remove_cvref_t<std::invoke_result_t<F&, T&&>>;

/// A range whose elements can be stored.
template <class R>
concept RecordRange = std::ranges::input_range<std::remove_cvref_t<R>>;

/// Element type of a range `R`, as stored.
template <class R>
using RangeValue = std::remove_cvref_t<std::ranges::range_reference_t<std::remove_cvref_t<R>>>;

/// Calls `sink` with every element of the range `f` returned, moving elements out when the
/// range is a temporary that owns them.
template <class R, class Sink>
void forEachMoved(R&& range, Sink&& sink) {
  if constexpr (std::is_lvalue_reference_v<R>) {
    for (const auto& item : range) sink(RangeValue<R>(item));
  } else {
    for (auto&& item : range) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(item)>, RangeValue<R>> &&
                    !std::is_const_v<std::remove_reference_t<decltype(item)>>) {
        sink(std::move(item));  // hand the element itself over: no temporary copy
      } else {
        sink(RangeValue<R>(std::move(item)));
      }
    }
  }
}

}  // namespace caudal::detail
