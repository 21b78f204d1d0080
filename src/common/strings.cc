#include "caudal/strings.h"

namespace caudal {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> fields;
  fields.reserve(16);  // one allocation for typical lines
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      fields.emplace_back(text.substr(start));
      break;
    }
    fields.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  // Java's String.split drops trailing empty fields, but keeps a lone empty field for "".
  while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
  if (fields.size() == 1 && fields.front().empty() && !text.empty()) fields.clear();
  return fields;
}

}  // namespace caudal
