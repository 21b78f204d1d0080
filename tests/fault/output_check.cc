#include "fault/output_check.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>

namespace caudal::fault {
namespace fs = std::filesystem;
namespace {

const char* const kOutputs[] = {"counts", "totals", "window"};

// "<output>-<ms>" → output, ms.
std::optional<std::pair<std::string, int64_t>> parseBatchDirectory(const std::string& name) {
  size_t dash = name.rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string output = name.substr(0, dash);
  if (std::find(std::begin(kOutputs), std::end(kOutputs), output) == std::end(kOutputs))
    return std::nullopt;
  int64_t time = 0;
  const char* begin = name.data() + dash + 1;
  const char* end = name.data() + name.size();
  auto [stop, ec] = std::from_chars(begin, end, time);
  if (ec != std::errc() || stop != end || begin == end) return std::nullopt;
  return std::pair(output, time);
}

// The counts of one batch directory; problems (a missing _SUCCESS, a bad line, a word twice)
// are appended to `problems`.
Counts readBatchDirectory(const fs::path& directory, std::vector<std::string>& problems) {
  Counts counts;
  if (!fs::exists(directory / "_SUCCESS"))
    problems.push_back(directory.filename().string() + ": no _SUCCESS");
  std::vector<fs::path> parts;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().filename().string().starts_with("part-")) parts.push_back(entry.path());
  }
  std::sort(parts.begin(), parts.end());
  for (const fs::path& part : parts) {
    std::ifstream in(part);
    for (std::string line; std::getline(in, line);) {
      size_t space = line.find(' ');
      int64_t count = 0;
      const char* end = line.data() + line.size();
      auto parsed = space == std::string::npos
                        ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                        : std::from_chars(line.data() + space + 1, end, count);
      if (parsed.ec != std::errc() || parsed.ptr != end) {
        problems.push_back(part.string() + ": not a \"word count\" line: '" + line + "'");
        continue;
      }
      if (!counts.emplace(line.substr(0, space), count).second) {
        problems.push_back(part.string() + ": '" + line.substr(0, space) +
                           "' appears twice in one batch");
      }
    }
  }
  return counts;
}

void add(Counts& into, const Counts& counts) {
  for (const auto& [word, count] : counts) into[word] += count;
}

// Collects one check's messages, keeping the first few.
class Findings {
 public:
  Findings(std::vector<std::string>& all, std::string check)
      : all_(all), check_(std::move(check)) {}
  ~Findings() {
    if (dropped_ > 0)
      all_.push_back("[" + check_ + "] … and " + std::to_string(dropped_) + " more");
  }
  void add(const std::string& message) {
    if (kept_ < kLimit) {
      all_.push_back("[" + check_ + "] " + message);
      ++kept_;
    } else {
      ++dropped_;
    }
  }

 private:
  static constexpr int kLimit = 5;
  std::vector<std::string>& all_;
  std::string check_;
  int kept_ = 0;
  int dropped_ = 0;
};

std::string at(int64_t time) { return "at batch " + std::to_string(time) + " ms"; }

std::string timesOf(const std::vector<int64_t>& times) {
  std::string text;
  for (int64_t time : times) text += (text.empty() ? "" : ", ") + std::to_string(time);
  return text.empty() ? "none" : text;
}

}  // namespace

RunOutput readRunOutput(const fs::path& directory) {
  RunOutput run;
  for (const auto& entry : fs::directory_iterator(directory)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(".")) {
      run.leftovers.push_back(name);
      continue;
    }
    auto batch = parseBatchDirectory(name);
    if (!batch || !entry.is_directory()) {
      run.problems.push_back("[output] unexpected entry '" + name + "' in " + directory.string());
      continue;
    }
    run.batches[batch->first][batch->second] = readBatchDirectory(entry.path(), run.problems);
  }
  std::sort(run.leftovers.begin(), run.leftovers.end());
  return run;
}

std::optional<std::pair<int64_t, int64_t>> newestTotals(const fs::path& directory) {
  std::optional<int64_t> newest;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    auto batch = parseBatchDirectory(it->path().filename().string());
    if (batch && batch->first == "totals" && (!newest || batch->second > *newest))
      newest = batch->second;
  }
  if (!newest) return std::nullopt;
  std::vector<std::string> ignored;
  int64_t sum = 0;
  try {
    for (const auto& [word, count] :
         readBatchDirectory(directory / ("totals-" + std::to_string(*newest)), ignored)) {
      sum += count;
    }
  } catch (const fs::filesystem_error&) {
    return std::nullopt;  // a re-run of the batch is replacing the directory: look again later
  }
  return std::pair(*newest, sum);
}

std::string describeDifference(const Counts& expected, const Counts& actual, size_t limit) {
  std::set<std::string> words;
  for (const auto& [word, count] : expected) words.insert(word);
  for (const auto& [word, count] : actual) words.insert(word);
  std::string text;
  size_t shown = 0;
  size_t differing = 0;
  for (const std::string& word : words) {
    auto e = expected.find(word);
    auto a = actual.find(word);
    int64_t want = e == expected.end() ? 0 : e->second;
    int64_t got = a == actual.end() ? 0 : a->second;
    // A word with no line and a word with "0" differ: the job drops keys, it never writes 0.
    if (want == got && (e == expected.end()) == (a == actual.end())) continue;
    ++differing;
    if (shown++ >= limit) continue;
    if (!text.empty()) text += "; ";
    text += "'" + word + "': expected " + (e == expected.end() ? "no line" : std::to_string(want)) +
            ", got " + (a == actual.end() ? "no line" : std::to_string(got));
  }
  if (differing > limit) text += "; … (" + std::to_string(differing) + " words differ)";
  return text;
}

