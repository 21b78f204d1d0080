#include "caudal/detail/streaming_core.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "caudal/detail/dstream_node.h"
#include "caudal/error.h"
#include "common/logging.h"
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
};

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

  GeneratedBatch generate(Time time) {
    GeneratedBatch batch;
    batch.time = time;
    std::lock_guard lock(graph_mutex);
    records_being_generated = 0;
    try {
      for (const auto& input : inputs) input->generate(time);
      for (StatefulStream* stream : stateful) {
        if (auto job = stream->generateUpdateJob(time)) batch.jobs.push_back(std::move(*job));
      }
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

  std::exception_ptr batchFailure(const BatchInfo& info, std::exception_ptr cause) {
    logError("batch at {} failed: {}", info.batchTime.toString(), info.failureReason);
    return std::make_exception_ptr(BatchFailedError(info.batchTime, info.failureReason, cause));
  }

  // ---- Lifecycle ----

  void validateAndInitialize(Time zero_time) {
    if (outputs.empty()) {
      throw Error("no output operations registered, so nothing to execute: add print(), "
                  "foreachRDD() or saveAsTextFiles() before starting");
    }
    for (const auto& output : outputs) output->initialize(zero_time);
    for (const auto& input : inputs) input->initializeSource(zero_time);
    collectStatefulStreams();
  }

  // The stateful streams the outputs depend on, each after the stateful streams it depends on
  // (a depth-first post-order of the graph from the outputs).
  void collectStatefulStreams() {
    std::unordered_set<const DStreamNodeBase*> visited;
    std::function<void(const std::shared_ptr<DStreamNodeBase>&)> visit =
        [&](const std::shared_ptr<DStreamNodeBase>& node) {
          if (!visited.insert(node.get()).second) return;
          for (const auto& parent : node->parents()) visit(parent);
          if (auto* stream = dynamic_cast<StatefulStream*>(node.get())) stateful.push_back(stream);
        };
    for (const auto& output : outputs) visit(output);
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
    auto batch = std::make_shared<GeneratedBatch>(generate(time));
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

  const Duration batch_duration;
  const Config config;
  std::string checkpoint_directory;  // set before start
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
  impl.validateAndInitialize(first - impl.batch_duration);
  impl.startInputs();
  impl.mode = Impl::Mode::kTimer;
  impl.executor = std::make_unique<SerialExecutor>();
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
      impl.validateAndInitialize(Time(0));
      impl.startInputs();
      impl.mode = Impl::Mode::kManual;
      impl.state = StreamingContextState::kActive;
    }
  }
  for (int i = 0; i < n; ++i) {
    Time time;
    {
      std::lock_guard lock(impl.mutex);
      // An output function of the previous batch called stop(): no batch runs after that one.
      if (impl.state == StreamingContextState::kStopped) return;
      time = Time(0) + impl.batch_duration * ++impl.manual_batches_run;
    }
    GeneratedBatch batch = impl.generate(time);
    std::exception_ptr cause;
    BatchInfo info = impl.run(batch, cause);
    if (cause) {
      auto error = impl.batchFailure(info, cause);
      {
        std::lock_guard lock(impl.shutdown_mutex);
        impl.stopInputs();
      }
      impl.markStopped(error);
      std::rethrow_exception(error);
    }
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
        // One more batch takes whatever the sources delivered before they stopped.
        impl.timer->stop(wallClockNow());
      } else {
        impl.timer->stop();
      }
    }
    impl.executor->stop(stop_gracefully);
  } else {
    std::lock_guard lock(impl.shutdown_mutex);
    impl.stopInputs();
  }
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
