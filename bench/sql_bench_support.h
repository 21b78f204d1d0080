// What the SQL benchmarks share: running a script's continuous query to its end on one worker,
// timing work in wall and CPU seconds, the hand loops' random numbers, and the rates reported.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_report.h"
#include "sql/execution/streaming_query.h"
#include "sql/session/sql_session.h"

namespace caudal::bench {

/// The counter-based random numbers the hand loops draw: splitmix64 of the row index.
inline uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Wall and CPU seconds of a piece of work.
struct Seconds {
  double wall = 0;
  double cpu = 0;
};

/// Runs `work` and measures it.
template <class Work>
Seconds measure(Work&& work) {
  const auto start = Clock::now();
  const double cpu_start = processCpuSeconds();
  work();
  return Seconds{secondsSince(start), processCpuSeconds() - cpu_start};
}

/// What running a query took, and its last progress.
struct QueryRun {
  Seconds seconds;
  sql::QueryProgress progress;
};

/// Runs `script` (whose last statement is an INSERT) on a session of one worker until its
/// query ends. Exits with status 1 on an error.
inline QueryRun runQuery(const std::string& script) {
  sql::SqlSession session(1);
  QueryRun run;
  run.seconds = measure([&] {
    auto results = session.execute(script);
    if (!results.isOk()) {
      std::fprintf(stderr, "%s\n", results.status().message().c_str());
      std::exit(1);
    }
    for (const auto& query : session.queries()) query->awaitTermination();
  });
  run.progress = session.queries().back()->lastProgress();
  return run;
}

/// Reports the engine's and the hand loop's rates over `rows` input rows, per CPU second (per
/// core: what the machine's other load does not lower) and per wall second, and their ratio.
inline void reportRates(const std::string& name, double rows, Seconds engine, Seconds hand) {
  report(name, "rows_per_second_per_core", rows / engine.cpu);
  report(name, "wall_rows_per_second", rows / engine.wall);
  report(name, "hand_loop_rows_per_second_per_core", rows / hand.cpu);
  report(name, "ratio_to_hand_loop", hand.cpu / engine.cpu);
}

}  // namespace caudal::bench
