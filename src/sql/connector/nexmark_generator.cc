#include "sql/connector/nexmark_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "sql/connector/generator_random.h"

namespace caudal::sql::nexmark {

namespace {

using generator::below;
using generator::below32High;
using generator::below32Low;
using generator::randomAt;

// As in the Flink generator.
constexpr int64_t kFirstPersonId = 1000;
constexpr int64_t kFirstAuctionId = 1000;
constexpr int64_t kFirstCategoryId = 10;
constexpr int64_t kNumCategories = 5;
constexpr int64_t kHotRatio = 100;  // hot sellers/bidders/auctions: the first of each 100
constexpr int64_t kIdLead = 10;     // ids of not yet created persons/auctions allowed
constexpr int64_t kChannels = 10000;
constexpr int64_t kMinStringLength = 3;

// Bytes of each text pool; views are taken at random offsets into them.
constexpr size_t kPoolSize = size_t{1} << 18;
// The largest average event size accepted (its padding must fit in a pool).
static_assert(kPoolSize > 2 * 65536);

constexpr std::array<std::string_view, 6> kStates = {"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::array<std::string_view, 10> kCities = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                                       "Portland", "Bend",    "Redmond",     "Seattle",
                                                       "Kent",    "Cheyenne"};
constexpr std::array<std::string_view, 11> kFirstNames = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                                           "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::array<std::string_view, 9> kLastNames = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                                         "Walton", "Smith",  "Jones",   "Noris"};
constexpr std::array<std::string_view, 4> kHotChannels = {"Google", "Facebook", "Baidu", "Apple"};

// The random streams, one per decision, so that each column is computed on its own.
enum Stream : int {
  kStreamPersonName,
  kStreamPersonEmailLocal,
  kStreamPersonEmailDomain,
  kStreamPersonCard,
  kStreamPersonPlace,
  kStreamPersonExtra,
  kStreamAuctionName,
  kStreamAuctionDescription,
  kStreamAuctionInitialBid,
  kStreamAuctionReserve,
  kStreamAuctionExpires,
  kStreamAuctionSeller,
  kStreamAuctionCategory,
  kStreamAuctionExtra,
  kStreamBidAuction,
  kStreamBidBidder,
  kStreamBidPrice,
  kStreamBidChannel,
  kStreamBidExtra,
  kStreamCount,
};
static_assert(kStreamCount <= 32);

// Constant text the generator draws from, built once per process from a fixed seed.
struct Pools {
  std::string letters;  // 'a'..'z' (padding: Nexmark's nextExactString)
  std::string words;    // 'a'..'z' and one space in 13 (Nexmark's nextString)
  std::vector<std::string> names;
  std::vector<std::string> channels;
  std::vector<std::string> urls;
  std::array<std::string, 4> hot_urls;
  std::vector<double> powers_of_two;  // 2^(k/64), k in [0, 1280]

