#include "caudal/detail/streaming_core.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "caudal/detail/dstream_node.h"
#include "caudal/error.h"
#include "common/logging.h"
#include "dstream/job_checkpoint.h"
#include "runtime/recurring_timer.h"
#include "runtime/serial_executor.h"

namespace caudal::detail {
namespace {

// A batch as generated: its jobs, ready to run on the job thread.
struct GeneratedBatch {
  Time time;
  Time submission_time;
  std::vector<std::function<void()>> jobs;
  int64_t num_records = 0;
  std::exception_ptr generation_error;
  // With a checkpoint directory: the batch-log sequence of the batch after this one, and each
  // source's position after it (what a checkpoint taken after this batch records).
  uint64_t next_log_sequence = 0;
  std::vector<std::string> positions;
};

// More batches than this missed while a job was down means a checkpoint from another clock.
constexpr int64_t kMaxDowntimeBatches = 10'000'000;

// The default checkpoint interval of a stream sliding every `slide`: its smallest multiple
// of at least 10 s, as in Spark.
Duration defaultCheckpointInterval(Duration slide) {
  int64_t multiple = (Seconds(10).milliseconds() + slide.milliseconds() - 1) / slide.milliseconds();
  return slide * multiple;
}

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

Config resolve(Config config) {
  if (config.numWorkerThreads < 0) throw Error("Config.numWorkerThreads must not be negative");
  if (config.numWorkerThreads == 0) {
    config.numWorkerThreads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (config.defaultParallelism < 0) throw Error("Config.defaultParallelism must not be negative");
  if (config.defaultParallelism == 0) config.defaultParallelism = config.numWorkerThreads;
  if (config.blockInterval <= Duration()) {
    throw Error("Config.blockInterval must be positive (got " + config.blockInterval.toString() + ")");
  }
  if (config.retainedBatches < 0) throw Error("Config.retainedBatches must not be negative");
  return config;
}

}  // namespace

struct StreamingCore::Impl {
  enum class Mode { kNone, kTimer, kManual };

  Impl(Duration batch, Config resolved)
      : batch_duration(batch),
        config(resolved),
        execution(ExecutionContext::create(config.numWorkerThreads, config.defaultParallelism)) {}

  // ---- Batches (graph_mutex serializes generation and clean-up) ----

  // Generates batch `time`: a new one, or with `replay` one logged by an earlier run (whose
  // batch-log entry is `replay_sequence`).
  GeneratedBatch generate(Time time, const LoggedBatch* replay = nullptr, uint64_t replay_sequence = 0) {
    GeneratedBatch batch;
    batch.time = time;
    std::lock_guard lock(graph_mutex);
    records_being_generated = 0;
    std::shared_future<void> durable;
    try {
      for (size_t i = 0; i < inputs.size(); ++i) {
        if (replay) {
          ByteReader description(replay->descriptions.at(i));
          inputs[i]->replay(time, description);
        } else {
          inputs[i]->generate(time);
        }
      }
      if (checkpoint_store) {
        LoggedBatch logged{time, {}};
        for (const auto& input : inputs) {
          ByteWriter description(logged.descriptions.emplace_back());
          input->describeBatch(time, description);
          description.flush();
          ByteWriter position(batch.positions.emplace_back());
          input->writePosition(position);
        }
        // Logged before any of its jobs runs: a crash from here on re-runs the batch as it was.
        batch.next_log_sequence = (replay ? replay_sequence : checkpoint_store->logBatch(logged, durable)) + 1;
      }
      for (StatefulStream* stream : stateful) {
        if (auto job = stream->generateUpdateJob(time)) batch.jobs.push_back(std::move(*job));
      }
      // Nothing leaves the process before the batch is in the log: state steps only change
      // memory, so they run while the log syncs; outputs wait for it.
      if (durable.valid()) batch.jobs.push_back([durable] { durable.get(); });
      for (const auto& output : outputs) {
        if (auto job = output->generateJob(time)) batch.jobs.push_back(std::move(*job));
      }
    } catch (...) {
      batch.generation_error = std::current_exception();
    }
    batch.num_records = records_being_generated;
    batch.submission_time = wallClockNow();
    return batch;
  }

