// The `caudal` command.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "caudal/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Caudal: a stream-processing engine (DStreams and streaming SQL) in one native "
               "binary.\nStreaming programs link the library (find_package(Caudal)); "
               "subcommands of this tool come with the SQL front end."};
  app.name("caudal");
  app.set_version_flag("-V,--version", std::string("caudal ") + CAUDAL_VERSION);
  app.require_subcommand(0);
  CLI11_PARSE(app, argc, argv);
  if (argc == 1) std::fputs(app.help().c_str(), stdout);
  return 0;
}
