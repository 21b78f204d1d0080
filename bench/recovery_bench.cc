// Recovery from a checkpoint, and what checkpointing costs a running job.
//
// Recovery: a child process (this binary, `--phase build`) builds a mapWithState state of
// about 100 MB and 1 GB (serialized), lets it be checkpointed, stops gracefully and exits.
// Then, several times, a fresh child (`--phase recover`) is spawned on a copy of that
// checkpoint directory; it calls getOrCreate and runs one batch. The figure is the time from
// just before the spawn to the end of that batch (targets: under 1 s for 100 MB, under 5 s for
// 1 GB), split by the child's own timestamps (exec and start-up, building the job, loading the
// checkpoint, the first batch), with the child's peak resident memory; once with the
// checkpoint's files in the page cache, once with them evicted. Baseline, in the same run:
// reading and decompressing the same files, nothing else.
//
// Cost: a mapWithState job at full speed on the manual clock (1 s batches, skewed keys, a few
// million of them), checkpointing every 10 s, against the same job whose only checkpoint is the
// one at its start (target: under 10 % fewer records/s); batches of the two alternate. Then a
// sliding reduceByKeyAndWindow without inverse, which needs no checkpoint directory: without
// one, with one (a checkpoint every 10 s), and with one but no checkpoint during the run (what
// the batch log alone costs).
//
//   recovery_bench [--quick] [--threads N] [--dir D] [--only recovery|cost]
//
// D (default: a new directory under the system's temporary directory) receives the checkpoint
// directories; the ones this run made are deleted at the end.
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_report.h"
#include "caudal/detail/stable_hash.h"
#include "caudal/streaming.h"
#include "dstream/job_checkpoint.h"
#include "storage/checkpoint_file.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using caudal::bench::Clock;
using caudal::bench::percentile;
using caudal::bench::report;
using caudal::bench::secondsSince;
using Pair = std::pair<int64_t, int64_t>;

// A state: a count and a payload of N bytes that never changes after the key's first record
// (random, so that lz4 cannot shrink it and the bytes on disk are the state's size).
template <size_t N>
using PayloadState = std::pair<int64_t, std::array<uint8_t, N>>;

// With the key (about 4 bytes), the count (1) and the update time (3), about 100 bytes per key
// serialized.
constexpr size_t kRecoveryPayload = 92;
using RecoveryState = PayloadState<kRecoveryPayload>;
constexpr size_t kCostPayload = 24;
using CostState = PayloadState<kCostPayload>;

constexpr int kBuildLoadBatches = 10;  // batches that insert the keys
constexpr int kBuildBatches = 24;      // checkpoints at 10 and 20 s, and at the stop (24 s)
constexpr int64_t kCheckpointEverySeconds = 10;
constexpr int64_t kNoCheckpointSeconds = 100'000;  // longer than any run
constexpr size_t kInputPartitions = 8;

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "recovery_bench: %s\n", message.c_str());
  std::exit(1);
}

// splitmix64: its increment, then its finalizer.
uint64_t mix(uint64_t x) { return caudal::detail::mix64(x + 0x9e3779b97f4a7c15ULL); }

template <size_t N>
std::array<uint8_t, N> payloadOf(int64_t key) {
  std::array<uint8_t, N> bytes{};
  for (size_t i = 0; i < N; i += 8) {
    uint64_t word = mix(static_cast<uint64_t>(key) * 64 + i);
    std::memcpy(bytes.data() + i, &word, std::min<size_t>(8, N - i));
  }
  return bytes;
}

// Draw `draw` of the skewed updates: 90 % go to the hottest 5 % of the keys, the rest anywhere,
// so that each batch changes every hot key and a spread of cold ones.
int64_t skewedKey(uint64_t draw, int64_t keys) {
  uint64_t bits = mix(draw);
  auto hot = static_cast<uint64_t>(std::max<int64_t>(1, keys / 20));
  uint64_t range = bits % 10 != 0 ? hot : static_cast<uint64_t>(keys);
  return static_cast<int64_t>((bits >> 8) % range);
}

// The mapping function of both jobs: counts the key's records; a new key gets its payload.
template <size_t N>
auto countingSpec() {
  return caudal::StateSpec::function(
      [](const int64_t& key, std::optional<int64_t>, caudal::State<PayloadState<N>>& state) {
        auto current = state.getOption();
        PayloadState<N> next = current ? std::move(*current) : PayloadState<N>{0, payloadOf<N>(key)};
        ++next.first;
        int64_t count = next.first;
        state.update(std::move(next));
        return count;
      });
}

