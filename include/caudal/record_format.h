// How records are written as text by print()/pprint() and saveAsTextFiles().
#pragma once

#include <charconv>
#include <concepts>
#include <limits>
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

#include "caudal/detail/type_traits.h"

namespace caudal {

/// Appends the text of `value` to `out`, as Spark writes records with `toString`: strings as
/// they are, integers in decimal, floating-point numbers as Java prints them ("3.0", "0.1",
/// "1.0E7", "NaN", "Infinity"), pairs and tuples as "(a,b)", sequences as "[a, b]", optionals
/// as "Some(x)" / "None", and any other type through its `operator<<`.
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
struct IsTupleLike : std::false_type {};
template <class A, class B>
struct IsTupleLike<std::pair<A, B>> : std::true_type {};
template <class... Ts>
struct IsTupleLike<std::tuple<Ts...>> : std::true_type {};

// Formats `value` as Java's Double.toString / Float.toString do, in the value's own type's
// shortest round-trip digits (a float is not widened: 0.1f prints "0.1"): plain notation with
// at least one fractional digit for magnitudes in [1e-3, 1e7) and zero ("3.0", "-0.0"),
// computerized scientific notation otherwise ("1.0E7", "1.5E-5"), and "NaN" / "Infinity".
template <class F>
void appendDouble(std::string& out, F value) {
  if (value != value) {
    out += "NaN";
    return;
  }
  if (value == std::numeric_limits<F>::infinity() || value == -std::numeric_limits<F>::infinity()) {
    out += value > 0 ? "Infinity" : "-Infinity";
    return;
  }
  F magnitude = value < 0 ? -value : value;
  char buffer[64];
  bool plain = magnitude == 0 || (magnitude >= F(1e-3) && magnitude < F(1e7));
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                 plain ? std::chars_format::fixed : std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));
  size_t exponent_at = plain ? std::string_view::npos : text.find('e');
  std::string_view mantissa = text.substr(0, exponent_at);
  out += mantissa;
  if (mantissa.find('.') == std::string_view::npos) out += ".0";
  if (exponent_at != std::string_view::npos) {
    std::string_view exponent = text.substr(exponent_at + 1);  // "+07", "-05"
    bool negative = exponent.front() == '-';
    exponent.remove_prefix(1);
    while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
    out += 'E';
    if (negative) out += '-';
    out += exponent;
  }
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