  // Runs the batch's jobs in order; returns its record (failed if a job threw).
  BatchInfo run(GeneratedBatch& batch, std::exception_ptr& failure) {
    BatchInfo info;
    info.batchTime = batch.time;
    info.submissionTime = batch.submission_time;
    info.numRecords = batch.num_records;
    info.processingStartTime = wallClockNow();
    failure = batch.generation_error;
    for (auto& job : batch.jobs) {
      if (failure) break;
      try {
        job();
      } catch (...) {
        failure = std::current_exception();
      }
    }
    batch.jobs.clear();  // release the batch's RDDs before recording it done
    if (!failure && checkpoint_store) {
      try {
        last_completed = Completed{batch.time, batch.next_log_sequence, batch.positions};
        checkpoint_store->checkWriting();  // a checkpoint that could not be written stops the job
        if ((batch.time - zero_time).isMultipleOf(checkpoint_interval)) saveCheckpoint();
      } catch (...) {
        failure = std::current_exception();
      }
    }
    info.processingEndTime = wallClockNow();
    if (failure) {
      info.failed = true;
      info.failureReason = describe(failure);
    }
    {
      std::lock_guard lock(graph_mutex);
      for (const auto& output : outputs) output->clearMetadata(batch.time);
      for (const auto& input : inputs) input->clearSourceMetadata(batch.time);
    }
    {
      std::lock_guard lock(history_mutex);
      history.push_back(info);
      while (history.size() > static_cast<size_t>(config.retainedBatches)) history.pop_front();
    }
    logDebug("batch {} done in {} ms ({} records)", batch.time.toString(),
             info.processingDelay().milliseconds(), info.numRecords);
    return info;
  }

  // Runs a batch of `runBatches`; a failure stops the context and is thrown.
  void runManual(GeneratedBatch& batch) {
    std::exception_ptr cause;
    BatchInfo info = run(batch, cause);
    if (!cause) return;
    auto error = batchFailure(info, cause);
    {
      std::lock_guard lock(shutdown_mutex);
      stopInputs();
    }
    markStopped(error);
    std::rethrow_exception(error);
  }

  std::exception_ptr batchFailure(const BatchInfo& info, std::exception_ptr cause) {
    logError("batch at {} failed: {}", info.batchTime.toString(), info.failureReason);
    return std::make_exception_ptr(BatchFailedError(info.batchTime, info.failureReason, cause));
  }

  // ---- Checkpoints (job thread, between batches) ----

  // Saves the state after the last completed batch (graph lock not needed: no step runs).
  void saveCheckpoint() {
    JobCheckpoint checkpoint;
    checkpoint.batch_duration = batch_duration;
    checkpoint.zero_time = zero_time;
    checkpoint.time = last_completed->time;
    checkpoint.next_logged_batch = last_completed->next_log_sequence;
    checkpoint.graph = signature;
    checkpoint.positions = last_completed->positions;
    Time started = wallClockNow();
    checkpoint_store->save(std::move(checkpoint), stateful, inputs, *execution);
    last_checkpoint = last_completed->time;
    logDebug("checkpoint of batch {} written in {} ms", last_completed->time.toString(),
             (wallClockNow() - started).milliseconds());
  }

  // The first checkpoint of a new job, before its first batch: the sources' starting
  // positions (the files already in a directory, say), so that even a crash in the first
  // batches resumes from them.
  void saveInitialCheckpoint() {
    Completed start{zero_time, checkpoint_store->nextLogSequence(), {}};
    {
      std::lock_guard lock(graph_mutex);
      for (const auto& input : inputs) {
        ByteWriter position(start.positions.emplace_back());
        input->writePosition(position);
      }
    }
    last_completed = std::move(start);
    saveCheckpoint();
    checkpoint_store->finishWriting();  // durable before the first batch runs
  }

  // A graceful stop saves the state after the last batch, so a restart replays nothing.
  // Not after a failed batch, which may have changed the state halfway.
  void checkpointAtStop() {
    if (!checkpoint_store) return;
    bool failed;
    {
      std::lock_guard lock(mutex);
      failed = failure != nullptr;
    }
    try {
      if (!failed && last_completed && last_completed->time > last_checkpoint) saveCheckpoint();
      checkpoint_store->finishWriting();  // the stop returns with the checkpoints durable
    } catch (const std::exception& e) {
      logWarn("the checkpoint at stop failed: {}", e.what());
    }
  }

