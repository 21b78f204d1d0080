// What the course-notes examples share: running one example under a title on a manual clock,
// and sorting a shuffled batch so that the printed output is the same on every run.
#pragma once

#include <caudal/streaming.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace notes {

/// Runs `define(ssc)` on a fresh one-second context for `batches` batches (runBatches, so the
/// batch times are 1000 ms, 2000 ms, …), after printing `title`.
/// The context checkpoints into a temporary directory (stateful operations need one), removed
/// afterwards.
template <class Define>
void example(const char* title, int batches, Define define) {
  std::printf("=== %s ===\n\n", title);
  std::fflush(stdout);
  std::string pattern = (std::filesystem::temp_directory_path() / "caudal-example-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  {
    caudal::StreamingContext ssc(caudal::Seconds(1));
    ssc.checkpoint(pattern);
    define(ssc);
    ssc.runBatches(batches);
    ssc.stop();
  }
  std::filesystem::remove_all(pattern);
}

/// Each batch in ascending order, in one partition (Spark: transform(rdd => rdd.sortBy(x => x))).
template <class T>
caudal::DStream<T> sorted(const caudal::DStream<T>& stream) {
  return stream.transform([](const caudal::RDD<T>& rdd) {
    return rdd.repartition(1).mapPartitions([](std::vector<T> records) {
      std::sort(records.begin(), records.end());
      return records;
    });
  });
}

}  // namespace notes