// A stream of (key, 1) pairs whose batch k (k = 1, 2, …) is `make(k, i)` for i in [0, n(k)),
// where n(k) is `first_records` for the first `first_batches` batches and `records` after.
// The records are made when the batch is generated; the queue only ticks.
template <class Make>
caudal::DStream<Pair> generatedInput(caudal::StreamingContext& ssc, int64_t first_batches, int64_t first_records,
                                     int64_t records, Make make) {
  auto indices = [&ssc](int64_t n) {
    std::vector<int64_t> values(static_cast<size_t>(n));
    std::iota(values.begin(), values.end(), int64_t{0});
    return ssc.parallelize(std::move(values), kInputPartitions);
  };
  caudal::RDD<int64_t> first = indices(first_records);
  caudal::RDD<int64_t> rest = indices(records);
  int64_t batch_ms = ssc.batchDuration().milliseconds();
  return ssc.queueStream(std::vector<caudal::RDD<int64_t>>{}, false)
      .transform([=](const caudal::RDD<int64_t>&, caudal::Time time) {
        int64_t batch = time.milliseconds() / batch_ms;
        return (batch <= first_batches ? first : rest).map([make, batch](int64_t i) { return make(batch, i); });
      });
}

// Reads the whole file (so that its pages are in the page cache).
void readWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 1 << 16> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
  }
}

// Drops the file's pages from the page cache; they are clean, as checkpoint files are fsynced.
void evictFromPageCache(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Bytes of the file in the page cache, and its size.
std::pair<double, double> cachedBytes(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {0, 0};
  struct stat info {};
  ::fstat(fd, &info);
  auto size = static_cast<size_t>(info.st_size);
  double cached = 0;
  if (size > 0) {
    void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (mapped != MAP_FAILED) {
      size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
      std::vector<unsigned char> resident((size + page - 1) / page);
      if (::mincore(mapped, size, resident.data()) == 0) {
        for (unsigned char r : resident) cached += (r & 1) ? static_cast<double>(page) : 0;
      }
      ::munmap(mapped, size);
    }
  }
  ::close(fd);
  return {std::min(cached, static_cast<double>(size)), static_cast<double>(size)};
}

std::vector<fs::path> filesUnder(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

double bytesOf(const std::vector<fs::path>& files) {
  double total = 0;
  for (const auto& file : files) total += static_cast<double>(fs::file_size(file));
  return total;
}

// A copy of the checkpoint directory `from` at `to` that a run may change. State files are
// never changed once written, so they are hard links (a copy of 1 GB per run would take longer
// than the recovery); the rest, which includes the batch log a run appends to, is copied.
void copyCheckpointDirectory(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::create_directories(to);
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    fs::path target = to / fs::relative(entry.path(), from);
    if (entry.is_directory()) {
      fs::create_directories(target);
    } else if (entry.path().parent_path().filename() == "state") {
      fs::create_hard_link(entry.path(), target);
    } else {
      fs::copy_file(entry.path(), target);
    }
  }
}

// The state files that recovering from the newest checkpoint in `directory` reads.
std::vector<fs::path> newestCheckpointChain(const fs::path& directory) {
  auto listed = caudal::storage::CheckpointDirectory::open(directory / "checkpoints");
  if (!listed.isOk()) fail(listed.status().message());
  auto paths = listed.value().list();
  if (!paths.isOk() || paths.value().empty()) fail("no checkpoint in " + directory.string());
  auto bytes = caudal::storage::readCheckpointFile(paths.value().back());
  if (!bytes.isOk()) fail(bytes.status().message());
  caudal::detail::JobCheckpoint checkpoint = caudal::detail::decodeCheckpoint(bytes.value());
  std::vector<fs::path> files;
  for (size_t s = 0; s < checkpoint.states.size(); ++s) {
    for (const auto& file : checkpoint.states[s].chain) {
      for (size_t p = 0; p < checkpoint.states[s].partitions; ++p) {
        // The name JobCheckpointStore gives a state file (src/dstream/README.md).
        char name[96];
        std::snprintf(name, sizeof name, "s%zu-p%zu-%020lld.%s", s, p,
                      static_cast<long long>(file.time.milliseconds()), file.full ? "snapshot" : "delta");
        files.push_back(directory / "state" / name);
      }
    }
  }
  return files;
}

// Reads, checks and decompresses `files` on `threads` threads, as a recovery's load does
// before it decodes anything; returns the seconds taken and the decompressed bytes.
std::pair<double, double> readAndDecompress(const std::vector<fs::path>& files, int threads) {
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0};
  auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < files.size(); i = next++) {
        auto read = caudal::storage::readCheckpointFile(files[i]);
        if (!read.isOk()) fail(read.status().message());
        bytes += read.value().size();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return {secondsSince(start), static_cast<double>(bytes.load())};
}

