// The fault test's oracles on hand-written output directories: a right run passes, and each
// kind of damage a crash could cause is caught by the check that names it.
#include "fault/output_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/temp_directory.h"

namespace caudal::fault {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class OutputCheck : public ::testing::Test {
 protected:
  OutputCheck() {
    // Batches of 100 ms from zero time 1000; windows of 4 batches every 2. Units "a" and "b"
    // arrive in the batches of 1100 and 1300 ms.
    a_ = {"a", "unit-a", "", {{"unit-a", 1}, {"x", 2}}};
    b_ = {"b", "unit-b", "", {{"unit-b", 1}, {"x", 1}, {"y", 1}}};
    old_ = {"old", "unit-old", "", {{"unit-old", 1}, {"x", 5}}};
    Counts after_a = a_.words;
    Counts after_b = {{"unit-a", 1}, {"unit-b", 1}, {"x", 3}, {"y", 1}};
    write("counts", 1100, a_.words);
    write("counts", 1200, {});
    write("counts", 1300, b_.words);
    write("counts", 1400, {});
    write("totals", 1100, after_a);
    write("totals", 1200, after_a);
    write("totals", 1300, after_b);
    write("totals", 1400, after_b);
    write("window", 1200, after_a);
    write("window", 1400, after_b);
  }

  void write(const std::string& output, int64_t time, const Counts& counts) {
    fs::path batch = directory_ / (output + "-" + std::to_string(time));
    fs::remove_all(batch);
    fs::create_directories(batch);
    std::ofstream part(batch / "part-00000");
    for (const auto& [word, count] : counts) part << word << ' ' << count << '\n';
    std::ofstream(batch / "_SUCCESS");
  }

  std::vector<std::string> check() {
    return checkRun(readRunOutput(directory_), ExpectedInput{{&a_, &b_}, {&old_}},
                    JobShape{100, 4, 2});
  }

  test::TempDirectory temporary_;
  const fs::path& directory_ = temporary_.path();
  InputUnit a_;
  InputUnit b_;
  InputUnit old_;
};

TEST_F(OutputCheck, ARightRunPassesWhateverTemporaryDirectoriesAreLeft) {
  fs::create_directories(directory_ / ".counts-1500.tmp-12-0");
  EXPECT_THAT(check(), IsEmpty());
  EXPECT_THAT(readRunOutput(directory_).leftovers, ElementsAre(".counts-1500.tmp-12-0"));
}

TEST_F(OutputCheck, ALostBatchIsCaught) {
  fs::remove_all(directory_ / "totals-1200");
  EXPECT_THAT(check(), ElementsAre(HasSubstr(
                           "[batches] totals: 1 batch(es) between 1100 and 1400 ms have no "
                           "output (first missing: 1200)")));
}

TEST_F(OutputCheck, AWindowAtAnotherTimeThanTheSlideIsCaught) {
  write("window", 1300, b_.words);
  EXPECT_THAT(check(),
              ::testing::Contains(HasSubstr("[batches] window: output at unexpected batch times "
                                            "(not every 200 ms from 1200 to 1400): 1300")));
}

TEST_F(OutputCheck, AUnitReadTwiceIsCaughtWithItsBatches) {
  write("counts", 1400, {{"unit-a", 1}});
  auto problems = check();
  EXPECT_THAT(
      problems,
      ::testing::Contains(HasSubstr(
          "[input] unit a was read 2 times, expected once (batches with its marker: 1100, 1400)")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("[totals] at batch 1400 ms")));
}

TEST_F(OutputCheck, AUnitNeverReadOrReadBeforeTheStartIsCaught) {
  write("counts", 1300, old_.words);
  auto problems = check();
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("[input] unit b was read 0 times")));
  EXPECT_THAT(
      problems,
      ::testing::Contains(HasSubstr(
          "[input] unit old, there before the job first started, was read (batches: 1300)")));
}

TEST_F(OutputCheck, WrongTotalsAreCaughtAtTheirBatch) {
  write("totals", 1300, {{"unit-a", 1}, {"unit-b", 1}, {"x", 4}, {"y", 1}});
  EXPECT_THAT(check(), ElementsAre(HasSubstr(
                           "[totals] at batch 1300 ms: totals are not the sum of the counts of "
                           "the batches up to it: 'x': expected 3, got 4")));
}

TEST_F(OutputCheck, AWrongWindowIsCaughtAtItsSlide) {
  write("window", 1400, {{"unit-a", 1}, {"unit-b", 1}, {"x", 3}});
  EXPECT_THAT(check(), ElementsAre(HasSubstr(
                           "[window] at batch 1400 ms: the window is not the sum of the counts "
                           "of the batches in (1000, 1400]: 'y': expected 1, got no line")));
}

TEST_F(OutputCheck, AnUncommittedOrUnreadableBatchIsCaught) {
  fs::remove(directory_ / "counts-1200" / "_SUCCESS");
  std::ofstream(directory_ / "totals-1400" / "part-00001") << "x3\n";
  auto problems = check();
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("counts-1200: no _SUCCESS")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("not a \"word count\" line: 'x3'")));
}

}  // namespace
}  // namespace caudal::fault
