// The stage scheduler: before a job's tasks run, the map side of every shuffle they read from
// runs, parents first (Spark's DAGScheduler, without the cluster).
#include "caudal/detail/execution_context.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>
#include <vector>

#include "caudal/detail/rdd_node.h"
#include "runtime/thread_pool.h"

namespace caudal::detail {

struct ExecutionContext::Impl {
  Impl(int num_threads, size_t default_parallelism)
      : pool(num_threads), default_parallelism(default_parallelism) {}

  // Runs every not-yet-run shuffle map stage `rdd` depends on, deepest first.
  void runParentStages(const RddNodeBase& rdd, std::unordered_set<const void*>& visited) {
    if (!visited.insert(&rdd).second) return;
    for (const RddNodeBase* parent : rdd.narrowParents()) runParentStages(*parent, visited);
    for (ShuffleDependencyBase* shuffle : rdd.shuffleParents()) {
      if (!visited.insert(shuffle).second) continue;
      const RddNodeBase& map_side = shuffle->mapSide();
      runParentStages(map_side, visited);
      std::lock_guard lock(shuffle->stageMutex());
      if (shuffle->completed()) continue;
      shuffle->prepare();
      pool.parallelFor(map_side.numPartitions(), [&](size_t p) { shuffle->runMapTask(p); });
      shuffle->completed() = true;
    }
  }

  ThreadPool pool;
  size_t default_parallelism;
};

std::shared_ptr<ExecutionContext> ExecutionContext::create(int num_threads,
                                                           int default_parallelism) {
  auto impl = std::make_unique<Impl>(num_threads, static_cast<size_t>(std::max(1, default_parallelism)));
  return std::shared_ptr<ExecutionContext>(new ExecutionContext(std::move(impl)));
}

ExecutionContext::ExecutionContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExecutionContext::~ExecutionContext() = default;

int ExecutionContext::numThreads() const { return impl_->pool.numThreads(); }
size_t ExecutionContext::defaultParallelism() const { return impl_->default_parallelism; }

void ExecutionContext::runJob(const RddNodeBase& rdd, std::span<const size_t> partitions,
                              FunctionRef<void(size_t)> task) {
  std::unordered_set<const void*> visited;
  impl_->runParentStages(rdd, visited);
  impl_->pool.parallelFor(partitions.size(), [&](size_t i) { task(partitions[i]); });
}

void ExecutionContext::runJob(const RddNodeBase& rdd, FunctionRef<void(size_t)> task) {
  std::vector<size_t> all(rdd.numPartitions());
  std::iota(all.begin(), all.end(), size_t{0});
  runJob(rdd, all, task);
}

void ExecutionContext::runTasks(size_t count, FunctionRef<void(size_t)> task) {
  impl_->pool.parallelFor(count, [&](size_t i) { task(i); });
}

}  // namespace caudal::detail
