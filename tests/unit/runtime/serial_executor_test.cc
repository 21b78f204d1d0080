// SerialExecutor: posted tasks run one at a time, in order, on the executor's own thread.

#include "runtime/serial_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace caudal {
namespace {

TEST(SerialExecutor, RunsTasksInPostingOrderOnItsOwnThread) {
  std::vector<int> order;  // touched only by the executor thread until stop() joins it
  std::atomic<bool> all_on_executor{true};
  std::thread::id caller = std::this_thread::get_id();
  {
    SerialExecutor executor;
    EXPECT_FALSE(executor.onExecutorThread());
    for (int i = 0; i < 100; ++i) {
      executor.post([&, i] {
        if (!executor.onExecutorThread() || std::this_thread::get_id() == caller) all_on_executor = false;
        order.push_back(i);
      });
    }
    executor.stop(/*drain=*/true);
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
  EXPECT_TRUE(all_on_executor.load());
}

TEST(SerialExecutor, TasksNeverOverlap) {
  SerialExecutor executor;
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  for (int i = 0; i < 200; ++i) {
    executor.post([&] {
      if (running.fetch_add(1) != 0) overlapped = true;
      std::this_thread::yield();
      running.fetch_sub(1);
    });
  }
  executor.stop(/*drain=*/true);
  EXPECT_FALSE(overlapped.load());
}

TEST(SerialExecutor, StopWithoutDrainDropsQueuedTasksButFinishesTheRunningOne) {
  SerialExecutor executor;
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first_finished{false};
  std::atomic<int> later_ran{0};
  executor.post([&] {
    started.set_value();
    released.wait();
    first_finished = true;
  });
  executor.post([&] { later_ran.fetch_add(1); });
  executor.post([&] { later_ran.fetch_add(1); });
  started.get_future().wait();

  std::thread stopper([&] { executor.stop(/*drain=*/false); });
  // stop() clears the queue before it joins; wait until only the running task is left.
  while (executor.pending() != 1) std::this_thread::yield();
  release.set_value();
  stopper.join();

  EXPECT_TRUE(first_finished.load());
  EXPECT_EQ(later_ran.load(), 0);
  EXPECT_EQ(executor.pending(), 0u);
}

TEST(SerialExecutor, DiscardQueuedFromATask) {
  SerialExecutor executor;
  std::vector<int> ran;
  // Hold the executor until every task is queued, so task 2 finds 3 and 4 in the queue.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  executor.post([released] { released.wait(); });
  executor.post([&] { ran.push_back(1); });
  executor.post([&] {
    ran.push_back(2);
    executor.discardQueued();
  });
  executor.post([&] { ran.push_back(3); });
  executor.post([&] { ran.push_back(4); });
  release.set_value();
  executor.stop(/*drain=*/true);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(SerialExecutor, PostAfterStopIsIgnored) {
  SerialExecutor executor;
  std::atomic<int> ran{0};
  executor.post([&] { ran.fetch_add(1); });
  executor.stop(/*drain=*/true);
  executor.post([&] { ran.fetch_add(1); });
  executor.stop(/*drain=*/true);  // idempotent
  executor.stop(/*drain=*/false);
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(executor.pending(), 0u);
}

TEST(SerialExecutor, PendingCountsQueuedAndRunning) {
  SerialExecutor executor;
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  executor.post([&] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();
  executor.post([] {});
  executor.post([] {});
  EXPECT_EQ(executor.pending(), 3u);
  release.set_value();
  executor.stop(/*drain=*/true);
  EXPECT_EQ(executor.pending(), 0u);
}

TEST(SerialExecutor, DestructorDoesNotRunQueuedTasksAfterTheRunningOne) {
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> later_ran{0};
  std::thread releaser;
  {
    SerialExecutor executor;
    executor.post([&] {
      started.set_value();
      released.wait();
    });
    executor.post([&] { later_ran.fetch_add(1); });
    started.get_future().wait();
    releaser = std::thread([&] {
      while (executor.pending() != 1) std::this_thread::yield();
      release.set_value();
    });
  }  // ~SerialExecutor: stop(false)
  releaser.join();
  EXPECT_EQ(later_ran.load(), 0);
}

}  // namespace
}  // namespace caudal
