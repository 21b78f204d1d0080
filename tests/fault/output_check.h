// The fault test's oracles: what the job's saveAsTextFiles directories must hold, whatever
// the timing of the batches and of the kills. Batch times differ from run to run, so nothing
// here compares a batch of one run with a batch of another.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fault/input_feed.h"

namespace caudal::fault {

/// What a run wrote: per output ("counts", "totals", "window") and batch time (ms), the
/// counts of its "word count" lines.
struct RunOutput {
  std::map<std::string, std::map<int64_t, Counts>> batches;
  std::vector<std::string> leftovers;  // hidden entries: temporary directories never committed
  std::vector<std::string> problems;   // what could not be read, or should not be there
};

/// Reads the output directory of a run (`<output>-<ms>/part-*`).
RunOutput readRunOutput(const std::filesystem::path& directory);

/// The time and the sum of all counts of the newest committed totals directory, if any:
/// how far the job has got.
std::optional<std::pair<int64_t, int64_t>> newestTotals(const std::filesystem::path& directory);

/// The job's batch and window parameters (its command line's).
struct JobShape {
  int64_t batch_ms = 0;
  int64_t window_batches = 0;
  int64_t slide_batches = 0;
};

/// What the checks expect of a run's input: every unit delivered, exactly once, and the
/// units placed before the first start, never.
struct ExpectedInput {
  std::vector<const InputUnit*> delivered;
  std::vector<const InputUnit*> never_read;
};

/// Every way `run` differs from what the job must have written for `input`, one message per
/// difference (the first few of each check) naming the check, the batch time, what was
/// expected and what was found. Empty when the run is right:
///  - batches: every batch time from the first to the last appears once in counts and
///    totals, and every slide time in window (no batch lost, none extra);
///  - input: the counts of all batches add up to the words of the delivered units, each
///    unit's marker counted once, the never-read units' markers never;
///  - totals: at each batch, the sum of the counts of the batches up to it;
///  - window: at each slide, the sum of the counts of the batches in (t - window, t].
std::vector<std::string> checkRun(const RunOutput& run, const ExpectedInput& input,
                                  const JobShape& shape);

/// The totals of the last batch of `run` (empty if it has none).
Counts finalTotals(const RunOutput& run);

/// "word: expected 3, got 4; …" for the words where `expected` and `actual` differ (at most
/// `limit` of them), "" if they are equal.
std::string describeDifference(const Counts& expected, const Counts& actual, size_t limit = 6);

}  // namespace caudal::fault
