// The Nexmark benchmark's event generator (as the Flink Nexmark repository has it: persons,
// auctions and bids in a fixed proportion, ids referring to recent and "hot" entities, event
// time advancing at a fixed rate), made columnar and counter-based: every field of event n is a
// pure function of (seed, n), filled one column at a time over a block of events.
#pragma once

#include <cstdint>
#include <string_view>

#include "sql/vector/vector.h"

namespace caudal::sql::nexmark {

/// Which events a table holds: all of them (the `event_type, person, auction, bid` schema) or
/// one kind as flat columns.
enum class EventKind : uint8_t { kAll, kPerson, kAuction, kBid };

/// The generator's parameters (the Flink Nexmark options' meaning; defaults as there).
struct NexmarkConfig {
  int64_t person_proportion = 1;
  int64_t auction_proportion = 3;
  int64_t bid_proportion = 46;
  /// Event time: event n happens at base_time_ms + (n * 1e6 / first_event_rate) us / 1000.
  int64_t first_event_rate = 10000;
  int64_t base_time_ms = 0;
  int64_t avg_person_bytes = 200;
  int64_t avg_auction_bytes = 500;
  int64_t avg_bid_bytes = 100;
  int64_t hot_auction_ratio = 2;
  int64_t hot_bidders_ratio = 4;
  int64_t hot_sellers_ratio = 4;
  int64_t num_in_flight_auctions = 100;
  int64_t num_active_people = 1000;
  uint64_t seed = 0;
};

/// Field positions of the three event types, in schema order.
enum PersonField : int { kPersonId, kPersonName, kPersonEmail, kPersonCreditCard, kPersonCity, kPersonState,
                         kPersonDateTime, kPersonExtra, kPersonFieldCount };
enum AuctionField : int { kAuctionId, kAuctionItemName, kAuctionDescription, kAuctionInitialBid, kAuctionReserve,
                          kAuctionDateTime, kAuctionExpires, kAuctionSeller, kAuctionCategory, kAuctionExtra,
                          kAuctionFieldCount };
enum BidField : int { kBidAuction, kBidBidder, kBidPrice, kBidChannel, kBidUrl, kBidDateTime, kBidExtra,
                      kBidFieldCount };

/// Up to `kVectorSize` consecutive rows of a table, as event numbers and their place in the
/// proportion cycle (epoch = n / total, offset = n % total), computed without divisions. A bid
/// table's block is only its first row's place (`bid_runs`): bids come in runs of one epoch,
/// which the bid kernels walk without materializing the arrays.
struct EventBlock {
  uint32_t count = 0;
  bool bid_runs = false;
  int64_t first_epoch = 0;
  int64_t first_slot = 0;  // of the first row within its kind's slots of the epoch
  int64_t event[kVectorSize];
  int64_t epoch[kVectorSize];
  int32_t offset[kVectorSize];
};

/// Generates the fields of events. Immutable after construction; every method is thread-safe.
/// Strings are views into static pools (names, cities, channels, URLs, padding) except
/// emails and credit cards, which are written into the output vector's heap.
class NexmarkGenerator {
 public:
  explicit NexmarkGenerator(const NexmarkConfig& config);

  const NexmarkConfig& config() const { return config_; }
  int64_t totalProportion() const { return total_; }

  /// The event number of row `row` of a table of `kind` (the row-th event of that kind).
  int64_t eventOfRow(EventKind kind, int64_t row) const;
  /// The rows of a table of `kind` among the first `events` events.
  int64_t rowsWithin(EventKind kind, int64_t events) const;
  /// Fills `block` with rows [first_row, first_row + count) of a table of `kind`.
  void fillBlock(EventKind kind, int64_t first_row, uint32_t count, EventBlock& block) const;
  /// The kind of the event at position offset of its epoch: 0 person, 1 auction, 2 bid.
  int32_t typeOf(int32_t offset) const {
    return offset < config_.person_proportion ? 0 : offset < person_auction_ ? 1 : 2;
  }

  /// Event time of event n, in microseconds (at millisecond precision).
  int64_t timestampMicros(int64_t event) const;

  /// Writes field `field` of the events at positions `sel[0..count)` (all `block.count` when
  /// `sel` is null) of `block`, which must all be persons / auctions / bids, into `out` (a
  /// flat vector of the field's type) at the same positions.
  void fillPerson(int field, const EventBlock& block, const uint32_t* sel, uint32_t count, Vector& out) const;
  void fillAuction(int field, const EventBlock& block, const uint32_t* sel, uint32_t count, Vector& out) const;
  void fillBid(int field, const EventBlock& block, const uint32_t* sel, uint32_t count, Vector& out) const;

  /// 10^(6u) * 100 rounded, u uniform in [0, 1) from `random`: Nexmark's price (cents),
  /// log-uniform over [100, 10^8].
  static int64_t price(uint64_t random);

 private:
  int64_t lastPersonId(int64_t epoch, int32_t offset) const;
  int64_t lastAuctionId(int64_t epoch, int32_t offset) const;
  int64_t randomPersonId(int64_t last_person, uint64_t random32) const;
  int64_t extraLength(uint64_t random, int64_t current_size, int64_t average_size) const;
  template <class F>
  void forBidRuns(const EventBlock& block, F&& run) const;
  void fillBidRuns(int field, const EventBlock& block, Vector& out) const;

  NexmarkConfig config_;
  int64_t total_;
  int64_t person_auction_;
  double inter_event_delay_us_;
  int64_t events_for_auctions_;
  uint64_t keys_[32];
};

}  // namespace caudal::sql::nexmark