  // ---- Lifecycle ----

  // Finds the stateful streams and the graph's signature (once the graph is defined).
  void prepareGraph() {
    if (graph_prepared) return;
    if (outputs.empty()) {
      throw Error("no output operations registered, so nothing to execute: add print(), "
                  "foreachRDD() or saveAsTextFiles() before starting");
    }
    std::vector<DStreamNodeBase*> nodes;
    signature = signatureOf(outputs, inputs, &nodes);
    // Ancestors come before descendants in the signature's order: the order steps must run.
    // The job checkpoints at the shortest interval of its streams: those set, and the
    // defaults of the stateful streams that have state of their own.
    std::optional<Duration> interval;
    auto consider = [&](Duration candidate) { interval = std::min(interval.value_or(candidate), candidate); };
    for (DStreamNodeBase* node : nodes) {
      if (node->checkpointInterval()) consider(*node->checkpointInterval());
      if (auto* stream = dynamic_cast<StatefulStream*>(node)) {
        stateful.push_back(stream);
        if (!node->checkpointInterval() && stream->statePartitions() > 0) {
          consider(defaultCheckpointInterval(node->slideDuration()));
        }
      }
    }
    checkpoint_interval = interval.value_or(defaultCheckpointInterval(batch_duration));
    graph_prepared = true;
  }

  // Checks what checkpointing needs and opens the checkpoint directory (a new job's).
  void prepareCheckpoints() {
    for (size_t i = 0; i < stateful.size(); ++i) {
      if (checkpoint_directory.empty() && stateful[i]->requiresCheckpoint()) {
        throw Error(dynamic_cast<const DStreamNodeBase&>(*stateful[i]).name() + " keeps state across batches and needs a checkpoint directory: call "
                    "checkpoint(dir) on the StreamingContext before starting it");
      }
      if (!checkpoint_directory.empty()) {
        if (std::string problem = stateful[i]->checkpointProblem(); !problem.empty()) throw Error(problem);
      }
    }
    if (checkpoint_directory.empty()) return;
    if (!checkpoint_store) {
      checkpoint_store = JobCheckpointStore::open(checkpoint_directory);
      if (!checkpoint_store->hasNoCheckpoint()) {
        throw Error("the checkpoint directory '" + checkpoint_directory +
                    "' holds the checkpoints of an earlier run: resume it with StreamingContext::getOrCreate, "
                    "or give a new job an empty directory");
      }
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::filesystem::path directory = std::filesystem::path(checkpoint_directory) / "sources" / std::to_string(i);
      std::error_code ec;
      std::filesystem::create_directories(directory, ec);
      if (ec) throw Error("checkpoint: cannot create '" + directory.string() + "': " + ec.message());
      inputs[i]->setRecoveryDirectory(directory.string());
      if (!inputs[i]->canReplay()) {
        logWarn("source #{} ({}) cannot replay its batches: a crash loses what it had received for batches "
                "that had not completed (set Config.receiverWriteAheadLog to keep it)",
                i, signature.sources[i]);
      }
    }
  }

  void validateAndInitialize(Time zero) {
    prepareGraph();
    prepareCheckpoints();
    zero_time = zero;
    for (const auto& output : outputs) output->initialize(zero);
    for (const auto& input : inputs) input->initializeSource(zero);
  }

  // The zero time: the checkpoint's when recovering, else `fresh`.
  Time zeroTimeOr(Time fresh) const { return recovered ? recovered->checkpoint.zero_time : fresh; }

  // After the sources started: a new job's first checkpoint.
  void afterInputsStarted() {
    if (checkpoint_store && !recovered) saveInitialCheckpoint();
    if (recovered) {
      last_completed = Completed{recovered->checkpoint.time, recovered->checkpoint.next_logged_batch,
                                 recovered->checkpoint.positions};
    }
  }

  void startInputs() {
    size_t started = 0;
    try {
      for (; started < inputs.size(); ++started) inputs[started]->start();
    } catch (...) {
      for (size_t i = 0; i < started; ++i) inputs[i]->stop();
      throw;
    }
  }

