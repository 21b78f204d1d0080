#include "dstream/job_checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <thread>
#include <utility>
#include <unordered_map>

#include "caudal/error.h"
#include "caudal/serde.h"
#include "common/logging.h"
#include "storage/file_io.h"

namespace caudal::detail {
namespace {

namespace fs = std::filesystem;

// The layout version of a checkpoint's payload (the file layer has its own).
constexpr uint64_t kJobFormatVersion = 1;
// A chain gets a new snapshot after this many deltas, or once its deltas outweigh its
// snapshot: so a recovery reads at most about twice the state's size.
constexpr size_t kMaxDeltasPerSnapshot = 9;

std::span<const std::byte> bytesOf(const std::string& text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

// "s<stream>-p<partition>-<time, 20 digits>.snapshot|.delta"
std::string stateFileName(size_t stream, size_t partition, const StateFile& file) {
  return fmt::format("s{}-p{}-{:020}.{}", stream, partition, file.time.milliseconds(),
                     file.full ? "snapshot" : "delta");
}

struct ParsedStateFile {
  size_t stream = 0;
  StateFile file;
};

std::optional<ParsedStateFile> parseStateFileName(const std::string& name) {
  size_t stream = 0;
  size_t partition = 0;
  long long time = 0;
  char kind[16] = {};
  if (std::sscanf(name.c_str(), "s%zu-p%zu-%20lld.%15s", &stream, &partition, &time, kind) != 4) {
    return std::nullopt;
  }
  std::string_view suffix(kind);
  if (suffix != "snapshot" && suffix != "delta") return std::nullopt;
  return ParsedStateFile{stream, StateFile{Time(time), suffix == "snapshot"}};
}

void writeSignature(const GraphSignature& graph, ByteWriter& out) {
  out.writeVarint(graph.streams.size());
  for (const auto& stream : graph.streams) {
    out.write(stream.name);
    out.write(stream.slide);
    out.write(stream.parents);
  }
  out.write(graph.sources);
}

GraphSignature readSignature(ByteReader& in) {
  GraphSignature graph;
  size_t streams = in.readLength(3, "the streams of a graph");
  for (size_t i = 0; i < streams; ++i) {
    StreamSignature stream;
    stream.name = in.read<std::string>();
    stream.slide = in.read<Duration>();
    stream.parents = in.read<std::vector<uint32_t>>();
    graph.streams.push_back(std::move(stream));
  }
  graph.sources = in.read<std::vector<std::string>>();
  return graph;
}

}  // namespace

std::string StreamSignature::describe() const {
  std::string text = fmt::format("'{}' (slide {} ms", name, slide.milliseconds());
  if (!parents.empty()) {
    text += ", parents";
    for (uint32_t parent : parents) text += fmt::format(" #{}", parent);
  }
  return text + ")";
}

GraphSignature signatureOf(const std::vector<std::shared_ptr<OutputNode>>& outputs,
                           const std::vector<std::shared_ptr<InputSource>>& inputs,
                           std::vector<DStreamNodeBase*>* nodes) {
  GraphSignature graph;
  std::unordered_map<const DStreamNodeBase*, uint32_t> index;
  std::function<uint32_t(DStreamNodeBase&)> visit = [&](DStreamNodeBase& node) {
    if (auto found = index.find(&node); found != index.end()) return found->second;
    StreamSignature signature{node.name(), node.slideDuration(), {}};
    for (const auto& parent : node.parents()) signature.parents.push_back(visit(*parent));
    auto at = static_cast<uint32_t>(graph.streams.size());
    index.emplace(&node, at);
    graph.streams.push_back(std::move(signature));
    if (nodes) nodes->push_back(&node);
    return at;
  };
  for (const auto& output : outputs) visit(*output);
  for (const auto& input : inputs) {
    auto* node = dynamic_cast<const DStreamNodeBase*>(input.get());
    graph.sources.push_back(node ? node->name() : "source");
  }
  return graph;
}

void checkSameGraph(const GraphSignature& saved, const GraphSignature& rebuilt, const std::string& directory) {
  auto fail = [&](const std::string& difference) {
    throw Error("the job rebuilt for the checkpoint in '" + directory + "' is not the job that wrote it: " +
                difference + ". Restart with the same streams in the same order, or use a new checkpoint directory");
  };
  size_t common = std::min(saved.streams.size(), rebuilt.streams.size());
  for (size_t i = 0; i < common; ++i) {
    if (!(saved.streams[i] == rebuilt.streams[i])) {
      fail(fmt::format("stream #{} is {} but was {}", i, rebuilt.streams[i].describe(), saved.streams[i].describe()));
    }
  }
  if (rebuilt.streams.size() > common) {
    fail(fmt::format("it has {} streams where the checkpoint has {}; the first extra one is #{} {}",
                     rebuilt.streams.size(), saved.streams.size(), common, rebuilt.streams[common].describe()));
  }
  if (saved.streams.size() > common) {
    fail(fmt::format("it has {} streams where the checkpoint has {}; the first missing one is #{} {}",
                     rebuilt.streams.size(), saved.streams.size(), common, saved.streams[common].describe()));
  }
  if (saved.sources != rebuilt.sources) {
    fail(fmt::format("its sources are [{}] but were [{}]", fmt::join(rebuilt.sources, ", "),
                     fmt::join(saved.sources, ", ")));
  }
}

// ---- Encodings ----------------------------------------------------------------------------

std::string encodeCheckpoint(const JobCheckpoint& checkpoint) {
  std::string bytes;
  {
    ByteWriter out(bytes);
    out.writeVarint(kJobFormatVersion);
    out.write(checkpoint.batch_duration);
    out.write(checkpoint.zero_time);
    out.write(checkpoint.time);
    out.writeVarint(checkpoint.next_logged_batch);
    writeSignature(checkpoint.graph, out);
    out.write(checkpoint.positions);
    out.writeVarint(checkpoint.states.size());
    for (const auto& state : checkpoint.states) {
      out.writeVarint(state.partitions);
      out.writeVarint(state.chain.size());
      for (const auto& file : state.chain) {
        out.write(file.time);
        out.write(file.full);
      }
    }
  }
  return bytes;
}

JobCheckpoint decodeCheckpoint(std::span<const std::byte> bytes) {
  ByteReader in(bytes);
  uint64_t version = in.readVarint("the job checkpoint's format version");
  if (version != kJobFormatVersion) {
    throw Error(fmt::format("unsupported job checkpoint format version {} (this build reads {})", version,
                            kJobFormatVersion));
  }
  JobCheckpoint checkpoint;
  checkpoint.batch_duration = in.read<Duration>();
  checkpoint.zero_time = in.read<Time>();
  checkpoint.time = in.read<Time>();
  checkpoint.next_logged_batch = in.readVarint("the next logged batch");
  checkpoint.graph = readSignature(in);
  checkpoint.positions = in.read<std::vector<std::string>>();
  size_t states = in.readLength(2, "the states of a checkpoint");
  for (size_t i = 0; i < states; ++i) {
    StreamState state;
    state.partitions = static_cast<uint32_t>(in.readVarint("a state's number of partitions"));
    size_t files = in.readLength(2, "a state's files");
    for (size_t f = 0; f < files; ++f) {
      StateFile file;
      file.time = in.read<Time>();
      file.full = in.read<bool>();
      state.chain.push_back(file);
    }
    if (!state.chain.empty() && !state.chain.front().full) {
      throw Error("a state's chain of files does not start with a snapshot");
    }
    checkpoint.states.push_back(std::move(state));
  }
  in.expectEnd("a job checkpoint");
  return checkpoint;
}

std::string encodeLoggedBatch(const LoggedBatch& batch) {
  std::string bytes;
  {
    ByteWriter out(bytes);
    out.write(batch.time);
    out.write(batch.descriptions);
  }
  return bytes;
}

LoggedBatch decodeLoggedBatch(std::span<const std::byte> bytes) {
  ByteReader in(bytes);
  LoggedBatch batch;
  batch.time = in.read<Time>();
  batch.descriptions = in.read<std::vector<std::string>>();
  in.expectEnd("a logged batch");
  return batch;
}

// ---- The store ----------------------------------------------------------------------------

JobCheckpointStore::JobCheckpointStore(fs::path directory, storage::CheckpointDirectory checkpoints,
                                       std::unique_ptr<storage::WriteAheadLog> batch_log)
    : directory_(std::move(directory)),
      state_directory_(directory_ / "state"),
      checkpoints_(std::move(checkpoints)),
      batch_log_(std::move(batch_log)) {}

std::unique_ptr<JobCheckpointStore> JobCheckpointStore::open(const std::string& directory) {
  fs::path root(directory);
  auto checkpoints = storage::CheckpointDirectory::open(root / "checkpoints").valueOrThrow();
  auto batch_log = storage::WriteAheadLog::open(root / "batches").valueOrThrow();
  std::error_code ec;
  fs::create_directories(root / "state", ec);
  if (ec) throw Error("checkpoint: cannot create '" + (root / "state").string() + "': " + ec.message());
  return std::unique_ptr<JobCheckpointStore>(
      new JobCheckpointStore(std::move(root), std::move(checkpoints), std::move(batch_log)));
}

bool JobCheckpointStore::hasNoCheckpoint() const { return checkpoints_.list().valueOrThrow().empty(); }

uint64_t JobCheckpointStore::nextLogSequence() const {
  std::lock_guard lock(batch_log_mutex_);
  return batch_log_->nextSequence();
}

fs::path JobCheckpointStore::stateFile(size_t stream, size_t partition, const StateFile& file) const {
  return state_directory_ / stateFileName(stream, partition, file);
}

uint64_t JobCheckpointStore::logBatch(const LoggedBatch& batch, std::shared_future<void>& durable) {
  std::string bytes = encodeLoggedBatch(batch);
  uint64_t sequence;
  {
    std::lock_guard lock(batch_log_mutex_);
    sequence = batch_log_->append(bytesOf(bytes)).valueOrThrow();
  }
  durable = std::async(std::launch::async, [this] {
              std::lock_guard lock(batch_log_mutex_);
              batch_log_->sync().throwIfError();
            }).share();
  return sequence;
}

JobCheckpointStore::~JobCheckpointStore() {
  if (writer_.joinable()) writer_.join();
}

void JobCheckpointStore::finishWriting() {
  if (writer_.joinable()) writer_.join();
  if (write_failure_) std::rethrow_exception(std::exchange(write_failure_, nullptr));
}

void JobCheckpointStore::checkWriting() {
  if (writer_.joinable() && !writing_.load()) finishWriting();
}

void JobCheckpointStore::save(JobCheckpoint checkpoint, const std::vector<StatefulStream*>& streams,
                              const std::vector<std::shared_ptr<InputSource>>& inputs,
                              ExecutionContext& execution) {
  finishWriting();  // one checkpoint in flight at a time, in order
  chains_.resize(streams.size());
  snapshot_bytes_.resize(streams.size(), 0);
  delta_bytes_.resize(streams.size(), 0);
  struct Task {
    size_t stream;
    size_t partition;
  };
  std::vector<Task> tasks;
  std::vector<StateFile> files(streams.size());
  for (size_t s = 0; s < streams.size(); ++s) {
    const StreamState& chain = chains_[s];
    bool full = !streams[s]->writesDeltas() || chain.chain.empty() ||
                chain.chain.size() > kMaxDeltasPerSnapshot || delta_bytes_[s] > snapshot_bytes_[s] ||
                chain.partitions != streams[s]->statePartitions();
    files[s] = StateFile{checkpoint.time, full};
    for (size_t p = 0; p < streams[s]->statePartitions(); ++p) tasks.push_back({s, p});
  }
  // The state is serialized now, between batches, in parallel; compressing, writing and syncing
  // the files happens on a thread of its own while the next batches run.
  auto contents = std::make_shared<std::vector<std::pair<fs::path, std::string>>>(tasks.size());
  std::vector<std::atomic<uint64_t>> written(streams.size());
  execution.runTasks(tasks.size(), [&](size_t k) {
    const Task& task = tasks[k];
    auto& [path, bytes] = (*contents)[k];
    path = stateFile(task.stream, task.partition, files[task.stream]);
    {
      ByteWriter out(bytes);
      streams[task.stream]->writeStatePartition(task.partition, files[task.stream].full, out);
    }
    written[task.stream] += bytes.size();
  });
  for (size_t s = 0; s < streams.size(); ++s) {
    StreamState& chain = chains_[s];
    chain.partitions = static_cast<uint32_t>(streams[s]->statePartitions());
    if (files[s].full) {
      chain.chain.clear();
      snapshot_bytes_[s] = written[s];
      delta_bytes_[s] = 0;
    } else {
      delta_bytes_[s] += written[s];
    }
    chain.chain.push_back(files[s]);
  }
  checkpoint.states = chains_;
  writing_.store(true);
  writer_ = std::thread([this, contents, checkpoint = std::move(checkpoint), inputs] {
    try {
      for (auto& [path, bytes] : *contents) {
        storage::writeCheckpointFile(path, bytesOf(bytes), storage::Codec::kLz4).throwIfError();
        std::string().swap(bytes);
      }
      // The checkpoint names its state files only once they are all durable.
      std::string bytes = encodeCheckpoint(checkpoint);
      checkpoints_.write(checkpoint.time, bytesOf(bytes), storage::Codec::kZstd).throwIfError();
      deleteUnneeded(inputs);
    } catch (...) {
      write_failure_ = std::current_exception();
    }
    writing_.store(false);
  });
}

void JobCheckpointStore::deleteUnneeded(const std::vector<std::shared_ptr<InputSource>>& inputs) {
  auto listed = checkpoints_.list();
  if (!listed.isOk()) {
    logWarn("checkpoint: {}; old files are kept", listed.status().message());
    return;
  }
  // What the kept checkpoints need: their state files, their batches and the oldest positions.
  std::set<std::pair<size_t, std::string>> needed;
  std::optional<JobCheckpoint> oldest;
  Time newest;
  for (const fs::path& path : listed.value()) {
    auto bytes = storage::readCheckpointFile(path);
    if (!bytes.isOk()) {
      logWarn("checkpoint: {}; old files are kept", bytes.status().message());
      return;
    }
    JobCheckpoint kept = decodeCheckpoint(bytes.value());
    for (size_t s = 0; s < kept.states.size(); ++s) {
      for (const StateFile& file : kept.states[s].chain) {
        for (size_t p = 0; p < kept.states[s].partitions; ++p) needed.emplace(s, stateFileName(s, p, file));
      }
    }
    newest = std::max(newest, kept.time);
    if (!oldest || kept.time < oldest->time) oldest = std::move(kept);
  }
  if (!oldest) return;
  std::error_code ec;
  for (fs::directory_iterator it(state_directory_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    auto parsed = parseStateFileName(name);
    // Files newer than every checkpoint belong to a save a crash interrupted, or to the next.
    if (!parsed || parsed->file.time > newest || needed.contains({parsed->stream, name})) continue;
    std::error_code remove_ec;
    fs::remove(it->path(), remove_ec);
    if (remove_ec) logWarn("checkpoint: cannot delete '{}': {}", it->path().string(), remove_ec.message());
  }
  {
    std::lock_guard lock(batch_log_mutex_);
    Status deleted = batch_log_->deleteBefore(oldest->next_logged_batch);
    if (!deleted.isOk()) logWarn("checkpoint: {}", deleted.message());
  }
  for (size_t i = 0; i < inputs.size() && i < oldest->positions.size(); ++i) {
    ByteReader position(oldest->positions[i]);
    inputs[i]->releaseBefore(position);
  }
}

void JobCheckpointStore::restoreStates(const JobCheckpoint& checkpoint, const std::vector<StatefulStream*>& streams,
                                       ExecutionContext& execution) const {
  struct Task {
    size_t stream;
    size_t partition;
  };
  std::vector<Task> tasks;
  for (size_t s = 0; s < streams.size(); ++s) {
    const StreamState& state = checkpoint.states[s];
    if (state.partitions != streams[s]->statePartitions()) {
      throw Error(fmt::format("stateful stream #{} has {} partitions but its checkpointed state has {}; keep the "
                              "number of partitions of a checkpointed job",
                              s, streams[s]->statePartitions(), state.partitions));
    }
    for (size_t p = 0; p < state.partitions; ++p) tasks.push_back({s, p});
  }
  execution.runTasks(tasks.size(), [&](size_t k) {
    const Task& task = tasks[k];
    for (const StateFile& file : checkpoint.states[task.stream].chain) {
      fs::path path = stateFile(task.stream, task.partition, file);
      std::vector<std::byte> bytes = storage::readCheckpointFile(path).valueOrThrow();
      ByteReader in(bytes);
      try {
        streams[task.stream]->readStatePartition(task.partition, file.full, in);
        in.expectEnd("a state file");
      } catch (const Error& e) {
        throw Error(path.string() + ": " + e.what());
      }
    }
  });
  for (StatefulStream* stream : streams) stream->finishStateRestore(checkpoint.time);
}

std::vector<std::pair<uint64_t, LoggedBatch>> JobCheckpointStore::readBatchLog(uint64_t first, Time after) const {
  std::vector<std::pair<uint64_t, LoggedBatch>> batches;
  std::lock_guard lock(batch_log_mutex_);
  if (first < batch_log_->firstSequence()) {
    throw Error(fmt::format("the batch log '{}' starts at batch {} but the checkpoint needs it from {}",
                            batch_log_->directory().string(), batch_log_->firstSequence(), first));
  }
  first = std::min(first, batch_log_->nextSequence());
  batch_log_
      ->readFrom(first,
                 [&](uint64_t sequence, std::span<const std::byte> record) {
                   LoggedBatch batch;
                   try {
                     batch = decodeLoggedBatch(record);
                   } catch (const Error& e) {
                     return Status::error(fmt::format("batch log '{}', record {}: {}",
                                                      batch_log_->directory().string(), sequence, e.what()));
                   }
                   // A batch logged twice (re-run after a crash) counts once, at its last entry.
                   if (batch.time <= after) return Status::ok();
                   std::erase_if(batches, [&](const auto& logged) { return logged.second.time >= batch.time; });
                   batches.emplace_back(sequence, std::move(batch));
                   return Status::ok();
                 })
      .throwIfError();
  return batches;
}

std::optional<JobCheckpointStore::Recovered> JobCheckpointStore::load(const GraphSignature& graph,
                                                                      Duration batch_duration,
                                                                      const std::vector<StatefulStream*>& streams,
                                                                      ExecutionContext& execution) {
  std::vector<fs::path> paths = checkpoints_.list().valueOrThrow();
  if (paths.empty()) {
    // The first checkpoint is written before the first batch, so a log without one is from a
    // run that never started: nothing refers to it.
    std::lock_guard lock(batch_log_mutex_);
    batch_log_->deleteBefore(batch_log_->nextSequence()).throwIfError();
    return std::nullopt;
  }
  std::string failures;
  for (auto path = paths.rbegin(); path != paths.rend(); ++path) {
    JobCheckpoint checkpoint;
    try {
      checkpoint = decodeCheckpoint(storage::readCheckpointFile(*path).valueOrThrow());
    } catch (const Error& e) {
      logWarn("checkpoint: cannot read '{}' ({}); trying the previous checkpoint", path->string(), e.what());
      failures += fmt::format("\n  {}: {}", path->string(), e.what());
      continue;
    }
    if (checkpoint.batch_duration != batch_duration) {
      throw Error(fmt::format("the job rebuilt for the checkpoint in '{}' has a batch duration of {} ms but the "
                              "checkpointed job had {} ms",
                              directory_.string(), batch_duration.milliseconds(),
                              checkpoint.batch_duration.milliseconds()));
    }
    checkSameGraph(checkpoint.graph, graph, directory_.string());
    if (checkpoint.states.size() != streams.size()) {
      throw Error(fmt::format("the checkpoint '{}' has {} states but the job has {} stateful streams", path->string(),
                              checkpoint.states.size(), streams.size()));
    }
    try {
      restoreStates(checkpoint, streams, execution);
    } catch (const Error& e) {
      logWarn("checkpoint: cannot restore the state of '{}' ({}); trying the previous checkpoint", path->string(),
              e.what());
      failures += fmt::format("\n  {}: {}", path->string(), e.what());
      continue;
    }
    Recovered recovered;
    recovered.pending = readBatchLog(checkpoint.next_logged_batch, checkpoint.time);
    chains_ = checkpoint.states;
    snapshot_bytes_.assign(streams.size(), 0);
    delta_bytes_.assign(streams.size(), 0);
    for (size_t s = 0; s < streams.size(); ++s) {
      // Unknown sizes: extend the chain by count only, until its next snapshot.
      snapshot_bytes_[s] = UINT64_MAX / 2;
    }
    logInfo("recovered from checkpoint '{}' (batch {}); {} logged batch(es) after it will run again",
            path->string(), checkpoint.time.toString(), recovered.pending.size());
    recovered.checkpoint = std::move(checkpoint);
    return recovered;
  }
  throw Error("no checkpoint in '" + directory_.string() +
              "' can be read, so the job cannot resume where it stopped; refusing to start from empty:" + failures);
}

}  // namespace caudal::detail
