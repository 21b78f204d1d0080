// queueStream: a stream of RDDs prepared in memory, for tests and experiments.
//
// The notes' example: two batches of two partitions each. For every batch it prints the
// length of each word (map), the number of words (count) and the partitions (glom). It runs
// on a manual clock (runBatches), so its output is the same on every run:
//
//   queue_stream [batches]
//
// `batches` defaults to 3, as the notes' awaitTerminationOrTimeout(3): the third batch finds
// the queue empty and gets an empty RDD (map and glom print nothing, count prints 0).
#include <caudal/streaming.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::atoi(argv[1]) : 3;

  caudal::StreamingContext ssc(caudal::Seconds(1));

  // Batch → partitions → records.
  auto input = ssc.queueStream<std::string>({
      {{"uno", "dos", "tres"}, {"cuatro", "cinco"}},  // RDD 1: 2 partitions
      {{"seis", "siete", "ocho"}, {"nueve"}},         // RDD 2: 2 partitions
  });

  input.map([](const std::string& record) { return record.size(); }).pprint();
  input.count().pprint();
  input.glom().pprint();

  // Outputs run in the order they were defined, batch after batch.
  ssc.runBatches(batches);
  ssc.stop();
  return 0;
}
