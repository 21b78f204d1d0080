#include "support/temp_directory.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace caudal::test {
namespace fs = std::filesystem;

namespace {

// "<Suite>.<Test>" of the running test (slashes of parameterized names made safe).
std::string currentTestName() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "no-test";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

}  // namespace

TempDirectory::TempDirectory() {
  std::string pattern = (fs::temp_directory_path() / ("caudal-" + currentTestName() + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("TempDirectory: cannot create '" + pattern + "': " + std::strerror(errno));
  }
  path_ = buffer.data();
}

TempDirectory::~TempDirectory() {
  std::error_code ec;
  // Restore permissions a test may have taken away, so everything can be removed.
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code ignored;
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
  }
  fs::remove_all(path_, ec);
}

fs::path TempDirectory::makeDirectory(std::string_view relative) const {
  fs::path directory = path_ / relative;
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

fs::path TempDirectory::writeFile(std::string_view relative, std::string_view content) const {
  fs::path file = path_ / relative;
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("TempDirectory: cannot write '" + file.string() + "'");
  return file;
}

fs::path scratchDirectory() {
  static TempDirectory root;  // removed at exit
  static std::atomic<int> next{0};
  fs::path directory = root / (currentTestName() + "-" + std::to_string(next++));
  fs::create_directories(directory);
  return directory;
}

std::string readWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("readWholeFile: cannot open '" + path.string() + "'");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace caudal::test