  void stopInputs() {
    for (const auto& input : inputs) input->stop();
  }

  // Ends the run from the job thread (a failed batch, or stop() called inside a job).
  void shutDownFromJobThread(std::exception_ptr error) {
    {
      std::lock_guard lock(shutdown_mutex);
      if (timer) timer->stop();
      stopInputs();
    }
    executor->discardQueued();
    markStopped(std::move(error));
  }

  void markStopped(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex);
      if (error && !failure) failure = std::move(error);
      state = StreamingContextState::kStopped;
    }
    stopped.notify_all();
  }

  void onTick(Time time) {
    // While the core is being destroyed the nodes can no longer reach it: a last tick that
    // races with the destructor does nothing rather than report a failed batch.
    if (destroying.load()) return;
    submit(std::make_shared<GeneratedBatch>(generate(time)));
  }

  // Queues a generated batch on the job thread.
  void submit(std::shared_ptr<GeneratedBatch> batch) {
    executor->post([this, batch] {
      if (destroying.load()) return;
      {
        std::lock_guard lock(mutex);
        if (state == StreamingContextState::kStopped) return;
      }
      std::exception_ptr cause;
      BatchInfo info = run(*batch, cause);
      if (cause) {
        shutDownFromJobThread(batchFailure(info, cause));
        return;
      }
      bool stop_now;
      {
        std::lock_guard lock(mutex);
        stop_now = stop_requested_in_job;
      }
      if (stop_now) shutDownFromJobThread(nullptr);
    });
  }

  // The time after which every completed batch has been applied and logged.
  struct Completed {
    Time time;
    uint64_t next_log_sequence = 0;
    std::vector<std::string> positions;
  };

  const Duration batch_duration;
  const Config config;

  // Set before start (or by recover), then read-only.
  std::string checkpoint_directory;
  bool graph_prepared = false;
  GraphSignature signature;
  Duration checkpoint_interval;
  Time zero_time;
  std::unique_ptr<JobCheckpointStore> checkpoint_store;
  std::optional<JobCheckpointStore::Recovered> recovered;  // until its batches are replayed
  // Job thread only.
  std::optional<Completed> last_completed;
  Time last_checkpoint;
  const std::shared_ptr<ExecutionContext> execution;

  std::mutex graph_mutex;
  std::vector<std::shared_ptr<InputSource>> inputs;   // fixed once started
  std::vector<std::shared_ptr<OutputNode>> outputs;   // fixed once started
  std::vector<StatefulStream*> stateful;              // set at start; owned by the graph
  int64_t records_being_generated = 0;                // guarded by graph_mutex

  mutable std::mutex mutex;
  std::condition_variable stopped;
  StreamingContextState state = StreamingContextState::kInitialized;  // guarded by mutex
  Mode mode = Mode::kNone;                                            // guarded by mutex
  std::exception_ptr failure;                                         // guarded by mutex
  bool stop_requested_in_job = false;                                 // guarded by mutex
  int64_t manual_batches_run = 0;                                     // guarded by mutex

  std::atomic<bool> destroying{false};
  std::mutex shutdown_mutex;  // serializes stopping the timer and the inputs
  std::unique_ptr<RecurringTimer> timer;
  std::unique_ptr<SerialExecutor> executor;

  mutable std::mutex history_mutex;
  std::deque<BatchInfo> history;  // guarded by history_mutex
};

std::shared_ptr<StreamingCore> StreamingCore::create(Duration batch_duration, const Config& config) {
  if (batch_duration <= Duration()) {
    throw Error("the batch duration must be positive (got " + batch_duration.toString() + ")");
  }
  return std::shared_ptr<StreamingCore>(
      new StreamingCore(std::make_unique<Impl>(batch_duration, resolve(config))));
}

StreamingCore::StreamingCore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StreamingCore::~StreamingCore() {
  impl_->destroying.store(true);
  try {
    stop(false);
  } catch (...) {
    // A destructor must not throw; stop() only throws for misuse, which cannot happen here.
  }
  if (impl_->executor) impl_->executor->stop(false);
}

