// The kill -9 fault test. caudal_fault_job (a word count with running totals and a sliding
// window, written with saveAsTextFiles) runs as a separate process while input arrives; it is
// killed with SIGKILL at many moments (at random, just after a batch starts, while a batch is
// logged, while outputs or checkpoints are written, while it recovers), restarted each time,
// sometimes only after a while, so that batches are missed and input arrives while it is
// down. At the end its output directories must show that nothing was lost and nothing
// duplicated (output_check.h), as those of a run with no kill over the same input. One test
// per source of the job: textFileStream, and a reliable socket receiver with the receivers'
// write-ahead log on (input_feed.h).
//
// Environment: CAUDAL_FAULT_SEED=<n> repeats a run; CAUDAL_FAULT_SOAK=1 (or a number of kills)
// kills more often over more input; CAUDAL_FAULT_KEEP=1 keeps the run's directories, which are
// otherwise kept only on failure. Both apply to each test (--gtest_filter picks one).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/inotify.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fault/file_events.h"
#include "fault/input_feed.h"
#include "fault/job_process.h"
#include "fault/output_check.h"

namespace caudal::fault {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// The default run's seed: fixed, so that CI runs the same kills every time.
constexpr uint64_t kDefaultSeed = 20240611;

struct Settings {
  uint64_t seed = kDefaultSeed;
  int kills = 20;
  int units = 80;
  bool soak = false;
  std::string source;  // the job's --source
  JobShape shape{200, 4, 2};
  int64_t checkpoint_ms = 1000;
};

const char* environment(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

Settings settingsFromEnvironment(const std::string& source) {
  Settings settings;
  settings.source = source;
  if (const char* soak = environment("CAUDAL_FAULT_SOAK"); soak && std::string(soak) != "0") {
    settings.soak = true;
    int kills = std::atoi(soak);
    settings.kills = kills > 1 ? kills : 100;
    settings.units = settings.kills * 5;
    settings.seed = std::random_device()();
  }
  if (const char* seed = environment("CAUDAL_FAULT_SEED")) settings.seed = std::stoull(seed);
  return settings;
}

// Where a kill lands.
enum class Moment { kAnyTime, kBatchStart, kBatchLog, kOutputWrite, kCheckpointWrite, kRecovery };
constexpr Moment kMoments[] = {Moment::kAnyTime,     Moment::kBatchStart,      Moment::kBatchLog,
                               Moment::kOutputWrite, Moment::kCheckpointWrite, Moment::kRecovery};

// Each moment as often as the others (to one), in a random order; never a recovery first, since
// the first kill follows the first start, which has nothing to recover.
std::vector<Moment> planKills(std::mt19937_64& rng, int kills) {
  std::vector<Moment> plan;
  for (int k = 0; k < kills; ++k) plan.push_back(kMoments[k % std::size(kMoments)]);
  std::shuffle(plan.begin(), plan.end(), rng);
  auto first_other =
      std::find_if(plan.begin(), plan.end(), [](Moment m) { return m != Moment::kRecovery; });
  if (!plan.empty() && first_other != plan.end()) std::iter_swap(plan.begin(), first_other);
  return plan;
}

int64_t uniform(std::mt19937_64& rng, int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(rng);
}

int64_t epochMilliseconds() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Waits `micros` more microseconds, precisely (a sleep may overshoot by a scheduler tick).
void spinFor(int64_t micros) {
  auto until = SteadyClock::now() + std::chrono::microseconds(micros);
  while (SteadyClock::now() < until) {
  }
}

// One run of the job over the input, in its own directory: input, checkpoint, output, log.
class Scenario {
 public:
  Scenario(fs::path root, const Settings& settings, const std::vector<InputUnit>& units,
           const InputUnit& before)
      : root_(std::move(root)),
        settings_(settings),
        units_(units),
        feed_(makeFeed(settings.source, root_)),
        pace_rng_(settings.seed ^ 0x5eedu) {
    fs::create_directories(root_ / "output");
    feed_->placeBeforeStart(before);
    std::vector<std::string> arguments = {
        "--checkpoint",     (root_ / "checkpoint").string(),
        "--output",         (root_ / "output").string(),
        "--batch-ms",       std::to_string(settings.shape.batch_ms),
        "--checkpoint-ms",  std::to_string(settings.checkpoint_ms),
        "--window-batches", std::to_string(settings.shape.window_batches),
        "--slide-batches",  std::to_string(settings.shape.slide_batches),
        "--stop-file",      (root_ / "stop").string()};
    for (std::string& argument : feed_->jobArguments()) arguments.push_back(std::move(argument));
    job_ = std::make_unique<JobProcess>(CAUDAL_FAULT_JOB_PATH, std::move(arguments),
                                        root_ / "job.log");
  }

  // Input delivered at a brisk pace, no kill.
  void runWithoutKills() {
    startJob("first start");
    waitForFirstOutput();
    setPace(10, 60);
    finish();
  }

  // Input delivered while the job is killed `settings.kills` times and restarted.
  void runWithKills(std::mt19937_64& rng) {
    startJob("first start");
    waitForFirstOutput();
    fs::path checkpoint = root_ / "checkpoint";
    int batch_log = events_.watch(checkpoint / "batches", IN_CREATE | IN_MODIFY);
    int state = events_.watch(checkpoint / "state", IN_CREATE | IN_MOVED_TO);
    int checkpoints = events_.watch(checkpoint / "checkpoints", IN_CREATE | IN_MOVED_TO);
    int output = events_.watch(root_ / "output", IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM);
    // Some input arrives while the job runs, some while it is down, some just before a kill.
    setPace(20, 500);
    std::vector<Moment> plan = planKills(rng, settings_.kills);
    for (size_t k = 0; k < plan.size(); ++k) {
      std::string how;
      if (plan[k] == Moment::kRecovery) {
        int64_t after = uniform(rng, 0, 80);
        waitFor(milliseconds(after));
        how = std::to_string(after) + " ms after the restart (recovering)";
      } else {
        waitFor(milliseconds(uniform(rng, 150, 900)));
        how = armAndWait(rng, plan[k], batch_log, state, checkpoints, output);
      }
      std::string ended = job_->kill();
      ++kills_;
      note("SIGKILL #" + std::to_string(k + 1) + " " + how + ": " + ended);
      if (ended != "signal 9") {
        throw std::runtime_error("the job ended by itself (" + ended + ") before kill #" +
                                 std::to_string(k + 1) + " reached it");
      }
      if (uniform(rng, 0, 99) < 30) {
        int64_t down = uniform(rng, 300, 1500);
        note("down for " + std::to_string(down) + " ms");
        waitFor(milliseconds(down));
      }
      startJob("restart #" + std::to_string(k + 1));
    }
    finish();
  }

  fs::path outputDirectory() const { return root_ / "output"; }
  fs::path checkpointDirectory() const { return root_ / "checkpoint"; }
  std::string logTail(size_t lines) const { return job_->logTail(lines); }
  const std::vector<std::string>& journal() const { return journal_; }
  int kills() const { return kills_; }

 private:
  void note(const std::string& line) {
    journal_.push_back(line);
    job_->note(line);
  }

  void startJob(const std::string& why) {
    note(why);
    job_->start();
  }

  // Waits for the moment `moment` names; returns how the kill landed.
  std::string armAndWait(std::mt19937_64& rng, Moment moment, int batch_log, int state,
                         int checkpoints, int output) {
    auto onEvents = [&](std::vector<int> ids, int64_t count, int64_t max_delay_us,
                        const std::string& what) {
      int64_t delay = uniform(rng, 0, max_delay_us);
      events_.drain();
      std::vector<std::string> seen;
      // Checkpoints come every checkpoint interval: a few of them are always enough.
      auto deadline = SteadyClock::now() + milliseconds(3 * settings_.checkpoint_ms + 1000);
      bool reached = waitUntil(deadline, [&] {
        for (std::string& name : events_.take(ids)) seen.push_back(std::move(name));
        return static_cast<int64_t>(seen.size()) >= count;
      });
      spinFor(delay);
      if (!reached)
        return what + ": no event #" + std::to_string(count) + " in time, killed anyway";
      return what + ", " + std::to_string(delay) + " us after event #" + std::to_string(count) +
             " (" + seen[static_cast<size_t>(count - 1)] + ")";
    };
    switch (moment) {
      case Moment::kAnyTime: {
        int64_t wait = uniform(rng, 0, 400);
        waitFor(milliseconds(wait));
        return "at a random moment (" + std::to_string(wait) + " ms later)";
      }
      case Moment::kBatchStart: {
        int64_t now = epochMilliseconds();
        int64_t boundary = (now / settings_.shape.batch_ms + 1) * settings_.shape.batch_ms;
        int64_t after = uniform(rng, 0, 10);
        waitFor(milliseconds(boundary + after - now));
        return std::to_string(after) + " ms after the start of batch " + std::to_string(boundary);
      }
      case Moment::kBatchLog:
        return onEvents({batch_log}, uniform(rng, 1, 2), 500, "while logging a batch");
      case Moment::kOutputWrite:
        return onEvents({output}, uniform(rng, 1, 6), 2000, "while writing outputs");
      case Moment::kCheckpointWrite:
        return onEvents({state, checkpoints}, uniform(rng, 1, 8), 1000,
                        "while writing a checkpoint");
      case Moment::kRecovery:
        break;
    }
    return "?";
  }

  // Delivers what is due and watches the job until `done()` or `deadline`; returns whether
  // `done()` became true. Throws if the job ends by itself or the feed failed.
  bool waitUntil(SteadyClock::time_point deadline, const std::function<bool()>& done = {}) {
    while (true) {
      deliverDue();
      feed_->throwIfFailed();
      if (done && done()) return true;
      if (auto ended = job_->running() ? job_->endedBySelf() : std::nullopt) {
        throw std::runtime_error("the job ended by itself (" + *ended +
                                 ") while it should have run");
      }
      auto now = SteadyClock::now();
      if (now >= deadline) return false;
      auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
      events_.waitReadable(std::min(left, milliseconds(2)));
    }
  }

  void waitFor(milliseconds duration) { waitUntil(SteadyClock::now() + duration); }

  void setPace(int64_t min_gap_ms, int64_t max_gap_ms) {
    min_gap_ms_ = min_gap_ms;
    max_gap_ms_ = max_gap_ms;
    next_delivery_ = SteadyClock::now();
  }

  void deliverDue() {
    if (min_gap_ms_ < 0) return;
    while (delivered_ < units_.size() && SteadyClock::now() >= next_delivery_) {
      feed_->deliver(units_[delivered_++]);
      next_delivery_ += milliseconds(uniform(pace_rng_, min_gap_ms_, max_gap_ms_));
    }
  }

  void waitForFirstOutput() {
    fs::path output = root_ / "output";
    bool started = waitUntil(SteadyClock::now() + milliseconds(30000), [&] {
      for (const auto& entry : fs::directory_iterator(output)) {
        if (entry.path().filename().string().starts_with("counts-")) return true;
      }
      return false;
    });
    if (!started)
      throw std::runtime_error("the job wrote no output within 30 s of its first start");
  }

  // Delivers the rest, waits until the totals hold all of it, then stops the job gracefully.
  void finish() {
    setPace(10, 40);
    int64_t expected = 0;
    for (const InputUnit& unit : units_) {
      for (const auto& [word, count] : unit.words) expected += count;
    }
    std::optional<std::pair<int64_t, int64_t>> newest;
    bool caught_up = waitUntil(SteadyClock::now() + milliseconds(60000), [&] {
      if (delivered_ < units_.size()) return false;
      newest = newestTotals(root_ / "output");
      // More than was delivered: input counted twice, which waiting cannot undo.
      return newest && newest->second >= expected;
    });
    if (caught_up && newest->second > expected) {
      throw std::runtime_error("the job's totals hold " + std::to_string(newest->second) +
                               " words at batch " + std::to_string(newest->first) +
                               ", more than the " + std::to_string(expected) + " delivered");
    }
    if (!caught_up) {
      throw std::runtime_error("the job's totals did not reach the " + std::to_string(expected) +
                               " words delivered within 60 s (newest totals: " +
                               (newest ? std::to_string(newest->second) + " words at batch " +
                                             std::to_string(newest->first)
                                       : std::string("none")) +
                               ")");
    }
    note("all input counted; stopping gracefully");
    std::ofstream(root_ / "stop").put('\n');
    auto ended = job_->waitForEnd(milliseconds(30000));
    if (!ended) throw std::runtime_error("the job did not stop within 30 s of the stop file");
    if (*ended != "exit code 0") throw std::runtime_error("the graceful stop ended with " + *ended);
  }

  fs::path root_;
  const Settings& settings_;
  const std::vector<InputUnit>& units_;
  std::unique_ptr<InputFeed> feed_;
  std::unique_ptr<JobProcess> job_;
  FileEvents events_;
  std::mt19937_64 pace_rng_;  // apart from the kills' RNG: the pace does not shift the kills
  size_t delivered_ = 0;
  int64_t min_gap_ms_ = -1;
  int64_t max_gap_ms_ = -1;
  SteadyClock::time_point next_delivery_;
  std::vector<std::string> journal_;
  int kills_ = 0;
};

// A fresh directory for the test's runs, removed at the end unless the test failed.
class RunDirectory {
 public:
  RunDirectory() {
    std::string pattern = (fs::temp_directory_path() / "caudal-fault-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp " + pattern + " failed");
    path_ = pattern;
  }
  ~RunDirectory() {
    if (::testing::Test::HasFailure() || environment("CAUDAL_FAULT_KEEP")) {
      std::printf("run directory kept: %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "  " + line + "\n";
  return text;
}

double secondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// The log segments ("log-*") of the write-ahead log of the job's first source.
std::vector<fs::path> receiverLogSegments(const fs::path& checkpoint) {
  std::vector<fs::path> segments;
  std::error_code ec;
  for (fs::directory_iterator it(checkpoint / "sources" / "0", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().filename().string().starts_with("log-")) segments.push_back(it->path());
  }
  return segments;
}

// The reference run, then the killed run, of the job over `source`, each checked.
void runKillNineTest(const std::string& source) {
  Settings settings = settingsFromEnvironment(source);
  // Recovery's own lines ("recovered from checkpoint …, N logged batch(es) …") in the job log.
  ::setenv("CAUDAL_LOG_LEVEL", "INFO", 0);
  std::printf(
      "seed %llu (CAUDAL_FAULT_SEED=%llu repeats this run): %d kills, %d input units, source %s\n",
      static_cast<unsigned long long>(settings.seed),
      static_cast<unsigned long long>(settings.seed), settings.kills, settings.units,
      settings.source.c_str());
  std::fflush(stdout);  // seen even if the run is cut short
  RunDirectory directory;
  std::mt19937_64 rng(settings.seed);
  std::vector<InputUnit> units = makeInput(rng, settings.units, "f");
  InputUnit before = makeInput(rng, 1, "before-start").front();
  ExpectedInput expected;
  for (const InputUnit& unit : units) expected.delivered.push_back(&unit);
  expected.never_read.push_back(&before);

  // Runs `scenario`, then checks its output; returns its final totals, unless it could not run.
  auto runAndCheck = [&](Scenario& scenario, const std::string& name,
                         const std::function<void()>& run) {
    auto context = [&] {
      return "seed " + std::to_string(settings.seed) + ", " + name + " run in " +
             directory.path().string() + "\nwhat the test did:\n" + joined(scenario.journal()) +
             "job log (last 60 lines):\n" + scenario.logTail(60);
    };
    auto start = SteadyClock::now();
    try {
      run();
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << " run: " << e.what() << "\n" << context();
      return std::optional<Counts>();
    }
    RunOutput output = readRunOutput(scenario.outputDirectory());
    std::vector<std::string> problems = checkRun(output, expected, settings.shape);
    if (settings.source == "socket" &&
        receiverLogSegments(scenario.checkpointDirectory()).empty()) {
      // Else a pass would say nothing of the log: the receiver did not write one.
      problems.push_back("[log] no write-ahead log segment in " +
                         (scenario.checkpointDirectory() / "sources" / "0").string());
    }
    size_t batches = output.batches["counts"].size();
    std::printf(
        "%s run: %.1f s, %d kills, %zu batches, %zu uncommitted temporary directories left\n",
        name.c_str(), secondsSince(start), scenario.kills(), batches, output.leftovers.size());
    if (!problems.empty()) ADD_FAILURE() << name << " run:\n" << joined(problems) << context();
    return std::optional<Counts>(finalTotals(output));
  };

  auto start = SteadyClock::now();
  Scenario reference(directory.path() / "reference", settings, units, before);
  std::optional<Counts> reference_totals =
      runAndCheck(reference, "reference (no kill)", [&] { reference.runWithoutKills(); });
  Scenario killed(directory.path() / "killed", settings, units, before);
  std::optional<Counts> killed_totals =
      runAndCheck(killed, "killed", [&] { killed.runWithKills(rng); });
  if (reference_totals && killed_totals) {
    EXPECT_EQ(*killed_totals, *reference_totals)
        << "final totals of the killed run differ from those of the run without kills: "
        << describeDifference(*reference_totals, *killed_totals) << " (seed " << settings.seed
        << ")";
  }
  std::printf("total %.1f s\n", secondsSince(start));
}

TEST(KillNine, TextFileStreamLosesAndDuplicatesNothing) { runKillNineTest("files"); }

// The receiver stores each block with the number of the line after it and resumes there: with
// the write-ahead log, what it stored survives the kill, and the feed resends the rest. (That
// the log's old segments are deleted once checkpointed is not checked here: its segments are
// 64 MiB, not settable through the public API, far more than this test writes.)
TEST(KillNine, SocketReceiverWithWriteAheadLogLosesAndDuplicatesNothing) {
  runKillNineTest("socket");
}

}  // namespace
}  // namespace caudal::fault
