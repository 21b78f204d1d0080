// socketTextStream: the DStream side of the socket receiver.
#include <memory>

#include "caudal/streaming_context.h"
#include "connectors/socket/socket_line_receiver.h"
#include "runtime/block_generator.h"

namespace caudal {
namespace {

// Each batch takes every block the receiver has cut since the previous batch.
class SocketInputNode final : public detail::InputNode<std::string> {
 public:
  SocketInputNode(const std::shared_ptr<detail::StreamingCore>& core, std::string host, int port)
      : InputNode(core, "socketTextStream"),
        receiver_(std::move(host), port, core->config().blockInterval, blocks_) {}

  void start() override { receiver_.start(); }
  void stop() override { receiver_.stop(); }

 protected:
  std::optional<RDD<std::string>> compute(Time) override {
    auto blocks = std::make_shared<std::vector<std::vector<std::string>>>(blocks_.takeBlocks());
    auto core = sharedCore();
    int64_t records = 0;
    for (const auto& block : *blocks) records += static_cast<int64_t>(block.size());
    core->reportInputRecords(records);
    return RDD<std::string>(std::make_shared<detail::ParallelCollectionNode<std::string>>(
        core->executionContext(), std::move(blocks)));
  }

 private:
  BlockGenerator<std::string> blocks_;
  SocketLineReceiver receiver_;
};

}  // namespace

DStream<std::string> StreamingContext::socketTextStream(const std::string& host, int port) {
  core_->checkCanDefine("socketTextStream");
  if (host.empty()) throw Error("socketTextStream: the host is empty");
  if (port <= 0 || port > 65535) {
    throw Error("socketTextStream: port " + std::to_string(port) + " is not in 1..65535");
  }
  auto node = std::make_shared<SocketInputNode>(core_, host, port);
  core_->addInput(node);
  return DStream<std::string>(std::move(node));
}

}  // namespace caudal
