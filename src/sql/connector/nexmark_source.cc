#include "sql/connector/nexmark_source.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include "sql/connector/generator_options.h"
#include "sql/connector/generator_source.h"
#include "sql/connector/nexmark_generator.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

using nexmark::EventBlock;
using nexmark::EventKind;
using nexmark::NexmarkConfig;
using nexmark::NexmarkGenerator;

std::vector<Field> personFields() {
  return {{"id", DataType::bigInt()},          {"name", DataType::string()},
          {"emailAddress", DataType::string()}, {"creditCard", DataType::string()},
          {"city", DataType::string()},         {"state", DataType::string()},
          {"dateTime", DataType::timestamp(3)}, {"extra", DataType::string()}};
}

std::vector<Field> auctionFields() {
  return {{"id", DataType::bigInt()},          {"itemName", DataType::string()},
          {"description", DataType::string()}, {"initialBid", DataType::bigInt()},
          {"reserve", DataType::bigInt()},      {"dateTime", DataType::timestamp(3)},
          {"expires", DataType::timestamp(3)},  {"seller", DataType::bigInt()},
          {"category", DataType::bigInt()},     {"extra", DataType::string()}};
}

std::vector<Field> bidFields() {
  return {{"auction", DataType::bigInt()},     {"bidder", DataType::bigInt()},  {"price", DataType::bigInt()},
          {"channel", DataType::string()},      {"url", DataType::string()},     {"dateTime", DataType::timestamp(3)},
          {"extra", DataType::string()}};
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The declared type can hold the generated values: strings of any length, timestamps of any
// precision, ROWs field by field.
bool compatible(const DataType& actual, const DataType& expected) {
  switch (expected.id()) {
    case TypeId::kString: return actual.id() == TypeId::kString;
    case TypeId::kTimestamp: return actual.id() == TypeId::kTimestamp;
    case TypeId::kRow: {
      if (actual.id() != TypeId::kRow || actual.children().size() != expected.children().size()) return false;
      for (size_t i = 0; i < expected.children().size(); ++i) {
        if (!sameName(actual.children()[i].name, expected.children()[i].name) ||
            !compatible(actual.children()[i].type, expected.children()[i].type)) {
          return false;
        }
      }
      return true;
    }
    default: return actual.sameAs(expected);
  }
}

// Rows of a chunk by event type, with validity bitmaps (bit set = row of that type).
struct TypeSplit {
  std::array<std::vector<uint32_t>, 3> rows;
  std::array<std::array<uint64_t, kVectorSize / 64>, 3> bits;
};

class NexmarkSource final : public generator::GeneratorSource {
 public:
  NexmarkSource(const NexmarkConfig& config, EventKind kind, Schema schema, int64_t total_rows, double rate,
                int64_t max_per_batch, size_t parallelism, std::string table_name)
      : GeneratorSource("nexmark", std::move(table_name), std::move(schema), total_rows, rate, max_per_batch,
                        parallelism),
        generator_(config),
        kind_(kind) {}

  Status read(const SourceOffset& start, const SourceOffset& end, size_t task, const ChunkConsumer& emit) override {
    CAUDAL_ASSIGN_OR_RETURN(const auto slice, rowsOfTask(start, end, task));
    const auto [first, last] = slice;
    auto block = std::make_unique<EventBlock>();
    auto split = std::make_unique<TypeSplit>();
    for (int64_t row = first; row < last; row += kVectorSize) {
      const uint32_t count = static_cast<uint32_t>(std::min<int64_t>(kVectorSize, last - row));
      generator_.fillBlock(kind_, row, count, *block);
      DataChunk chunk = kind_ == EventKind::kAll ? allEventsChunk(*block, *split) : oneKindChunk(*block);
      chunk.setSize(count);
      Status status = emit(chunk);
      if (!status.isOk()) return status;
      metrics().rows_read += count;
    }
    return Status::ok();
  }

 private:
  void fillField(EventKind kind, int field, const EventBlock& block, const uint32_t* sel, uint32_t count,
                 Vector& out) const {
    switch (kind) {
      case EventKind::kPerson: generator_.fillPerson(field, block, sel, count, out); break;
      case EventKind::kAuction: generator_.fillAuction(field, block, sel, count, out); break;
      case EventKind::kBid: generator_.fillBid(field, block, sel, count, out); break;
      case EventKind::kAll: break;
    }
  }

  DataChunk oneKindChunk(const EventBlock& block) const {
    DataChunk chunk;
    for (size_t c = 0; c < schema().size(); ++c) {
      const DataType& type = schema().columns[c].type;
      if (!columnNeeded(c)) {
        chunk.columns().push_back(Vector::constantNull(type));
        continue;
      }
      Vector column(type, kVectorSize);
      fillField(kind_, static_cast<int>(c), block, nullptr, block.count, column);
      chunk.columns().push_back(std::move(column));
    }
    return chunk;
  }

  DataChunk allEventsChunk(const EventBlock& block, TypeSplit& split) const {
    const uint32_t count = block.count;
    for (auto& rows : split.rows) rows.clear();
    for (auto& bits : split.bits) bits.fill(0);
    std::vector<int32_t> types(count);
    for (uint32_t i = 0; i < count; ++i) {
      const int32_t type = generator_.typeOf(block.offset[i]);
      types[i] = type;
      split.rows[type].push_back(i);
      split.bits[type][i >> 6] |= uint64_t{1} << (i & 63);
    }
    DataChunk chunk;
    // event_type
    if (columnNeeded(0)) {
      Vector column(schema().columns[0].type, kVectorSize);
      std::copy(types.begin(), types.end(), column.values<int32_t>());
      chunk.columns().push_back(std::move(column));
    } else {
      chunk.columns().push_back(Vector::constantNull(schema().columns[0].type));
    }
    static constexpr EventKind kKinds[3] = {EventKind::kPerson, EventKind::kAuction, EventKind::kBid};
    for (int type = 0; type < 3; ++type) {
      const size_t c = static_cast<size_t>(type) + 1;
      const DataType& row_type = schema().columns[c].type;
      if (!columnNeeded(c)) {
        chunk.columns().push_back(Vector::constantNull(row_type));
        continue;
      }
      // A ROW is NULL where the event is of another type, and so are its fields.
      Vector row(row_type, kVectorSize);
      const auto& bits = split.bits[type];
      std::copy(bits.begin(), bits.end(), row.validity().words(kVectorSize));
      const auto& rows = split.rows[type];
      for (size_t f = 0; f < row.children().size(); ++f) {
        Vector& child = row.children()[f];
        if (!fieldsNeeded(c)[f]) {
          child = Vector::constantNull(child.type());
          continue;
        }
        if (rows.size() != count) {
          if (child.type().id() == TypeId::kString) {
            std::fill_n(child.values<std::string_view>(), count, std::string_view());
          } else {
            std::fill_n(child.values<int64_t>(), count, int64_t{0});
          }
          std::copy(bits.begin(), bits.end(), child.validity().words(kVectorSize));
        }
        fillField(kKinds[type], static_cast<int>(f), block, rows.data(), static_cast<uint32_t>(rows.size()), child);
      }
      chunk.columns().push_back(std::move(row));
    }
    return chunk;
  }

  NexmarkGenerator generator_;
  EventKind kind_;
};

}  // namespace