std::vector<std::string> checkRun(const RunOutput& run, const ExpectedInput& input,
                                  const JobShape& shape) {
  std::vector<std::string> problems = run.problems;
  static const std::map<int64_t, Counts> kNone;
  auto batchesOf = [&](const std::string& output) -> const std::map<int64_t, Counts>& {
    auto found = run.batches.find(output);
    return found == run.batches.end() ? kNone : found->second;
  };
  const auto& counts = batchesOf("counts");
  const auto& totals = batchesOf("totals");
  const auto& window = batchesOf("window");
  if (counts.empty()) {
    problems.push_back("[batches] no counts output at all");
    return problems;
  }

  {
    // The first batch is the job's first (zero time + one batch): outputs are never deleted.
    Findings findings(problems, "batches");
    int64_t first = counts.begin()->first;
    int64_t last = counts.rbegin()->first;
    int64_t zero = first - shape.batch_ms;
    int64_t slide = shape.batch_ms * shape.slide_batches;
    auto expectTimes = [&](const std::string& output, const std::map<int64_t, Counts>& batches,
                           int64_t step, int64_t from) {
      std::vector<int64_t> missing;
      std::vector<int64_t> extra;
      for (int64_t t = from; t <= last; t += step) {
        if (!batches.contains(t)) missing.push_back(t);
      }
      for (const auto& [t, unused] : batches) {
        if (t < from || t > last || (t - from) % step != 0) extra.push_back(t);
      }
      if (!missing.empty()) {
        findings.add(
            output + ": " + std::to_string(missing.size()) + " batch(es) between " +
            std::to_string(from) + " and " + std::to_string(last) +
            " ms have no output (first missing: " +
            timesOf({missing.begin(), missing.begin() + std::min<size_t>(missing.size(), 5)}) +
            ")");
      }
      if (!extra.empty()) {
        findings.add(
            output + ": output at unexpected batch times (not every " + std::to_string(step) +
            " ms from " + std::to_string(from) + " to " + std::to_string(last) +
            "): " + timesOf({extra.begin(), extra.begin() + std::min<size_t>(extra.size(), 5)}));
      }
    };
    expectTimes("counts", counts, shape.batch_ms, first);
    expectTimes("totals", totals, shape.batch_ms, first);
    // Windows come at every multiple of the slide counted from the zero time.
    int64_t first_window = zero + slide;
    while (first_window < first) first_window += slide;
    expectTimes("window", window, slide, first_window);
  }

  {
    Findings findings(problems, "input");
    Counts expected;
    for (const InputUnit* unit : input.delivered) add(expected, unit->words);
    Counts actual;
    for (const auto& [t, batch] : counts) add(actual, batch);
    // Per unit first: a unit read twice or never says more than the word totals.
    auto batchesWith = [&](const std::string& marker) {
      std::vector<int64_t> times;
      for (const auto& [t, batch] : counts) {
        if (batch.contains(marker)) times.push_back(t);
      }
      return times;
    };
    for (const InputUnit* unit : input.delivered) {
      auto found = actual.find(unit->marker);
      int64_t reads = found == actual.end() ? 0 : found->second;
      if (reads != 1) {
        findings.add("unit " + unit->name + " was read " + std::to_string(reads) +
                     " times, expected once (batches with its marker: " +
                     timesOf(batchesWith(unit->marker)) + ")");
      }
    }
    for (const InputUnit* unit : input.never_read) {
      if (actual.contains(unit->marker)) {
        findings.add("unit " + unit->name +
                     ", there before the job first started, was read (batches: " +
                     timesOf(batchesWith(unit->marker)) + ")");
      }
    }
    if (expected != actual) {
      findings.add("the counts of all batches are not the words of the delivered input: " +
                   describeDifference(expected, actual));
    }
  }

  {
    Findings findings(problems, "totals");
    Counts running;
    auto next = counts.begin();
    for (const auto& [t, batch] : totals) {
      for (; next != counts.end() && next->first <= t; ++next) add(running, next->second);
      if (batch != running) {
        findings.add(at(t) + ": totals are not the sum of the counts of the batches up to it: " +
                     describeDifference(running, batch));
      }
    }
  }

  {
    Findings findings(problems, "window");
    int64_t length = shape.batch_ms * shape.window_batches;
    for (const auto& [t, batch] : window) {
      Counts expected;
      for (auto it = counts.upper_bound(t - length); it != counts.end() && it->first <= t; ++it)
        add(expected, it->second);
      if (batch != expected) {
        findings.add(at(t) + ": the window is not the sum of the counts of the batches in (" +
                     std::to_string(t - length) + ", " + std::to_string(t) +
                     "]: " + describeDifference(expected, batch));
      }
    }
  }
  return problems;
}

Counts finalTotals(const RunOutput& run) {
  auto found = run.batches.find("totals");
  if (found == run.batches.end() || found->second.empty()) return {};
  return found->second.rbegin()->second;
}

}  // namespace caudal::fault
