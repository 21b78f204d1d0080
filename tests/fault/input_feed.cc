#include "fault/input_feed.h"

#include <fstream>
#include <stdexcept>

namespace caudal::fault {
namespace fs = std::filesystem;
namespace {

// Spanish numbers and colours: short, distinct, easy to read in a failure message.
const char* const kVocabulary[] = {"uno",   "dos",      "tres",   "cuatro", "cinco",  "seis",
                                   "siete", "ocho",     "nueve",  "diez",   "rojo",   "azul",
                                   "verde", "negro",    "gris",   "rosa",   "blanco", "oro",
                                   "plata", "amarillo", "marron", "cian",   "lila",   "ambar"};

// Files moved into a directory the job watches (textFileStream): written under a staging
// directory beside it, then renamed in, so the job never sees half a file.
class FileFeed final : public InputFeed {
 public:
  explicit FileFeed(const fs::path& root) : input_(root / "input"), staging_(root / "staging") {
    fs::create_directories(input_);
    fs::create_directories(staging_);
  }

  std::vector<std::string> jobArguments() const override {
    return {"--source", "files", "--input", input_.string()};
  }

  void placeBeforeStart(const InputUnit& unit) override { deliver(unit); }

  void deliver(const InputUnit& unit) override {
    fs::path staged = staging_ / unit.name;
    {
      std::ofstream out(staged, std::ios::binary | std::ios::trunc);
      out << unit.content;
      if (!out.flush()) throw std::runtime_error("cannot write " + staged.string());
    }
    fs::rename(staged, input_ / unit.name);
  }

 private:
  fs::path input_;
  fs::path staging_;
};

}  // namespace

std::vector<InputUnit> makeInput(std::mt19937_64& rng, int units, const std::string& prefix) {
  constexpr size_t kWords = sizeof kVocabulary / sizeof kVocabulary[0];
  // Word i is drawn with weight 1/(i+1): a few words in every batch, others rare.
  std::vector<double> weights;
  for (size_t i = 0; i < kWords; ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
  std::discrete_distribution<size_t> word(weights.begin(), weights.end());
  std::uniform_int_distribution<int> lines(1, 12);
  std::uniform_int_distribution<int> words_per_line(1, 6);
  std::vector<InputUnit> input;
  for (int u = 0; u < units; ++u) {
    InputUnit unit;
    char number[16];
    std::snprintf(number, sizeof number, "%04d", u);
    unit.name = prefix + number;
    unit.marker = "unit-" + unit.name;
    unit.content = unit.marker + "\n";
    unit.words[unit.marker] = 1;
    for (int l = lines(rng); l > 0; --l) {
      for (int w = words_per_line(rng); w > 0; --w) {
        std::string chosen = kVocabulary[word(rng)];
        unit.content += chosen;
        unit.content += w > 1 ? ' ' : '\n';
        ++unit.words[chosen];
      }
    }
    input.push_back(std::move(unit));
  }
  return input;
}

std::unique_ptr<InputFeed> makeFeed(const std::string& source, const fs::path& root) {
  if (source == "files") return std::make_unique<FileFeed>(root);
  throw std::invalid_argument("no feed for the source '" + source + "' (known: files)");
}

}  // namespace caudal::fault