  Pools() {
    const uint64_t key = generator::streamKey(0x4e65786d61726bULL, 1);
    uint64_t counter = 0;
    auto next = [&] { return randomAt(key, counter++); };
    letters.resize(kPoolSize);
    words.resize(kPoolSize);
    for (size_t i = 0; i < kPoolSize; ++i) {
      letters[i] = static_cast<char>('a' + below(next(), 26));
      const uint64_t r = next();
      words[i] = below32Low(r, 13) == 0 ? ' ' : static_cast<char>('a' + below32High(r, 26));
    }
    for (std::string_view first : kFirstNames) {
      for (std::string_view last : kLastNames) names.push_back(std::string(first).append(" ").append(last));
    }
    // "https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1", parts of 3 or 4 characters of
    // letters and '_' (Nexmark's getBaseUrl).
    auto base_url = [&] {
      std::string url = "https://www.nexmark.com/";
      for (int part = 0; part < 3; ++part) {
        const int64_t length = kMinStringLength + static_cast<int64_t>(below(next(), 5 - kMinStringLength));
        for (int64_t i = 0; i < length; ++i) {
          const uint64_t r = next();
          url.push_back(below32Low(r, 13) == 0 ? '_' : static_cast<char>('a' + below32High(r, 26)));
        }
        url.push_back('/');
      }
      return url.append("item.htm?query=1");
    };
    for (std::string& url : hot_urls) url = base_url();
    channels.reserve(kChannels);
    urls.reserve(kChannels);
    for (int64_t i = 0; i < kChannels; ++i) {
      channels.push_back(std::string("channel-").append(std::to_string(i)));
      std::string url = base_url();
      if (below(next(), 10) > 0) {
        // Math.abs(Integer.reverse(i)), as the Flink generator appends.
        uint32_t v = static_cast<uint32_t>(i);
        uint32_t reversed = 0;
        for (int bit = 0; bit < 32; ++bit) reversed |= ((v >> bit) & 1u) << (31 - bit);
        const int64_t signed_reversed = static_cast<int32_t>(reversed);
        url.append("&channel_id=").append(std::to_string(signed_reversed < 0 ? -signed_reversed : signed_reversed));
      }
      urls.push_back(std::move(url));
    }
    powers_of_two.resize(1281);
    for (size_t k = 0; k < powers_of_two.size(); ++k) powers_of_two[k] = std::exp2(static_cast<double>(k) / 64.0);
  }
};

const Pools& pools() {
  static const Pools instance;
  return instance;
}

// Nexmark's nextString(maxLength): [3, maxLength) characters of `words`, trimmed of spaces.
std::string_view poolString(const Pools& p, uint64_t random, int64_t max_length) {
  const uint64_t length = kMinStringLength + below32Low(random, static_cast<uint64_t>(max_length - kMinStringLength));
  const uint64_t offset = below32High(random, kPoolSize - static_cast<uint64_t>(max_length));
  std::string_view text(p.words.data() + offset, length);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Writes value_at(p) at each position p. The output never aliases the inputs the kernels
// read (the block, the pools), which lets the compiler keep them in registers.
// Nexmark's price: round(10^(6u) * 100), u uniform in [0, 1). 10^(6u) = 2^(6u log2 10) =
// 2^(k/64) * 2^g with g in [0, 1/64): a table and four terms of the exponential series
// (relative error below 1e-12), much cheaper than pow.
inline int64_t priceOf(uint64_t random, const double* powers) {
  constexpr double kScale = 6.0 * 3.321928094887362347870319429489 * 64.0;
  constexpr double kLn2Over64 = 0.693147180559945309417232121458 / 64.0;
  const double x = generator::unitDouble(random) * kScale;
  const int k = static_cast<int>(x);
  const double y = (x - k) * kLn2Over64;
  const double series = 1.0 + y * (1.0 + y * (0.5 + y * (1.0 / 6.0 + y * (1.0 / 24.0))));
  return static_cast<int64_t>(powers[k] * series * 100.0 + 0.5);
}

// below32Low(r, ratio) > 0 exactly when the low 32 bits of r reach this.
inline uint64_t hotThreshold(int64_t ratio) {
  return ((uint64_t{1} << 32) + static_cast<uint64_t>(ratio) - 1) / static_cast<uint64_t>(ratio);
}

template <class T, class F>
inline void fillValues(Vector& out, const uint32_t* sel, uint32_t count, F&& value_at) {
  T* __restrict values = out.values<T>();
  if (sel == nullptr) {
    for (uint32_t p = 0; p < count; ++p) values[p] = value_at(p);
  } else {
    for (uint32_t i = 0; i < count; ++i) values[sel[i]] = value_at(sel[i]);
  }
}

}  // namespace

NexmarkGenerator::NexmarkGenerator(const NexmarkConfig& config)
    : config_(config),
      total_(config.person_proportion + config.auction_proportion + config.bid_proportion),
      person_auction_(config.person_proportion + config.auction_proportion),
      inter_event_delay_us_(1000000.0 / static_cast<double>(config.first_event_rate)) {
  events_for_auctions_ = config.auction_proportion > 0
                             ? config.num_in_flight_auctions * total_ / config.auction_proportion
                             : 0;
  for (int i = 0; i < kStreamCount; ++i) keys_[i] = generator::streamKey(config.seed, static_cast<uint64_t>(i));
  (void)pools();  // built here, not on a reader's first chunk
}

int64_t NexmarkGenerator::eventOfRow(EventKind kind, int64_t row) const {
  switch (kind) {
    case EventKind::kAll: return row;
    case EventKind::kPerson:
      return row / config_.person_proportion * total_ + row % config_.person_proportion;
    case EventKind::kAuction:
      return row / config_.auction_proportion * total_ + config_.person_proportion +
             row % config_.auction_proportion;
    case EventKind::kBid:
      return row / config_.bid_proportion * total_ + person_auction_ + row % config_.bid_proportion;
  }
  return row;
}

int64_t NexmarkGenerator::rowsWithin(EventKind kind, int64_t events) const {
  const int64_t epochs = events / total_;
  const int64_t rest = events % total_;
  switch (kind) {
    case EventKind::kAll: return events;
    case EventKind::kPerson:
      return epochs * config_.person_proportion + std::min(rest, config_.person_proportion);
    case EventKind::kAuction:
      return epochs * config_.auction_proportion +
             std::clamp<int64_t>(rest - config_.person_proportion, 0, config_.auction_proportion);
    case EventKind::kBid:
      return epochs * config_.bid_proportion + std::clamp<int64_t>(rest - person_auction_, 0, config_.bid_proportion);
  }
  return events;
}

void NexmarkGenerator::fillBlock(EventKind kind, int64_t first_row, uint32_t count, EventBlock& block) const {
  block.count = count;
  // Rows of the table walk through one slot range [base, base + width) of each epoch.
  int64_t base = 0;
  int64_t width = total_;
  if (kind == EventKind::kPerson) {
    width = config_.person_proportion;
  } else if (kind == EventKind::kAuction) {
    base = config_.person_proportion;
    width = config_.auction_proportion;
  } else if (kind == EventKind::kBid) {
    base = person_auction_;
    width = config_.bid_proportion;
  }
  int64_t epoch = first_row / width;
  int64_t slot = first_row % width;
  block.first_epoch = epoch;
  block.first_slot = slot;
  block.bid_runs = kind == EventKind::kBid;
  if (block.bid_runs) return;
  for (uint32_t i = 0; i < count; ++i) {
    block.epoch[i] = epoch;
    block.offset[i] = static_cast<int32_t>(base + slot);
    block.event[i] = epoch * total_ + base + slot;
    if (++slot == width) {
      slot = 0;
      ++epoch;
    }
  }
}

int64_t NexmarkGenerator::timestampMicros(int64_t event) const {
  const int64_t delay_us = static_cast<int64_t>(static_cast<double>(event) * inter_event_delay_us_);
  return (config_.base_time_ms + delay_us / 1000) * 1000;
}

int64_t NexmarkGenerator::price(uint64_t random) { return priceOf(random, pools().powers_of_two.data()); }

int64_t NexmarkGenerator::lastPersonId(int64_t epoch, int32_t offset) const {
  return epoch * config_.person_proportion +
         (offset >= config_.person_proportion ? config_.person_proportion - 1 : offset);
}

int64_t NexmarkGenerator::lastAuctionId(int64_t epoch, int32_t offset) const {
  if (offset < config_.person_proportion) return (epoch - 1) * config_.auction_proportion + config_.auction_proportion - 1;
  if (offset >= person_auction_) return epoch * config_.auction_proportion + config_.auction_proportion - 1;
  return epoch * config_.auction_proportion + offset - config_.person_proportion;
}

int64_t NexmarkGenerator::randomPersonId(int64_t last_person, uint64_t random32) const {
  // One of the active people, or a few not created yet (Nexmark's nextBase0PersonId).
  const int64_t people = last_person + 1;
  const int64_t active = std::min(people, config_.num_active_people);
  return people - active + static_cast<int64_t>((random32 * static_cast<uint64_t>(active + kIdLead)) >> 32);
}

int64_t NexmarkGenerator::extraLength(uint64_t random, int64_t current_size, int64_t average_size) const {
  // Nexmark's nextExtra: on average fills the event up to its average size, +-20%.
  if (current_size > average_size) return 0;
  const int64_t desired = average_size - current_size;
  const int64_t delta = static_cast<int64_t>(std::floor(static_cast<double>(desired) * 0.2 + 0.5));
  const int64_t min_size = desired - delta;
  return min_size + (delta == 0 ? 0 : static_cast<int64_t>(below32Low(random, static_cast<uint64_t>(2 * delta))));
}

void NexmarkGenerator::fillPerson(int field, const EventBlock& block, const uint32_t* sel, uint32_t count,
                                  Vector& out) const {
  const Pools& p = pools();
  const int64_t* events = block.event;
  if (sel == nullptr) count = block.count;
  auto name_of = [&](int64_t event) -> std::string_view {
    return p.names[below32Low(randomAt(keys_[kStreamPersonName], event), p.names.size())];
  };
  auto email_parts = [&](int64_t event) {
    return std::pair{poolString(p, randomAt(keys_[kStreamPersonEmailLocal], event), 7),
                     poolString(p, randomAt(keys_[kStreamPersonEmailDomain], event), 5)};
  };
  auto city_of = [&](int64_t event) {
    return kCities[below32Low(randomAt(keys_[kStreamPersonPlace], event), kCities.size())];
  };
  auto state_of = [&](int64_t event) {
    return kStates[below32High(randomAt(keys_[kStreamPersonPlace], event), kStates.size())];
  };
  constexpr int64_t kCardLength = 19;
  switch (field) {
    case kPersonId:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        return lastPersonId(block.epoch[i], block.offset[i]) + kFirstPersonId;
      });
      break;
    case kPersonName: fillValues<std::string_view>(out, sel, count, [&](uint32_t i) { return name_of(events[i]); }); break;
    case kPersonEmail:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) {
        const auto [local, domain] = email_parts(events[i]);
        const size_t length = local.size() + 1 + domain.size() + 4;
        char* text = out.heap().allocate(length);
        char* cursor = std::copy(local.begin(), local.end(), text);
        *cursor++ = '@';
        cursor = std::copy(domain.begin(), domain.end(), cursor);
        std::copy_n(".com", 4, cursor);
        return std::string_view(text, length);
      });
      break;
    case kPersonCreditCard:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) {
        // Four groups of four digits, "%04d %04d %04d %04d".
        char* text = out.heap().allocate(kCardLength);
        const uint64_t r = randomAt(keys_[kStreamPersonCard], events[i]);
        const uint64_t groups[4] = {below32Low(r, 10000), below32High(r, 10000),
                                    below32Low(generator::mix64(r), 10000), below32High(generator::mix64(r), 10000)};
        for (int g = 0; g < 4; ++g) {
          uint64_t v = groups[g];
          for (int d = 3; d >= 0; --d) {
            text[g * 5 + d] = static_cast<char>('0' + v % 10);
            v /= 10;
          }
          if (g < 3) text[g * 5 + 4] = ' ';
        }
        return std::string_view(text, kCardLength);
      });
      break;
    case kPersonCity: fillValues<std::string_view>(out, sel, count, [&](uint32_t i) { return city_of(events[i]); }); break;
    case kPersonState: fillValues<std::string_view>(out, sel, count, [&](uint32_t i) { return state_of(events[i]); }); break;
    case kPersonDateTime:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) { return timestampMicros(events[i]); });
      break;
    case kPersonExtra:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) {
        const int64_t event = events[i];
        const auto [local, domain] = email_parts(event);
        const int64_t current = 8 + static_cast<int64_t>(name_of(event).size() + local.size() + domain.size() + 5 +
                                                         kCardLength + city_of(event).size() + state_of(event).size());
        const uint64_t r = randomAt(keys_[kStreamPersonExtra], event);
        const int64_t length = extraLength(r, current, config_.avg_person_bytes);
        return std::string_view(p.letters.data() + below32High(r, kPoolSize - static_cast<uint64_t>(length)),
                                static_cast<size_t>(length));
      });
      break;
    default: break;
  }
}

