#include "sql/connector/datagen_source.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sql/connector/generator_options.h"
#include "sql/connector/generator_source.h"
#include "sql/connector/generator_random.h"
#include "sql/types/decimal.h"
#include "sql/types/temporal.h"

namespace caudal::sql {

namespace {

using generator::below;
using generator::randomAt;

constexpr size_t kPoolSize = size_t{1} << 18;
constexpr int64_t kMaxLength = 65536;
static_assert(kPoolSize > 2 * kMaxLength);
constexpr int64_t kDefaultStringLength = 100;
constexpr int64_t kDefaultCollectionLength = 3;

// Hexadecimal characters and random bytes that string values are views of.
struct Pools {
  std::string hex;
  std::string bytes;
  Pools() {
    const uint64_t key = generator::streamKey(0x64617461676e, 1);
    hex.resize(kPoolSize);
    bytes.resize(kPoolSize);
    for (size_t i = 0; i < kPoolSize; ++i) {
      const uint64_t r = randomAt(key, i);
      hex[i] = "0123456789abcdef"[r & 15];
      bytes[i] = static_cast<char>((r >> 8) & 0xff);
    }
  }
};

const Pools& pools() {
  static const Pools instance;
  return instance;
}

// How one field (a column, a ROW field, an ARRAY element, a MAP key or value) is generated.
struct FieldSpec {
  std::string path;  // as in the option keys: "id", "r.a", "tags.element"
  DataType type;
  bool sequence = false;
  double null_rate = 0;
  int64_t min = 0, max = 0;  // integers, DECIMAL unscaled, intervals
  __int128 wide_min = 0, wide_max = 0;  // DECIMAL(p > 18) unscaled
  double dmin = 0, dmax = 0;  // FLOAT, DOUBLE
  int64_t length = 0;         // strings: characters; ARRAY/MAP: entries
  bool var_len = false;
  int64_t max_past_ms = 0;
  int64_t start = 0, end = 0;  // sequence
  uint64_t key = 0;
  uint64_t null_key = 0;
  std::vector<FieldSpec> children;
};

std::pair<int64_t, int64_t> integerRange(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return {INT8_MIN, INT8_MAX};
    case TypeId::kSmallInt: return {INT16_MIN, INT16_MAX};
    case TypeId::kInt: return {INT32_MIN, INT32_MAX};
    case TypeId::kIntervalYearMonth: return {0, 1200};
    case TypeId::kIntervalDayTime: return {0, 365 * kMillisPerDay};
    default: return {INT64_MIN, INT64_MAX};
  }
}

std::string typeName(const DataType& type) { return type.withNullable(true).toString(); }

// Reads the options of `spec` (prefix "fields.<path>.") for its type, recursively.
Status readSpec(generator::OptionReader& reader, FieldSpec& spec, uint64_t seed, bool in_collection) {
  const std::string prefix = std::string("fields.").append(spec.path).append(".");
  const TypeId id = spec.type.id();
  spec.key = generator::streamKey(seed, generator::nameHash(spec.path.data(), spec.path.size()));
  spec.null_key = generator::streamKey(seed ^ 0x6e756c6c, generator::nameHash(spec.path.data(), spec.path.size()));
  auto null_rate = reader.getDouble(prefix + "null-rate", 0, 0, 1);
  if (!null_rate.isOk()) return null_rate.status();
  spec.null_rate = null_rate.value();

  const bool numeric = spec.type.isInteger() || spec.type.isDecimal() || id == TypeId::kFloat ||
                       id == TypeId::kDouble || id == TypeId::kIntervalDayTime || id == TypeId::kIntervalYearMonth;
  const bool sequenceable = numeric || id == TypeId::kString;
  const std::string kind = reader.getString(prefix + "kind", "random");
  if (kind == "sequence") {
    if (!sequenceable || in_collection || spec.type.isNested()) {
      return reader.invalid(prefix + "kind",
                            std::string("'random' for ").append(in_collection ? "an element of an ARRAY or MAP"
                                                                              : "a " + typeName(spec.type) + " field"));
    }
    spec.sequence = true;
  } else if (kind != "random") {
    return reader.invalid(prefix + "kind", "'random' or 'sequence'");
  }

  if (spec.sequence) {
    for (const char* bound : {"start", "end"}) {
      if (!reader.has(prefix + bound)) {
        return reader.error(std::string("option '").append(prefix).append(bound)
                                .append("' is required for a sequence"));
      }
    }
    auto start = reader.getInt(prefix + "start", 0, INT64_MIN / 2, INT64_MAX / 2);
    if (!start.isOk()) return start.status();
    auto end = reader.getInt(prefix + "end", 0, INT64_MIN / 2, INT64_MAX / 2);
    if (!end.isOk()) return end.status();
    if (end.value() < start.value()) {
      return reader.error(std::string("option '").append(prefix).append("end' must not be below '").append(prefix)
                              .append("start'"));
    }
    spec.start = start.value();
    spec.end = end.value();
    if (spec.type.isInteger()) {
      const auto [lo, hi] = integerRange(id);
      if (spec.start < lo || spec.end > hi) {
        return reader.error(std::string("the sequence of '").append(prefix).append("start' and '").append(prefix)
                                .append("end' does not fit in ").append(typeName(spec.type)));
      }
    }
    return Status::ok();
  }

  switch (id) {
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth: {
      const auto [lo, hi] = integerRange(id);
      auto min = reader.getInt(prefix + "min", lo, lo, hi);
      if (!min.isOk()) return min.status();
      auto max = reader.getInt(prefix + "max", hi, lo, hi);
      if (!max.isOk()) return max.status();
      spec.min = min.value();
      spec.max = max.value();
      break;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      // Flink's defaults: from the smallest positive value to the largest.
      const bool is_float = id == TypeId::kFloat;
      const double lo = is_float ? std::numeric_limits<float>::min() : std::numeric_limits<double>::min();
      const double hi = is_float ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
      auto min = reader.getDouble(prefix + "min", lo, -hi, hi);
      if (!min.isOk()) return min.status();
      auto max = reader.getDouble(prefix + "max", hi, -hi, hi);
      if (!max.isOk()) return max.status();
      spec.dmin = min.value();
      spec.dmax = max.value();
      if (std::isinf(spec.dmax - spec.dmin)) {
        return reader.error(std::string("options '").append(prefix).append("min' and '").append(prefix)
                                .append("max' span more than a ").append(typeName(spec.type)) + " holds");
      }
      if (spec.dmax < spec.dmin) {
        return reader.error(std::string("option '").append(prefix).append("max' must not be below '").append(prefix)
                                .append("min'"));
      }
      return Status::ok();
    }
    case TypeId::kDecimal: {
      const int64_t limit = powerOfTen(spec.type.precision()) - 1;
      spec.min = -limit;
      spec.max = limit;
      for (const char* bound : {"min", "max"}) {
        const std::string key = prefix + bound;
        const std::string text = reader.getString(key, "");
        if (!reader.has(key)) continue;
        auto unscaled = parseDecimal(text, spec.type.precision(), spec.type.scale());
        if (!unscaled) return reader.invalid(key, "a number that fits in " + typeName(spec.type));
        (bound[1] == 'i' ? spec.min : spec.max) = *unscaled;
      }
      break;
    }
    case TypeId::kDecimal128: {
      const __int128 limit = powerOfTen128(spec.type.precision()) - 1;
      spec.wide_min = -limit;
      spec.wide_max = limit;
      for (const char* bound : {"min", "max"}) {
        const std::string key = prefix + bound;
        const std::string text = reader.getString(key, "");
        if (!reader.has(key)) continue;
        auto unscaled = parseDecimal128(text, spec.type.precision(), spec.type.scale());
        if (!unscaled) return reader.invalid(key, "a number that fits in " + typeName(spec.type));
        (bound[1] == 'i' ? spec.wide_min : spec.wide_max) = *unscaled;
      }
      if (spec.wide_max < spec.wide_min) {
        return reader.error(std::string("option '").append(prefix).append("max' must not be below '").append(prefix)
                                .append("min'"));
      }
      break;
    }
    case TypeId::kString:
    case TypeId::kBytes: {
      const bool bounded_length = id == TypeId::kString && spec.type.precision() < DataType::kMaxLength;
      const int64_t declared = bounded_length ? spec.type.precision() : kMaxLength;
      const int64_t fallback = std::min(declared, kDefaultStringLength);
      auto length = reader.getInt(prefix + "length", spec.type.isFixedChar() ? declared : fallback, 1, kMaxLength);
      if (!length.isOk()) return length.status();
      if (length.value() > declared) {
        return reader.invalid(prefix + "length", std::string("at most ").append(std::to_string(declared))
                                                     .append(", the length of ").append(typeName(spec.type)));
      }
      spec.length = length.value();
      auto var_len = reader.getBool(prefix + "var-len", false);
      if (!var_len.isOk()) return var_len.status();
      spec.var_len = var_len.value() && !spec.type.isFixedChar();
      return Status::ok();
    }
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      auto max_past = reader.getDurationMillis(prefix + "max-past", 0);
      if (!max_past.isOk()) return max_past.status();
      spec.max_past_ms = max_past.value();
      return Status::ok();
    }
    case TypeId::kRow:
      for (const Field& field : spec.type.children()) {
        FieldSpec child;
        child.path = std::string(spec.path).append(".").append(field.name);
        child.type = field.type;
        Status status = readSpec(reader, child, seed, in_collection);
        if (!status.isOk()) return status;
        spec.children.push_back(std::move(child));
      }
      return Status::ok();
    case TypeId::kArray:
    case TypeId::kMap: {
      auto length = reader.getInt(prefix + "length", kDefaultCollectionLength, 0, 1000);
      if (!length.isOk()) return length.status();
      spec.length = length.value();
      std::vector<std::pair<std::string, DataType>> parts;
      if (id == TypeId::kArray) {
        parts.emplace_back("element", spec.type.elementType());
      } else {
        parts.emplace_back("key", spec.type.keyType());
        parts.emplace_back("value", spec.type.valueType());
      }
      for (auto& [name, type] : parts) {
        FieldSpec child;
        child.path = std::string(spec.path).append(".").append(name);
        child.type = type;
        Status status = readSpec(reader, child, seed, true);
        if (!status.isOk()) return status;
        spec.children.push_back(std::move(child));
      }
      return Status::ok();
    }
    default: return Status::ok();  // BOOLEAN, TIME: no options
  }
  if (spec.max < spec.min) {
    return reader.error(std::string("option '").append(prefix).append("max' must not be below '").append(prefix)
                            .append("min'"));
  }
  return Status::ok();
}

