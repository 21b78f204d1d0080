// Network word count: Spark Streaming's classic first program.
//
// Reads lines from a TCP server, splits them into words and prints each one-second batch's
// word counts, as Spark's `pprint()` does.
//
//   network_wordcount <host> <port> [seconds]
//
// Without `seconds` it runs until interrupted; with it, it stops (gracefully) after that long.
// Any line server works, e.g. `nc -lk 9999` in another terminal, or this project's demo:
//
//   build/examples/line_server &            # prints "port <N>"
//   build/examples/network_wordcount 127.0.0.1 <N> 5
#include <caudal/streaming.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s <host> <port> [seconds]\n", argv[0]);
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  const int seconds = argc == 4 ? std::atoi(argv[3]) : 0;

  try {
    caudal::StreamingContext ssc(caudal::Seconds(1));

    auto lines = ssc.socketTextStream(host, port);
    auto words = lines.flatMap([](const std::string& line) { return caudal::split(line, ' '); });
    auto pairs = words.map([](std::string word) { return std::pair{std::move(word), 1}; });
    auto counts = pairs.reduceByKey([](int a, int b) { return a + b; });
    counts.pprint();

    ssc.start();
    if (seconds > 0) {
      ssc.awaitTerminationOrTimeout(caudal::Seconds(seconds));
      ssc.stop();
    } else {
      ssc.awaitTermination();
    }
  } catch (const caudal::Error& e) {
    std::fprintf(stderr, "network_wordcount: %s\n", e.what());
    return 1;
  }
  return 0;
}
