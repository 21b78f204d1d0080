// ThreadPool: one parallel-for at a time over a fixed set of workers.

#include "runtime/thread_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "caudal/error.h"

namespace caudal {
namespace {

TEST(ThreadPool, RunsEveryIndexExactlyOnce) {
  for (int threads : {1, 2, 3, 7}) {
    SCOPED_TRACE("threads=" + std::to_string(threads));
    ThreadPool pool(threads);
    EXPECT_EQ(pool.numThreads(), threads);
    constexpr size_t kCount = 1000;
    std::vector<std::atomic<int>> runs(kCount);
    pool.parallelFor(kCount, [&](size_t i) { runs[i].fetch_add(1); });
    for (size_t i = 0; i < kCount; ++i) EXPECT_EQ(runs[i].load(), 1) << "index " << i;
  }
}

TEST(ThreadPool, ZeroCountRunsNothing) {
  ThreadPool pool(2);
  std::atomic<int> calls{0};
  pool.parallelFor(0, [&](size_t) { calls.fetch_add(1); });
  EXPECT_EQ(calls.load(), 0);
}

TEST(ThreadPool, TasksRunOnWorkersInParallel) {
  // Four tasks that each wait for all four to have started: only finishes if four workers
  // run them at once.
  ThreadPool pool(4);
  std::latch all_started(4);
  std::atomic<int> on_worker{0};
  pool.parallelFor(4, [&](size_t) {
    if (ThreadPool::onWorkerThread()) on_worker.fetch_add(1);
    all_started.arrive_and_wait();
  });
  EXPECT_EQ(on_worker.load(), 4);
  EXPECT_FALSE(ThreadPool::onWorkerThread());
}

TEST(ThreadPool, ExceptionIsRethrownAndLaterIndicesSkipped) {
  ThreadPool pool(1);  // one worker takes indices in order, so "later" is well defined
  std::vector<int> ran;
  EXPECT_THROW(pool.parallelFor(100,
                                [&](size_t i) {
                                  ran.push_back(static_cast<int>(i));
                                  if (i == 3) throw std::runtime_error("task 3 failed");
                                }),
               std::runtime_error);
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3}));
}

TEST(ThreadPool, FirstExceptionWinsWithSeveralWorkers) {
  ThreadPool pool(3);
  std::atomic<int> ran{0};
  try {
    pool.parallelFor(1000, [&](size_t i) {
      ran.fetch_add(1);
      if (i % 10 == 0) throw std::runtime_error("failed");
    });
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "failed");
  }
  EXPECT_LT(ran.load(), 1000);
  // The pool is usable afterwards, and the failure does not leak into the next job.
  std::atomic<int> next{0};
  pool.parallelFor(50, [&](size_t) { next.fetch_add(1); });
  EXPECT_EQ(next.load(), 50);
}

TEST(ThreadPool, SequentialReuse) {
  ThreadPool pool(3);
  for (size_t round = 0; round < 200; ++round) {
    std::atomic<size_t> sum{0};
    size_t count = round % 17;
    pool.parallelFor(count, [&](size_t i) { sum.fetch_add(i + 1); });
    ASSERT_EQ(sum.load(), count * (count + 1) / 2) << "round " << round;
  }
}

TEST(ThreadPool, ConcurrentCallersTakeTurns) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  auto caller = [&] {
    for (int round = 0; round < 50; ++round) pool.parallelFor(10, [&](size_t) { total.fetch_add(1); });
  };
  std::thread a(caller);
  std::thread b(caller);
  a.join();
  b.join();
  EXPECT_EQ(total.load(), 2 * 50 * 10);
}

TEST(ThreadPool, ParallelForFromAWorkerThrows) {
  ThreadPool pool(2);
  EXPECT_THAT([&] { pool.parallelFor(2, [&](size_t) { pool.parallelFor(1, [](size_t) {}); }); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("cannot run inside a task")));
}

}  // namespace
}  // namespace caudal
