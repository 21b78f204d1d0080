#include "sql/connector/nexmark_source.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "sql/connector/generator_random.h"
#include "sql/connector/nexmark_generator.h"

namespace caudal::sql {
namespace {

constexpr int64_t kNexmarkBaseTimeMs = 1700000000000;  // 2023-11-14 22:13:20 UTC

TableOptions baseOptions(TableOptions extra = {}) {
  TableOptions options{{"connector", "nexmark"}, {"base-time", std::to_string(kNexmarkBaseTimeMs)}};
  for (auto& [key, value] : extra) options[key] = value;
  return options;
}

std::unique_ptr<TableSource> makeSource(const TableOptions& options, const std::string& kind = "") {
  ConnectorContext context;
  context.table_name = "nexmark";
  auto source = createNexmarkSource(options, nexmarkSchema(kind), context);
  EXPECT_TRUE(source.isOk()) << source.status().message();
  return std::move(source.value());
}

std::string nexmarkErrorOf(const TableOptions& options, const Schema& schema) {
  ConnectorContext context;
  context.table_name = "bids";
  auto source = createNexmarkSource(options, schema, context);
  if (source.isOk()) return "";
  return source.status().message();
}

// Every row of [start, end), read with all tasks, as values.
std::vector<std::vector<Value>> readAllEvents(TableSource& source, int64_t start, int64_t end) {
  std::vector<std::vector<Value>> rows;
  const SourceOffset from{{start}};
  const SourceOffset to{{end}};
  const size_t tasks = source.taskCount(from, to);
  for (size_t task = 0; task < tasks; ++task) {
    Status status = source.read(from, to, task, [&](DataChunk& chunk) {
      EXPECT_LE(chunk.size(), kVectorSize);
      for (uint32_t i = 0; i < chunk.size(); ++i) rows.push_back(chunk.rowAt(i));
      return Status::ok();
    });
    EXPECT_TRUE(status.isOk()) << status.message();
  }
  return rows;
}

TEST(NexmarkSourceTest, RejectsBadOptionsNamingThem) {
  const Schema bid = nexmarkSchema("bid");
  EXPECT_EQ(nexmarkErrorOf({{"first-event.rate", "abc"}, {"event.kind", "bid"}}, bid),
            "table 'bids': option 'first-event.rate' must be an integer in [1, 2147483647], got 'abc'");
  EXPECT_EQ(nexmarkErrorOf({{"first-event.rate", "0"}, {"event.kind", "bid"}}, bid),
            "table 'bids': option 'first-event.rate' must be an integer in [1, 2147483647], got '0'");
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bids"}}, bid),
            "table 'bids': option 'event.kind' must be one of 'all', 'person', 'auction', 'bid', got 'bids'");
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}, {"bid.avg-size", "1 gb"}}, bid),
            "table 'bids': option 'bid.avg-size' must be a size in bytes in [0, 65536] such as '200b' or '1kb', "
            "got '1 gb'");
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}, {"rate.limited", "yes"}}, bid),
            "table 'bids': option 'rate.limited' must be true or false, got 'yes'");
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}, {"bid.proportion", "0"}}, bid),
            "table 'bids': option 'bid.proportion' must be at least 1 when 'event.kind' is 'bid'");
  EXPECT_EQ(nexmarkErrorOf({{"person.proportion", "0"}, {"auction.proportion", "0"}, {"bid.proportion", "0"}},
                    nexmarkSchema("")),
            "table 'bids': options 'person.proportion', 'auction.proportion' and 'bid.proportion' must not all be 0");
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}, {"base-time", "yesterday"}}, bid),
            "table 'bids': option 'base-time' must be milliseconds since the epoch or a timestamp "
            "'YYYY-MM-DD HH:MM:SS[.fff]', got 'yesterday'");
  const std::string unknown = nexmarkErrorOf({{"event.kind", "bid"}, {"bid.proportoin", "3"}}, bid);
  const std::string expected_start =
      "table 'bids': unknown option 'bid.proportoin' for connector 'nexmark'; known options: "
      "auction.avg-size, auction.hot-ratio.sellers, auction.proportion, base-time, bid.avg-size, ";
  EXPECT_EQ(unknown.substr(0, expected_start.size()), expected_start);
  EXPECT_NE(unknown.find(", bid.proportion, "), std::string::npos) << unknown;
}

