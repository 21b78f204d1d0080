#include "sql/expression/expression_evaluator.h"

#include <gtest/gtest.h>

#include <random>

#include "unit/sql/expression/expression_testing.h"

namespace caudal::sql {
namespace {

using namespace testing;  // NOLINT

Value t() { return Value::boolean(true); }
Value f() { return Value::boolean(false); }
Value n() { return Value::null(DataType::boolean()); }

std::vector<std::string> evaluated(ExpressionEvaluator& evaluator, const BoundExpr& expr,
                                   const DataChunk& chunk) {
  Vector result;
  Status status = evaluator.evaluate(expr, chunk, chunk.rows(), result);
  if (!status.isOk()) return {"error: " + status.message()};
  std::vector<std::string> shown;
  const Rows rows = chunk.rows();
  for (uint32_t i = 0; i < rows.count; ++i) shown.push_back(result.getValue(rows[i]).toString());
  return shown;
}

std::vector<uint32_t> selected(ExpressionEvaluator& evaluator, const BoundExpr& expr,
                               const DataChunk& chunk) {
  std::vector<uint32_t> out(chunk.size() + 1);
  Result<uint32_t> count = evaluator.select(expr, chunk, chunk.rows(), out.data());
  EXPECT_TRUE(count.isOk()) << (count.isOk() ? "" : count.status().message());
  out.resize(count.isOk() ? count.value() : 0);
  return out;
}

// Every pair of TRUE, FALSE, NULL.
DataChunk truthTable() {
  DataChunk chunk({DataType::boolean(), DataType::boolean()});
  const Value values[] = {t(), f(), n()};
  for (const Value& a : values) {
    for (const Value& b : values) chunk.appendRow({a, b});
  }
  return chunk;
}

TEST(ExpressionEvaluatorTest, ThreeValuedLogic) {
  ExpressionEvaluator evaluator;
  const DataChunk chunk = truthTable();
  auto a = [] { return col(0, DataType::boolean(), "a"); };
  auto b = [] { return col(1, DataType::boolean(), "b"); };
  // Rows: TT TF TN FT FF FN NT NF NN.
  auto conj = node(BoundExprKind::kAnd, DataType::boolean(), a(), b());
  EXPECT_EQ(evaluated(evaluator, *conj, chunk),
            (std::vector<std::string>{"true", "false", "NULL", "false", "false", "false", "NULL",
                                      "false", "NULL"}));
  EXPECT_EQ(selected(evaluator, *conj, chunk), (std::vector<uint32_t>{0}));
  auto disj = node(BoundExprKind::kOr, DataType::boolean(), a(), b());
  EXPECT_EQ(evaluated(evaluator, *disj, chunk),
            (std::vector<std::string>{"true", "true", "true", "true", "false", "NULL", "true",
                                      "NULL", "NULL"}));
  EXPECT_EQ(selected(evaluator, *disj, chunk), (std::vector<uint32_t>{0, 1, 2, 3, 6}));
  auto negation = node(BoundExprKind::kNot, DataType::boolean(), a());
  EXPECT_EQ(evaluated(evaluator, *negation, chunk),
            (std::vector<std::string>{"false", "false", "false", "true", "true", "true", "NULL",
                                      "NULL", "NULL"}));
  EXPECT_EQ(selected(evaluator, *negation, chunk), (std::vector<uint32_t>{3, 4, 5}));
  auto is_null = node(BoundExprKind::kIsNull, DataType::boolean().withNullable(false), b());
  EXPECT_EQ(selected(evaluator, *is_null, chunk), (std::vector<uint32_t>{2, 5, 8}));
  auto is_not_null = node(BoundExprKind::kIsNotNull, DataType::boolean().withNullable(false), a());
  EXPECT_EQ(evaluated(evaluator, *is_not_null, chunk),
            (std::vector<std::string>{"true", "true", "true", "true", "true", "true", "false",
                                      "false", "false"}));
  // Three operands, with a constant.
  auto triple = node(BoundExprKind::kOr, DataType::boolean(), a(), b(), lit(n()));
  EXPECT_EQ(evaluated(evaluator, *triple, chunk),
            (std::vector<std::string>{"true", "true", "true", "true", "NULL", "NULL", "true",
                                      "NULL", "NULL"}));
}

TEST(ExpressionEvaluatorTest, ColumnsAreReferencedAndConstantsStayConstant) {
  ExpressionEvaluator evaluator;
  DataChunk chunk({DataType::integer()});
  chunk.appendRow({Value::integer(4)});
  chunk.appendRow({Value::integer(5)});
  Vector result;
  auto column = col(0, DataType::integer(), "x");
  ASSERT_TRUE(evaluator.evaluate(*column, chunk, chunk.rows(), result).isOk());
  EXPECT_EQ(result.values<int32_t>(), chunk.column(0).values<int32_t>());
  auto sum = fn("+", lit(Value::integer(1)), lit(Value::integer(2)));
  ASSERT_TRUE(evaluator.evaluate(*sum, chunk, chunk.rows(), result).isOk());
  EXPECT_TRUE(result.isConstant());
  EXPECT_EQ(result.getValue(0).toString(), "3");
  auto logic = node(BoundExprKind::kAnd, DataType::boolean(), lit(t()),
                    fn("<", lit(Value::integer(1)), lit(Value::integer(2))));
  ASSERT_TRUE(evaluator.evaluate(*logic, chunk, chunk.rows(), result).isOk());
  EXPECT_TRUE(result.isConstant());
  EXPECT_EQ(result.getValue(1).toString(), "true");
  auto scaled = fn("*", col(0, DataType::integer(), "x"), lit(Value::integer(10)));
  EXPECT_EQ(evaluated(evaluator, *scaled, chunk), (std::vector<std::string>{"40", "50"}));
}

DataChunk numbersAndStrings() {
  DataChunk chunk({DataType::integer(), DataType::string()});
  chunk.appendRow({Value::integer(0), Value::string("abc")});
  chunk.appendRow({Value::integer(5), Value::string("12")});
  chunk.appendRow({Value::null(DataType::integer()), Value::string("7")});
  chunk.appendRow({Value::integer(-2), Value::null(DataType::string())});
  return chunk;
}

TEST(ExpressionEvaluatorTest, CaseRunsEachBranchOnlyOnItsRows) {
  ExpressionEvaluator evaluator;
  const DataChunk chunk = numbersAndStrings();
  auto x = [] { return col(0, DataType::integer(), "x"); };
  auto s = [] { return col(1, DataType::string(), "s"); };
  // CASE WHEN x <> 0 THEN 10 / x END
  auto divide =
      node(BoundExprKind::kCase, DataType::integer(), fn("<>", x(), lit(Value::integer(0))),
           fn("/", lit(Value::integer(10)), x()), lit(Value::null(DataType::integer())));
  EXPECT_EQ(evaluated(evaluator, *divide, chunk),
            (std::vector<std::string>{"NULL", "2", "NULL", "-5"}));
  // A CAST that fails on 'abc' is never run on that row.
  auto parse =
      node(BoundExprKind::kCase, DataType::integer(), fn("=", s(), lit(Value::string("abc"))),
           lit(Value::integer(-1)), fn("<", x(), lit(Value::integer(0))), lit(Value::integer(-2)),
           castExpr(s(), DataType::integer()));
  EXPECT_EQ(evaluated(evaluator, *parse, chunk), (std::vector<std::string>{"-1", "12", "7", "-2"}));
  auto unguarded = castExpr(s(), DataType::integer());
  EXPECT_EQ(evaluated(evaluator, *unguarded, chunk),
            (std::vector<std::string>{"error: cannot cast 'abc' to INT"}));
  // Strings from several branches.
  auto label =
      node(BoundExprKind::kCase, DataType::string(), fn(">", x(), lit(Value::integer(0))),
           lit(Value::string("pos")), node(BoundExprKind::kIsNull, DataType::boolean(), x()), s(),
           lit(Value::string("other")));
  EXPECT_EQ(evaluated(evaluator, *label, chunk),
            (std::vector<std::string>{"other", "pos", "7", "other"}));
}

TEST(ExpressionEvaluatorTest, CoalesceAndAndAreLazy) {
  ExpressionEvaluator evaluator;
  const DataChunk chunk = numbersAndStrings();
  auto x = [] { return col(0, DataType::integer(), "x"); };
  auto s = [] { return col(1, DataType::string(), "s"); };
  // COALESCE(x, CAST(s AS INT), 99): the CAST runs only where x is NULL, never on row 0's 'abc'.
  auto coalesce = node(BoundExprKind::kCoalesce, DataType::integer(), x(),
                       castExpr(s(), DataType::integer()), lit(Value::integer(99)));
  EXPECT_EQ(evaluated(evaluator, *coalesce, chunk),
            (std::vector<std::string>{"0", "5", "7", "-2"}));
  // s <> 'abc' AND CAST(s AS INT) > 6: the CAST never sees 'abc'.
  auto guarded =
      node(BoundExprKind::kAnd, DataType::boolean(), fn("<>", s(), lit(Value::string("abc"))),
           fn(">", castExpr(s(), DataType::integer()), lit(Value::integer(6))));
  EXPECT_EQ(evaluated(evaluator, *guarded, chunk),
            (std::vector<std::string>{"false", "true", "true", "NULL"}));
  EXPECT_EQ(selected(evaluator, *guarded, chunk), (std::vector<uint32_t>{1, 2}));
  auto either =
      node(BoundExprKind::kOr, DataType::boolean(), fn("=", s(), lit(Value::string("abc"))),
           fn(">", castExpr(s(), DataType::integer()), lit(Value::integer(10))));
  EXPECT_EQ(evaluated(evaluator, *either, chunk),
            (std::vector<std::string>{"true", "true", "false", "NULL"}));
  EXPECT_EQ(selected(evaluator, *either, chunk), (std::vector<uint32_t>{0, 1}));
}

TEST(ExpressionEvaluatorTest, InListFollowsSqlNullRules) {
  ExpressionEvaluator evaluator;
  const DataChunk chunk = numbersAndStrings();
  auto x = [] { return col(0, DataType::integer(), "x"); };
  auto in = node(BoundExprKind::kInList, DataType::boolean(), x(), lit(Value::integer(5)),
                 lit(Value::integer(-2)));
  EXPECT_EQ(evaluated(evaluator, *in, chunk),
            (std::vector<std::string>{"false", "true", "NULL", "true"}));
  auto with_null = node(BoundExprKind::kInList, DataType::boolean(), x(), lit(Value::integer(5)),
                        lit(Value::null(DataType::integer())));
  EXPECT_EQ(evaluated(evaluator, *with_null, chunk),
            (std::vector<std::string>{"NULL", "true", "NULL", "NULL"}));
  // A long list (hash set) of strings.
  std::vector<ExprPtr> items;
  items.push_back(col(1, DataType::string(), "s"));
  for (int i = 0; i < 20; ++i) items.push_back(lit(Value::string(std::to_string(i))));
  auto long_list = node(BoundExprKind::kInList, DataType::boolean(), std::move(items));
  EXPECT_EQ(evaluated(evaluator, *long_list, chunk),
            (std::vector<std::string>{"false", "true", "true", "NULL"}));
  EXPECT_EQ(selected(evaluator, *long_list, chunk), (std::vector<uint32_t>{1, 2}));
  // A list with a column in it.
  auto mixed = node(BoundExprKind::kInList, DataType::boolean(), lit(Value::integer(5)),
                    lit(Value::integer(1)), x());
  EXPECT_EQ(evaluated(evaluator, *mixed, chunk),
            (std::vector<std::string>{"false", "true", "NULL", "false"}));
}

TEST(ExpressionEvaluatorTest, FieldAccessReadsTheRowsChild) {
  ExpressionEvaluator evaluator;
  const DataType row_type = DataType::row({{"a", DataType::integer()}, {"b", DataType::string()}});
  DataChunk chunk({row_type});
  chunk.appendRow({Value::fromChildren(row_type, {Value::integer(1), Value::string("x")})});
  chunk.appendRow({Value::null(row_type)});
  chunk.appendRow(
      {Value::fromChildren(row_type, {Value::null(DataType::integer()), Value::string("z")})});
  auto field_b = node(BoundExprKind::kFieldAccess, DataType::string(), col(0, row_type, "r"));
  field_b->column_index = 1;
  EXPECT_EQ(evaluated(evaluator, *field_b, chunk), (std::vector<std::string>{"x", "NULL", "z"}));
  EXPECT_EQ(field_b->toString(), "r.b");
  DataChunk valid({row_type});
  valid.appendRow({Value::fromChildren(row_type, {Value::integer(3), Value::string("y")})});
  auto field_a = node(BoundExprKind::kFieldAccess, DataType::integer(), col(0, row_type, "r"));
  Vector result;
  ASSERT_TRUE(evaluator.evaluate(*field_a, valid, valid.rows(), result).isOk());
  EXPECT_EQ(result.values<int32_t>(), valid.column(0).children()[0].values<int32_t>());
}

TEST(ExpressionEvaluatorTest, SelectHonoursTheInputSelectionAndFiltersInPlace) {
  ExpressionEvaluator evaluator;
  DataChunk chunk({DataType::bigInt()});
  for (int i = 0; i < 10; ++i) chunk.appendRow({Value::bigInt(i)});
  auto even = fn("=", fn("%", col(0, DataType::bigInt(), "x"), lit(Value::bigInt(2))),
                 lit(Value::bigInt(0)));
  std::vector<uint32_t> positions{9, 8, 3, 2, 0};
  Result<uint32_t> count =
      evaluator.select(*even, chunk, Rows{positions.data(), 5}, positions.data());
  ASSERT_TRUE(count.isOk());
  positions.resize(count.value());
  EXPECT_EQ(positions, (std::vector<uint32_t>{8, 2, 0}));
}

// The fast paths of select against the generic one (materialized booleans) on random data.
TEST(ExpressionEvaluatorTest, SelectFastPathsAgreeWithEvaluate) {
  std::mt19937 random(42);
  ExpressionEvaluator evaluator;
  DataChunk chunk(
      {DataType::integer(), DataType::doubleType(), DataType::string(), DataType::decimal(10, 2)});
  const char* words[] = {"Google", "Bing", "Yahoo", ""};
  for (int i = 0; i < 3000; ++i) {
    auto maybe_null = [&](Value v, const DataType& type) {
      return random() % 7 == 0 ? Value::null(type) : v;
    };
    chunk.appendRow(
        {maybe_null(Value::integer(static_cast<int32_t>(random() % 20) - 10), DataType::integer()),
         maybe_null(Value::doubleValue(static_cast<double>(random() % 100) / 4),
                    DataType::doubleType()),
         maybe_null(Value::string(words[random() % 4]), DataType::string()),
         maybe_null(
             Value::fromInt(DataType::decimal(10, 2), static_cast<int64_t>(random() % 2000) - 1000),
             DataType::decimal(10, 2))});
  }
  std::vector<ExprPtr> predicates;
  for (const char* op : {"=", "<>", "<", "<=", ">", ">="}) {
    predicates.push_back(fn(op, col(0, DataType::integer(), "i"), lit(Value::integer(3))));
    predicates.push_back(fn(op, lit(Value::integer(3)), col(0, DataType::integer(), "i")));
    predicates.push_back(
        fn(op, col(1, DataType::doubleType(), "d"), lit(Value::doubleValue(12.5))));
    predicates.push_back(fn(op, col(2, DataType::string(), "s"), lit(Value::string("Google"))));
    predicates.push_back(fn(op, col(3, DataType::decimal(10, 2), "m"),
                            lit(Value::fromInt(DataType::decimal(10, 2), 125))));
  }
  predicates.push_back(
      node(BoundExprKind::kAnd, DataType::boolean(),
           fn(">", col(1, DataType::doubleType(), "d"), lit(Value::doubleValue(10))),
           fn("=", col(2, DataType::string(), "s"), lit(Value::string("Google")))));
  predicates.push_back(
      node(BoundExprKind::kOr, DataType::boolean(),
           fn("<", col(0, DataType::integer(), "i"), lit(Value::integer(-5))),
           fn("=", col(2, DataType::string(), "s"), lit(Value::string("Bing"))),
           node(BoundExprKind::kIsNull, DataType::boolean(), col(1, DataType::doubleType(), "d"))));
  predicates.push_back(fn("=", fn("%", col(0, DataType::integer(), "i"), lit(Value::integer(3))),
                          lit(Value::integer(0))));
  predicates.push_back(fn("=", lit(Value::integer(3)), lit(Value::null(DataType::integer()))));
  std::vector<uint32_t> sel;
  for (uint32_t i = 0; i < chunk.size(); i += 1 + random() % 3) sel.push_back(i);
  for (int with_selection = 0; with_selection < 2; ++with_selection) {
    const Rows rows = with_selection ? Rows{sel.data(), static_cast<uint32_t>(sel.size())}
                                     : Rows{nullptr, chunk.size()};
    for (const auto& predicate : predicates) {
      Vector value;
      ASSERT_TRUE(evaluator.evaluate(*predicate, chunk, rows, value).isOk());
      std::vector<uint32_t> expected;
      for (uint32_t i = 0; i < rows.count; ++i) {
        const Value v = value.getValue(rows[i]);
        if (!v.isNull() && v.boolValue()) expected.push_back(rows[i]);
      }
      std::vector<uint32_t> actual(rows.count);
      Result<uint32_t> count = evaluator.select(*predicate, chunk, rows, actual.data());
      ASSERT_TRUE(count.isOk());
      actual.resize(count.value());
      EXPECT_EQ(actual, expected) << predicate->toString()
                                  << (with_selection ? " with selection" : "");
    }
  }
}

TEST(ExpressionEvaluatorTest, ErrorsSurfaceFromSelect) {
  ExpressionEvaluator evaluator;
  const DataChunk chunk = numbersAndStrings();
  auto bad = fn(">", castExpr(col(1, DataType::string(), "s"), DataType::integer()),
                lit(Value::integer(0)));
  std::vector<uint32_t> out(chunk.size());
  Result<uint32_t> count = evaluator.select(*bad, chunk, chunk.rows(), out.data());
  ASSERT_FALSE(count.isOk());
  EXPECT_EQ(count.status().message(), "cannot cast 'abc' to INT");
  auto tolerant = fn(">", castExpr(col(1, DataType::string(), "s"), DataType::integer(), true),
                     lit(Value::integer(0)));
  EXPECT_EQ(selected(evaluator, *tolerant, chunk), (std::vector<uint32_t>{1, 2}));
  // The thread's own evaluator.
  std::vector<uint32_t> again(chunk.size());
  Result<uint32_t> n = selectRows(*tolerant, chunk, chunk.rows(), again.data());
  ASSERT_TRUE(n.isOk());
  EXPECT_EQ(n.value(), 2u);
}

TEST(BoundExpressionTest, ShowsClonesAndFoldsConstants) {
  auto price = fn("*", col(0, DataType::decimal(10, 2), "price"),
                  lit(Value::fromInt(DataType::decimal(3, 3), 908)));
  EXPECT_EQ(price->toString(), "price * 0.908");
  auto filter = node(BoundExprKind::kAnd, DataType::boolean(),
                     fn(">", col(0, DataType::integer(), "price"), lit(Value::integer(1000))),
                     fn("=", col(1, DataType::string(), ""), lit(Value::string("Google"))));
  EXPECT_EQ(filter->toString(), "(price > 1000) AND (#1 = 'Google')");
  auto nested = fn("*", fn("+", col(0, DataType::integer(), "a"), lit(Value::integer(1))),
                   lit(Value::integer(2)));
  EXPECT_EQ(nested->toString(), "(a + 1) * 2");
  EXPECT_EQ(castExpr(col(0, DataType::string(), "s"), DataType::integer())->toString(),
            "CAST(s AS INT)");
  EXPECT_EQ(fn("upper", col(0, DataType::string(), "s"))->toString(), "UPPER(s)");
  auto copy = filter->clone();
  EXPECT_EQ(copy->toString(), filter->toString());
  EXPECT_NE(copy->children[0].get(), filter->children[0].get());
  EXPECT_FALSE(filter->isConstant());
  EXPECT_TRUE(fn("+", lit(Value::integer(1)), lit(Value::integer(2)))->isConstant());
  EXPECT_FALSE(fn("rand")->isConstant());
  EXPECT_EQ(lit(Value::integer(1))->type.toString(), "INT NOT NULL");
  auto when = node(BoundExprKind::kCase, DataType::integer(),
                   fn("<>", col(0, DataType::integer(), "x"), lit(Value::integer(0))),
                   lit(Value::integer(1)), lit(Value::null(DataType::integer())));
  EXPECT_EQ(when->toString(), "CASE WHEN x <> 0 THEN 1 ELSE CAST(NULL AS INT) END");
}

}  // namespace
}  // namespace caudal::sql
