// foreachRDD for debugging: the notes' printRDD, which shows every partition of every batch.
//
// foreachRDD runs a function on each batch's RDD (and its time) on the driver; here it
// collects the partitions (glom + collect) and prints them:
//
//   print_rdd [batches]
//
// It runs on a manual clock (runBatches, default 2 batches), so the output is the same on
// every run.
#include <caudal/streaming.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

void printRDD(const caudal::RDD<std::string>& rdd, caudal::Time time) {
  std::string text = "RDD (" + time.toString() + "):";
  std::vector<std::vector<std::string>> partitions = rdd.glom().collect();
  for (size_t i = 0; i < partitions.size(); ++i) {
    text += "\n\tParticion: " + std::to_string(i) + ": " + caudal::formatRecord(partitions[i]);
  }
  std::printf("%s\n\n", text.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::atoi(argv[1]) : 2;

  caudal::StreamingContext ssc(caudal::Seconds(1));
  auto input = ssc.queueStream<std::string>({
      {{"uno", "dos", "tres"}, {"cuatro", "cinco"}},
      {{"seis", "siete", "ocho"}, {"nueve"}},
  });
  input.foreachRDD(printRDD);

  ssc.runBatches(batches);
  ssc.stop();
  return 0;
}