// Rows of the table up to the end of the shortest sequence (-1: no sequence).
int64_t sequenceRows(const FieldSpec& spec) {
  int64_t rows = spec.sequence ? spec.end - spec.start + 1 : -1;
  for (const FieldSpec& child : spec.children) {
    const int64_t child_rows = sequenceRows(child);
    if (child_rows >= 0) rows = rows < 0 ? child_rows : std::min(rows, child_rows);
  }
  return rows;
}

template <class T, class F>
void fillValues(Vector& out, uint32_t offset, uint32_t count, F&& value_at) {
  T* values = out.values<T>() + offset;
  for (uint32_t i = 0; i < count; ++i) values[i] = value_at(i);
}

// Marks `row` of `vector` NULL, and the fields of a ROW with it.
void setNullDeep(Vector& vector, uint32_t row) {
  vector.setNull(row);
  if (vector.type().id() == TypeId::kRow) {
    for (Vector& child : vector.children()) {
      if (!child.isConstant()) setNullDeep(child, row);
    }
  }
}

class DatagenSource final : public generator::GeneratorSource {
 public:
  DatagenSource(Schema schema, std::vector<FieldSpec> specs, int64_t total_rows, double rate, int64_t max_per_batch,
                size_t parallelism, int64_t now_micros, std::string table_name)
      : GeneratorSource("datagen", std::move(table_name), std::move(schema), total_rows, rate, max_per_batch,
                        parallelism),
        specs_(std::move(specs)),
        now_micros_(now_micros) {
    (void)pools();
  }

