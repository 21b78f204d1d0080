// textFileStream's unit of reading: the lines that start in a byte range of a file.
#pragma once

#include <cstdint>
#include <string>

#include "caudal/detail/function_ref.h"

namespace caudal {

/// Calls `sink` with every line of the file at `path` that starts in the byte range
/// [`begin`, `end`), in order, without its "\n" or "\r\n" (an empty line gives ""). The last
/// such line is read past `end` to its end. As Hadoop's line record reader, so that ranges
/// that tile a file read each of its lines exactly once: a range that does not start the file
/// leaves the line `begin` falls inside of to the range before it, and a last line with no
/// newline counts. Throws `caudal::Error` naming the file if it cannot be opened or read.
/// Blocks on file I/O; callable from any thread.
void readLinesInRange(const std::string& path, uint64_t begin, uint64_t end,
                      detail::FunctionRef<void(std::string&&)> sink);

}  // namespace caudal
