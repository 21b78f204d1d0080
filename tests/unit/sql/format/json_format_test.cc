#include "sql/format/json_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format_testing.h"
#include "sql/types/temporal.h"

namespace caudal::sql {
namespace {

using test::decodeLines;
using test::formatOrDie;

Schema jsonClicksSchema() {
  return Schema{{{"user_id", DataType::bigInt()},
                 {"url", DataType::string()},
                 {"status", DataType::integer()},
                 {"ts", DataType::timestamp(3)}}};
}

TEST(JsonFormatTest, FieldsByNameMissingAreNull) {
  auto format = formatOrDie("json", jsonClicksSchema());
  auto decoded = decodeLines(
      *format,
      {R"({"status":200,"url":"/a","user_id":7,"ts":"2024-01-01 12:00:00.123"})",
       R"({"user_id":8,"extra":[1,2],"Status":5})",
       R"({"user_id":null,"url":null,"status":"404","ts":"2024-01-01T00:00:01Z"})", "   "});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"7|/a|200|2024-01-01 12:00:00.123", "8|NULL|NULL|NULL",
                                      "NULL|NULL|404|2024-01-01 00:00:01.000"}));
}

TEST(JsonFormatTest, ScalarConversions) {
  Schema schema{{{"b", DataType::boolean()},
                 {"t", DataType::tinyInt()},
                 {"d", DataType::doubleType()},
                 {"f", DataType::floatType()},
                 {"m", DataType::decimal(10, 3)},
                 {"m2", DataType::decimal(6, 2)},
                 {"s", DataType::string()},
                 {"day", DataType::date()},
                 {"bytes", DataType::bytes()}}};
  auto format = formatOrDie("json", schema);
  auto decoded = decodeLines(
      *format, {R"({"b":true,"t":-5,"d":3,"f":0.5,"m":12.345,"m2":"7.5","s":{"k":[1,true]},)"
                R"("day":"2024-02-29","bytes":"aGk="})",
                R"({"b":"false","t":"12","d":"NaN","m":7,"m2":-0.005,"s":42})"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows, (std::vector<std::string>{
                              "true|-5|3.0|0.5|12.345|7.50|{\"k\":[1,true]}|2024-02-29|x'6869'",
                              "false|12|NaN|NULL|7.000|-0.01|42|NULL|NULL"}));
}

TEST(JsonFormatTest, NestedRowsArraysAndMaps) {
  Schema schema{
      {{"id", DataType::integer()},
       {"user", DataType::row({{"name", DataType::string()}, {"age", DataType::integer()}})},
       {"tags", DataType::array(DataType::string())},
       {"scores", DataType::map(DataType::string(), DataType::bigInt())}}};
  auto format = formatOrDie("json", schema);
  auto decoded = decodeLines(
      *format,
      {R"({"id":1,"user":{"age":30,"name":"ann"},"tags":["a","b"],"scores":{"x":1,"y":2}})",
       R"({"id":2,"user":{"name":"bob"},"tags":[],"scores":{}})",
       R"({"id":3,"user":null,"tags":null})"});
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{"1|{name=ann, age=30}|[a, b]|{x=1, y=2}",
                                      "2|{name=bob, age=NULL}|[]|{}", "3|NULL|NULL|NULL"}));
}

TEST(JsonFormatTest, FailFastNamesTheColumnAndNestedField) {
  Schema schema = jsonClicksSchema();
  schema.columns.push_back({"user", DataType::row({{"age", DataType::integer()}})});
  auto format = formatOrDie("json", schema);
  EXPECT_EQ(decodeLines(*format, {R"({"status":"abc"})"}).error,
            "file t.csv, line 1, column 'status': cannot parse 'abc' as INT");
  EXPECT_EQ(decodeLines(*format, {R"({"status":1.5})"}).error,
            "file t.csv, line 1, column 'status': cannot parse '1.5' as INT");
  EXPECT_EQ(decodeLines(*format, {R"({"status":{"a":1}})"}).error,
            "file t.csv, line 1, column 'status': cannot parse '{\"a\":1}' as INT");
  EXPECT_EQ(decodeLines(*format, {R"({"user":{"age":"old"}})"}).error,
            "file t.csv, line 1, column 'user.age': cannot parse 'old' as INT");
  // The rest of the message is simdjson's.
  EXPECT_THAT(decodeLines(*format, {R"({"status":1)"}).error,
              ::testing::StartsWith("file t.csv, line 1, malformed JSON: "));
  EXPECT_EQ(decodeLines(*format, {R"([1,2])"}).error,
            "file t.csv, line 1, malformed JSON: not an object");
}

const std::vector<std::string> kMixedJsonLines = {R"({"user_id":1,"status":200})",
                                              R"({"user_id":2,"status":"x"})", R"({"user_id":3,)",
                                              R"({"user_id":4,"status":404})"};