// ---- Child processes ----------------------------------------------------------------------

// What a child printed: one "name value" per line.
using Figures = std::map<std::string, double>;

struct Child {
  Figures figures;
  double max_rss_mb = 0;
};

// Runs this binary with `args`, its standard output read into figures; `spawn_ns` receives the
// time just before the spawn. Fails unless the child exits with 0.
Child runChild(const std::vector<std::string>& args, int64_t* spawn_ns = nullptr,
               const std::function<std::vector<std::string>(int64_t)>& args_at = nullptr) {
  static const std::string self = fs::read_symlink("/proc/self/exe").string();
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) fail("pipe: " + std::string(std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  int64_t start = nowNs();
  std::vector<std::string> all = {self};
  for (const auto& arg : args) all.push_back(arg);
  if (args_at) {
    for (auto& arg : args_at(start)) all.push_back(std::move(arg));
  }
  std::vector<char*> argv;
  for (auto& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) fail("posix_spawn: " + std::string(std::strerror(spawned)));
  if (spawn_ns) *spawn_ns = start;
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("child failed:\n" + output);
  Child child;
  child.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  size_t at = 0;
  while (at < output.size()) {
    size_t end = output.find('\n', at);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(at, end - at);
    size_t space = line.find(' ');
    if (space != std::string::npos) child.figures[line.substr(0, space)] = std::atof(line.c_str() + space + 1);
    at = end + 1;
  }
  return child;
}

double figure(const Figures& figures, const std::string& name) {
  auto found = figures.find(name);
  if (found == figures.end()) fail("the child did not report " + name);
  return found->second;
}

void print(const char* name, double value) { std::printf("%s %.17g\n", name, value); }

// The recovery job: batches 1…kBuildLoadBatches insert `keys` keys, in equal slices; later
// batches are `updates` skewed updates. `state` receives the state once the job is defined.
struct RecoveryJob {
  int64_t keys = 0;
  int64_t updates = 0;
  int threads = 2;
  std::string directory;
};

using RecoveryKeyedState = caudal::detail::KeyedState<int64_t, RecoveryState>;

caudal::StreamingContext recoveryContext(const RecoveryJob& job, std::shared_ptr<RecoveryKeyedState>& state,
                                         std::shared_ptr<int64_t> mapped) {
  caudal::StreamingContext ssc(caudal::Seconds(1), caudal::Config{.numWorkerThreads = job.threads});
  ssc.checkpoint(job.directory);
  int64_t keys = job.keys;
  int64_t slice = keys / kBuildLoadBatches;
  int64_t updates = job.updates;
  auto input = generatedInput(ssc, kBuildLoadBatches, slice, updates, [slice, keys, updates](int64_t batch, int64_t i) {
    if (batch <= kBuildLoadBatches) return Pair((batch - 1) * slice + i, 1);
    return Pair(skewedKey(static_cast<uint64_t>(batch * updates + i), keys), 1);
  });
  auto counts = input.mapWithState(countingSpec<kRecoveryPayload>());
  counts.checkpoint(caudal::Seconds(kCheckpointEverySeconds));
  counts.foreachRDD([mapped](const caudal::RDD<int64_t>& rdd) { *mapped += static_cast<int64_t>(rdd.count()); });
  state = std::static_pointer_cast<typename decltype(counts)::Node>(counts.node())->state();
  return ssc;
}

// --phase build: builds the state, stops gracefully (which checkpoints it) and reports its
// sizes.
int buildPhase(const RecoveryJob& job) {
  std::shared_ptr<RecoveryKeyedState> state;
  auto mapped = std::make_shared<int64_t>(0);
  caudal::StreamingContext ssc = recoveryContext(job, state, mapped);
  auto start = Clock::now();
  std::vector<double> batch_ms;
  for (int i = 0; i < kBuildBatches; ++i) {
    auto batch_start = Clock::now();
    ssc.runBatches(1);
    batch_ms.push_back(secondsSince(batch_start) * 1000.0);
  }
  auto stop_start = Clock::now();
  ssc.stop();
  double stop_ms = secondsSince(stop_start) * 1000.0;
  if (static_cast<int64_t>(state->numKeys()) != job.keys) fail("build: wrong number of keys");
  // Baseline: the snapshot by hand, as the checkpoint writes one (each partition serialized,
  // then written lz4-compressed and fsynced, the partitions in parallel), timed by part.
  size_t partitions = state->numPartitions();
  std::vector<double> serialize_s(partitions);
  std::vector<double> write_s(partitions);
  std::vector<double> serialized(partitions);
  fs::path scratch = fs::path(job.directory) / "baseline";
  fs::create_directories(scratch);
  auto baseline_start = Clock::now();
  {
    std::atomic<size_t> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < job.threads; ++t) {
      workers.emplace_back([&] {
        for (size_t p = next++; p < partitions; p = next++) {
          auto part_start = Clock::now();
          std::string bytes;
          {
            caudal::ByteWriter out(bytes);
            state->writePartition(p, out);
          }
          serialize_s[p] = secondsSince(part_start);
          serialized[p] = static_cast<double>(bytes.size());
          auto write_start = Clock::now();
          caudal::Status written = caudal::storage::writeCheckpointFile(
              scratch / ("p" + std::to_string(p)), std::as_bytes(std::span(bytes.data(), bytes.size())),
              caudal::storage::Codec::kLz4);
          if (!written.isOk()) fail(written.message());
          write_s[p] = secondsSince(write_start);
        }
      });
    }
    for (auto& worker : workers) worker.join();
  }
  double baseline_ms = secondsSince(baseline_start) * 1000.0;
  fs::remove_all(scratch);
  print("build_s", secondsSince(start));
  print("keys", static_cast<double>(state->numKeys()));
  print("partitions", static_cast<double>(state->numPartitions()));
  print("serialized_bytes", std::accumulate(serialized.begin(), serialized.end(), 0.0));
  // What the tables hold: the entries themselves plus the engine's own estimate of the rest.
  print("in_memory_bytes", static_cast<double>(state->numKeys() * sizeof(std::pair<int64_t, RecoveryState>) +
                                               state->overheadBytes()));
  print("build_peak_rss_mb", caudal::bench::peakRssMb());
  // Batch 10 writes every key as a delta, 20 a snapshot; the others write nothing.
  std::vector<double> plain;
  for (int i = kBuildLoadBatches; i < kBuildBatches; ++i) {
    if ((i + 1) % kCheckpointEverySeconds != 0) plain.push_back(batch_ms[static_cast<size_t>(i)]);
  }
  double plain_p50 = percentile(plain, 0.5);
  print("update_batch_ms_p50", plain_p50);
  print("snapshot_batch_ms", batch_ms[19]);
  print("snapshot_ms", batch_ms[19] - plain_p50);
  print("stop_delta_ms", stop_ms);
  print("baseline_snapshot_ms", baseline_ms);
  print("baseline_serialize_ms", *std::max_element(serialize_s.begin(), serialize_s.end()) * 1000.0);
  print("baseline_compress_write_sync_ms", *std::max_element(write_s.begin(), write_s.end()) * 1000.0);
  return 0;
}

