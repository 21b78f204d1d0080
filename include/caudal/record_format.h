// How records are written as text by print()/pprint() and saveAsTextFiles().
#pragma once

#include <charconv>
#include <concepts>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace caudal {

/// Appends the text of `value` to `out`, as Spark writes records with `toString`: strings as
/// they are, numbers in their shortest exact form (a whole double keeps ".0"), pairs and tuples
/// as "(a,b)", sequences as "[a, b]", optionals as "Some(x)" / "None", and any other type
/// through its `operator<<`.
template <class T>
void appendRecord(std::string& out, const T& value);

/// The text of `value`, as `appendRecord` writes it.
template <class T>
std::string formatRecord(const T& value) {
  std::string out;
  appendRecord(out, value);
  return out;
}

namespace detail {

template <class T>
concept Streamable = requires(std::ostream& os, const T& value) { os << value; };

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
struct IsTupleLike : std::false_type {};
template <class A, class B>
struct IsTupleLike<std::pair<A, B>> : std::true_type {};
template <class... Ts>
struct IsTupleLike<std::tuple<Ts...>> : std::true_type {};

// Formats `value` in its own type's shortest form (a float is not widened first: 0.1f prints
// "0.1", as Java's Float.toString does, not the digits of the nearest double).
template <class F>
void appendDouble(std::string& out, F value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  out += text;
  // Java prints whole doubles with ".0" (3.0, not 3); keep that so outputs match Spark's.
  if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
}

}  // namespace detail

template <class T>
void appendRecord(std::string& out, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, char>) {
    out += value;
  } else if constexpr (std::is_integral_v<T>) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
  } else if constexpr (std::is_floating_point_v<T>) {
    detail::appendDouble(out, value);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out += std::string_view(value);
  } else if constexpr (detail::IsOptional<T>::value) {
    if (value) {
      out += "Some(";
      appendRecord(out, *value);
      out += ')';
    } else {
      out += "None";
    }
  } else if constexpr (detail::IsTupleLike<T>::value) {
    out += '(';
    bool first = true;
    std::apply(
        [&](const auto&... items) {
          ((out += first ? "" : ",", first = false, appendRecord(out, items)), ...);
        },
        value);
    out += ')';
  } else if constexpr (requires { value.begin(); value.end(); }) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ", ";
      first = false;
      appendRecord(out, item);
    }
    out += ']';
  } else {
    static_assert(detail::Streamable<T>,
                  "caudal: a record type must be a number, string, pair, tuple, optional, "
                  "range, or have an operator<< to be printed or saved as text");
    std::ostringstream stream;
    stream << value;
    out += stream.str();
  }
}

}  // namespace caudal