TEST(JsonFormatTest, MalformedRecordPolicies) {
  auto drop =
      decodeLines(*formatOrDie("json", jsonClicksSchema(), {{"mode", "DROPMALFORMED"}}), kMixedJsonLines);
  ASSERT_EQ(drop.error, "");
  EXPECT_EQ(drop.rows, (std::vector<std::string>{"1|NULL|200|NULL", "4|NULL|404|NULL"}));
  EXPECT_EQ(drop.dropped, 2);

  auto permissive =
      decodeLines(*formatOrDie("json", jsonClicksSchema(), {{"mode", "PERMISSIVE"}}), kMixedJsonLines);
  EXPECT_EQ(permissive.rows, (std::vector<std::string>{"1|NULL|200|NULL", "2|NULL|NULL|NULL",
                                                       "NULL|NULL|NULL|NULL", "4|NULL|404|NULL"}));
  EXPECT_EQ(permissive.dropped, 0);

  Schema with_corrupt = jsonClicksSchema();
  with_corrupt.columns.push_back({"_corrupt_record", DataType::string()});
  auto corrupt =
      decodeLines(*formatOrDie("json", with_corrupt, {{"mode", "PERMISSIVE"}}), kMixedJsonLines);
  EXPECT_EQ(corrupt.rows,
            (std::vector<std::string>{
                "1|NULL|200|NULL|NULL", "NULL|NULL|NULL|NULL|{\"user_id\":2,\"status\":\"x\"}",
                "NULL|NULL|NULL|NULL|{\"user_id\":3,", "4|NULL|404|NULL|NULL"}));

  auto ignore = decodeLines(
      *formatOrDie("json", jsonClicksSchema(), {{"json.ignore-parse-errors", "true"}}), kMixedJsonLines);
  EXPECT_EQ(ignore.rows,
            (std::vector<std::string>{"1|NULL|200|NULL", "2|NULL|NULL|NULL", "4|NULL|404|NULL"}));
  EXPECT_EQ(ignore.dropped, 1);
}

TEST(JsonFormatTest, EncodesRowsAsFlinkDoes) {
  Schema schema{{{"status", DataType::integer()},
                 {"n", DataType::bigInt()},
                 {"url", DataType::string()},
                 {"ts", DataType::timestamp(3)},
                 {"price", DataType::decimal(6, 2)},
                 {"ratio", DataType::doubleType()},
                 {"tags", DataType::array(DataType::integer())},
                 {"user", DataType::row({{"name", DataType::string()}})},
                 {"m", DataType::map(DataType::string(), DataType::integer())}}};
  DataChunk chunk(schema.types());
  chunk.appendRow(
      {Value::integer(200), Value::bigInt(3), Value::string("a\"b\n"),
       Value::fromInt(DataType::timestamp(3), *parseTimestamp("2024-01-01 12:00:00.123")),
       Value::fromInt(DataType::decimal(6, 2), -5), Value::doubleValue(0.5),
       Value::fromChildren(DataType::array(DataType::integer()),
                           {Value::integer(1), Value::integer(2)}),
       Value::fromChildren(schema.columns[7].type, {Value::string("ann")}),
       Value::fromChildren(schema.columns[8].type, {Value::string("k"), Value::integer(1)})});
  chunk.appendRow({Value::integer(404), Value::null(DataType::bigInt()),
                   Value::null(DataType::string()), Value::null(DataType::timestamp(3)),
                   Value::null(DataType::decimal(6, 2)),
                   Value::doubleValue(std::numeric_limits<double>::infinity()),
                   Value::null(schema.columns[6].type), Value::null(schema.columns[7].type),
                   Value::null(schema.columns[8].type)});
  auto format = formatOrDie("json", schema);
  EXPECT_EQ(
      test::encodeChunk(*format, chunk),
      "{\"status\":200,\"n\":3,\"url\":\"a\\\"b\\n\",\"ts\":\"2024-01-01 "
      "12:00:00.123\",\"price\":-0.05,"
      "\"ratio\":0.5,\"tags\":[1,2],\"user\":{\"name\":\"ann\"},\"m\":{\"k\":1}}\n"
      "{\"status\":404,\"n\":null,\"url\":null,\"ts\":null,\"price\":null,\"ratio\":\"Infinity\","
      "\"tags\":null,\"user\":null,\"m\":null}\n");
  // And reads back.
  auto decoded = decodeLines(
      *format, {"{\"status\":200,\"n\":3,\"url\":\"a\\\"b\",\"ts\":\"2024-01-01 12:00:00.123\","
                "\"price\":-0.05,\"ratio\":0.5,\"tags\":[1,2],\"user\":{\"name\":\"ann\"},"
                "\"m\":{\"k\":1}}"});
  EXPECT_EQ(decoded.rows,
            (std::vector<std::string>{
                "200|3|a\"b|2024-01-01 12:00:00.123|-0.05|0.5|[1, 2]|{name=ann}|{k=1}"}));
}

}  // namespace
}  // namespace caudal::sql