TEST(NexmarkSourceTest, RejectsASchemaThatIsNotNexmarks) {
  Schema wrong{{{"auction", DataType::bigInt()}, {"price", DataType::integer()}}};
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}}, wrong),
            "table 'bids': a nexmark table with 'event.kind' = 'bid' has the columns (auction BIGINT, bidder "
            "BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3), extra STRING), not "
            "(auction BIGINT, price INT)");
  // Names are case-insensitive, strings of any length and timestamps of any precision fit.
  Schema relaxed = nexmarkSchema("bid");
  relaxed.columns[0].name = "AUCTION";
  relaxed.columns[3].type = DataType::varchar(100);
  relaxed.columns[5].type = DataType::timestamp(6);
  EXPECT_EQ(nexmarkErrorOf({{"event.kind", "bid"}}, relaxed), "");
  EXPECT_EQ(nexmarkErrorOf({}, nexmarkSchema("")), "");
}

TEST(NexmarkSourceTest, EventMixFollowsTheProportionsExactly) {
  auto source = makeSource(baseOptions({{"events.num", "50000"}}));
  EXPECT_TRUE(source->bounded());
  std::map<int64_t, int64_t> per_type;
  int64_t person_id = 1000;
  int64_t auction_id = 1000;
  const auto rows = readAllEvents(*source, 0, 50000);
  ASSERT_EQ(rows.size(), 50000u);
  for (size_t n = 0; n < rows.size(); ++n) {
    const auto& row = rows[n];
    const int64_t type = row[0].intValue();
    ++per_type[type];
    // Event n of each cycle of 50: 1 person, then 3 auctions, then 46 bids.
    const int64_t slot = static_cast<int64_t>(n % 50);
    EXPECT_EQ(type, slot < 1 ? 0 : slot < 4 ? 1 : 2);
    EXPECT_EQ(row[1].isNull(), type != 0);
    EXPECT_EQ(row[2].isNull(), type != 1);
    EXPECT_EQ(row[3].isNull(), type != 2);
    if (type == 0) {
      EXPECT_EQ(row[1].children()[0].intValue(), person_id++);
    }
    if (type == 1) {
      EXPECT_EQ(row[2].children()[0].intValue(), auction_id++);
    }
    if (type == 2) {
      // A bid refers to an auction created already (or one of the next 10) and to a person
      // created already (or one of the next 10).
      const int64_t auction = row[3].children()[0].intValue();
      const int64_t bidder = row[3].children()[1].intValue();
      EXPECT_GE(auction, 1000);
      EXPECT_LE(auction, auction_id - 1 + 10);
      EXPECT_GE(bidder, 1000);
      EXPECT_LE(bidder, person_id - 1 + 10);
    }
  }
  EXPECT_EQ(per_type[0], 1000);
  EXPECT_EQ(per_type[1], 3000);
  EXPECT_EQ(per_type[2], 46000);
}

TEST(NexmarkSourceTest, SameRangeGivesTheSameRowsHoweverItIsSplit) {
  auto one_task = makeSource(baseOptions({{"parallelism", "1"}, {"seed", "7"}}));
  auto four_tasks = makeSource(baseOptions({{"parallelism", "4"}, {"seed", "7"}}));
  const auto whole = readAllEvents(*one_task, 0, 40000);
  EXPECT_EQ(four_tasks->taskCount(SourceOffset{{0}}, SourceOffset{{40000}}), 3u);
  EXPECT_EQ(readAllEvents(*four_tasks, 0, 40000), whole);
  auto pieces = readAllEvents(*four_tasks, 0, 12345);
  const auto rest = readAllEvents(*one_task, 12345, 40000);
  pieces.insert(pieces.end(), rest.begin(), rest.end());
  EXPECT_EQ(pieces, whole);
  EXPECT_EQ(readAllEvents(*one_task, 0, 40000), whole);
  // Another seed, other values.
  auto other_seed = makeSource(baseOptions({{"seed", "8"}}));
  EXPECT_NE(readAllEvents(*other_seed, 0, 40000), whole);
}

TEST(NexmarkSourceTest, OneKindTableIsThatKindsEventsOfTheFullStream) {
  auto all = makeSource(baseOptions({{"seed", "3"}}));
  const auto events = readAllEvents(*all, 0, 5000);
  std::vector<std::vector<Value>> bids, persons, auctions;
  for (const auto& row : events) {
    const int64_t type = row[0].intValue();
    auto& target = type == 0 ? persons : type == 1 ? auctions : bids;
    target.push_back(row[static_cast<size_t>(type) + 1].children());
  }
  auto bid_source = makeSource(baseOptions({{"seed", "3"}, {"event.kind", "bid"}}), "bid");
  EXPECT_EQ(readAllEvents(*bid_source, 0, static_cast<int64_t>(bids.size())), bids);
  auto person_source = makeSource(baseOptions({{"seed", "3"}, {"event.kind", "person"}}), "person");
  EXPECT_EQ(readAllEvents(*person_source, 0, static_cast<int64_t>(persons.size())), persons);
  auto auction_source = makeSource(baseOptions({{"seed", "3"}, {"event.kind", "auction"}}), "auction");
  EXPECT_EQ(readAllEvents(*auction_source, 0, static_cast<int64_t>(auctions.size())), auctions);
}

