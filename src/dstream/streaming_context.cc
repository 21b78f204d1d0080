#include "caudal/streaming_context.h"

namespace caudal {

StreamingContext::StreamingContext(Duration batch_duration, Config config)
    : core_(detail::StreamingCore::create(batch_duration, config)) {}

StreamingContext::~StreamingContext() = default;
StreamingContext::StreamingContext(StreamingContext&&) noexcept = default;
StreamingContext& StreamingContext::operator=(StreamingContext&&) noexcept = default;

Duration StreamingContext::batchDuration() const { return core_->batchDuration(); }
const Config& StreamingContext::config() const { return core_->config(); }
StreamingContextState StreamingContext::getState() const { return core_->state(); }

void StreamingContext::checkpoint(const std::string& directory) {
  core_->checkCanDefine("checkpoint");
  if (directory.empty()) throw Error("checkpoint: the directory is empty");
  core_->setCheckpointDirectory(directory);
}

const std::string& StreamingContext::checkpointDirectory() const { return core_->checkpointDirectory(); }

StreamingContext StreamingContext::getOrCreate(const std::string& directory,
                                               const std::function<StreamingContext()>& factory) {
  if (directory.empty()) throw Error("getOrCreate: the checkpoint directory is empty");
  StreamingContext context = factory();
  if (context.checkpointDirectory().empty()) context.checkpoint(directory);
  if (context.checkpointDirectory() != directory) {
    throw Error("getOrCreate: the factory set the checkpoint directory '" + context.checkpointDirectory() +
                "', not '" + directory + "'");
  }
  context.core_->recover();
  return context;
}

void StreamingContext::start() { core_->start(); }
void StreamingContext::awaitTermination() { core_->awaitTermination(); }
bool StreamingContext::awaitTerminationOrTimeout(Duration timeout) {
  return core_->awaitTerminationOrTimeout(timeout);
}
void StreamingContext::stop(bool stop_gracefully) { core_->stop(stop_gracefully); }
void StreamingContext::runBatches(int n) { core_->runBatches(n); }
std::vector<BatchInfo> StreamingContext::completedBatches() const {
  return core_->completedBatches();
}

}  // namespace caudal
