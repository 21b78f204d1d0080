// DECIMAL(p, s) values held as unscaled integers: 64-bit up to precision 18, 128-bit (`__int128`)
// from 19 to 38.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caudal::sql {

/// The text of `unscaled / 10^scale`: `12.50`, `-0.05`, `7`.
std::string formatDecimal(int64_t unscaled, int scale);
/// As `formatDecimal`, for a 128-bit unscaled value.
std::string formatDecimal128(__int128 unscaled, int scale);
/// Parses `[+-]digits[.digits]` (also `1e3` forms) to the unscaled value at `scale`, rounding
/// half up past `scale` digits. Empty when malformed or when the value needs more than
/// `precision` digits (precision at most 18).
std::optional<int64_t> parseDecimal(std::string_view text, int precision, int scale);
/// As `parseDecimal`, for any precision up to 38.
std::optional<__int128> parseDecimal128(std::string_view text, int precision, int scale);
/// `unscaled` at `from_scale` rescaled to `to_scale` (half-up rounding when it shrinks); empty
/// on overflow of `precision` digits (at most 18).
std::optional<int64_t> rescaleDecimal(int64_t unscaled, int from_scale, int to_scale, int precision);
/// As `rescaleDecimal`, for 128-bit values and any precision up to 38.
std::optional<__int128> rescaleDecimal128(__int128 unscaled, int from_scale, int to_scale,
                                          int precision);
/// `unscaled / 10^scale` as the nearest double (correctly rounded, as Java's
/// `BigDecimal.doubleValue`).
double decimal128ToDouble(__int128 unscaled, int scale);

}  // namespace caudal::sql