void NexmarkGenerator::fillAuction(int field, const EventBlock& block, const uint32_t* sel, uint32_t count,
                                   Vector& out) const {
  const Pools& p = pools();
  const int64_t* events = block.event;
  if (sel == nullptr) count = block.count;
  const double* powers = p.powers_of_two.data();
  auto initial_bid = [&](int64_t event) { return priceOf(randomAt(keys_[kStreamAuctionInitialBid], event), powers); };
  auto item_name = [&](int64_t event) { return poolString(p, randomAt(keys_[kStreamAuctionName], event), 20); };
  auto description = [&](int64_t event) {
    return poolString(p, randomAt(keys_[kStreamAuctionDescription], event), 100);
  };
  switch (field) {
    case kAuctionId:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        return lastAuctionId(block.epoch[i], block.offset[i]) + kFirstAuctionId;
      });
      break;
    case kAuctionItemName:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) { return item_name(events[i]); });
      break;
    case kAuctionDescription:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) { return description(events[i]); });
      break;
    case kAuctionInitialBid:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) { return initial_bid(events[i]); });
      break;
    case kAuctionReserve:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        return initial_bid(events[i]) + priceOf(randomAt(keys_[kStreamAuctionReserve], events[i]), powers);
      });
      break;
    case kAuctionDateTime:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) { return timestampMicros(events[i]); });
      break;
    case kAuctionExpires:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        // Lasts on average as long as it takes to create num_in_flight_auctions more auctions.
        const int64_t event = events[i];
        const int64_t now_ms = timestampMicros(event) / 1000;
        const int64_t horizon_ms = timestampMicros(event + events_for_auctions_) / 1000 - now_ms;
        const uint64_t bound = static_cast<uint64_t>(std::max<int64_t>(horizon_ms * 2, 1));
        return (now_ms + 1 + static_cast<int64_t>(below(randomAt(keys_[kStreamAuctionExpires], event), bound))) *
               1000;
      });
      break;
    case kAuctionSeller:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        const uint64_t r = randomAt(keys_[kStreamAuctionSeller], events[i]);
        const int64_t last = lastPersonId(block.epoch[i], block.offset[i]);
        const int64_t hot = last / kHotRatio * kHotRatio;
        const int64_t cold = randomPersonId(last, r >> 32);
        return (below32Low(r, static_cast<uint64_t>(config_.hot_sellers_ratio)) > 0 ? hot : cold) + kFirstPersonId;
      });
      break;
    case kAuctionCategory:
      fillValues<int64_t>(out, sel, count, [&](uint32_t i) {
        return kFirstCategoryId +
               static_cast<int64_t>(below32Low(randomAt(keys_[kStreamAuctionCategory], events[i]), kNumCategories));
      });
      break;
    case kAuctionExtra:
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) {
        const int64_t event = events[i];
        const int64_t current =
            8 + static_cast<int64_t>(item_name(event).size() + description(event).size()) + 8 + 8 + 8 + 8 + 8;
        const uint64_t r = randomAt(keys_[kStreamAuctionExtra], event);
        const int64_t length = extraLength(r, current, config_.avg_auction_bytes);
        return std::string_view(p.letters.data() + below32High(r, kPoolSize - static_cast<uint64_t>(length)),
                                static_cast<size_t>(length));
      });
      break;
    default: break;
  }
}

