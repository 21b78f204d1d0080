// Helpers for unit tests of the typed DStream/RDD operators: build queue streams from nested
// vectors, record what an output sees batch by batch, and compare where Spark leaves order
// unspecified.
#pragma once

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caudal/streaming.h"
#include "support/temp_directory.h"

namespace caudal::test {

/// One RDD as its partitions, in order.
template <class T>
using Partitions = std::vector<std::vector<T>>;

/// A queueStream's input: batch → partitions → records.
template <class T>
using Batches = std::vector<Partitions<T>>;

/// What one output saw: the time (ms) and the partitions of each batch whose RDD it collected.
template <class T>
struct BatchLog {
  std::vector<int64_t> times;
  std::vector<Partitions<T>> batches;

  /// The records of batch `i`, partition by partition (what `collect()` returned).
  std::vector<T> records(size_t i) const {
    std::vector<T> all;
    for (const auto& partition : batches.at(i)) all.insert(all.end(), partition.begin(), partition.end());
    return all;
  }

  /// The records of batch `i`, sorted (for shuffle outputs, whose order is unspecified).
  std::vector<T> sortedRecords(size_t i) const {
    std::vector<T> all = records(i);
    std::sort(all.begin(), all.end());
    return all;
  }

  /// Every batch's records, sorted per batch.
  std::vector<std::vector<T>> sortedPerBatch() const {
    std::vector<std::vector<T>> result;
    for (size_t i = 0; i < batches.size(); ++i) result.push_back(sortedRecords(i));
    return result;
  }

  /// Every batch's records in partition order.
  std::vector<std::vector<T>> recordsPerBatch() const {
    std::vector<std::vector<T>> result;
    for (size_t i = 0; i < batches.size(); ++i) result.push_back(records(i));
    return result;
  }
};

/// Registers a `foreachRDD` output on `stream` that logs each batch's time and partitions.
/// The log is filled on the job thread (the caller's, under `runBatches`).
template <class T>
std::shared_ptr<BatchLog<T>> recordBatches(const DStream<T>& stream) {
  auto log = std::make_shared<BatchLog<T>>();
  stream.foreachRDD([log](const RDD<T>& rdd, Time time) {
    Partitions<T> partitions = rdd.collectPartitions();  // may throw: then nothing is logged
    log->times.push_back(time.milliseconds());
    log->batches.push_back(std::move(partitions));
  });
  return log;
}

/// Records `stream`, runs `n` batches of `ssc` and returns each batch's records in partition
/// order.
template <class T>
std::vector<std::vector<T>> runAndCollect(StreamingContext& ssc, const DStream<T>& stream, int n) {
  auto log = recordBatches(stream);
  ssc.runBatches(n);
  return log->recordsPerBatch();
}

/// `prefix` followed by `n` ("k12"). Appends rather than `"k" + std::to_string(n)`, which
/// GCC 12 at -O3 flags with a false -Wrestrict warning.
inline std::string tagged(const char* prefix, int64_t n) {
  std::string text(prefix);
  text += std::to_string(n);
  return text;
}

/// Rethrows `error` (a failed batch's cause) and returns its message if it is an `E`, or ""
/// if it is anything else.
template <class E>
std::string messageOf(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const E& e) {
    return e.what();
  } catch (...) {
  }
  return "";
}

/// A sorted copy of `values`.
template <class T>
std::vector<T> sorted(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values;
}

/// Sorts the vector held in each record's value (groupByKey's groups, whose order is
/// unspecified), then the records themselves.
template <class K, class V>
std::vector<std::pair<K, std::vector<V>>> normalizeGroups(std::vector<std::pair<K, std::vector<V>>> records) {
  for (auto& [key, values] : records) std::sort(values.begin(), values.end());
  std::sort(records.begin(), records.end());
  return records;
}

/// As `normalizeGroups` for cogroup's records (both sides sorted).
template <class K, class V, class W>
std::vector<std::pair<K, std::pair<std::vector<V>, std::vector<W>>>> normalizeCoGroups(
    std::vector<std::pair<K, std::pair<std::vector<V>, std::vector<W>>>> records) {
  for (auto& [key, groups] : records) {
    std::sort(groups.first.begin(), groups.first.end());
    std::sort(groups.second.begin(), groups.second.end());
  }
  std::sort(records.begin(), records.end());
  return records;
}

/// The sizes of `partitions`.
template <class T>
std::vector<size_t> partitionSizes(const Partitions<T>& partitions) {
  std::vector<size_t> sizes;
  for (const auto& partition : partitions) sizes.push_back(partition.size());
  return sizes;
}

/// A context with a 1 s batch and a fixed parallelism, so partition counts are known.
/// Two worker threads, everything else default: the configuration of most tests.
inline Config smallConfig() { return Config{.numWorkerThreads = 2}; }

inline StreamingContext makeContext(int threads = 2, int parallelism = 2) {
  return StreamingContext(Seconds(1),
                          Config{.numWorkerThreads = threads, .defaultParallelism = parallelism});
}

/// `makeContext` with a checkpoint directory of its own, which stateful operations need.
inline StreamingContext makeCheckpointedContext(int threads = 2, int parallelism = 2) {
  StreamingContext ssc = makeContext(threads, parallelism);
  ssc.checkpoint(scratchDirectory().string());
  return ssc;
}

}  // namespace caudal::test