Duration StreamingCore::batchDuration() const { return impl_->batch_duration; }
const Config& StreamingCore::config() const { return impl_->config; }
const std::shared_ptr<ExecutionContext>& StreamingCore::executionContext() const {
  return impl_->execution;
}

void StreamingCore::checkCanDefine(std::string_view operation) const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->state != StreamingContextState::kInitialized) {
    throw Error(std::string(operation) +
                ": streams and outputs must be defined before the context starts");
  }
}

void StreamingCore::addInput(std::shared_ptr<InputSource> input) {
  checkCanDefine("adding a source");
  impl_->inputs.push_back(std::move(input));
}

void StreamingCore::addOutput(std::shared_ptr<OutputNode> output) {
  checkCanDefine("adding an output");
  impl_->outputs.push_back(std::move(output));
}

void StreamingCore::setCheckpointDirectory(std::string directory) {
  checkCanDefine("checkpoint");
  impl_->checkpoint_directory = std::move(directory);
}

const std::string& StreamingCore::checkpointDirectory() const { return impl_->checkpoint_directory; }

void StreamingCore::reportInputRecords(int64_t n) { impl_->records_being_generated += n; }

bool StreamingCore::recover() {
  Impl& impl = *impl_;
  checkCanDefine("recovering from a checkpoint");
  if (impl.checkpoint_directory.empty()) throw Error("recover: no checkpoint directory is set");
  impl.prepareGraph();
  impl.checkpoint_store = JobCheckpointStore::open(impl.checkpoint_directory);
  impl.recovered = impl.checkpoint_store->load(impl.signature, impl.batch_duration, impl.stateful, *impl.execution);
  if (!impl.recovered) return false;
  const auto& positions = impl.recovered->checkpoint.positions;
  for (size_t i = 0; i < impl.inputs.size(); ++i) {
    ByteReader position(positions.at(i));
    impl.inputs[i]->readPosition(position);
  }
  return true;
}

void StreamingCore::start() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.mutex);
  if (impl.mode == Impl::Mode::kManual) {
    throw Error("start: this context is driven by runBatches(); use one or the other");
  }
  if (impl.state == StreamingContextState::kActive) throw Error("start: the context is already started");
  if (impl.state == StreamingContextState::kStopped) {
    throw Error("start: the context was stopped and cannot be restarted; create a new one");
  }
  // The first batch is at the next multiple of the batch duration; zero time is one before.
  Time first = wallClockNow().floor(impl.batch_duration) + impl.batch_duration;
  impl.validateAndInitialize(impl.zeroTimeOr(first - impl.batch_duration));
  impl.startInputs();
  impl.afterInputsStarted();
  impl.mode = Impl::Mode::kTimer;
  impl.executor = std::make_unique<SerialExecutor>();
  if (impl.recovered) {
    // The batches logged after the checkpoint run again, then those the job missed while it
    // was down (as Spark does), before the clock takes over.
    Time last = impl.recovered->checkpoint.time;
    for (auto& [sequence, logged] : impl.recovered->pending) {
      impl.submit(std::make_shared<GeneratedBatch>(impl.generate(logged.time, &logged, sequence)));
      last = logged.time;
    }
    impl.recovered.reset();
    Time now_batch = wallClockNow().floor(impl.batch_duration);
    int64_t missed = std::max<int64_t>(0, (now_batch - last).milliseconds() / impl.batch_duration.milliseconds());
    if (missed > kMaxDowntimeBatches) {
      throw Error("start: the checkpoint's last batch is at " + last.toString() + ", " + std::to_string(missed) +
                  " batches ago; a job resumes on the clock it ran on (a checkpoint of runBatches() cannot be "
                  "resumed with start())");
    }
    if (missed > 0) logInfo("running the {} batches missed while the job was down", missed);
    for (Time t = last + impl.batch_duration; t <= now_batch; t = t + impl.batch_duration) {
      impl.submit(std::make_shared<GeneratedBatch>(impl.generate(t)));
      last = t;
    }
    first = std::max(first, last + impl.batch_duration);
  }
  impl.timer = std::make_unique<RecurringTimer>(impl.batch_duration,
                                                [&impl](Time t) { impl.onTick(t); });
  impl.timer->start(first);
  impl.state = StreamingContextState::kActive;
  logInfo("streaming context started; first batch at {}", first.toString());
}