// --phase recover: getOrCreate and one batch, with timestamps from `spawn_ns` (the parent's
// clock just before the spawn; steady_clock is the same clock in every process).
int recoverPhase(const RecoveryJob& job, int64_t spawn_ns) {
  int64_t main_ns = nowNs();
  std::shared_ptr<RecoveryKeyedState> state;
  auto mapped = std::make_shared<int64_t>(0);
  int64_t built_ns = 0;
  caudal::StreamingContext ssc = caudal::StreamingContext::getOrCreate(job.directory, [&] {
    caudal::StreamingContext context = recoveryContext(job, state, mapped);
    built_ns = nowNs();
    return context;
  });
  int64_t loaded_ns = nowNs();
  size_t keys_loaded = state->numKeys();
  ssc.runBatches(1);
  int64_t first_batch_ns = nowNs();
  auto batches = ssc.completedBatches();
  if (static_cast<int64_t>(keys_loaded) != job.keys || batches.size() != 1 ||
      batches.back().batchTime.milliseconds() != (kBuildBatches + 1) * 1000 || *mapped != job.updates) {
    fail("recover: the state or the first batch is not what the build left");
  }
  auto ms = [](int64_t from, int64_t to) { return static_cast<double>(to - from) / 1e6; };
  print("exec_ms", ms(spawn_ns, main_ns));
  print("define_ms", ms(main_ns, built_ns));
  print("load_ms", ms(built_ns, loaded_ns));
  print("first_batch_ms", ms(loaded_ns, first_batch_ns));
  print("total_ms", ms(spawn_ns, first_batch_ns));
  print("peak_rss_mb", caudal::bench::peakRssMb());
  std::fflush(stdout);
  // Freeing the state is no part of the figure and would take about as long as loading it.
  std::_Exit(0);
}

