// Receivers: records/s from a receiver's store() through blocks into batches, with and
// without the write-ahead log, and the cost of the log. Batches are run by runBatches as fast
// as the receiver fills them, so the figures are the store → block → batch path itself; the
// baseline is the log alone (append + sync of the same encoded blocks).
//
//   receiver_bench [--quick]
#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_report.h"
#include "caudal/streaming.h"
#include "storage/write_ahead_log.h"

namespace {

namespace fs = std::filesystem;
using caudal::bench::Clock;
using caudal::bench::report;
using caudal::bench::secondsSince;

constexpr int kBlockRecords = 1000;  // about 60 KB: a 200 ms block of a 5000 events/s source

std::vector<std::string> makeBlock(int64_t first) {
  std::vector<std::string> block;
  block.reserve(kBlockRecords);
  for (int i = 0; i < kBlockRecords; ++i) block.push_back(caudal::bench::eventLine(first + i));
  return block;
}

// User + system CPU seconds of the process so far.
double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Stores `blocks` blocks from its own thread, by store(vector) or record by record.
class BenchReceiver final : public caudal::Receiver<std::string> {
 public:
  BenchReceiver(int64_t blocks, bool whole_blocks) : blocks_(blocks), whole_blocks_(whole_blocks) {}
  ~BenchReceiver() override { onStop(); }

  void onStart() override {
    thread_ = std::thread([this] {
      for (int64_t b = 0; b < blocks_ && !isStopped(); ++b) {
        std::vector<std::string> block = makeBlock(b * kBlockRecords);
        if (whole_blocks_) {
          store(std::move(block));
        } else {
          for (std::string& record : block) store(std::move(record));
        }
      }
    });
  }
  void onStop() override {
    if (thread_.joinable()) thread_.join();
  }

 private:
  int64_t blocks_;
  bool whole_blocks_;
  std::thread thread_;
};

struct Run {
  double records_per_s = 0;
  double records_per_cpu_s = 0;
};

Run runReceiver(const std::string& name, int64_t blocks, bool whole_blocks,
                const fs::path* log_directory) {
  caudal::Config config{.numWorkerThreads = 1, .blockInterval = caudal::Milliseconds(20)};
  config.receiverWriteAheadLog = log_directory != nullptr;
  caudal::StreamingContext ssc(caudal::Milliseconds(100), config);
  auto stream = ssc.receiverStream(std::make_unique<BenchReceiver>(blocks, whole_blocks));
  if (log_directory != nullptr) {
    // What the core does for each source of a context with a checkpoint directory.
    std::dynamic_pointer_cast<caudal::detail::InputSource>(stream.node())
        ->setRecoveryDirectory(log_directory->string());
  }
  std::atomic<int64_t> seen{0};
  stream.foreachRDD([&](const caudal::RDD<std::string>& rdd) { seen += rdd.count(); });
  int64_t records = blocks * kBlockRecords;
  double cpu_start = cpuSeconds();
  auto start = Clock::now();
  while (seen.load() < records && secondsSince(start) < 300) {
    ssc.runBatches(1);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  double seconds = secondsSince(start);
  double cpu = cpuSeconds() - cpu_start;
  ssc.stop();
  if (seen.load() != records) {
    std::fprintf(stderr, "%s: %lld of %lld records\n", name.c_str(),
                 static_cast<long long>(seen.load()), static_cast<long long>(records));
    std::exit(1);
  }
  Run run{static_cast<double>(records) / seconds, static_cast<double>(records) / cpu};
  report(name, "records_per_s", run.records_per_s);
  report(name, "records_per_s_per_core", run.records_per_cpu_s);
  return run;
}

// The log alone: the same blocks, encoded as the receiver encodes them, appended and synced.
void runLogBaseline(int64_t blocks, const fs::path& directory) {
  auto opened = caudal::storage::WriteAheadLog::open(directory);
  if (!opened.isOk()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    std::exit(1);
  }
  auto& log = *opened.value();
  double cpu_start = cpuSeconds();
  auto start = Clock::now();
  for (int64_t b = 0; b < blocks; ++b) {
    auto bytes = caudal::detail::encodeReceivedBlock(makeBlock(b * kBlockRecords), std::nullopt);
    auto appended = log.append(bytes);
    caudal::Status synced = log.sync();
    if (!appended.isOk() || !synced.isOk()) std::exit(1);
  }
  double seconds = secondsSince(start);
  double cpu = cpuSeconds() - cpu_start;
  double records = static_cast<double>(blocks * kBlockRecords);
  report("receiver.baseline.log_append_sync", "records_per_s", records / seconds);
  report("receiver.baseline.log_append_sync", "records_per_s_per_core", records / cpu);
  report("receiver.baseline.log_append_sync", "syncs_per_s", static_cast<double>(blocks) / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  int64_t blocks = options.quick ? 100 : 2000;
  caudal::bench::ScratchDirectory scratch("receiver-bench");
  fs::path directory = scratch.path();
  report("receiver", "records_per_run", static_cast<double>(blocks * kBlockRecords));
  report("receiver", "records_per_block", kBlockRecords);

  runLogBaseline(blocks, directory / "baseline");
  Run memory = runReceiver("receiver.store_block.memory", blocks, true, nullptr);
  fs::path block_log = directory / "store_block";
  Run logged = runReceiver("receiver.store_block.wal", blocks, true, &block_log);
  report("receiver.store_block.wal", "cost_pct",
         100.0 * (memory.records_per_s - logged.records_per_s) / memory.records_per_s);

  Run memory_records = runReceiver("receiver.store_record.memory", blocks, false, nullptr);
  fs::path record_log = directory / "store_record";
  Run logged_records = runReceiver("receiver.store_record.wal", blocks, false, &record_log);
  report("receiver.store_record.wal", "cost_pct",
         100.0 * (memory_records.records_per_s - logged_records.records_per_s) /
             memory_records.records_per_s);

  report("receiver", "peak_rss_mb", caudal::bench::peakRssMb());
  return 0;
}
