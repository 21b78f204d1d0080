#include "sql/format/csv_format.h"

#include <gtest/gtest.h>

#include "format_testing.h"
#include "sql/types/temporal.h"

namespace caudal::sql {
namespace {

using test::decodeLines;
using test::formatOrDie;

Schema clicksSchema() {
  return Schema{{{"user_id", DataType::bigInt()},
                 {"url", DataType::string()},
                 {"status", DataType::integer()},
                 {"ts", DataType::timestamp(3)}}};
}

TEST(CsvFormatTest, DecodesEveryScalarType) {
  Schema schema{{{"b", DataType::boolean()},
                 {"t", DataType::tinyInt()},
                 {"s", DataType::smallInt()},
                 {"i", DataType::integer()},
                 {"l", DataType::bigInt()},
                 {"f", DataType::floatType()},
                 {"d", DataType::doubleType()},
                 {"m", DataType::decimal(10, 2)},
                 {"str", DataType::string()},
                 {"day", DataType::date()},
                 {"tod", DataType::time(0)},
                 {"ts", DataType::timestamp(3)},
                 {"ltz", DataType::timestampLtz(3)},
                 {"raw", DataType::bytes()}}};
  auto format = formatOrDie("csv", schema);
  auto decoded =
      decodeLines(*format, {"TRUE,-128,32767,-7,9000000000,1.5,-2.25,12.345,hello,2024-02-29,"
                            "23:59:58,2024-01-01 12:00:00.123,2024-01-01T12:00:00Z,aGk="});
  ASSERT_EQ(decoded.error, "");
  ASSERT_EQ(decoded.rows.size(), 1u);
  EXPECT_EQ(decoded.rows[0],
            "true|-128|32767|-7|9000000000|1.5|-2.25|12.35|hello|2024-02-29|23:59:58|2024-01-01 "
            "12:00:00.123|"
            "2024-01-01 12:00:00.000|x'6869'");
  EXPECT_EQ(decoded.read, 1);
}

TEST(CsvFormatTest, TimestampsAreTruncatedToTheirPrecision) {
  Schema schema{{{"ts", DataType::timestamp(3)}, {"t0", DataType::timestamp(0)}}};
  auto format = formatOrDie("csv", schema);
  auto decoded = decodeLines(
      *format, {"2024-01-01 12:00:00.123456,2024-01-01T12:00:59.999Z", "2024-01-01,2024-1-2"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"2024-01-01 12:00:00.123|2024-01-01 12:00:59",
                                      "2024-01-01 00:00:00.000|2024-01-02 00:00:00"}));
}

TEST(CsvFormatTest, QuotedFieldsFollowRfc4180) {
  Schema schema{
      {{"id", DataType::integer()}, {"text", DataType::string()}, {"n", DataType::integer()}}};
  auto format = formatOrDie("csv", schema);
  auto decoded = decodeLines(
      *format, {R"(1,"a,b","7")", R"(2,"say ""hi""",8)", R"(3,"",9)", R"("4",plain "x",10)"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"1|a,b|7", "2|say \"hi\"|8", "3||9", "4|plain \"x\"|10"}));
}

TEST(CsvFormatTest, EmptyFieldsAreNullExceptForStrings) {
  auto format = formatOrDie("csv", clicksSchema());
  auto decoded = decodeLines(*format, {",,,", "1,  ,  ,"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{"NULL||NULL|NULL", "1|  |NULL|NULL"}));
}

TEST(CsvFormatTest, NullLiteralDelimiterQuoteCommentsAndHeader) {
  auto format = formatOrDie("csv", clicksSchema(),
                            {{"csv.field-delimiter", ";"},
                             {"csv.quote-character", "'"},
                             {"csv.null-literal", "\\N"},
                             {"csv.allow-comments", "true"},
                             {"csv.ignore-first-line", "true"}});
  EXPECT_TRUE(format->skipsFirstLine());
  auto decoded = decodeLines(
      *format, {"# a comment", "7;'a;b';\\N;\\N", "", "8;'\\N';200;2024-01-01 00:00:01"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"7|a;b|NULL|NULL", "8|\\N|200|2024-01-01 00:00:01.000"}));
  EXPECT_FALSE(formatOrDie("csv", clicksSchema())->skipsFirstLine());
  EXPECT_TRUE(formatOrDie("csv", clicksSchema(), {{"header", "true"}})->skipsFirstLine());
  // A tab written as \t.
  auto tabs = formatOrDie("csv", clicksSchema(), {{"csv.field-delimiter", "\\t"}});
  EXPECT_EQ(decodeLines(*tabs, {"1\tx\t2\t2024-01-01"}).rows,
            (std::vector<std::string>{"1|x|2|2024-01-01 00:00:00.000"}));
}

TEST(CsvFormatTest, FailFastNamesThePlaceAndTheColumn) {
  auto format = formatOrDie("csv", clicksSchema());
  auto decoded =
      decodeLines(*format, {"1,/a,200,2024-01-01 00:00:00", "2,/b,abc,2024-01-01 00:00:00"});
  EXPECT_EQ(decoded.error, "file t.csv, line 2, column 'status': cannot parse 'abc' as INT");
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{}));  // nothing emitted before the failure
}

TEST(CsvFormatTest, MalformedRecordsAsAWhole) {
  auto format = formatOrDie("csv", clicksSchema());
  EXPECT_EQ(decodeLines(*format, {"1,/a,200"}).error,
            "file t.csv, line 1, expected 4 fields, found 3");
  EXPECT_EQ(decodeLines(*format, {"1,\"/a,200,2024-01-01"}).error,
            "file t.csv, line 1, unterminated quoted field 2");
  EXPECT_EQ(decodeLines(*format, {"1,\"/a\"x,200,2024-01-01"}).error,
            "file t.csv, line 1, unexpected character after the closing quote of field 2");
  EXPECT_EQ(decodeLines(*format, {"1,/a,99999999999,2024-01-01"}).error,
            "file t.csv, line 1, column 'status': cannot parse '99999999999' as INT");
  EXPECT_EQ(decodeLines(*format, {"1,/a,1,2024-13-01"}).error,
            "file t.csv, line 1, column 'ts': cannot parse '2024-13-01' as TIMESTAMP(3)");
}

const std::vector<std::string> kMixedLines = {"1,/a,200,2024-01-01 00:00:00",
                                              "2,/b,abc,2024-01-01 00:00:00", "3,/c",
                                              "4,/d,404,2024-01-01 00:00:02"};

TEST(CsvFormatTest, DropMalformedCountsWhatItDrops) {
  auto format = formatOrDie("csv", clicksSchema(), {{"mode", "DROPMALFORMED"}});
  auto decoded = decodeLines(*format, kMixedLines);
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{"1|/a|200|2024-01-01 00:00:00.000",
                                                    "4|/d|404|2024-01-01 00:00:02.000"}));
  EXPECT_EQ(decoded.dropped, 2);
  EXPECT_EQ(decoded.read, 2);
}

TEST(CsvFormatTest, PermissiveWithoutCorruptColumnNullsWhatFailed) {
  auto format = formatOrDie("csv", clicksSchema(), {{"mode", "permissive"}});
  auto decoded = decodeLines(*format, kMixedLines);
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"1|/a|200|2024-01-01 00:00:00.000",
                                      "2|/b|NULL|2024-01-01 00:00:00.000", "NULL|NULL|NULL|NULL",
                                      "4|/d|404|2024-01-01 00:00:02.000"}));
  EXPECT_EQ(decoded.dropped, 0);
}

TEST(CsvFormatTest, PermissiveWithCorruptColumnKeepsTheRawLine) {
  Schema schema = clicksSchema();
  schema.columns.push_back({"_corrupt_record", DataType::string()});
  auto format = formatOrDie("csv", schema, {{"mode", "PERMISSIVE"}});
  auto decoded = decodeLines(*format, kMixedLines);
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"1|/a|200|2024-01-01 00:00:00.000|NULL",
                                      "NULL|NULL|NULL|NULL|2,/b,abc,2024-01-01 00:00:00",
                                      "NULL|NULL|NULL|NULL|3,/c",
                                      "4|/d|404|2024-01-01 00:00:02.000|NULL"}));
  // Named otherwise.
  Schema bad = clicksSchema();
  bad.columns.insert(bad.columns.begin(), {"broken", DataType::string()});
  auto named =
      formatOrDie("csv", bad, {{"mode", "PERMISSIVE"}, {"columnNameOfCorruptRecord", "broken"}});
  EXPECT_EQ(decodeLines(*named, {"3,/c"}).rows,
            (std::vector<std::string>{"3,/c|NULL|NULL|NULL|NULL"}));
}

TEST(CsvFormatTest, IgnoreParseErrorsNullsFieldsAndSkipsBrokenRecords) {
  for (const char* key : {"format.ignore-parse-errors", "csv.ignore-parse-errors"}) {
    auto format = formatOrDie("csv", clicksSchema(), {{key, "true"}});
    auto decoded = decodeLines(*format, kMixedLines);
    ASSERT_EQ(decoded.error, "");
    EXPECT_EQ(decoded.rows, (std::vector<std::string>{"1|/a|200|2024-01-01 00:00:00.000",
                                                      "2|/b|NULL|2024-01-01 00:00:00.000",
                                                      "4|/d|404|2024-01-01 00:00:02.000"}));
    EXPECT_EQ(decoded.dropped, 1);
  }
}

TEST(CsvFormatTest, BadOptions) {
  auto check = [](const TableOptions& options, Schema schema = clicksSchema()) {
    auto format = makeRecordFormat("csv", options, schema);
    return format.isOk() ? std::string("ok") : format.status().message();
  };
  EXPECT_EQ(check({{"csv.field-delimiter", ";;"}}),
            "option 'csv.field-delimiter' must be one character, got ';;'");
  EXPECT_EQ(check({{"mode", "LENIENT"}}),
            "option 'mode' must be FAILFAST, DROPMALFORMED or PERMISSIVE, got 'LENIENT'");
  EXPECT_EQ(check({{"csv.allow-comments", "yes"}}),
            "option 'csv.allow-comments' must be 'true' or 'false', got 'yes'");
  EXPECT_EQ(check({{"mode", "PERMISSIVE"}, {"csv.ignore-parse-errors", "true"}}),
            "options 'mode' and 'csv.ignore-parse-errors' cannot be used together");
  Schema wrong = clicksSchema();
  wrong.columns.push_back({"_corrupt_record", DataType::integer()});
  EXPECT_EQ(check({{"mode", "PERMISSIVE"}}, wrong),
            "the corrupt record column '_corrupt_record' must be of type STRING, not INT");
  EXPECT_EQ(check({}, Schema{{{"a", DataType::array(DataType::integer())}}}),
            "format 'csv' cannot hold column 'a' of type ARRAY<INT>");
  auto unknown = makeRecordFormat("xml", {}, clicksSchema());
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().message(), "unknown format 'xml'; known formats: csv, json, raw");
}

TEST(CsvFormatTest, SkipsColumnsNotRequired) {
  auto format = formatOrDie("csv", clicksSchema());
  // Column 2 is not read, so its bad value is not even looked at.
  auto decoded = decodeLines(*format, {"1,/a,abc,2024-01-01"}, {true, true, false, true});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{"1|/a|NULL|2024-01-01 00:00:00.000"}));
}

TEST(CsvFormatTest, ChunksHoldAtMostVectorSizeRows) {
  Schema schema{{{"n", DataType::integer()}}};
  auto format = formatOrDie("csv", schema);
  std::vector<std::string> lines;
  for (int i = 0; i < 5000; ++i) lines.push_back(std::to_string(i));
  SourceMetrics metrics;
  std::vector<uint32_t> sizes;
  int64_t sum = 0;
  ChunkConsumer emit = [&](DataChunk& chunk) {
    sizes.push_back(chunk.count());
    for (uint32_t i = 0; i < chunk.count(); ++i) sum += chunk.column(0).valueAt<int32_t>(i);
    return Status::ok();
  };
  RecordChunker chunker(*format, {}, emit, metrics);
  for (const auto& line : lines)
    ASSERT_TRUE(chunker.add(line, [] { return std::string("x"); }).isOk());
  ASSERT_TRUE(chunker.finish().isOk());
  EXPECT_EQ(sizes, (std::vector<uint32_t>{2048, 2048, 904}));
  EXPECT_EQ(sum, 4999 * 5000 / 2);
  EXPECT_EQ(metrics.rows_read.load(), 5000);
}

TEST(CsvFormatTest, EncodesRowsWithQuotingAndNulls) {
  Schema schema{{{"id", DataType::bigInt()},
                 {"text", DataType::string()},
                 {"price", DataType::decimal(6, 2)},
                 {"ts", DataType::timestamp(3)},
                 {"ok", DataType::boolean()},
                 {"d", DataType::doubleType()}}};
  DataChunk chunk(schema.types());
  const int64_t ts = *parseTimestamp("2024-01-01 12:00:00.5");
  chunk.appendRow(
      {Value::bigInt(1), Value::string("a,b"), Value::fromInt(DataType::decimal(6, 2), 1250),
       Value::fromInt(DataType::timestamp(3), ts), Value::boolean(true), Value::doubleValue(2)});
  chunk.appendRow({Value::bigInt(2), Value::string("say \"hi\""),
                   Value::null(DataType::decimal(6, 2)), Value::null(DataType::timestamp(3)),
                   Value::boolean(false), Value::doubleValue(0.25)});
  auto plain = formatOrDie("csv", schema);
  EXPECT_EQ(
      test::encodeChunk(*plain, chunk),
      "1,\"a,b\",12.50,2024-01-01 12:00:00.500,true,2.0\n2,\"say \"\"hi\"\"\",,,false,0.25\n");
  auto with_header = formatOrDie("csv", schema, {{"header", "true"}, {"csv.null-literal", "null"}});
  EXPECT_EQ(test::encodeChunk(*with_header, chunk),
            "id,text,price,ts,ok,d\n1,\"a,b\",12.50,2024-01-01 12:00:00.500,true,2.0\n"
            "2,\"say \"\"hi\"\"\",null,null,false,0.25\n");
  // What was written reads back the same.
  auto decoded = decodeLines(*plain, {"1,\"a,b\",12.50,2024-01-01 12:00:00.500,true,2.0"});
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"1|a,b|12.50|2024-01-01 12:00:00.500|true|2.0"}));
}

TEST(CsvFormatTest, RawFormatTakesWholeLines) {
  Schema schema{{{"line", DataType::string()}}};
  auto format = formatOrDie("raw", schema);
  auto decoded = decodeLines(*format, {"a,b \"c\"", ""});
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{"a,b \"c\"", ""}));
  auto wrong = makeRecordFormat("raw", {}, Schema{{{"n", DataType::integer()}}});
  ASSERT_FALSE(wrong.isOk());
  EXPECT_EQ(wrong.status().message(), "format 'raw' needs exactly one STRING column, got n INT");
}

}  // namespace
}  // namespace caudal::sql