  Status read(const SourceOffset& start, const SourceOffset& end, size_t task, const ChunkConsumer& emit) override {
    CAUDAL_ASSIGN_OR_RETURN(const auto slice, rowsOfTask(start, end, task));
    const auto [first, last] = slice;
    for (int64_t row = first; row < last; row += kVectorSize) {
      const uint32_t count = static_cast<uint32_t>(std::min<int64_t>(kVectorSize, last - row));
      DataChunk chunk;
      for (size_t c = 0; c < schema().size(); ++c) {
        const DataType& type = schema().columns[c].type;
        if (!columnNeeded(c)) {
          chunk.columns().push_back(Vector::constantNull(type));
          continue;
        }
        Vector column(type, kVectorSize);
        fill(specs_[c], row, count, column, 0, &fieldsNeeded(c));
        chunk.columns().push_back(std::move(column));
      }
      chunk.setSize(count);
      Status status = emit(chunk);
      if (!status.isOk()) return status;
      metrics().rows_read += count;
    }
    return Status::ok();
  }

 private:
  // Writes rows [first_row, first_row + count) of `spec` at out[offset, offset + count).
  // `fields`, for a top-level ROW, says which of its fields to fill.
  void fill(const FieldSpec& spec, int64_t first_row, uint32_t count, Vector& out, uint32_t offset,
            const std::vector<bool>* fields = nullptr) const {
    const uint64_t key = spec.key;
    auto random = [&](uint32_t i) { return randomAt(key, static_cast<uint64_t>(first_row + i)); };
    switch (spec.type.id()) {
      case TypeId::kBoolean:
        fillValues<uint8_t>(out, offset, count, [&](uint32_t i) { return static_cast<uint8_t>(random(i) >> 63); });
        break;
      case TypeId::kTinyInt: fillIntegers<int8_t>(spec, first_row, count, out, offset); break;
      case TypeId::kSmallInt: fillIntegers<int16_t>(spec, first_row, count, out, offset); break;
      case TypeId::kInt:
      case TypeId::kIntervalYearMonth: fillIntegers<int32_t>(spec, first_row, count, out, offset); break;
      case TypeId::kBigInt:
      case TypeId::kDecimal:
      case TypeId::kIntervalDayTime: fillIntegers<int64_t>(spec, first_row, count, out, offset); break;
      case TypeId::kDecimal128:
        if (spec.sequence) {
          const int64_t base = spec.start + first_row;
          fillValues<__int128>(out, offset, count, [&](uint32_t i) { return static_cast<__int128>(base + i); });
        } else {
          // 128 random bits from two streams, reduced modulo the span: its bias (values low in
          // a span near 2^128 come up to twice as often) does not matter for test data.
          // In unsigned arithmetic: the span of DECIMAL(38) is about 2 * 10^38, past __int128.
          const unsigned __int128 span =
              static_cast<unsigned __int128>(spec.wide_max) - static_cast<unsigned __int128>(spec.wide_min) + 1;
          const uint64_t high_key = key ^ 0x5d588b656c078965ULL;
          fillValues<__int128>(out, offset, count, [&](uint32_t i) {
            const auto row = static_cast<uint64_t>(first_row + i);
            const unsigned __int128 bits =
                (static_cast<unsigned __int128>(randomAt(high_key, row)) << 64) | random(i);
            return static_cast<__int128>(static_cast<unsigned __int128>(spec.wide_min) + bits % span);
          });
        }
        break;
      case TypeId::kFloat:
        fillValues<float>(out, offset, count, [&](uint32_t i) {
          return static_cast<float>(spec.sequence ? static_cast<double>(spec.start + first_row + i)
                                                  : spec.dmin + generator::unitDouble(random(i)) * (spec.dmax - spec.dmin));
        });
        break;
      case TypeId::kDouble:
        fillValues<double>(out, offset, count, [&](uint32_t i) {
          return spec.sequence ? static_cast<double>(spec.start + first_row + i)
                               : spec.dmin + generator::unitDouble(random(i)) * (spec.dmax - spec.dmin);
        });
        break;
      case TypeId::kString:
      case TypeId::kBytes: {
        if (spec.sequence) {
          fillValues<std::string_view>(out, offset, count, [&](uint32_t i) {
            return out.addString(std::to_string(spec.start + first_row + i));
          });
          break;
        }
        const std::string& pool = spec.type.id() == TypeId::kString ? pools().hex : pools().bytes;
        const uint64_t length = static_cast<uint64_t>(spec.length);
        const bool var_len = spec.var_len;
        fillValues<std::string_view>(out, offset, count, [&](uint32_t i) {
          const uint64_t r = random(i);
          const uint64_t size = var_len ? 1 + generator::below32Low(r, length) : length;
          return std::string_view(pool.data() + generator::below32High(r, kPoolSize - length), size);
        });
        break;
      }
      case TypeId::kDate: {
        const int64_t today = floorDiv(now_micros_, kMicrosPerDay);
        const uint64_t days = static_cast<uint64_t>(spec.max_past_ms / kMillisPerDay) + 1;
        fillValues<int32_t>(out, offset, count,
                            [&](uint32_t i) { return static_cast<int32_t>(today - static_cast<int64_t>(below(random(i), days))); });
        break;
      }
      case TypeId::kTime: {
        const int32_t unit = spec.type.precision() >= 3 ? 1 : static_cast<int32_t>(powerOfTen(3 - spec.type.precision()));
        fillValues<int32_t>(out, offset, count, [&](uint32_t i) {
          const int32_t millis = static_cast<int32_t>(below(random(i), kMillisPerDay));
          return millis - millis % unit;
        });
        break;
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz: {
        // Milliseconds, as Flink generates them, truncated further for a lower precision.
        const int64_t precision = std::min(spec.type.precision(), 3);
        const int64_t unit = powerOfTen(static_cast<int>(6 - precision));
        const int64_t now_ms = floorDiv(now_micros_, kMicrosPerMilli);
        const uint64_t span = static_cast<uint64_t>(spec.max_past_ms) + 1;
        fillValues<int64_t>(out, offset, count, [&](uint32_t i) {
          const int64_t micros = (now_ms - static_cast<int64_t>(below(random(i), span))) * kMicrosPerMilli;
          return micros - floorMod(micros, unit);
        });
        break;
      }
      case TypeId::kRow:
        for (size_t f = 0; f < spec.children.size(); ++f) {
          Vector& child = out.children()[f];
          if (fields != nullptr && !(*fields)[f]) {
            child = Vector::constantNull(child.type());
            continue;
          }
          fill(spec.children[f], first_row, count, child, offset);
        }
        break;
      case TypeId::kArray:
      case TypeId::kMap: {
        // Row n's entries are the entries n * length .. n * length + length - 1.
        const uint32_t length = static_cast<uint32_t>(spec.length);
        const uint32_t first_entry = out.appendListElements(count * length);
        ListEntry* entries = out.values<ListEntry>() + offset;
        for (uint32_t i = 0; i < count; ++i) entries[i] = ListEntry{first_entry + i * length, length};
        Vector& child = out.children()[0];
        const int64_t entry_row = first_row * length;
        if (spec.type.id() == TypeId::kArray) {
          fill(spec.children[0], entry_row, count * length, child, first_entry);
        } else {
          fill(spec.children[0], entry_row, count * length, child.children()[0], first_entry);
          fill(spec.children[1], entry_row, count * length, child.children()[1], first_entry);
        }
        break;
      }
      default: break;
    }
    if (spec.null_rate > 0) {
      for (uint32_t i = 0; i < count; ++i) {
        if (generator::unitDouble(randomAt(spec.null_key, static_cast<uint64_t>(first_row + i))) < spec.null_rate) {
          setNullDeep(out, offset + i);
        }
      }
    }
  }

  template <class T>
  void fillIntegers(const FieldSpec& spec, int64_t first_row, uint32_t count, Vector& out, uint32_t offset) const {
    if (spec.sequence) {
      const int64_t base = spec.start + first_row;
      fillValues<T>(out, offset, count, [&](uint32_t i) { return static_cast<T>(base + i); });
      return;
    }
    const uint64_t span = static_cast<uint64_t>(spec.max) - static_cast<uint64_t>(spec.min) + 1;
    const uint64_t key = spec.key;
    const int64_t min = spec.min;
    if (span == 0) {  // the whole 64-bit range
      fillValues<T>(out, offset, count,
                    [&](uint32_t i) { return static_cast<T>(randomAt(key, static_cast<uint64_t>(first_row + i))); });
      return;
    }
    fillValues<T>(out, offset, count, [&](uint32_t i) {
      return static_cast<T>(static_cast<uint64_t>(min) + below(randomAt(key, static_cast<uint64_t>(first_row + i)), span));
    });
  }

  std::vector<FieldSpec> specs_;
  int64_t now_micros_;
};

}  // namespace

