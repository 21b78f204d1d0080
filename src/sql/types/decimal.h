// DECIMAL(p, s) values held as 64-bit unscaled integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caudal::sql {

/// The text of `unscaled / 10^scale`: `12.50`, `-0.05`, `7`.
std::string formatDecimal(int64_t unscaled, int scale);
/// Parses `[+-]digits[.digits]` (also `1e3` forms) to the unscaled value at `scale`, rounding
/// half up past `scale` digits. Empty when malformed or when the value needs more than
/// `precision` digits.
std::optional<int64_t> parseDecimal(std::string_view text, int precision, int scale);
/// `unscaled` at `from_scale` rescaled to `to_scale` (half-up rounding when it shrinks); empty
/// on overflow of `precision` digits.
std::optional<int64_t> rescaleDecimal(int64_t unscaled, int from_scale, int to_scale, int precision);

}  // namespace caudal::sql
