// "Did you mean ...?": the known name closest to a misspelled one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace caudal {

/// The Levenshtein distance between `a` and `b`, ASCII letters compared ignoring case.
size_t editDistanceIgnoringCase(std::string_view a, std::string_view b);

/// The candidate (anything convertible to `std::string_view`) fewest edits away from `word`,
/// ignoring case, if it is at most `max_distance` edits away; the first of equally close ones.
template <class Range>
std::optional<std::string> closestName(std::string_view word, const Range& candidates, size_t max_distance = 2) {
  std::optional<std::string> best;
  size_t best_distance = max_distance + 1;
  for (const auto& candidate : candidates) {
    const std::string_view name(candidate);
    const size_t distance = editDistanceIgnoringCase(word, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(name);
    }
  }
  return best;
}

}  // namespace caudal