void NexmarkGenerator::fillBid(int field, const EventBlock& block, const uint32_t* sel, uint32_t count,
                               Vector& out) const {
  if (sel == nullptr && block.bid_runs) {
    fillBidRuns(field, block, out);
    return;
  }
  const Pools& p = pools();
  const int64_t* events = block.event;
  const int64_t* epochs = block.epoch;
  if (sel == nullptr) count = block.count;
  // Every position is a bid: the last auction and person are those of its epoch.
  const int64_t auctions = config_.auction_proportion;
  const int64_t persons = config_.person_proportion;
  switch (field) {
    case kBidAuction: {
      const uint64_t key = keys_[kStreamBidAuction];
      const uint64_t hot_ratio = static_cast<uint64_t>(config_.hot_auction_ratio);
      const int64_t in_flight = config_.num_in_flight_auctions;
      fillValues<int64_t>(out, sel, count, [=](uint32_t i) {
        const uint64_t r = randomAt(key, events[i]);
        const int64_t last = epochs[i] * auctions + auctions - 1;
        // Hot: the first of the last 100 auctions; else any auction likely still open, or
        // one of the next few.
        const int64_t hot = last / kHotRatio * kHotRatio;
        const int64_t low = std::max<int64_t>(last - in_flight, 0);
        const int64_t cold = low + static_cast<int64_t>(below32High(r, static_cast<uint64_t>(last - low + 1 + kIdLead)));
        return (below32Low(r, hot_ratio) > 0 ? hot : cold) + kFirstAuctionId;
      });
      break;
    }
    case kBidBidder: {
      const uint64_t key = keys_[kStreamBidBidder];
      const uint64_t hot_ratio = static_cast<uint64_t>(config_.hot_bidders_ratio);
      const int64_t active_limit = config_.num_active_people;
      fillValues<int64_t>(out, sel, count, [=](uint32_t i) {
        const uint64_t r = randomAt(key, events[i]);
        const int64_t last = epochs[i] * persons + persons - 1;
        // Hot: the second of the last 100 people (so hot bidders are not hot sellers).
        const int64_t hot = last / kHotRatio * kHotRatio + 1;
        const int64_t people = last + 1;
        const int64_t active = std::min(people, active_limit);
        const int64_t cold = people - active + static_cast<int64_t>(below32High(r, static_cast<uint64_t>(active + kIdLead)));
        return (below32Low(r, hot_ratio) > 0 ? hot : cold) + kFirstPersonId;
      });
      break;
    }
    case kBidPrice: {
      const uint64_t key = keys_[kStreamBidPrice];
      const double* powers = p.powers_of_two.data();
      fillValues<int64_t>(out, sel, count, [=](uint32_t i) { return priceOf(randomAt(key, events[i]), powers); });
      break;
    }
    case kBidChannel:
    case kBidUrl: {
      const uint64_t key = keys_[kStreamBidChannel];
      const bool channel = field == kBidChannel;
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) -> std::string_view {
        // Half the bids come through one of four hot channels.
        const uint64_t r = randomAt(key, events[i]);
        if (below32Low(r, 2) > 0) {
          const uint64_t hot = below32High(r, kHotChannels.size());
          return channel ? kHotChannels[hot] : std::string_view(p.hot_urls[hot]);
        }
        const uint64_t c = below32High(r, kChannels);
        return channel ? p.channels[c] : p.urls[c];
      });
      break;
    }
    case kBidDateTime: {
      const double delay_us = inter_event_delay_us_;
      const int64_t base_ms = config_.base_time_ms;
      fillValues<int64_t>(out, sel, count, [=](uint32_t i) {
        return (base_ms + static_cast<int64_t>(static_cast<double>(events[i]) * delay_us) / 1000) * 1000;
      });
      break;
    }
    case kBidExtra: {
      const uint64_t key = keys_[kStreamBidExtra];
      fillValues<std::string_view>(out, sel, count, [&](uint32_t i) {
        const uint64_t r = randomAt(key, events[i]);
        const int64_t length = extraLength(r, 8 + 8 + 8 + 8, config_.avg_bid_bytes);
        return std::string_view(p.letters.data() + below32High(r, kPoolSize - static_cast<uint64_t>(length)),
                                static_cast<size_t>(length));
      });
      break;
    }
    default: break;
  }
}

}  // namespace caudal::sql::nexmark

