// The worker pool and job runner behind every RDD (Spark's SparkContext + DAGScheduler).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "caudal/detail/function_ref.h"

namespace caudal::detail {

class RddNodeBase;

/// Runs jobs over RDD partitions on a pool of worker threads. Shared by every RDD made from a
/// context; thread-safe, but jobs must not be started from inside a task.
class ExecutionContext {
 public:
  /// A pool of `num_threads` workers (> 0); shuffles default to `default_parallelism` partitions.
  static std::shared_ptr<ExecutionContext> create(int num_threads, int default_parallelism);
  ~ExecutionContext();
  ExecutionContext(const ExecutionContext&) = delete;
  ExecutionContext& operator=(const ExecutionContext&) = delete;

  /// Number of worker threads.
  int numThreads() const;
  /// Partitions a shuffle produces when the operation was not given a number.
  size_t defaultParallelism() const;

  /// Runs `task(p)` for every `p` in `partitions` of `rdd`, in parallel, after running the map
  /// side of every shuffle `rdd` depends on that has not run yet (Spark's stages). Blocks until
  /// all tasks end; rethrows the first exception a task threw.
  void runJob(const RddNodeBase& rdd, std::span<const size_t> partitions,
              FunctionRef<void(size_t)> task);

  /// As `runJob` over every partition of `rdd`.
  void runJob(const RddNodeBase& rdd, FunctionRef<void(size_t)> task);

  /// Runs `task(i)` for every `i` below `count` on the workers, in parallel (work that is not
  /// an RDD's, such as writing or loading a state's partitions). Blocks until all end;
  /// rethrows the first exception a task threw.
  void runTasks(size_t count, FunctionRef<void(size_t)> task);

 private:
  struct Impl;
  explicit ExecutionContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caudal::detail
