// Upper-casing a socket stream: the first program of the Spark Streaming notes.
//
// Every `batch_seconds` (default 10) it prints, in upper case, the lines received since the
// previous batch from a TCP server:
//
//   socket_uppercase <host> <port> [batch_seconds] [run_seconds]
//
// Try it with netcat as the notes do: in one terminal `nc -lk -s localhost -p 9999`, in
// another `build/examples/socket_uppercase localhost 9999`, then type "uno", "dos", "tres"
// into the first: the next batch prints UNO, DOS, TRES. Without `run_seconds` it runs until
// interrupted.
#include <caudal/streaming.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: %s <host> <port> [batch_seconds] [run_seconds]\n", argv[0]);
    return 2;
  }
  const int batch_seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  const int run_seconds = argc > 4 ? std::atoi(argv[4]) : 0;

  try {
    caudal::StreamingContext ssc(caudal::Seconds(batch_seconds));

    auto input = ssc.socketTextStream(argv[1], std::atoi(argv[2]));
    auto upper = input.map([](std::string record) {
      for (char& c : record) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return record;
    });
    upper.pprint();

    ssc.start();
    if (run_seconds > 0) {
      ssc.awaitTerminationOrTimeout(caudal::Seconds(run_seconds));
      ssc.stop();
    } else {
      ssc.awaitTermination();
    }
  } catch (const caudal::Error& e) {
    std::fprintf(stderr, "socket_uppercase: %s\n", e.what());
    return 1;
  }
  return 0;
}
