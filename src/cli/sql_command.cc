#include "cli/sql_command.h"

#include <editline/readline.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sql/session/sql_session.h"

namespace caudal::cli {

namespace {

std::atomic<bool> interrupted{false};

void onInterrupt(int) { interrupted.store(true); }

void printResult(const sql::StatementResult& result) {
  switch (result.kind) {
    case sql::StatementResult::Kind::kOk: std::cout << result.message << "\n"; break;
    case sql::StatementResult::Kind::kRows: std::cout << sql::formatTable(result.schema, result.rows); break;
    case sql::StatementResult::Kind::kQuery: std::cerr << result.message << "\n"; break;
  }
  std::cout.flush();
}

// Waits until every query ended or Ctrl-C; stops the queries gracefully on Ctrl-C. Returns
// false if a query failed (its error printed).
bool waitForQueries(sql::SqlSession& session) {
  bool ok = true;
  for (const auto& query : session.queries()) {
    while (query->isActive() && !interrupted.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (interrupted.load()) break;
  }
  if (interrupted.load()) {
    std::cerr << "stopping " << session.queries().size() << " queries...\n";
    session.stopAll();
  }
  for (const auto& query : session.queries()) {
    const std::string failure = query->failure();
    if (!failure.empty()) {
      std::cerr << "caudal sql: query '" << query->name() << "' failed: " << failure << "\n";
      ok = false;
    }
  }
  return ok;
}

bool runText(sql::SqlSession& session, const std::string& text, const std::string& origin) {
  auto results = session.execute(text);
  if (!results.isOk()) {
    std::cerr << "caudal sql: " << origin << ": " << results.status().message() << "\n";
    return false;
  }
  for (const auto& result : results.value()) printResult(result);
  return true;
}

// True once `buffer` holds a complete statement: a `;` outside quotes and comments.
bool statementComplete(const std::string& buffer) {
  bool in_string = false;
  bool in_identifier = false;
  bool in_line_comment = false;
  bool in_block_comment = false;
  bool complete = false;
  for (size_t i = 0; i < buffer.size(); ++i) {
    const char c = buffer[i];
    const char next = i + 1 < buffer.size() ? buffer[i + 1] : '\0';
    if (in_line_comment) {
      in_line_comment = c != '\n';
    } else if (in_block_comment) {
      if (c == '*' && next == '/') {
        in_block_comment = false;
        ++i;
      }
    } else if (in_string) {
      in_string = c != '\'';
    } else if (in_identifier) {
      in_identifier = c != '`';
    } else if (c == '\'') {
      in_string = true;
    } else if (c == '`') {
      in_identifier = true;
    } else if (c == '-' && next == '-') {
      in_line_comment = true;
    } else if (c == '/' && next == '*') {
      in_block_comment = true;
    } else if (c == ';') {
      complete = true;
    } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
      complete = false;
    }
  }
  return complete && !in_string && !in_identifier && !in_block_comment;
}

int runShell(sql::SqlSession& session) {
  const char* home = std::getenv("HOME");
  const std::string history = home != nullptr ? std::string(home) + "/.caudal_history" : std::string();
  using_history();
  if (!history.empty()) read_history(history.c_str());
  std::cout << "Caudal SQL shell. Statements end with ';'. A SELECT on a streaming table shows its changing "
               "result until Ctrl-C. Ctrl-D quits.\n";
  std::string buffer;
  while (true) {
    interrupted.store(false);
    char* line = readline(buffer.empty() ? "caudal> " : "     -> ");
    if (line == nullptr && interrupted.load()) {
      // Ctrl-C at the prompt drops the statement being typed, as other SQL shells do.
      std::cout << "\n";
      buffer.clear();
      continue;
    }
    if (line == nullptr) break;
    std::string text(line);
    std::free(line);
    if (buffer.empty() && (text == "quit" || text == "exit" || text == "quit;" || text == "exit;")) break;
    buffer += text + "\n";
    if (!statementComplete(buffer)) continue;
    std::string statement = buffer;
    buffer.clear();
    while (!statement.empty() && (statement.back() == '\n' || statement.back() == ' ')) statement.pop_back();
    add_history(statement.c_str());
    auto results = session.execute(statement);
    if (!results.isOk()) {
      std::cerr << "error: " << results.status().message() << "\n";
      continue;
    }
    for (const auto& result : results.value()) {
      printResult(result);
      if (result.kind == sql::StatementResult::Kind::kQuery && result.query != nullptr) {
        // A continuous query runs until it ends or Ctrl-C.
        while (result.query->isActive() && !interrupted.load()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        result.query->stop();
        const std::string failure = result.query->failure();
        if (!failure.empty()) std::cerr << "error: " << failure << "\n";
      }
    }
  }
  if (!history.empty()) write_history(history.c_str());
  session.stopAll();
  return 0;
}

}  // namespace

int runSqlCommand(const SqlCommandOptions& options) {
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  sql::SqlSession session(options.parallelism);
  session.setCancelCheck([] { return interrupted.load(); });
  if (!options.execute.empty() && !runText(session, options.execute, "-e")) return 1;
  if (!options.file.empty()) {
    std::ifstream in(options.file, std::ios::binary);
    if (!in) {
      std::cerr << "caudal sql: cannot read " << options.file << "\n";
      return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    if (!runText(session, text.str(), options.file)) {
      session.stopAll();
      return 1;
    }
    return waitForQueries(session) ? 0 : 1;
  }
  if (!options.execute.empty()) return waitForQueries(session) ? 0 : 1;
  return runShell(session);
}

}  // namespace caudal::cli
