// print()/pprint(): Spark's console block, written in one piece so batches never interleave.
#include <cstdio>
#include <mutex>

#include "caudal/detail/text_output.h"

namespace caudal::detail {

void printBatch(Time time, const std::vector<std::string>& lines, bool truncated) {
  static constexpr std::string_view kRule = "-------------------------------------------\n";
  std::string block;
  block += kRule;
  block += "Time: " + time.toString() + "\n";
  block += kRule;
  for (const std::string& line : lines) {
    block += line;
    block += '\n';
  }
  if (truncated) block += "...\n";
  block += '\n';
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(block.data(), 1, block.size(), stdout);
  std::fflush(stdout);
}

}  // namespace caudal::detail