TEST(NexmarkSourceTest, EventTimeAdvancesAtTheFirstEventRate) {
  // 4000 events/s: one event every 250 us, so event n is at base + floor(n / 4) ms.
  auto source = makeSource(baseOptions({{"first-event.rate", "4000"}}));
  const auto rows = readAllEvents(*source, 0, 3000);
  for (size_t n = 0; n < rows.size(); ++n) {
    const int64_t type = rows[n][0].intValue();
    const int64_t micros = rows[n][static_cast<size_t>(type) + 1].children()[type == 0 ? 6 : type == 1 ? 5 : 5].intValue();
    ASSERT_EQ(micros, (kNexmarkBaseTimeMs + static_cast<int64_t>(n) / 4) * 1000) << n;
  }
  // In a bid table, bid j is event (j / 46) * 50 + 4 + j % 46.
  auto bids = makeSource(baseOptions({{"first-event.rate", "1000"}, {"event.kind", "bid"}}), "bid");
  const auto bid_rows = readAllEvents(*bids, 0, 100);
  for (int64_t j = 0; j < 100; ++j) {
    EXPECT_EQ(bid_rows[static_cast<size_t>(j)][5].intValue(), (kNexmarkBaseTimeMs + j / 46 * 50 + 4 + j % 46) * 1000);
  }
  // A timestamp text works as base time too.
  auto text = makeSource(baseOptions({{"base-time", "2023-11-14 22:13:20"}, {"event.kind", "bid"}}), "bid");
  EXPECT_EQ(readAllEvents(*text, 0, 1)[0][5].intValue(), kNexmarkBaseTimeMs * 1000);
}

TEST(NexmarkSourceTest, BoundedTableEndsAtItsShareOfEventsNum) {
  auto bids = makeSource(baseOptions({{"events.num", "1010"}, {"event.kind", "bid"}, {"max-events-per-batch", "300"}}),
                         "bid");
  EXPECT_TRUE(bids->bounded());
  // 20 full cycles (920 bids) and 10 events of the next: 1 person, 3 auctions, 6 bids.
  std::vector<int64_t> ends;
  while (!bids->finished()) {
    auto offset = bids->latestOffset();
    ASSERT_TRUE(offset.isOk());
    ends.push_back(offset.value().positions[0]);
  }
  EXPECT_EQ(ends, (std::vector<int64_t>{300, 600, 900, 926}));
  auto unbounded = makeSource(baseOptions({{"event.kind", "bid"}}), "bid");
  EXPECT_FALSE(unbounded->bounded());
  EXPECT_EQ(unbounded->latestOffset().value().positions[0], 1048576);
  EXPECT_EQ(unbounded->latestOffset().value().positions[0], 2 * 1048576);
}

TEST(NexmarkSourceTest, ReadsOnlyTheRequiredColumns) {
  auto source = makeSource(baseOptions());
  source->requireColumns({{0}, {3, 2}});
  const SourceOffset from{{0}}, to{{100}};
  Status status = source->read(from, to, 0, [&](DataChunk& chunk) {
    EXPECT_EQ(chunk.columnCount(), 4u);
    EXPECT_FALSE(chunk.column(0).isConstant());
    EXPECT_TRUE(chunk.column(1).isConstant());
    EXPECT_TRUE(chunk.column(1).isNull(0));
    EXPECT_TRUE(chunk.column(2).isConstant());
    const Vector& bid = chunk.column(3);
    EXPECT_FALSE(bid.isConstant());
    for (size_t f = 0; f < bid.children().size(); ++f) EXPECT_EQ(bid.children()[f].isConstant(), f != 2) << f;
    for (uint32_t i = 0; i < chunk.size(); ++i) {
      const bool is_bid = chunk.column(0).values<int32_t>()[i] == 2;
      EXPECT_EQ(bid.isNull(i), !is_bid);
      EXPECT_EQ(bid.children()[2].isNull(i), !is_bid);
    }
    return Status::ok();
  });
  EXPECT_TRUE(status.isOk());

  auto bids = makeSource(baseOptions({{"event.kind", "bid"}}), "bid");
  bids->requireColumns({{0}, {2}});
  status = bids->read(from, to, 0, [&](DataChunk& chunk) {
    for (size_t c = 0; c < chunk.columnCount(); ++c) EXPECT_EQ(chunk.column(c).isConstant(), c != 0 && c != 2) << c;
    return Status::ok();
  });
  EXPECT_TRUE(status.isOk());
}