namespace caudal::sql::nexmark {

template <class F>
void NexmarkGenerator::forBidRuns(const EventBlock& block, F&& run) const {
  const int64_t width = config_.bid_proportion;
  int64_t epoch = block.first_epoch;
  int64_t slot = block.first_slot;
  for (uint32_t position = 0; position < block.count;) {
    const uint32_t length = static_cast<uint32_t>(std::min<int64_t>(block.count - position, width - slot));
    run(position, length, epoch, epoch * total_ + person_auction_ + slot);
    position += length;
    slot = 0;
    ++epoch;
  }
}

void NexmarkGenerator::fillBidRuns(int field, const EventBlock& block, Vector& out) const {
  // The same values as fillBid's per-row path, with what depends only on the epoch (the last
  // auction and person, the hot ids, the ranges) computed once per run of bids.
  const Pools& p = pools();
  switch (field) {
    case kBidAuction: {
      const uint64_t key = keys_[kStreamBidAuction];
      const uint64_t threshold = hotThreshold(config_.hot_auction_ratio);
      int64_t* __restrict values = out.values<int64_t>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t epoch, int64_t event) {
        const int64_t last = epoch * config_.auction_proportion + config_.auction_proportion - 1;
        const int64_t hot = last / kHotRatio * kHotRatio + kFirstAuctionId;
        const int64_t low = std::max<int64_t>(last - config_.num_in_flight_auctions, 0);
        const uint64_t span = static_cast<uint64_t>(last - low + 1 + kIdLead);
        const int64_t cold_base = low + kFirstAuctionId;
        int64_t* __restrict target = values + position;
        for (uint32_t k = 0; k < length; ++k) {
          const uint64_t r = randomAt(key, static_cast<uint64_t>(event + k));
          const int64_t cold = cold_base + static_cast<int64_t>(below32High(r, span));
          target[k] = (r & 0xffffffffULL) >= threshold ? hot : cold;
        }
      });
      break;
    }
    case kBidBidder: {
      const uint64_t key = keys_[kStreamBidBidder];
      const uint64_t threshold = hotThreshold(config_.hot_bidders_ratio);
      int64_t* __restrict values = out.values<int64_t>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t epoch, int64_t event) {
        const int64_t last = epoch * config_.person_proportion + config_.person_proportion - 1;
        const int64_t hot = last / kHotRatio * kHotRatio + 1 + kFirstPersonId;
        const int64_t people = last + 1;
        const int64_t active = std::min(people, config_.num_active_people);
        const uint64_t span = static_cast<uint64_t>(active + kIdLead);
        const int64_t cold_base = people - active + kFirstPersonId;
        int64_t* __restrict target = values + position;
        for (uint32_t k = 0; k < length; ++k) {
          const uint64_t r = randomAt(key, static_cast<uint64_t>(event + k));
          const int64_t cold = cold_base + static_cast<int64_t>(below32High(r, span));
          target[k] = (r & 0xffffffffULL) >= threshold ? hot : cold;
        }
      });
      break;
    }
    case kBidPrice: {
      const uint64_t key = keys_[kStreamBidPrice];
      const double* powers = p.powers_of_two.data();
      int64_t* __restrict values = out.values<int64_t>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t, int64_t event) {
        for (uint32_t k = 0; k < length; ++k) {
          values[position + k] = priceOf(randomAt(key, static_cast<uint64_t>(event + k)), powers);
        }
      });
      break;
    }
    case kBidDateTime: {
      const double delay_us = inter_event_delay_us_;
      const int64_t base_ms = config_.base_time_ms;
      int64_t* __restrict values = out.values<int64_t>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t, int64_t event) {
        for (uint32_t k = 0; k < length; ++k) {
          values[position + k] =
              (base_ms + static_cast<int64_t>(static_cast<double>(event + k) * delay_us) / 1000) * 1000;
        }
      });
      break;
    }
    case kBidChannel:
    case kBidUrl: {
      const uint64_t key = keys_[kStreamBidChannel];
      // Views of the hot channels (or their URLs) and of the others, indexed without a branch
      // on the string kind.
      const std::string_view* hot = nullptr;
      std::array<std::string_view, 4> hot_views;
      for (size_t i = 0; i < hot_views.size(); ++i) {
        hot_views[i] = field == kBidChannel ? kHotChannels[i] : std::string_view(p.hot_urls[i]);
      }
      hot = hot_views.data();
      const std::string* others = field == kBidChannel ? p.channels.data() : p.urls.data();
      std::string_view* __restrict values = out.values<std::string_view>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t, int64_t event) {
        for (uint32_t k = 0; k < length; ++k) {
          const uint64_t r = randomAt(key, static_cast<uint64_t>(event + k));
          values[position + k] = below32Low(r, 2) > 0 ? hot[below32High(r, kHotChannels.size())]
                                                      : std::string_view(others[below32High(r, kChannels)]);
        }
      });
      break;
    }
    case kBidExtra: {
      const uint64_t key = keys_[kStreamBidExtra];
      const char* letters = p.letters.data();
      std::string_view* __restrict values = out.values<std::string_view>();
      forBidRuns(block, [&](uint32_t position, uint32_t length, int64_t, int64_t event) {
        for (uint32_t k = 0; k < length; ++k) {
          const uint64_t r = randomAt(key, static_cast<uint64_t>(event + k));
          const int64_t size = extraLength(r, 8 + 8 + 8 + 8, config_.avg_bid_bytes);
          values[position + k] = std::string_view(letters + below32High(r, kPoolSize - static_cast<uint64_t>(size)),
                                                  static_cast<size_t>(size));
        }
      });
      break;
    }
    default: break;
  }
}

}  // namespace caudal::sql::nexmark