// ---- Recovery, measured from the parent ---------------------------------------------------

struct RecoverySize {
  std::string label;
  int64_t keys;
};

struct RecoverySizes {
  std::vector<RecoverySize> sizes;
  int64_t updates;
  int runs;  // of each kind (page cache warm, evicted)
};
const RecoverySizes kFullRecovery{{{"100MB", 1'000'000}, {"1GB", 10'000'000}}, 100'000, 5};
const RecoverySizes kQuickRecovery{{{"1MB", 10'000}, {"10MB", 100'000}}, 1'000, 2};

void measureRecovery(const RecoverySizes& sizes, int threads, const fs::path& base) {
  for (const RecoverySize& size : sizes.sizes) {
    std::string name = "recovery." + size.label;
    fs::path pristine = base / ("recovery-" + size.label);
    fs::path run_directory = base / ("recovery-" + size.label + "-run");
    fs::remove_all(pristine);
    std::vector<std::string> job_args = {"--threads", std::to_string(threads), "--keys", std::to_string(size.keys),
                                         "--updates", std::to_string(sizes.updates)};
    auto with = [&](std::vector<std::string> args, const fs::path& directory) {
      args.insert(args.end(), job_args.begin(), job_args.end());
      args.push_back("--dir");
      args.push_back(directory.string());
      return args;
    };
    Child build = runChild(with({"--phase", "build"}, pristine));
    for (const char* figure_name : {"build_s", "keys", "partitions", "serialized_bytes", "in_memory_bytes",
                                    "build_peak_rss_mb", "update_batch_ms_p50", "snapshot_ms", "stop_delta_ms",
                                    "baseline_snapshot_ms", "baseline_serialize_ms",
                                    "baseline_compress_write_sync_ms"}) {
      report(name + ".build", figure_name, figure(build.figures, figure_name));
    }
    std::vector<fs::path> chain = newestCheckpointChain(pristine);
    double chain_bytes = bytesOf(chain);
    report(name, "checkpoint_files_read", static_cast<double>(chain.size()));
    report(name, "checkpoint_bytes_read_on_disk", chain_bytes);
    report(name, "checkpoint_directory_bytes_on_disk", bytesOf(filesUnder(pristine)));

    std::vector<double> read_s;
    double decompressed = 0;
    for (int i = 0; i < 3; ++i) {
      for (const auto& file : chain) readWhole(file);
      auto [seconds, bytes] = readAndDecompress(chain, threads);
      read_s.push_back(seconds);
      decompressed = bytes;
    }
    report(name + ".baseline", "read_decompress_ms_warm", percentile(read_s, 0.5) * 1000.0);
    report(name + ".baseline", "decompressed_bytes", decompressed);

    std::map<std::string, std::vector<double>> by_kind;
    for (int run = 0; run < sizes.runs; ++run) {
      for (bool cold : {false, true}) {
        std::string kind = cold ? "evicted" : "cached";
        copyCheckpointDirectory(pristine, run_directory);
        std::vector<fs::path> files = filesUnder(run_directory);
        for (const auto& file : files) cold ? evictFromPageCache(file) : readWhole(file);
        double cached = 0;
        for (const auto& file : chain) cached += cachedBytes(run_directory / "state" / file.filename()).first;
        Child child = runChild(with({"--phase", "recover"}, run_directory), nullptr, [](int64_t spawn_ns) {
          return std::vector<std::string>{"--start-ns", std::to_string(spawn_ns)};
        });
        for (const char* part : {"exec_ms", "define_ms", "load_ms", "first_batch_ms", "total_ms"}) {
          by_kind[kind + "." + part].push_back(figure(child.figures, part));
        }
        by_kind[kind + ".peak_rss_mb"].push_back(child.max_rss_mb);
        by_kind[kind + ".cached_fraction_before"].push_back(chain_bytes > 0 ? cached / chain_bytes : 1);
        report(name + "." + kind + ".run" + std::to_string(run + 1), "total_ms", figure(child.figures, "total_ms"));
        fs::remove_all(run_directory);
      }
    }
    if (!sizes.runs) continue;
    for (const auto& [metric, values] : by_kind) {
      size_t dot = metric.find('.');
      std::string kind = metric.substr(0, dot);
      std::string what = metric.substr(dot + 1);
      report(name + "." + kind, what + "_median", percentile(values, 0.5));
      if (what == "total_ms") {
        report(name + "." + kind, "total_ms_min", *std::min_element(values.begin(), values.end()));
        report(name + "." + kind, "total_ms_max", *std::max_element(values.begin(), values.end()));
      }
    }
    fs::remove_all(pristine);
  }
}

// ---- The cost of checkpointing ------------------------------------------------------------

struct CostSizes {
  int64_t keys;               // the mapWithState job's state
  int64_t records;            // per batch, both jobs
  int64_t window_keys;        // the window job's keys (uniform)
  int64_t window_seconds;     // its window (slide: one batch)
  int warmup_batches;
  int timed_batches;
};
// 20 warm-up batches: the initial state (batch 1), its first checkpoint (10 s: a delta of every
// key) and the snapshot after it (20 s). The 100 timed ones hold ten checkpoints, deltas and
// the snapshot that follows them (after nine deltas at most, or once they outweigh it).
constexpr CostSizes kFullCost{4'000'000, 500'000, 100'000, 30, 20, 100};
constexpr CostSizes kQuickCost{100'000, 20'000, 10'000, 30, 20, 20};

// One job under measurement: its context, its checkpoint directory (if any), its batches.
struct Job {
  std::string name;
  std::unique_ptr<caudal::StreamingContext> ssc;
  fs::path directory;  // empty: no checkpoint directory
  std::shared_ptr<int64_t> outputs = std::make_shared<int64_t>(0);
  std::vector<double> batch_ms;  // the timed ones
  std::vector<bool> checkpointed;
  // Per checkpoint in the timed batches: its kind and bytes on disk.
  std::vector<std::pair<std::string, double>> checkpoints;
};

std::unique_ptr<Job> statefulJob(const std::string& name, const CostSizes& sizes, int threads,
                                 const fs::path& directory, int64_t interval_seconds) {
  auto job = std::make_unique<Job>();
  job->name = name;
  job->directory = directory;
  fs::remove_all(directory);
  job->ssc = std::make_unique<caudal::StreamingContext>(caudal::Seconds(1),
                                                        caudal::Config{.numWorkerThreads = threads});
  caudal::StreamingContext& ssc = *job->ssc;
  ssc.checkpoint(directory.string());
  int64_t keys = sizes.keys;
  int64_t records = sizes.records;
  auto input = generatedInput(ssc, 0, 0, records, [keys, records](int64_t batch, int64_t i) {
    return Pair(skewedKey(static_cast<uint64_t>(batch * records + i), keys), 1);
  });
  auto spec = countingSpec<kCostPayload>();
  {
    std::vector<std::vector<std::pair<int64_t, CostState>>> partitions(kInputPartitions);
    for (int64_t key = 0; key < keys; ++key) {
      partitions[static_cast<size_t>(key) % kInputPartitions].emplace_back(key, CostState{0, payloadOf<kCostPayload>(key)});
    }
    spec.initialState(ssc.fromPartitions(std::move(partitions)));
  }
  auto counts = input.mapWithState(std::move(spec));
  counts.checkpoint(caudal::Seconds(interval_seconds));
  auto outputs = job->outputs;
  counts.foreachRDD([outputs](const caudal::RDD<int64_t>& rdd) { *outputs += static_cast<int64_t>(rdd.count()); });
  return job;
}

std::unique_ptr<Job> windowJob(const std::string& name, const CostSizes& sizes, int threads,
                               const fs::path& directory, int64_t interval_seconds) {
  auto job = std::make_unique<Job>();
  job->name = name;
  job->directory = directory;
  job->ssc = std::make_unique<caudal::StreamingContext>(caudal::Seconds(1),
                                                        caudal::Config{.numWorkerThreads = threads});
  caudal::StreamingContext& ssc = *job->ssc;
  if (!directory.empty()) {
    fs::remove_all(directory);
    ssc.checkpoint(directory.string());
  }
  int64_t keys = sizes.window_keys;
  int64_t records = sizes.records;
  auto input = generatedInput(ssc, 0, 0, records, [keys, records](int64_t batch, int64_t i) {
    uint64_t bits = mix(static_cast<uint64_t>(batch * records + i));
    return Pair(static_cast<int64_t>(bits % static_cast<uint64_t>(keys)), static_cast<int64_t>(bits >> 48));
  });
  auto sums = input.reduceByKeyAndWindow([](int64_t a, int64_t b) { return a + b; },
                                         caudal::Seconds(sizes.window_seconds), caudal::Seconds(1));
  if (interval_seconds > 0) sums.checkpoint(caudal::Seconds(interval_seconds));
  auto outputs = job->outputs;
  sums.foreachRDD([outputs](const caudal::RDD<Pair>& rdd) { *outputs += static_cast<int64_t>(rdd.count()); });
  return job;
}

// The kind and bytes of the state files the checkpoint of batch `seconds` wrote.
std::pair<std::string, double> checkpointWritten(const fs::path& directory, int64_t seconds) {
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "-%020lld.", static_cast<long long>(seconds * 1000));
  std::string kind = "none";
  double bytes = 0;
  for (const auto& entry : fs::directory_iterator(directory / "state")) {
    std::string file = entry.path().filename().string();
    size_t at = file.find(suffix);
    if (at == std::string::npos) continue;
    kind = file.substr(at + std::strlen(suffix));
    bytes += static_cast<double>(entry.file_size());
  }
  return {kind, bytes};
}

// Runs the jobs' batches alternately, one runBatches(1) each, so that a change in the
// machine's load hits them alike; the order within a round alternates too.
void runAlternately(std::vector<Job*> jobs, const CostSizes& sizes, int64_t interval_seconds) {
  for (int batch = 1; batch <= sizes.warmup_batches; ++batch) {
    for (Job* job : jobs) job->ssc->runBatches(1);
  }
  for (int i = 0; i < sizes.timed_batches; ++i) {
    int64_t batch = sizes.warmup_batches + 1 + i;
    for (size_t k = 0; k < jobs.size(); ++k) {
      Job* job = jobs[i % 2 == 0 ? k : jobs.size() - 1 - k];
      auto start = Clock::now();
      job->ssc->runBatches(1);
      job->batch_ms.push_back(secondsSince(start) * 1000.0);
      bool checkpointed = false;
      if (!job->directory.empty() && batch % interval_seconds == 0) {
        auto written = checkpointWritten(job->directory, batch);
        if (written.first != "none") {
          checkpointed = true;
          job->checkpoints.push_back(written);
        }
      }
      job->checkpointed.push_back(checkpointed);
    }
  }
  for (Job* job : jobs) job->ssc->stop(false);
}

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

// Reports a job's batches; returns its records/s per core.
double reportJob(const Job& job, const CostSizes& sizes, int threads) {
  const std::vector<double>& ms = job.batch_ms;
  double per_core = static_cast<double>(sizes.records) * static_cast<double>(ms.size()) / (sum(ms) / 1000.0) / threads;
  report(job.name, "records_per_s_per_core", per_core);
  report(job.name, "batch_ms_mean", sum(ms) / static_cast<double>(ms.size()));
  report(job.name, "batch_ms_p50", percentile(ms, 0.5));
  report(job.name, "batch_ms_p99", percentile(ms, 0.99));
  report(job.name, "batch_ms_max", *std::max_element(ms.begin(), ms.end()));
  std::vector<double> plain;
  for (size_t i = 0; i < ms.size(); ++i) {
    if (!job.checkpointed[i]) plain.push_back(ms[i]);
  }
  double plain_p50 = percentile(plain, 0.5);
  if (plain.size() != ms.size()) report(job.name, "batch_ms_p50_without_checkpoint", plain_p50);
  // A checkpoint's own time: its batch's time beyond a batch without one.
  std::map<std::string, std::vector<double>> cost_ms;
  std::map<std::string, std::vector<double>> bytes;
  size_t c = 0;
  for (size_t i = 0; i < ms.size(); ++i) {
    if (!job.checkpointed[i]) continue;
    const auto& [kind, written] = job.checkpoints[c++];
    cost_ms[kind].push_back(ms[i] - plain_p50);
    bytes[kind].push_back(written);
    report(job.name, "checkpoint" + std::to_string(c) + "_" + kind + "_ms", ms[i] - plain_p50);
  }
  for (const auto& [kind, values] : cost_ms) {
    report(job.name, kind + "_count", static_cast<double>(values.size()));
    report(job.name, kind + "_ms_median", percentile(values, 0.5));
    report(job.name, kind + "_bytes_on_disk_median", percentile(bytes[kind], 0.5));
  }
  return per_core;
}

void measureCost(const CostSizes& sizes, int threads, const fs::path& base) {
  report("checkpoint_cost", "records_per_batch", static_cast<double>(sizes.records));
  report("checkpoint_cost", "state_keys", static_cast<double>(sizes.keys));
  report("checkpoint_cost", "window_keys", static_cast<double>(sizes.window_keys));
  report("checkpoint_cost", "timed_batches", sizes.timed_batches);
  {
    auto every = statefulJob("checkpoint_cost.state.every10s", sizes, threads, base / "cost-every10s",
                             kCheckpointEverySeconds);
    auto start_only = statefulJob("checkpoint_cost.state.start_only", sizes, threads, base / "cost-start-only",
                                  kNoCheckpointSeconds);
    runAlternately({every.get(), start_only.get()}, sizes, kCheckpointEverySeconds);
    double with = reportJob(*every, sizes, threads);
    double without = reportJob(*start_only, sizes, threads);
    report("checkpoint_cost.state", "throughput_loss_every10s", 1.0 - with / without);
    for (Job* job : {every.get(), start_only.get()}) {
      int64_t expected = sizes.records * (sizes.warmup_batches + sizes.timed_batches);
      if (*job->outputs != expected) fail(job->name + ": wrong number of outputs");
    }
    fs::remove_all(every->directory);
    fs::remove_all(start_only->directory);
  }
  {
    auto none = windowJob("checkpoint_cost.window.no_directory", sizes, threads, {}, 0);
    auto every = windowJob("checkpoint_cost.window.every10s", sizes, threads, base / "window-every10s",
                           kCheckpointEverySeconds);
    auto log_only = windowJob("checkpoint_cost.window.batch_log_only", sizes, threads, base / "window-log-only",
                              kNoCheckpointSeconds);
    runAlternately({none.get(), every.get(), log_only.get()}, sizes, kCheckpointEverySeconds);
    double without = reportJob(*none, sizes, threads);
    double with = reportJob(*every, sizes, threads);
    double log = reportJob(*log_only, sizes, threads);
    report("checkpoint_cost.window", "throughput_loss_every10s", 1.0 - with / without);
    report("checkpoint_cost.window", "throughput_loss_batch_log_only", 1.0 - log / without);
    report("checkpoint_cost.window", "batch_log_ms_per_batch",
           sum(log_only->batch_ms) / static_cast<double>(log_only->batch_ms.size()) -
               sum(none->batch_ms) / static_cast<double>(none->batch_ms.size()));
    fs::remove_all(every->directory);
    fs::remove_all(log_only->directory);
  }
}

// ---- Arguments ----------------------------------------------------------------------------

struct Args {
  caudal::bench::Options options;
  std::string directory;
  std::string only;
  std::string phase;
  int64_t keys = 0;
  int64_t updates = 0;
  int64_t start_ns = 0;
};

[[noreturn]] void usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--quick] [--threads N] [--dir D] [--only recovery|cost]\n", program);
  std::exit(2);
}