TEST(NexmarkSourceTest, FieldsFollowTheNexmarkGeneratorsRules) {
  auto source = makeSource(baseOptions({{"seed", "11"}}));
  const auto rows = readAllEvents(*source, 0, 50000);
  const std::set<std::string> cities = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                                        "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
  const std::set<std::string> states = {"AZ", "CA", "ID", "OR", "WA", "WY"};
  const std::set<std::string> hot_channels = {"Google", "Facebook", "Baidu", "Apple"};
  int64_t bids = 0, hot_auction = 0, hot_channel = 0, bid_extra_bytes = 0, cheap = 0;
  std::map<std::string, std::set<std::string>> urls_of_channel;
  for (const auto& row : rows) {
    const int64_t type = row[0].intValue();
    if (type == 0) {
      const auto& p = row[1].children();
      EXPECT_EQ(cities.count(p[4].stringValue()), 1u) << p[4].stringValue();
      EXPECT_EQ(states.count(p[5].stringValue()), 1u);
      const std::string& card = p[3].stringValue();
      ASSERT_EQ(card.size(), 19u);
      for (size_t i = 0; i < card.size(); ++i) EXPECT_TRUE(i % 5 == 4 ? card[i] == ' ' : std::isdigit(card[i]));
      const std::string& email = p[2].stringValue();
      EXPECT_NE(email.find('@'), std::string::npos);
      EXPECT_EQ(email.substr(email.size() - 4), ".com");
      EXPECT_NE(p[1].stringValue().find(' '), std::string::npos);
    } else if (type == 1) {
      const auto& a = row[2].children();
      EXPECT_GE(a[4].intValue(), a[3].intValue() + 100);  // reserve = initial bid + a price
      EXPECT_GT(a[6].intValue(), a[5].intValue());        // expires after its creation
      EXPECT_GE(a[8].intValue(), 10);
      EXPECT_LE(a[8].intValue(), 14);
      EXPECT_GE(a[7].intValue(), 1000);
      EXPECT_LE(a[1].stringValue().size(), 19u);
      EXPECT_LE(a[2].stringValue().size(), 99u);
    } else {
      const auto& b = row[3].children();
      ++bids;
      // Hot auctions (half of the bids) are multiples of 100 (+1000).
      if (b[0].intValue() % 100 == 0) ++hot_auction;
      EXPECT_GE(b[2].intValue(), 100);
      EXPECT_LE(b[2].intValue(), 100000000);
      if (b[2].intValue() < 100000) ++cheap;
      if (hot_channels.count(b[3].stringValue()) != 0) ++hot_channel;
      urls_of_channel[b[3].stringValue()].insert(b[4].stringValue());
      const int64_t extra = static_cast<int64_t>(b[6].stringValue().size());
      // 100 bytes on average, 32 of them the numbers: 68 +- 14.
      EXPECT_GE(extra, 54);
      EXPECT_LT(extra, 82);
      bid_extra_bytes += extra;
    }
  }
  EXPECT_EQ(bids, 46000);
  EXPECT_NEAR(static_cast<double>(hot_auction) / bids, 0.5, 0.02);
  EXPECT_NEAR(static_cast<double>(hot_channel) / bids, 0.5, 0.02);
  // log-uniform over [10^2, 10^8]: half below 10^5.
  EXPECT_NEAR(static_cast<double>(cheap) / bids, 0.5, 0.02);
  EXPECT_NEAR(static_cast<double>(bid_extra_bytes) / bids, 67.5, 0.5);
  for (const auto& [channel, urls] : urls_of_channel) EXPECT_EQ(urls.size(), 1u) << channel;
}

TEST(NexmarkGeneratorTest, PriceMatchesPowWithinOneCent) {
  for (uint64_t i = 0; i < 200000; ++i) {
    const uint64_t random = generator::randomAt(12345, i);
    const double u = generator::unitDouble(random);
    const int64_t exact = static_cast<int64_t>(std::floor(std::pow(10.0, u * 6.0) * 100.0 + 0.5));
    ASSERT_LE(std::llabs(nexmark::NexmarkGenerator::price(random) - exact), 1) << u;
  }
  EXPECT_EQ(nexmark::NexmarkGenerator::price(0), 100);
}

}  // namespace
}  // namespace caudal::sql
