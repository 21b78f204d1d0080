// libFuzzer target for the SQL parser. Any input must be parsed or rejected without a crash,
// a sanitizer report or a hang; and whatever parses must survive the round trip: printing the
// tree, parsing the print and printing again gives the same text. A mismatch aborts (a
// finding).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sql/parser/ast_printer.h"
#include "sql/parser/parser.h"

namespace {

[[noreturn]] void reportMismatch(std::string_view what, std::string_view input,
                                 std::string_view first, std::string_view second) {
  std::fprintf(stderr, "round trip failed: %.*s\n--- input\n%.*s\n--- first print\n%.*s\n"
               "--- second\n%.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(input.size()),
               input.data(), static_cast<int>(first.size()), first.data(),
               static_cast<int>(second.size()), second.data());
  std::abort();
}

void checkScript(std::string_view input) {
  caudal::Result<std::vector<caudal::sql::ast::StatementPtr>> first = caudal::sql::ast::parseScript(input);
  if (!first.isOk()) {
    // Every error names a position.
    if (first.status().message().rfind("line ", 0) != 0) {
      reportMismatch("error without a position", input, first.status().message(), "");
    }
    return;
  }
  for (const caudal::sql::ast::StatementPtr& statement : first.value()) {
    if (statement->end_offset < statement->begin_offset || statement->end_offset > input.size()) {
      reportMismatch("statement range outside the input", input, "", "");
    }
  }
  std::string printed = caudal::sql::ast::toSql(first.value());
  caudal::Result<std::vector<caudal::sql::ast::StatementPtr>> second = caudal::sql::ast::parseScript(printed);
  if (!second.isOk()) reportMismatch("printed text does not parse", input, printed,
                                     second.status().message());
  std::string reprinted = caudal::sql::ast::toSql(second.value());
  if (reprinted != printed) reportMismatch("printed twice differently", input, printed, reprinted);
}

void checkExpression(std::string_view input) {
  caudal::Result<caudal::sql::ast::ExprPtr> first = caudal::sql::ast::parseExpression(input);
  if (!first.isOk()) return;
  std::string printed = caudal::sql::ast::toSql(*first.value());
  caudal::Result<caudal::sql::ast::ExprPtr> second = caudal::sql::ast::parseExpression(printed);
  if (!second.isOk()) reportMismatch("printed expression does not parse", input, printed,
                                     second.status().message());
  std::string reprinted = caudal::sql::ast::toSql(*second.value());
  if (reprinted != printed) {
    reportMismatch("expression printed twice differently", input, printed, reprinted);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  checkScript(input);
  checkExpression(input);
  return 0;
}