Args parseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--quick") {
      args.options.quick = true;
    } else if (arg == "--threads" && has_value) {
      args.options.threads = std::atoi(argv[++i]);
    } else if (arg == "--dir" && has_value) {
      args.directory = argv[++i];
    } else if (arg == "--only" && has_value) {
      args.only = argv[++i];
      if (args.only != "recovery" && args.only != "cost") usage(argv[0]);
    } else if (arg == "--phase" && has_value) {
      args.phase = argv[++i];
    } else if (arg == "--keys" && has_value) {
      args.keys = std::atoll(argv[++i]);
    } else if (arg == "--updates" && has_value) {
      args.updates = std::atoll(argv[++i]);
    } else if (arg == "--start-ns" && has_value) {
      args.start_ns = std::atoll(argv[++i]);
    } else {
      usage(argv[0]);
    }
  }
  if (args.options.threads < 1) usage(argv[0]);
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parseArgs(argc, argv);
  int threads = args.options.threads;
  if (!args.phase.empty()) {
    RecoveryJob job{args.keys, args.updates, threads, args.directory};
    if (args.phase == "build") return buildPhase(job);
    if (args.phase == "recover") return recoverPhase(job, args.start_ns);
    usage(argv[0]);
  }
  bool made_base = args.directory.empty();
  fs::path base = made_base ? fs::temp_directory_path() / ("caudal-recovery-bench-" + std::to_string(::getpid()))
                            : fs::path(args.directory);
  fs::create_directories(base);
  report("recovery", "threads", threads);
  if (args.only != "cost") measureRecovery(args.options.quick ? kQuickRecovery : kFullRecovery, threads, base);
  if (args.only != "recovery") measureCost(args.options.quick ? kQuickCost : kFullCost, threads, base);
  if (made_base) fs::remove_all(base);
  return 0;
}