void StreamingCore::runBatches(int n) {
  Impl& impl = *impl_;
  if (n < 0) throw Error("runBatches: the number of batches must not be negative");
  {
    std::lock_guard lock(impl.mutex);
    if (impl.mode == Impl::Mode::kTimer) {
      throw Error("runBatches: this context was started with start(); use one or the other");
    }
    if (impl.state == StreamingContextState::kStopped) {
      throw Error("runBatches: the context is stopped");
    }
    if (impl.state == StreamingContextState::kInitialized) {
      impl.validateAndInitialize(impl.zeroTimeOr(Time(0)));
      impl.startInputs();
      impl.afterInputsStarted();
      impl.mode = Impl::Mode::kManual;
      impl.state = StreamingContextState::kActive;
    }
  }
  // A recovered job first runs again the batches logged after its checkpoint.
  if (impl.recovered) {
    auto recovered = std::move(*impl.recovered);
    impl.recovered.reset();
    Time last = recovered.checkpoint.time;
    for (auto& [sequence, logged] : recovered.pending) {
      GeneratedBatch batch = impl.generate(logged.time, &logged, sequence);
      impl.runManual(batch);
      last = logged.time;
    }
    std::lock_guard lock(impl.mutex);
    impl.manual_batches_run = (last - impl.zero_time).milliseconds() / impl.batch_duration.milliseconds();
  }
  for (int i = 0; i < n; ++i) {
    Time time;
    {
      std::lock_guard lock(impl.mutex);
      // An output function of the previous batch called stop(): no batch runs after that one.
      if (impl.state == StreamingContextState::kStopped) return;
      time = impl.zero_time + impl.batch_duration * ++impl.manual_batches_run;
    }
    GeneratedBatch batch = impl.generate(time);
    impl.runManual(batch);
  }
}

void StreamingCore::awaitTermination() {
  std::unique_lock lock(impl_->mutex);
  impl_->stopped.wait(lock, [&] { return impl_->state == StreamingContextState::kStopped; });
  if (impl_->failure) std::rethrow_exception(impl_->failure);
}

bool StreamingCore::awaitTerminationOrTimeout(Duration timeout) {
  std::unique_lock lock(impl_->mutex);
  bool stopped = impl_->stopped.wait_for(lock, std::chrono::milliseconds(timeout.milliseconds()), [&] {
    return impl_->state == StreamingContextState::kStopped;
  });
  if (stopped && impl_->failure) std::rethrow_exception(impl_->failure);
  return stopped;
}

void StreamingCore::stop(bool stop_gracefully) {
  Impl& impl = *impl_;
  Impl::Mode mode;
  {
    std::lock_guard lock(impl.mutex);
    if (impl.executor && impl.executor->onExecutorThread()) {
      impl.stop_requested_in_job = true;  // cannot join our own thread: stop after this batch
      return;
    }
    if (impl.state == StreamingContextState::kInitialized) {
      impl.state = StreamingContextState::kStopped;
      impl.stopped.notify_all();
      return;
    }
    mode = impl.mode;
  }
  if (mode == Impl::Mode::kTimer) {
    {
      std::lock_guard lock(impl.shutdown_mutex);
      impl.stopInputs();
      if (stop_gracefully) {
        // One more batch takes whatever the sources delivered before they stopped. It must be a
        // tick that starts after they stopped: a tick due this very millisecond may already be
        // running, with its input taken before the last block was cut.
        impl.timer->stop(wallClockNow() + Milliseconds(1));
      } else {
        impl.timer->stop();
      }
    }
    impl.executor->stop(stop_gracefully);
  } else {
    std::lock_guard lock(impl.shutdown_mutex);
    impl.stopInputs();
  }
  if (stop_gracefully) impl.checkpointAtStop();
  impl.markStopped(nullptr);
}

StreamingContextState StreamingCore::state() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->state;
}

std::vector<BatchInfo> StreamingCore::completedBatches() const {
  std::lock_guard lock(impl_->history_mutex);
  return {impl_->history.begin(), impl_->history.end()};
}

}  // namespace caudal::detail
