// The `caudal` command.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "caudal/version.h"
#include "cli/sql_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Caudal: a stream-processing engine (DStreams and streaming SQL) in one native binary.\n"
               "Streaming programs link the library (find_package(Caudal)); `caudal sql` runs SQL."};
  app.name("caudal");
  app.set_version_flag("-V,--version", std::string("caudal ") + CAUDAL_VERSION);
  app.require_subcommand(0, 1);

  caudal::cli::SqlCommandOptions sql_options;
  CLI::App* sql = app.add_subcommand(
      "sql", "Run a SQL script's INSERT INTO statements as continuous queries until they end or Ctrl-C, or, "
             "without -f, open an interactive shell");
  sql->add_option("-f,--file", sql_options.file, "SQL script to run");
  sql->add_option("-e,--execute", sql_options.execute, "SQL statements to run first");
  sql->add_option("-p,--parallelism", sql_options.parallelism, "worker threads (default: one per core)");

  CLI11_PARSE(app, argc, argv);
  if (sql->parsed()) return caudal::cli::runSqlCommand(sql_options);
  std::fputs(app.help().c_str(), stdout);
  return 0;
}
