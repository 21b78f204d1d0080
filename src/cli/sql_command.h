// `caudal sql`: runs a SQL script's continuous queries, or an interactive shell.
#pragma once

#include <string>

namespace caudal::cli {

/// Options of `caudal sql`.
struct SqlCommandOptions {
  /// The script to run; empty opens the interactive shell.
  std::string file;
  /// Statements given on the command line (`-e`), run before the file or the shell.
  std::string execute;
  /// Worker threads (0: one per core).
  int parallelism = 0;
};

/// Runs the command; returns the process exit code (0 on success, 1 on an error, which has
/// been printed to stderr naming the file, line and column).
int runSqlCommand(const SqlCommandOptions& options);

}  // namespace caudal::cli
