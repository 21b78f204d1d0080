#include "connectors/socket/socket_line_receiver.h"

namespace caudal {

SocketLineReceiver::SocketLineReceiver(std::string host, int port)
    : reader_("socketTextStream", std::move(host), port,
              [this](std::string&& line) { store(std::move(line)); }) {}

SocketLineReceiver::~SocketLineReceiver() { reader_.stop(); }

void SocketLineReceiver::onStart() { reader_.start(); }

void SocketLineReceiver::onStop() { reader_.stop(); }

}  // namespace caudal
