// Waiting for a condition in integration tests: poll, never a fixed sleep.
#pragma once

#include <chrono>
#include <thread>

namespace caudal::test {

/// The deadline integration tests wait for any condition.
inline constexpr std::chrono::milliseconds kWaitTimeout{10'000};

/// Calls `condition()` every 10 ms until it returns true (then true) or `timeout` has passed
/// (then false, after one last try). Use as `ASSERT_TRUE(waitUntil([&] { ... })) << "what"`.
template <class Condition>
bool waitUntil(Condition condition, std::chrono::milliseconds timeout = kWaitTimeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace caudal::test
