// A unique temporary directory per test, removed with everything in it afterwards.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace caudal::test {

/// Creates a fresh directory under `std::filesystem::temp_directory_path()`, named after the
/// running GoogleTest test and made unique by `mkdtemp`; the destructor removes it and its
/// contents. Failures to create throw `std::runtime_error`.
class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  /// The directory.
  const std::filesystem::path& path() const { return path_; }
  /// `path() / relative`.
  std::filesystem::path operator/(std::string_view relative) const { return path_ / relative; }

  /// Creates (or empties) the subdirectory `relative`, with its parents; returns its path.
  std::filesystem::path makeDirectory(std::string_view relative) const;
  /// Writes `content` to the file `relative` (creating its parent directories); returns its
  /// path.
  std::filesystem::path writeFile(std::string_view relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

/// A new empty directory for the running test (a checkpoint directory, say), inside one
/// directory per test program that is removed when the program exits: for contexts that
/// outlive the scope a `TempDirectory` would have.
std::filesystem::path scratchDirectory();

/// The whole content of the file at `path`. Throws `std::runtime_error` if it cannot be read.
std::string readWholeFile(const std::filesystem::path& path);

}  // namespace caudal::test
