// The window and state operations of the Spark Streaming notes, one after another, on their
// data, plus Spark's stateful word count with mapWithState.
//
// Each example gets its own context and queueStream, runs on a manual clock (runBatches) and
// prints its batches with pprint under a title line, so the output is the same on every run:
//
//   windows_and_state
//
// Shuffled results are sorted per batch (`notes::sorted`, in notes_example.h) to keep the output stable.
#include <caudal/streaming.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "notes_example.h"

namespace {

using caudal::Seconds;
using caudal::State;
using caudal::StateSpec;
using caudal::StreamingContext;

using notes::example;
using notes::sorted;

using Year = std::pair<int, int>;  // (year, value)
using Count = std::pair<std::string, int>;

const std::vector<std::vector<std::vector<int>>> kNumbers = {
    {{1, 2, 3}, {4, 5}}, {{6, 7, 8}, {9}}, {{10, 11}}, {{12}, {13, 14, 15}}};

const std::vector<std::vector<std::vector<Year>>> kYears = {
    {{{1999, 7}, {1999, 5}, {1999, 10}}, {{1999, 4}, {2000, 3}, {1999, 6}}},
    {{{2000, 10}, {2001, 3}, {1999, 5}}, {{1999, 20}}},
    {{{1999, 1}, {1999, 2}, {1999, 3}}},
};

// The notes' miFuncion for updateStateByKey: the largest value a year has had so far.
int largestSoFar(const std::vector<int>& values, std::optional<int> accumulated) {
  int largest = accumulated.value_or(std::numeric_limits<int>::min());
  for (int value : values) largest = std::max(largest, value);
  return largest;
}

}  // namespace

int main() {
  example("updateStateByKey: the maximum value of each year, so far", 3,
          [](StreamingContext& ssc) {
            sorted(ssc.queueStream(kYears).updateStateByKey(largestSoFar)).pprint();
          });

  example("window(2, 2): a fixed window of two batches", 4, [](StreamingContext& ssc) {
    ssc.queueStream(kNumbers).window(Seconds(2), Seconds(2)).pprint();
  });

  example("window(2, 1): a window of two batches, sliding by one", 6, [](StreamingContext& ssc) {
    ssc.queueStream(kNumbers).window(Seconds(2), Seconds(1)).pprint();
  });

  example("countByWindow(2, 2)", 4, [](StreamingContext& ssc) {
    ssc.queueStream(kNumbers).countByWindow(Seconds(2), Seconds(2)).pprint();
  });

  example("reduceByKeyAndWindow(sum, difference, 2, 2)", 8, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<Count>({{{{"a", 7}, {"a", 5}, {"a", 10}}},
                                         {{{"a", 4}, {"b", 3}, {"a", 6}}},
                                         {{{"b", 10}, {"c", 3}, {"a", 5}}},
                                         {{{"a", 20}}},
                                         {{{"a", 1}, {"a", 2}, {"a", 3}}},
                                         {{{"c", 2}, {"a", 4}}},
                                         {{{"c", 3}}}});
    auto sum = [](int accumulated, int value) { return accumulated + value; };
    auto difference = [](int accumulated, int value) { return accumulated - value; };
    sorted(input.reduceByKeyAndWindow(sum, difference, Seconds(2), Seconds(2))).pprint();
  });

  example("reduceByKeyAndWindow(max, 2, 1): no inverse, the maximum of each year in the window",
          5, [](StreamingContext& ssc) {
            auto max = [](int accumulated, int value) { return std::max(accumulated, value); };
            sorted(ssc.queueStream(kYears).reduceByKeyAndWindow(max, Seconds(2), Seconds(1)))
                .pprint();
          });

  example("countByValueAndWindow(2, 2)", 6, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<std::string>({{{"a", "a", "b"}, {"a", "c"}},
                                               {{"b", "a", "c"}, {"d", "d"}},
                                               {{"b", "a", "d"}, {"a", "b"}},
                                               {{"b"}, {"d"}}});
    sorted(input.countByValueAndWindow(Seconds(2), Seconds(2))).pprint();
  });

  example("mapWithState: a running word count, and the state after each batch", 3,
          [](StreamingContext& ssc) {
            auto lines = ssc.queueStream<std::string>({{{"hello world", "hello caudal"}}, {{"world"}}});
            auto words = lines.flatMap([](const std::string& line) { return caudal::split(line, ' '); })
                             .map([](std::string&& word) { return Count(std::move(word), 1); });
            auto spec = StateSpec::function(
                [](const std::string& word, std::optional<int> one, State<int>& state) {
                  int sum = one.value_or(0) + state.getOption().value_or(0);
                  state.update(sum);
                  return Count(word, sum);
                });
            spec.initialState(ssc.parallelize<Count>({{"hello", 1}, {"world", 1}}));
            auto counts = words.mapWithState(spec);
            sorted<Count>(counts).pprint();
            sorted(counts.stateSnapshots()).pprint();
          });
  return 0;
}
