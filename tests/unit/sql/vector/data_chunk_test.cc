#include "sql/vector/data_chunk.h"

#include <gtest/gtest.h>

#include "sql/vector/vector_executor.h"

namespace caudal::sql {
namespace {

std::vector<std::string> shown(const DataChunk& chunk) {
  std::vector<std::string> rows;
  const Rows active = chunk.rows();
  for (uint32_t i = 0; i < active.count; ++i) {
    std::string text = rowKindName(chunk.kindAt(active[i]));
    for (const Value& value : chunk.rowAt(active[i])) text.append(" ").append(value.toString());
    rows.push_back(text);
  }
  return rows;
}

TEST(DataChunkTest, AppendsRowsOfEveryTypeAndReadsThemBack) {
  const DataType row_type = DataType::row({{"a", DataType::integer()}, {"b", DataType::string()}});
  DataChunk chunk({DataType::bigInt(), DataType::string(), DataType::decimal(10, 2),
                   DataType::array(DataType::integer()), row_type},
                  2);
  chunk.appendRow({Value::bigInt(1), Value::string("x"), Value::fromInt(DataType::decimal(10, 2), 1250),
                   Value::fromChildren(DataType::array(DataType::integer()), {Value::integer(1), Value::integer(2)}),
                   Value::fromChildren(row_type, {Value::integer(7), Value::string("r")})});
  chunk.appendRow({Value::null(DataType::bigInt()), Value::string("yy"), Value::null(DataType::decimal(10, 2)),
                   Value::fromChildren(DataType::array(DataType::integer()), {}),
                   Value::null(row_type)},
                  RowKind::kDelete);
  chunk.appendRow({Value::bigInt(3), Value::null(DataType::string()), Value::fromInt(DataType::decimal(10, 2), -5),
                   Value::null(DataType::array(DataType::integer())),
                   Value::fromChildren(row_type, {Value::null(DataType::integer()), Value::string("s")})});
  EXPECT_EQ(shown(chunk), (std::vector<std::string>{"+I 1 x 12.50 [1, 2] {a=7, b=r}",
                                                     "-D NULL yy NULL [] NULL",
                                                     "+I 3 NULL -0.05 NULL {a=NULL, b=s}"}));

  // A selection narrows the rows without copying; compacting copies just those.
  chunk.setSelection(std::make_shared<std::vector<uint32_t>>(std::vector<uint32_t>{2, 0}));
  const DataChunk compact = chunk.compacted();
  EXPECT_FALSE(compact.hasSelection());
  EXPECT_EQ(shown(compact), (std::vector<std::string>{"+I 3 NULL -0.05 NULL {a=NULL, b=s}",
                                                       "+I 1 x 12.50 [1, 2] {a=7, b=r}"}));

  DataChunk appended({DataType::bigInt(), DataType::string(), DataType::decimal(10, 2),
                      DataType::array(DataType::integer()), row_type},
                     1);
  appended.append(chunk);
  appended.append(compact);
  EXPECT_EQ(appended.count(), 4u);
  EXPECT_EQ(shown(appended)[3], "+I 1 x 12.50 [1, 2] {a=7, b=r}");
}

TEST(VectorExecutorTest, BinaryKernelHonoursConstantsNullsAndSelection) {
  Vector left(DataType::bigInt(), 4);
  for (uint32_t i = 0; i < 4; ++i) left.values<int64_t>()[i] = i * 10;
  left.setNull(1);
  const Vector right = Vector::constant(Value::bigInt(5));
  const uint32_t sel[] = {3, 1, 0};
  Vector result;
  executeBinary<int64_t, int64_t, int64_t>(left, right, Rows{sel, 3}, result, DataType::bigInt(),
                                           [](int64_t a, int64_t b) { return a + b; });
  EXPECT_EQ(result.getValue(3).toString(), "35");
  EXPECT_TRUE(result.isNull(1));
  EXPECT_EQ(result.getValue(0).toString(), "5");

  Vector both;
  executeBinary<int64_t, int64_t, int64_t>(right, right, Rows{nullptr, 4}, both, DataType::bigInt(),
                                           [](int64_t a, int64_t b) { return a * b; });
  EXPECT_TRUE(both.isConstant());
  EXPECT_EQ(both.getValue(2).toString(), "25");
}

TEST(ValueTest, ShowsAndComparesValues) {
  EXPECT_EQ(Value::doubleValue(2).toString(), "2.0");
  EXPECT_EQ(Value::doubleValue(0.1).toString(), "0.1");
  EXPECT_EQ(Value::string("it's").toSqlLiteral(), "'it''s'");
  EXPECT_EQ(Value::fromInt(DataType::decimal(5, 2), 150).compare(Value::bigInt(1)), 1);
  EXPECT_EQ(Value::fromInt(DataType::decimal(5, 2), 100), Value::bigInt(1));
  EXPECT_LT(Value::null(DataType::bigInt()).compare(Value::bigInt(-5)), 0);
}

}  // namespace
}  // namespace caudal::sql
