#include "sql/parser/token.h"

namespace caudal::sql::ast {

bool Token::isWord(std::string_view upper_keyword) const {
  if (kind != TokenKind::kWord || text.size() != upper_keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper_keyword[i]) return false;
  }
  return true;
}

}  // namespace caudal::sql::ast