Schema nexmarkSchema(std::string_view event_kind) {
  if (event_kind.empty() || event_kind == "all") {
    return Schema{{{"event_type", DataType::integer()},
                   {"person", DataType::row(personFields())},
                   {"auction", DataType::row(auctionFields())},
                   {"bid", DataType::row(bidFields())}}};
  }
  if (event_kind == "person") return Schema{personFields()};
  if (event_kind == "auction") return Schema{auctionFields()};
  if (event_kind == "bid") return Schema{bidFields()};
  return Schema{};
}

namespace {

// A nexmark table's options, read and checked: what creating the source and describing it
// both start from.
struct NexmarkSettings {
  NexmarkConfig config;
  EventKind kind = EventKind::kAll;
  int64_t total_rows = -1;  // the table's rows; -1: unbounded
  double rate = 0;          // rows per second; 0: as fast as asked
  int64_t max_per_batch = 0;
  int64_t parallelism = 0;
};

Result<NexmarkSettings> readNexmarkOptions(const TableOptions& options, const Schema& schema,
                                           const ConnectorContext& context) {
  generator::OptionReader reader(options, context.table_name, "nexmark");
  constexpr int64_t kIntMax = 2147483647;
  NexmarkSettings settings;
  NexmarkConfig& config = settings.config;
#define CAUDAL_READ_INT(target, key, fallback, min, max)              \
  do {                                                                 \
    auto value = reader.getInt(key, fallback, min, max);               \
    if (!value.isOk()) return value.status();                          \
    target = value.value();                                            \
  } while (false)
#define CAUDAL_READ_BYTES(target, key, fallback)                       \
  do {                                                                 \
    auto value = reader.getBytes(key, fallback, 0, 65536);             \
    if (!value.isOk()) return value.status();                          \
    target = value.value();                                            \
  } while (false)

  int64_t next_event_rate = 0;
  int64_t events_num = 0;
  int64_t seed = 0;
  int64_t parallelism = 4;
  int64_t max_per_batch = 1048576;
  CAUDAL_READ_INT(config.first_event_rate, "first-event.rate", 10000, 1, kIntMax);
  // Validated as Flink does, but the rate stays the first one (no rate shapes here).
  CAUDAL_READ_INT(next_event_rate, "next-event.rate", 10000, 1, kIntMax);
  (void)next_event_rate;
  CAUDAL_READ_INT(events_num, "events.num", 0, 0, INT64_MAX / 2);
  CAUDAL_READ_INT(config.person_proportion, "person.proportion", 1, 0, 1000000);
  CAUDAL_READ_INT(config.auction_proportion, "auction.proportion", 3, 0, 1000000);
  CAUDAL_READ_INT(config.bid_proportion, "bid.proportion", 46, 0, 1000000);
  CAUDAL_READ_BYTES(config.avg_person_bytes, "person.avg-size", 200);
  CAUDAL_READ_BYTES(config.avg_auction_bytes, "auction.avg-size", 500);
  CAUDAL_READ_BYTES(config.avg_bid_bytes, "bid.avg-size", 100);
  CAUDAL_READ_INT(config.hot_auction_ratio, "bid.hot-ratio.auctions", 2, 1, kIntMax);
  CAUDAL_READ_INT(config.hot_bidders_ratio, "bid.hot-ratio.bidders", 4, 1, kIntMax);
  CAUDAL_READ_INT(config.hot_sellers_ratio, "auction.hot-ratio.sellers", 4, 1, kIntMax);
  CAUDAL_READ_INT(config.num_in_flight_auctions, "num-in-flight-auctions", 100, 1, kIntMax);
  CAUDAL_READ_INT(config.num_active_people, "num-active-people", 1000, 1, kIntMax);
  CAUDAL_READ_INT(seed, "seed", 0, INT64_MIN, INT64_MAX);
  CAUDAL_READ_INT(parallelism, "parallelism", 4, 1, 1024);
  CAUDAL_READ_INT(max_per_batch, "max-events-per-batch", 1048576, 1, INT64_MAX / 2);
#undef CAUDAL_READ_INT
#undef CAUDAL_READ_BYTES
  config.seed = static_cast<uint64_t>(seed);
  auto rate_limited = reader.getBool("rate.limited", false);
  if (!rate_limited.isOk()) return rate_limited.status();
  // Flink Nexmark options with no effect here (a constant rate, no keep-alive).
  for (const char* key : {"rate.shape", "rate.period", "keep-alive", "stop-at", "max-emit-speed"}) {
    reader.markKnown(key);
  }

  const std::string kind_text = reader.getString("event.kind", "all");
  EventKind& kind = settings.kind;
  if (kind_text == "person") kind = EventKind::kPerson;
  else if (kind_text == "auction") kind = EventKind::kAuction;
  else if (kind_text == "bid") kind = EventKind::kBid;
  else if (kind_text != "all") return reader.invalid("event.kind", "one of 'all', 'person', 'auction', 'bid'");

  reader.markKnown("base-time");
  if (reader.has("base-time")) {
    const std::string text = reader.getString("base-time", "");
    int64_t millis = 0;
    auto as_int = reader.getInt("base-time", 0, INT64_MIN / 1000000, INT64_MAX / 1000000);
    if (as_int.isOk()) {
      millis = as_int.value();
    } else if (auto micros = parseTimestamp(text)) {
      millis = floorDiv(*micros, kMicrosPerMilli);
    } else {
      return reader.invalid("base-time", "milliseconds since the epoch or a timestamp 'YYYY-MM-DD HH:MM:SS[.fff]'");
    }
    config.base_time_ms = millis;
  } else {
    config.base_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  }
  Status unknown = reader.checkUnknown();
  if (!unknown.isOk()) return unknown;

  const int64_t total = config.person_proportion + config.auction_proportion + config.bid_proportion;
  if (total == 0) {
    return reader.error("options 'person.proportion', 'auction.proportion' and 'bid.proportion' must not all be 0");
  }
  const int64_t kind_proportion = kind == EventKind::kPerson    ? config.person_proportion
                                  : kind == EventKind::kAuction ? config.auction_proportion
                                  : kind == EventKind::kBid     ? config.bid_proportion
                                                                : total;
  if (kind_proportion == 0) {
    return reader.error(std::string("option '").append(kind_text).append(".proportion' must be at least 1 when 'event.kind' is '")
                            .append(kind_text).append("'"));
  }

  const Schema expected = nexmarkSchema(kind_text);
  bool matches = expected.size() == schema.size();
  for (size_t i = 0; matches && i < schema.size(); ++i) {
    matches = sameName(schema.columns[i].name, expected.columns[i].name) &&
              compatible(schema.columns[i].type, expected.columns[i].type);
  }
  if (!matches) {
    return reader.error(std::string("a nexmark table with 'event.kind' = '").append(kind_text)
                            .append("' has the columns (").append(expected.toString()).append("), not (")
                            .append(schema.toString()).append(")"));
  }

  NexmarkGenerator sizing(config);
  settings.total_rows = events_num > 0 ? sizing.rowsWithin(kind, events_num) : -1;
  settings.rate = rate_limited.value() ? static_cast<double>(config.first_event_rate) *
                                             static_cast<double>(kind_proportion) / static_cast<double>(total)
                                       : 0.0;
  settings.max_per_batch = max_per_batch;
  settings.parallelism = parallelism;
  return settings;
}

}  // namespace

Result<std::unique_ptr<TableSource>> createNexmarkSource(const TableOptions& options, const Schema& schema,
                                                         const ConnectorContext& context) {
  CAUDAL_ASSIGN_OR_RETURN(NexmarkSettings settings, readNexmarkOptions(options, schema, context));
  return std::unique_ptr<TableSource>(std::make_unique<NexmarkSource>(
      settings.config, settings.kind, schema, settings.total_rows, settings.rate, settings.max_per_batch,
      static_cast<size_t>(settings.parallelism), context.table_name));
}

Result<SourceStatistics> describeNexmarkSource(const TableOptions& options, const Schema& schema,
                                               const ConnectorContext& context) {
  CAUDAL_ASSIGN_OR_RETURN(NexmarkSettings settings, readNexmarkOptions(options, schema, context));
  return SourceStatistics::ofRowCount(settings.total_rows);
}

}  // namespace caudal::sql
