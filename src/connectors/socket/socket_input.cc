// socketTextStream: a receiver stream whose receiver reads lines from a TCP server.
#include <memory>

#include "caudal/detail/receiver_input.h"
#include "caudal/streaming_context.h"
#include "connectors/socket/socket_line_receiver.h"

namespace caudal {

DStream<std::string> StreamingContext::socketTextStream(const std::string& host, int port) {
  core_->checkCanDefine("socketTextStream");
  if (host.empty()) throw Error("socketTextStream: the host is empty");
  if (port <= 0 || port > 65535) {
    throw Error("socketTextStream: port " + std::to_string(port) + " is not in 1..65535");
  }
  auto node = std::make_shared<detail::ReceiverInputNode<std::string>>(
      core_, "socketTextStream", std::make_unique<SocketLineReceiver>(host, port));
  core_->addInput(node);
  return DStream<std::string>(std::move(node));
}

}  // namespace caudal
