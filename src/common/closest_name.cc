#include "common/closest_name.h"

#include <algorithm>
#include <vector>

namespace caudal {

namespace {

// ASCII only, without a library: the SQL parser's fuzz target compiles this file alone.
char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

size_t editDistanceIgnoringCase(std::string_view a, std::string_view b) {
  // Two rows of the dynamic programme: distances from a prefix of `a` to every prefix of `b`.
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    const char x = lowerAscii(a[i - 1]);
    for (size_t j = 1; j <= b.size(); ++j) {
      const char y = lowerAscii(b[j - 1]);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x == y ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace caudal