namespace {

// A datagen table's options, read and checked: what creating the source and describing it
// both start from.
struct DatagenSettings {
  std::vector<FieldSpec> specs;
  int64_t total_rows = -1;  // -1: unbounded
  int64_t rate = 0;
  int64_t max_per_batch = 0;
  int64_t parallelism = 0;
  int64_t now_micros = 0;
};

Result<DatagenSettings> readDatagenOptions(const TableOptions& options, const Schema& schema,
                                           const ConnectorContext& context) {
  generator::OptionReader reader(options, context.table_name, "datagen");
  DatagenSettings settings;
  auto rate = reader.getInt("rows-per-second", 10000, 0, INT64_MAX / 2);
  if (!rate.isOk()) return rate.status();
  settings.rate = rate.value();
  auto rows = reader.getInt("number-of-rows", -1, 0, INT64_MAX / 2);
  if (!rows.isOk()) return rows.status();
  auto seed = reader.getInt("seed", 0, INT64_MIN, INT64_MAX);
  if (!seed.isOk()) return seed.status();
  auto parallelism = reader.getInt("parallelism", 4, 1, 1024);
  if (!parallelism.isOk()) return parallelism.status();
  settings.parallelism = parallelism.value();
  auto max_per_batch = reader.getInt("max-rows-per-batch", 1048576, 1, INT64_MAX / 2);
  if (!max_per_batch.isOk()) return max_per_batch.status();
  settings.max_per_batch = max_per_batch.value();

  reader.markKnown("base-time");
  if (reader.has("base-time")) {
    const std::string text = reader.getString("base-time", "");
    auto as_int = reader.getInt("base-time", 0, INT64_MIN / 1000000, INT64_MAX / 1000000);
    if (as_int.isOk()) {
      settings.now_micros = as_int.value() * kMicrosPerMilli;
    } else if (auto micros = parseTimestamp(text)) {
      settings.now_micros = *micros;
    } else {
      return reader.invalid("base-time", "milliseconds since the epoch or a timestamp 'YYYY-MM-DD HH:MM:SS[.fff]'");
    }
  } else {
    settings.now_micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  }

  settings.total_rows = rows.value();
  for (const Field& column : schema.columns) {
    FieldSpec spec;
    spec.path = column.name;
    spec.type = column.type;
    Status status = readSpec(reader, spec, static_cast<uint64_t>(seed.value()), false);
    if (!status.isOk()) return status;
    const int64_t sequence_rows = sequenceRows(spec);
    if (sequence_rows >= 0) {
      settings.total_rows = settings.total_rows < 0 ? sequence_rows : std::min(settings.total_rows, sequence_rows);
    }
    settings.specs.push_back(std::move(spec));
  }
  Status unknown = reader.checkUnknown();
  if (!unknown.isOk()) return unknown;
  return settings;
}

}  // namespace

Result<std::unique_ptr<TableSource>> createDatagenSource(const TableOptions& options, const Schema& schema,
                                                         const ConnectorContext& context) {
  CAUDAL_ASSIGN_OR_RETURN(DatagenSettings settings, readDatagenOptions(options, schema, context));
  return std::unique_ptr<TableSource>(std::make_unique<DatagenSource>(
      schema, std::move(settings.specs), settings.total_rows, static_cast<double>(settings.rate),
      settings.max_per_batch, static_cast<size_t>(settings.parallelism), settings.now_micros, context.table_name));
}

Result<SourceStatistics> describeDatagenSource(const TableOptions& options, const Schema& schema,
                                               const ConnectorContext& context) {
  CAUDAL_ASSIGN_OR_RETURN(DatagenSettings settings, readDatagenOptions(options, schema, context));
  return SourceStatistics::ofRowCount(settings.total_rows);
}

}  // namespace caudal::sql
