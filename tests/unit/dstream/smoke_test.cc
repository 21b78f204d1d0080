#include <gtest/gtest.h>

#include "caudal/streaming.h"

TEST(Smoke, QueueStreamWordCount) {
  caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = 2});
  std::vector<std::vector<std::vector<std::string>>> data = {
      {{"a b", "b"}, {"c a"}}, {{"d"}}};
  auto counts = ssc.queueStream(data)
                    .flatMap([](const std::string& l) { return caudal::split(l, ' '); })
                    .map([](const std::string& w) { return std::pair{w, 1}; })
                    .reduceByKey([](int a, int b) { return a + b; });
  std::vector<std::vector<std::pair<std::string, int>>> seen;
  counts.foreachRDD([&](const caudal::RDD<std::pair<std::string, int>>& rdd, caudal::Time) {
    auto v = rdd.collect();
    std::sort(v.begin(), v.end());
    seen.push_back(v);
  });
  counts.pprint();
  ssc.runBatches(3);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::vector<std::pair<std::string, int>>{{"a", 2}, {"b", 2}, {"c", 1}}));
  EXPECT_EQ(seen[1], (std::vector<std::pair<std::string, int>>{{"d", 1}}));
  EXPECT_TRUE(seen[2].empty());
}
