#include "sql/connector/datagen_source.h"

#include <gtest/gtest.h>

#include <set>

#include "sql/connector/generator_pacing.h"
#include "sql/types/decimal.h"

namespace caudal::sql {
namespace {

constexpr int64_t kBaseTimeMs = 1700000000000;  // 2023-11-14 22:13:20 UTC

Result<std::unique_ptr<TableSource>> create(TableOptions options, const Schema& schema) {
  ConnectorContext context;
  context.table_name = "gen";
  options.emplace("connector", "datagen");
  options.emplace("base-time", std::to_string(kBaseTimeMs));
  return createDatagenSource(options, schema, context);
}

std::unique_ptr<TableSource> make(const TableOptions& options, const Schema& schema) {
  auto source = create(options, schema);
  EXPECT_TRUE(source.isOk()) << source.status().message();
  return std::move(source.value());
}

std::string errorOf(const TableOptions& options, const Schema& schema) {
  auto source = create(options, schema);
  return source.isOk() ? "" : source.status().message();
}

std::vector<std::vector<Value>> readAll(TableSource& source, int64_t start, int64_t end) {
  std::vector<std::vector<Value>> rows;
  const SourceOffset from{{start}}, to{{end}};
  for (size_t task = 0; task < source.taskCount(from, to); ++task) {
    Status status = source.read(from, to, task, [&](DataChunk& chunk) {
      EXPECT_LE(chunk.size(), kVectorSize);
      for (uint32_t i = 0; i < chunk.size(); ++i) rows.push_back(chunk.rowAt(i));
      return Status::ok();
    });
    EXPECT_TRUE(status.isOk()) << status.message();
  }
  return rows;
}

const Schema kSchema{{{"id", DataType::bigInt()},
                      {"age", DataType::integer()},
                      {"name", DataType::string()},
                      {"score", DataType::doubleType()},
                      {"flag", DataType::boolean()}}};

TEST(DatagenSourceTest, RejectsBadOptionsNamingThem) {
  EXPECT_EQ(errorOf({{"rows-per-second", "x"}}, kSchema),
            "table 'gen': option 'rows-per-second' must be an integer in [0, 4611686018427387903], got 'x'");
  EXPECT_EQ(errorOf({{"fields.id.kind", "seq"}}, kSchema),
            "table 'gen': option 'fields.id.kind' must be 'random' or 'sequence', got 'seq'");
  EXPECT_EQ(errorOf({{"fields.id.kind", "sequence"}, {"fields.id.end", "10"}}, kSchema),
            "table 'gen': option 'fields.id.start' is required for a sequence");
  EXPECT_EQ(errorOf({{"fields.id.kind", "sequence"}, {"fields.id.start", "10"}, {"fields.id.end", "9"}}, kSchema),
            "table 'gen': option 'fields.id.end' must not be below 'fields.id.start'");
  EXPECT_EQ(errorOf({{"fields.age.min", "abc"}}, kSchema),
            "table 'gen': option 'fields.age.min' must be an integer in [-2147483648, 2147483647], got 'abc'");
  EXPECT_EQ(errorOf({{"fields.age.min", "10"}, {"fields.age.max", "5"}}, kSchema),
            "table 'gen': option 'fields.age.max' must not be below 'fields.age.min'");
  EXPECT_EQ(errorOf({{"fields.score.null-rate", "2"}}, kSchema),
            "table 'gen': option 'fields.score.null-rate' must be a number in [0, 1], got '2'");
  EXPECT_EQ(errorOf({{"fields.flag.kind", "sequence"}}, kSchema),
            "table 'gen': option 'fields.flag.kind' must be 'random' for a BOOLEAN field, got 'sequence'");
  EXPECT_EQ(errorOf({{"fields.code.length", "20"}}, Schema{{{"code", DataType::varchar(10)}}}),
            "table 'gen': option 'fields.code.length' must be at most 10, the length of VARCHAR(10), got '20'");
  EXPECT_EQ(errorOf({{"fields.t.max-past", "ten"}}, Schema{{{"t", DataType::timestamp(3)}}}),
            "table 'gen': option 'fields.t.max-past' must be a duration such as '1000' (milliseconds), '10 s', "
            "'5 min', '2 h' or '1 d', got 'ten'");
  const std::string unknown = errorOf({{"fields.nme.length", "5"}}, kSchema);
  const std::string expected_start =
      "table 'gen': unknown option 'fields.nme.length' for connector 'datagen'; known options: base-time, "
      "fields.age.kind, fields.age.max, fields.age.min, fields.age.null-rate, fields.flag.kind, ";
  EXPECT_EQ(unknown.substr(0, expected_start.size()), expected_start);
  // min/max mean nothing for a string: not an option of that field.
  EXPECT_NE(errorOf({{"fields.name.min", "1"}}, kSchema).find("unknown option 'fields.name.min'"), std::string::npos);
}

TEST(DatagenSourceTest, SameRangeGivesTheSameRowsHoweverItIsSplit) {
  auto one = make({{"parallelism", "1"}, {"seed", "5"}}, kSchema);
  auto four = make({{"parallelism", "4"}, {"seed", "5"}}, kSchema);
  const auto whole = readAll(*one, 0, 50000);
  ASSERT_EQ(whole.size(), 50000u);
  EXPECT_EQ(four->taskCount(SourceOffset{{0}}, SourceOffset{{50000}}), 4u);
  EXPECT_EQ(readAll(*four, 0, 50000), whole);
  auto pieces = readAll(*four, 0, 777);
  const auto rest = readAll(*one, 777, 50000);
  pieces.insert(pieces.end(), rest.begin(), rest.end());
  EXPECT_EQ(pieces, whole);
  auto other = make({{"seed", "6"}}, kSchema);
  EXPECT_NE(readAll(*other, 0, 100), std::vector(whole.begin(), whole.begin() + 100));
}

TEST(DatagenSourceTest, RandomValuesStayWithinTheirBounds) {
  auto source = make({{"fields.id.min", "-5"},
                      {"fields.id.max", "5"},
                      {"fields.age.min", "18"},
                      {"fields.age.max", "20"},
                      {"fields.name.length", "12"},
                      {"fields.score.min", "1.5"},
                      {"fields.score.max", "2.5"}},
                     kSchema);
  std::set<int64_t> ids, ages;
  int64_t trues = 0;
  const auto rows = readAll(*source, 0, 20000);
  for (const auto& row : rows) {
    ids.insert(row[0].intValue());
    ages.insert(row[1].intValue());
    const std::string& name = row[2].stringValue();
    ASSERT_EQ(name.size(), 12u);
    EXPECT_EQ(name.find_first_not_of("0123456789abcdef"), std::string::npos) << name;
    EXPECT_GE(row[3].doubleValue(), 1.5);
    EXPECT_LT(row[3].doubleValue(), 2.5);
    trues += row[4].boolValue() ? 1 : 0;
  }
  EXPECT_EQ(ids, (std::set<int64_t>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(ages, (std::set<int64_t>{18, 19, 20}));
  EXPECT_NEAR(static_cast<double>(trues) / 20000, 0.5, 0.02);

  const DataType decimal = DataType::decimal(6, 2);
  const Schema more{{{"d", decimal},
                     {"v", DataType::varchar(8)},
                     {"c", DataType::fixedChar(4)},
                     {"w", DataType::string()},
                     {"t", DataType::tinyInt()}}};
  auto typed = make({{"fields.d.min", "-1.5"}, {"fields.d.max", "2.25"}, {"fields.w.var-len", "true"},
                     {"fields.w.length", "5"}},
                    more);
  std::set<size_t> lengths;
  for (const auto& row : readAll(*typed, 0, 5000)) {
    EXPECT_GE(row[0].intValue(), -150);
    EXPECT_LE(row[0].intValue(), 225);
    EXPECT_EQ(row[1].stringValue().size(), 8u);
    EXPECT_EQ(row[2].stringValue().size(), 4u);
    lengths.insert(row[3].stringValue().size());
    EXPECT_GE(row[4].intValue(), -128);
    EXPECT_LE(row[4].intValue(), 127);
  }
  EXPECT_EQ(lengths, (std::set<size_t>{1, 2, 3, 4, 5}));
}

TEST(DatagenSourceTest, WideDecimalsStayInTheirBounds) {
  // DECIMAL(30, 4): bounds past 64 bits; DECIMAL(38, 0) over its whole range; a sequence.
  const DataType d30 = DataType::decimal(30, 4);
  const DataType d38 = DataType::decimal(38, 0);
  const Schema schema{{{"a", d30}, {"b", d38}, {"s", DataType::decimal(20, 2)}}};
  auto source = make({{"fields.a.min", "-12345678901234567890.1234"},
                      {"fields.a.max", "98765432109876543210.5"},
                      {"fields.s.kind", "sequence"},
                      {"fields.s.start", "7"},
                      {"fields.s.end", "100006"}},
                     schema);
  const __int128 low = *parseDecimal128("-12345678901234567890.1234", 30, 4);
  const __int128 high = *parseDecimal128("98765432109876543210.5", 30, 4);
  const __int128 half = (high + low) / 2;
  int below_half = 0;
  bool any_past_64_bits = false;
  bool negative_b = false;
  bool positive_b = false;
  const auto rows = readAll(*source, 0, 4000);
  ASSERT_EQ(rows.size(), 4000u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const __int128 a = rows[i][0].unscaledValue();
    EXPECT_GE(a, low);
    EXPECT_LE(a, high);
    below_half += a < half ? 1 : 0;
    any_past_64_bits = any_past_64_bits || a > INT64_MAX || a < INT64_MIN;
    const __int128 b = rows[i][1].unscaledValue();
    EXPECT_LT(b, powerOfTen128(38));
    EXPECT_GT(b, -powerOfTen128(38));
    negative_b = negative_b || b < 0;
    positive_b = positive_b || b > 0;
    EXPECT_EQ(rows[i][2].unscaledValue(), static_cast<__int128>(7 + i));  // unscaled, as for DECIMAL(p <= 18)
  }
  EXPECT_TRUE(any_past_64_bits);
  EXPECT_TRUE(negative_b && positive_b);
  EXPECT_NEAR(below_half / 4000.0, 0.5, 0.05);
  EXPECT_NE(errorOf({{"fields.a.max", "1e30"}}, schema), "");
}

TEST(DatagenSourceTest, SequenceCountsUpAndEndsTheTable) {
  const Schema schema{{{"id", DataType::integer()}, {"label", DataType::string()}}};
  auto source = make({{"fields.id.kind", "sequence"},
                      {"fields.id.start", "10"},
                      {"fields.id.end", "5009"},
                      {"fields.label.kind", "sequence"},
                      {"fields.label.start", "100"},
                      {"fields.label.end", "100000"},
                      {"rows-per-second", "0"},
                      {"max-rows-per-batch", "3000"}},
                     schema);
  EXPECT_TRUE(source->bounded());
  EXPECT_EQ(source->latestOffset().value().positions[0], 3000);
  EXPECT_FALSE(source->finished());
  EXPECT_EQ(source->latestOffset().value().positions[0], 5000);
  EXPECT_TRUE(source->finished());
  EXPECT_EQ(source->latestOffset().value().positions[0], 5000);
  const auto rows = readAll(*source, 0, 5000);
  ASSERT_EQ(rows.size(), 5000u);
  for (int64_t i = 0; i < 5000; ++i) {
    EXPECT_EQ(rows[static_cast<size_t>(i)][0].intValue(), 10 + i);
    EXPECT_EQ(rows[static_cast<size_t>(i)][1].stringValue(), std::to_string(100 + i));
  }
  // number-of-rows bounds it further.
  auto fewer = make({{"fields.id.kind", "sequence"}, {"fields.id.start", "1"}, {"fields.id.end", "100"},
                     {"number-of-rows", "40"}, {"rows-per-second", "0"}},
                    schema);
  EXPECT_EQ(fewer->latestOffset().value().positions[0], 40);
  EXPECT_TRUE(fewer->finished());
  auto unbounded = make({}, schema);
  EXPECT_FALSE(unbounded->bounded());
  // Reading past the end of a bounded table is an error naming it.
  Status status = fewer->read(SourceOffset{{0}}, SourceOffset{{41}}, 0, [](DataChunk&) { return Status::ok(); });
  EXPECT_EQ(status.message(), "table 'gen': datagen offsets must be one row position in [0, 40], start before end");
}

TEST(DatagenSourceTest, NullRateMakesThatShareNull) {
  auto source = make({{"fields.age.null-rate", "0.25"}, {"fields.name.null-rate", "1"}}, kSchema);
  int64_t null_ages = 0;
  for (const auto& row : readAll(*source, 0, 20000)) {
    null_ages += row[1].isNull() ? 1 : 0;
    EXPECT_TRUE(row[2].isNull());
    EXPECT_FALSE(row[0].isNull());
  }
  EXPECT_NEAR(static_cast<double>(null_ages) / 20000, 0.25, 0.015);
}

TEST(DatagenSourceTest, TemporalValuesLieBeforeTheBaseTime) {
  const Schema schema{{{"ts", DataType::timestamp(3)},
                       {"ts0", DataType::timestamp(0)},
                       {"ltz", DataType::timestampLtz(3)},
                       {"d", DataType::date()},
                       {"t", DataType::time(0)}}};
  auto source = make({{"fields.ts.max-past", "10 s"}, {"fields.ts0.max-past", "1 h"}, {"fields.d.max-past", "3 d"}},
                     schema);
  std::set<int64_t> days;
  for (const auto& row : readAll(*source, 0, 5000)) {
    EXPECT_LE(row[0].intValue(), kBaseTimeMs * 1000);
    EXPECT_GE(row[0].intValue(), (kBaseTimeMs - 10000) * 1000);
    EXPECT_EQ(row[0].intValue() % 1000, 0);
    EXPECT_EQ(row[1].intValue() % 1000000, 0);
    EXPECT_GE(row[1].intValue(), (kBaseTimeMs - 3600000) * 1000 - 1000000);
    EXPECT_EQ(row[2].intValue(), kBaseTimeMs * 1000);  // max-past 0: the base time itself
    days.insert(row[3].intValue());
    EXPECT_GE(row[4].intValue(), 0);
    EXPECT_LT(row[4].intValue(), 86400000);
    EXPECT_EQ(row[4].intValue() % 1000, 0);
  }
  const int64_t today = kBaseTimeMs / 86400000;
  EXPECT_EQ(days, (std::set<int64_t>{today - 3, today - 2, today - 1, today}));
}

TEST(DatagenSourceTest, NestedFieldsTakeTheirOwnOptions) {
  const DataType row = DataType::row({{"a", DataType::integer()}, {"b", DataType::string()}});
  const Schema schema{{{"r", row},
                       {"tags", DataType::array(DataType::smallInt())},
                       {"m", DataType::map(DataType::string(), DataType::bigInt())}}};
  auto source = make({{"fields.r.a.min", "1"},
                      {"fields.r.a.max", "3"},
                      {"fields.r.b.length", "2"},
                      {"fields.r.null-rate", "0.5"},
                      {"fields.tags.length", "4"},
                      {"fields.tags.element.min", "7"},
                      {"fields.tags.element.max", "8"},
                      {"fields.m.key.length", "3"},
                      {"fields.m.value.min", "0"},
                      {"fields.m.value.max", "0"}},
                     schema);
  int64_t null_rows = 0;
  for (const auto& values : readAll(*source, 0, 3000)) {
    if (values[0].isNull()) {
      ++null_rows;
    } else {
      EXPECT_GE(values[0].children()[0].intValue(), 1);
      EXPECT_LE(values[0].children()[0].intValue(), 3);
      EXPECT_EQ(values[0].children()[1].stringValue().size(), 2u);
    }
    ASSERT_EQ(values[1].children().size(), 4u);
    for (const Value& tag : values[1].children()) EXPECT_TRUE(tag.intValue() == 7 || tag.intValue() == 8);
    ASSERT_EQ(values[2].children().size(), 6u);  // key, value, key, value, key, value
    EXPECT_EQ(values[2].children()[0].stringValue().size(), 3u);
    EXPECT_EQ(values[2].children()[1].intValue(), 0);
  }
  EXPECT_NEAR(static_cast<double>(null_rows) / 3000, 0.5, 0.04);
}

TEST(DatagenSourceTest, ReadsOnlyTheRequiredColumns) {
  const Schema schema{{{"id", DataType::bigInt()},
                       {"r", DataType::row({{"a", DataType::integer()}, {"b", DataType::string()}})},
                       {"name", DataType::string()}}};
  auto all = make({{"seed", "1"}}, schema);
  auto some = make({{"seed", "1"}}, schema);
  some->requireColumns({{1, 1}});
  const auto expected = readAll(*all, 0, 10);
  Status status = some->read(SourceOffset{{0}}, SourceOffset{{10}}, 0, [&](DataChunk& chunk) {
    EXPECT_TRUE(chunk.column(0).isConstant());
    EXPECT_TRUE(chunk.column(0).isNull(0));
    EXPECT_TRUE(chunk.column(2).isConstant());
    EXPECT_TRUE(chunk.column(1).children()[0].isConstant());
    for (uint32_t i = 0; i < chunk.size(); ++i) {
      // The field read has the same values as when everything is read.
      EXPECT_EQ(chunk.column(1).children()[1].getValue(i), expected[i][1].children()[1]);
    }
    return Status::ok();
  });
  EXPECT_TRUE(status.isOk());
}

TEST(GeneratorPacingTest, AdvancesWithTheRateAndTheBatchCap) {
  int64_t now = 1000000;
  generator::GeneratorPacing paced(2500, 1000.0, 600, [&] { return now; });
  EXPECT_EQ(paced.advance(), 0);  // the first call starts the clock
  now += 500000;
  EXPECT_EQ(paced.advance(), 500);
  now += 2000000;
  EXPECT_EQ(paced.advance(), 1100);  // 2500 due, at most 600 more per batch
  EXPECT_EQ(paced.advance(), 1700);
  EXPECT_EQ(paced.advance(), 2300);
  EXPECT_FALSE(paced.finished());
  EXPECT_EQ(paced.advance(), 2500);
  EXPECT_TRUE(paced.finished());
  generator::GeneratorPacing unlimited(-1, 0, 100, [&] { return now; });
  EXPECT_EQ(unlimited.advance(), 100);
  EXPECT_EQ(unlimited.advance(), 200);
  EXPECT_FALSE(unlimited.finished());
  EXPECT_EQ(generator::taskSlice(10, 21, 3, 0), (std::pair<int64_t, int64_t>{10, 13}));
  EXPECT_EQ(generator::taskSlice(10, 21, 3, 1), (std::pair<int64_t, int64_t>{13, 17}));
  EXPECT_EQ(generator::taskSlice(10, 21, 3, 2), (std::pair<int64_t, int64_t>{17, 21}));
  EXPECT_EQ(generator::taskCountFor(0, 4), 0u);
  EXPECT_EQ(generator::taskCountFor(1, 4), 1u);
  EXPECT_EQ(generator::taskCountFor(1 << 20, 4), 4u);
}

}  // namespace
}  // namespace caudal::sql
