// stateSnapshots() on a stream that keeps no state is refused when the program is compiled.
// expect-error: stateSnapshots\(\): this stream keeps no state
#include <caudal/streaming.h>

#include <string>
#include <utility>

int main() {
  caudal::StreamingContext ssc(caudal::Seconds(1));
  auto counts = ssc.queueStream<std::pair<std::string, int>>({{{{"a", 1}}}})
                    .reduceByKey([](int a, int b) { return a + b; });
  counts.stateSnapshots();
  return 0;
}
