// The DStream transformations of the Spark Streaming notes, one after another, on their data.
//
// Each example gets its own context and queueStream, runs on a manual clock (runBatches) and
// prints its batches with pprint under a title line, so the output is the same on every run:
//
//   dstream_operations
//
// Shuffles (countByValue, reduceByKey, distinct) leave records in no particular order, as in
// Spark; those examples sort each batch first (`notes::sorted`, in notes_example.h) to keep the output stable.
#include <caudal/streaming.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "notes_example.h"

namespace {

using caudal::RDD;
using caudal::StreamingContext;

using notes::example;
using notes::sorted;

const std::vector<std::vector<std::vector<std::string>>> kWords = {
    {{"uno", "dos", "tres"}, {"cuatro", "cinco"}},
    {{"seis", "siete", "ocho"}, {"nueve"}},
};

using Year = std::pair<int, int>;  // (year, value)

}  // namespace

int main() {
  example("map: the length of each record", 2, [](StreamingContext& ssc) {
    auto input = ssc.queueStream(kWords);
    input.map([](const std::string& record) { return record.size(); }).pprint();
  });

  example("count: the number of records of each RDD", 2,
          [](StreamingContext& ssc) { ssc.queueStream(kWords).count().pprint(); });

  example("reduce: the maximum of each RDD", 2, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<int>({{{4, 2}, {7, 15, 4}}, {{2, 3, 16}, {3}}});
    input.reduce([](int accumulated, int value) { return std::max(accumulated, value); }).pprint();
  });

  example("countByValue: how often each record appears in each RDD", 2, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<std::string>(
        {{{"a", "a", "b"}, {"a", "c"}}, {{"b", "a", "c"}, {"d", "d"}}});
    sorted(input.countByValue()).pprint();
  });

  example("reduceByKey: the maximum value of each year, per RDD", 3, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<Year>({
        {{{1999, 7}, {1999, 5}, {1999, 10}}, {{1999, 4}, {2000, 3}, {1999, 6}}},
        {{{2000, 10}, {2001, 3}, {1999, 5}}, {{1999, 20}}},
        {{{1999, 1}, {1999, 2}, {1999, 3}}},
    });
    sorted(input.reduceByKey([](int accumulated, int value) {
      return std::max(accumulated, value);
    })).pprint();
  });

  example("transform: any RDD operation, here distinct", 2, [](StreamingContext& ssc) {
    auto input = ssc.queueStream<int>({{{1, 2, 1}, {4, 1}}, {{1, 3, 5}, {1, 2}}});
    sorted(input.transform([](const RDD<int>& rdd) { return rdd.distinct(); })).pprint();
  });

  example("union: the records of two streams", 2, [](StreamingContext& ssc) {
    auto numbers = ssc.queueStream<int>({{{1, 2, 3}, {4}, {5, 6}}, {{7}, {8, 9}}});
    auto letters = ssc.queueStream<std::string>({{{"a", "b"}, {"c"}}, {{"d"}, {"e", "f", "g"}}});
    // Python mixes numbers and strings in one RDD; in C++ both streams need one type.
    numbers.map([](int n) { return std::to_string(n); }).union_(letters).pprint();
  });
  return 0;
}
