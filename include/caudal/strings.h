// String helpers user functions need most often.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caudal {

/// Splits `text` at every `separator`, as Java's `String.split` does for a one-character
/// pattern (what Spark examples call): empty fields are kept, except trailing ones, which are
/// dropped; an empty `text` gives one empty field. `split("a,,b,,", ',')` is {"a", "", "b"}.
std::vector<std::string> split(std::string_view text, char separator);

}  // namespace caudal
