// What the fault test feeds the job through its source: input made from a seeded RNG, and one
// feed per kind of source the job can read (`caudal_fault_job --source`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace caudal::fault {

/// Word → count.
using Counts = std::map<std::string, int64_t>;

/// One unit of input: a file for the file source, a run of lines for the socket source. Its
/// first line is its marker, a word found in no other unit, so the output tells how many times
/// each unit was read.
struct InputUnit {
  std::string name;
  std::string marker;
  std::string content;  // lines of words separated by single spaces, each ending in "\n"
  Counts words;         // of `content`, the marker included
};

/// `units` units of random words from a fixed vocabulary, some words much more frequent than
/// others, named `<prefix>0000`, `<prefix>0001`, …
std::vector<InputUnit> makeInput(std::mt19937_64& rng, int units, const std::string& prefix);

/// Where the job's input comes from, as the test drives it. The job reads every unit
/// delivered after its first start exactly once, and never one placed before it. Units are
/// placed before `jobArguments()` is called, and delivered after.
class InputFeed {
 public:
  virtual ~InputFeed() = default;
  /// The job's options that select this source ("--source", …).
  virtual std::vector<std::string> jobArguments() const = 0;
  /// Makes `unit` part of what is there before the job first starts.
  virtual void placeBeforeStart(const InputUnit& unit) = 0;
  /// Hands `unit` to the job's source, whether the job runs or not.
  virtual void deliver(const InputUnit& unit) = 0;
  /// Throws `std::runtime_error` saying why if the feed can no longer serve the job (its own
  /// failure, or the job's misuse of it); does nothing otherwise. Does not block.
  virtual void throwIfFailed() const {}
};

/// The feed of `caudal_fault_job --source <source>` under `root`: "files", a directory that
/// units are moved into; "socket", a TCP server on 127.0.0.1 that sends the lines of the units
/// delivered so far, numbered, from the line the job asks for (protocol in
/// tests/fault/fault_job.cc), to one connection at a time, on a thread of its own. Throws
/// `std::invalid_argument` for a source it does not know, `std::runtime_error` if the server
/// cannot listen.
std::unique_ptr<InputFeed> makeFeed(const std::string& source, const std::filesystem::path& root);

}  // namespace caudal::fault
