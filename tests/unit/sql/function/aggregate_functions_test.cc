#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "sql/function/aggregate_function.h"
#include "sql/function/builtin_functions.h"
#include "sql/function/function_registry.h"

namespace caudal::sql {
namespace {

const FunctionRegistry& registry() {
  static const FunctionRegistry* instance = [] {
    auto* r = new FunctionRegistry();
    registerAggregateFunctions(*r);
    return r;
  }();
  return *instance;
}

Result<BoundAggregateFunction> tryResolve(const std::string& name, std::vector<DataType> args, bool distinct = false,
                                          bool retracting = false) {
  const AggregateResolver* resolver = registry().findAggregate(name);
  if (resolver == nullptr) return Status::error(std::string("no aggregate ").append(name));
  return (*resolver)(args, distinct, retracting);
}

BoundAggregateFunction resolve(const std::string& name, std::vector<DataType> args, bool distinct = false,
                               bool retracting = false) {
  return tryResolve(name, std::move(args), distinct, retracting).valueOrThrow();
}

Vector column(const DataType& type, const std::vector<Value>& values) {
  Vector vector(type, static_cast<uint32_t>(std::max<size_t>(values.size(), 1)));
  for (size_t i = 0; i < values.size(); ++i) vector.setValue(static_cast<uint32_t>(i), values[i]);
  return vector;
}

// `count` states of one aggregate, initialized, destroyed at the end.
class States {
 public:
  States(BoundAggregateFunction f, size_t count)
      : f_(std::move(f)), words_((f_.state_size + 7) / 8), memory_(count * words_ + 1), count_(count) {
    for (size_t i = 0; i < count_; ++i) f_.initialize(at(i));
  }
  ~States() {
    if (f_.destroy) {
      for (size_t i = 0; i < count_; ++i) f_.destroy(at(i));
    }
  }
  uint8_t* at(size_t i) { return reinterpret_cast<uint8_t*>(memory_.data() + i * words_); }

  // Row i of `args` (at rows[i]) goes to state `targets[i]`.
  Status update(const std::vector<Vector>& args, Rows rows, const std::vector<size_t>& targets,
                const std::vector<int8_t>& signs = {}) {
    std::vector<uint8_t*> states;
    for (size_t t : targets) states.push_back(at(t));
    return f_.update(args, rows, states.data(), signs.empty() ? nullptr : signs.data());
  }
  // All rows of `args` into state 0.
  Status add(const std::vector<Vector>& args, uint32_t n, const std::vector<int8_t>& signs = {}) {
    return update(args, Rows{nullptr, n}, std::vector<size_t>(n, 0), signs);
  }
  std::vector<Value> finalize() {
    std::vector<const uint8_t*> states;
    for (size_t i = 0; i < count_; ++i) states.push_back(at(i));
    Vector result(f_.return_type, static_cast<uint32_t>(count_));
    f_.finalize(states.data(), static_cast<uint32_t>(count_), result);
    std::vector<Value> values;
    for (uint32_t i = 0; i < count_; ++i) values.push_back(result.getValue(i));
    return values;
  }
  Value value() { return finalize()[0]; }

 private:
  BoundAggregateFunction f_;
  size_t words_;
  std::vector<uint64_t> memory_;
  size_t count_;
};

Value big(int64_t v) { return Value::bigInt(v); }
Value nullBig() { return Value::null(DataType::bigInt()); }

TEST(AggregateFunctionsTest, CountStarCountsEveryRowCountOfXSkipsNulls) {
  const std::vector<Vector> args{column(DataType::bigInt(), {big(1), nullBig(), big(3)})};
  States star(resolve("COUNT", {}), 1);
  ASSERT_TRUE(star.add({}, 3).isOk());
  EXPECT_EQ(star.value(), big(3));
  States count(resolve("count", {DataType::bigInt()}), 1);
  ASSERT_TRUE(count.add(args, 3).isOk());
  EXPECT_EQ(count.value(), big(2));
  // +, +, - : the retracted row is the non-NULL 3.
  States star2(resolve("COUNT", {}), 1);
  ASSERT_TRUE(star2.add({}, 3, {1, 1, -1}).isOk());
  EXPECT_EQ(star2.value(), big(1));
  States count2(resolve("COUNT", {DataType::bigInt()}), 1);
  ASSERT_TRUE(count2.add(args, 3, {1, 1, -1}).isOk());
  EXPECT_EQ(count2.value(), big(0));
  EXPECT_FALSE(resolve("COUNT", {}).return_type.nullable());
  // Several arguments: rows where all are non-NULL.
  States pairs(resolve("COUNT", {DataType::bigInt(), DataType::string()}), 1);
  ASSERT_TRUE(pairs.add({args[0], column(DataType::string(), {Value::string("a"), Value::string("b"),
                                                              Value::null(DataType::string())})},
                        3)
                  .isOk());
  EXPECT_EQ(pairs.value(), big(1));
  // An empty group counts 0.
  States empty(resolve("COUNT", {}), 1);
  EXPECT_EQ(empty.value(), big(0));
}

TEST(AggregateFunctionsTest, SumOfIntegersIsBigIntAndNullWithoutRows) {
  const BoundAggregateFunction sum = resolve("SUM", {DataType::integer()});
  EXPECT_EQ(sum.return_type, DataType::bigInt());
  States states(sum, 2);
  const std::vector<Vector> args{column(DataType::integer(), {Value::integer(2000000000), Value::integer(5),
                                                              Value::integer(2000000000), Value::null(DataType::integer()),
                                                              Value::integer(-1)})};
  ASSERT_TRUE(states.update(args, Rows{nullptr, 5}, {0, 1, 0, 1, 0}).isOk());
  EXPECT_EQ(states.finalize(), (std::vector<Value>{big(3999999999), big(5)}));
  // Retracting every value brings the sum back to NULL.
  const uint32_t sel[] = {1};
  ASSERT_TRUE(states.update(args, Rows{sel, 1}, {1}, {-1}).isOk());
  EXPECT_EQ(states.finalize(), (std::vector<Value>{big(3999999999), nullBig()}));
  // SUM0 is 0 there instead.
  States sum0(resolve("SUM0", {DataType::bigInt()}), 1);
  EXPECT_EQ(sum0.value(), big(0));
  // A selection and a constant argument.
  States constant(resolve("SUM", {DataType::bigInt()}), 1);
  ASSERT_TRUE(constant.add({Vector::constant(big(7))}, 3).isOk());
  EXPECT_EQ(constant.value(), big(21));
  // BIGINT overflow wraps, as in Java.
  States wrap(resolve("SUM", {DataType::bigInt()}), 1);
  ASSERT_TRUE(wrap.add({column(DataType::bigInt(), {big(INT64_MAX), big(1)})}, 2).isOk());
  EXPECT_EQ(wrap.value(), big(INT64_MIN));
}

TEST(AggregateFunctionsTest, SumOfDecimalsAndDoubles) {
  const DataType dec = DataType::decimal(10, 2);
  const BoundAggregateFunction sum = resolve("SUM", {dec});
  EXPECT_EQ(sum.return_type, DataType::decimal(38, 2));  // Flink: DECIMAL(38, s)
  States states(sum, 1);
  ASSERT_TRUE(states.add({column(dec, {Value::fromInt(dec, 150), Value::fromInt(dec, -25)})}, 2).isOk());
  EXPECT_EQ(states.value().toString(), "1.25");
  // DECIMAL(18, 0) sums past 18 digits: DECIMAL(38, 0) holds them.
  const DataType narrow = DataType::decimal(18, 0);
  States narrow_sum(resolve("SUM", {narrow}), 1);
  ASSERT_TRUE(narrow_sum
                  .add({column(narrow, {Value::fromInt(narrow, 999999999999999999), Value::fromInt(narrow, 1)})}, 2)
                  .isOk());
  EXPECT_EQ(narrow_sum.value().toString(), "1000000000000000000");
  // Past 38 digits: NULL; past 2^127 still exact; back under: the value again.
  const DataType wide = DataType::decimal(38, 0);
  __int128 nines = 0;
  for (int i = 0; i < 38; ++i) nines = nines * 10 + 9;
  States big_sum(resolve("SUM", {wide}), 1);
  const std::vector<Vector> values{column(wide, {Value::fromUnscaled(wide, nines), Value::fromUnscaled(wide, 1)})};
  ASSERT_TRUE(big_sum.add(values, 2).isOk());
  EXPECT_TRUE(big_sum.value().isNull());
  ASSERT_TRUE(big_sum.add(values, 2, {1, -1}).isOk());  // 2 * 10^38 - 2: past 2^127
  EXPECT_TRUE(big_sum.value().isNull());
  ASSERT_TRUE(big_sum.add(values, 1, {-1}).isOk());  // 10^38 - 1: back in range
  EXPECT_EQ(big_sum.value().toString(), "99999999999999999999999999999999999999");
  const std::vector<Vector> negative{column(wide, {Value::fromUnscaled(wide, -nines), Value::fromUnscaled(wide, -nines)})};
  States negative_sum(resolve("SUM", {wide}), 1);
  ASSERT_TRUE(negative_sum.add(negative, 2).isOk());
  EXPECT_TRUE(negative_sum.value().isNull());
  ASSERT_TRUE(negative_sum.add(negative, 1, {-1}).isOk());
  EXPECT_EQ(negative_sum.value().toString(), "-99999999999999999999999999999999999999");

  const BoundAggregateFunction dsum = resolve("sum", {DataType::floatType()});
  EXPECT_EQ(dsum.return_type, DataType::doubleType());
  States doubles(dsum, 1);
  ASSERT_TRUE(doubles.add({column(DataType::floatType(), {Value::fromDouble(DataType::floatType(), 1.5),
                                                          Value::fromDouble(DataType::floatType(), 2.25)})},
                          2)
                  .isOk());
  EXPECT_EQ(doubles.value(), Value::doubleValue(3.75));
}

TEST(AggregateFunctionsTest, AvgFollowsFlinkTypes) {
  const BoundAggregateFunction avg_int = resolve("AVG", {DataType::integer()});
  EXPECT_EQ(avg_int.return_type, DataType::integer());
  States ints(avg_int, 3);
  const std::vector<Vector> args{column(DataType::integer(), {Value::integer(1), Value::integer(2), Value::integer(-3),
                                                              Value::integer(-4)})};
  ASSERT_TRUE(ints.update(args, Rows{nullptr, 4}, {0, 0, 1, 1}).isOk());
  // Integer division truncating toward zero: 3/2 = 1, -7/2 = -3; no rows: NULL.
  EXPECT_EQ(ints.finalize(), (std::vector<Value>{Value::integer(1), Value::integer(-3), Value::null(DataType::integer())}));

  const DataType dec = DataType::decimal(10, 2);
  const BoundAggregateFunction avg_dec = resolve("AVG", {dec});
  EXPECT_EQ(avg_dec.return_type, DataType::decimal(38, 6));
  States decs(avg_dec, 2);
  const std::vector<Vector> dargs{column(dec, {Value::fromInt(dec, 100), Value::fromInt(dec, 200), Value::fromInt(dec, 200),
                                               Value::fromInt(dec, -100), Value::fromInt(dec, -200),
                                               Value::fromInt(dec, -200)})};
  ASSERT_TRUE(decs.update(dargs, Rows{nullptr, 6}, {0, 0, 0, 1, 1, 1}).isOk());
  // 5/3 rounds half up at 6 digits; the negative mirrors it.
  EXPECT_EQ(decs.finalize()[0].toString(), "1.666667");
  EXPECT_EQ(decs.finalize()[1].toString(), "-1.666667");
  EXPECT_EQ(resolve("AVG", {DataType::decimal(18, 8)}).return_type, DataType::decimal(38, 8));
  EXPECT_EQ(resolve("AVG", {DataType::decimal(30, 4)}).return_type, DataType::decimal(38, 6));

  const BoundAggregateFunction avg_double = resolve("mean", {DataType::doubleType()});
  EXPECT_EQ(avg_double.return_type, DataType::doubleType());
  States doubles(avg_double, 1);
  ASSERT_TRUE(doubles.add({column(DataType::doubleType(), {Value::doubleValue(1), Value::doubleValue(2)})}, 2).isOk());
  EXPECT_EQ(doubles.value(), Value::doubleValue(1.5));
  EXPECT_EQ(resolve("AVG", {DataType::floatType()}).return_type, DataType::floatType());
}

TEST(AggregateFunctionsTest, MinAndMaxOfComparableTypes) {
  // Strings: owned by the state, not views into the chunk.
  States min_s(resolve("MIN", {DataType::string()}), 1);
  States max_s(resolve("MAX", {DataType::string()}), 1);
  {
    const std::vector<Vector> args{column(DataType::string(), {Value::string("pear"), Value::null(DataType::string()),
                                                               Value::string("apple"), Value::string("zebra\xff"),
                                                               Value::string("")})};
    ASSERT_TRUE(min_s.add(args, 5).isOk());
    ASSERT_TRUE(max_s.add(args, 5).isOk());
  }
  EXPECT_EQ(min_s.value(), Value::string(""));
  EXPECT_EQ(max_s.value(), Value::string("zebra\xff"));  // bytes compare unsigned

  const DataType date = DataType::date();
  States min_d(resolve("MIN", {date}), 1);
  ASSERT_TRUE(min_d.add({column(date, {Value::fromInt(date, 20000), Value::fromInt(date, -5)})}, 2).isOk());
  EXPECT_EQ(min_d.value(), Value::fromInt(date, -5));

  const DataType ts = DataType::timestamp(3);
  States max_t(resolve("MAX", {ts}), 1);
  ASSERT_TRUE(max_t.add({column(ts, {Value::fromInt(ts, 5), Value::fromInt(ts, 1700000000000000)})}, 2).isOk());
  EXPECT_EQ(max_t.value(), Value::fromInt(ts, 1700000000000000));
  EXPECT_EQ(resolve("MAX", {ts}).return_type, ts);

  const DataType dec = DataType::decimal(5, 1);
  States max_dec(resolve("MAX", {dec}), 1);
  ASSERT_TRUE(max_dec.add({column(dec, {Value::fromInt(dec, -15), Value::fromInt(dec, -20)})}, 2).isOk());
  EXPECT_EQ(max_dec.value().toString(), "-1.5");

  States min_b(resolve("MIN", {DataType::boolean()}), 1);
  States max_b(resolve("MAX", {DataType::boolean()}), 1);
  const std::vector<Vector> bools{column(DataType::boolean(), {Value::boolean(true), Value::boolean(false)})};
  ASSERT_TRUE(min_b.add(bools, 2).isOk());
  ASSERT_TRUE(max_b.add(bools, 2).isOk());
  EXPECT_EQ(min_b.value(), Value::boolean(false));
  EXPECT_EQ(max_b.value(), Value::boolean(true));

  States max_f(resolve("MAX", {DataType::doubleType()}), 1);
  ASSERT_TRUE(max_f.add({column(DataType::doubleType(), {Value::doubleValue(-1e300), Value::doubleValue(-2)})}, 2).isOk());
  EXPECT_EQ(max_f.value(), Value::doubleValue(-2));

  States none(resolve("MIN", {DataType::bigInt()}), 1);
  EXPECT_TRUE(none.value().isNull());
}

TEST(AggregateFunctionsTest, WideDecimalMinMaxSumAvgAndDistinct) {
  // DECIMAL(30, 4): values past 64 bits, two groups.
  const DataType dec = DataType::decimal(30, 4);
  auto v = [&](const char* text) {
    __int128 unscaled = 0;
    bool negative = text[0] == '-';
    for (const char* c = text + (negative ? 1 : 0); *c != 0; ++c) {
      if (*c != '.') unscaled = unscaled * 10 + (*c - '0');
    }
    return Value::fromUnscaled(dec, negative ? -unscaled : unscaled);
  };
  const std::vector<Vector> args{column(dec, {v("12345678901234567890.1234"), v("-98765432109876543210.5000"),
                                              v("12345678901234567890.1234"), v("0.0001"), Value::null(dec),
                                              v("-0.0003")})};
  const std::vector<size_t> groups{0, 0, 0, 1, 1, 1};
  const auto run = [&](const std::string& name, bool distinct = false, bool retracting = false) {
    States states(resolve(name, {dec}, distinct, retracting), 2);
    EXPECT_TRUE(states.update(args, Rows{nullptr, 6}, groups).isOk()) << name;
    const std::vector<Value> values = states.finalize();
    return values[0].toString() + "|" + values[1].toString();
  };
  EXPECT_EQ(run("MIN"), "-98765432109876543210.5000|-0.0003");
  EXPECT_EQ(run("MAX"), "12345678901234567890.1234|0.0001");
  EXPECT_EQ(run("MIN", false, true), "-98765432109876543210.5000|-0.0003");
  EXPECT_EQ(run("MAX", false, true), "12345678901234567890.1234|0.0001");
  EXPECT_EQ(run("SUM"), "-74074074307407407430.2532|-0.0002");
  // (-74074074307407407430.2532) / 3 = -24691358102469135810.084400; -0.0002 / 2 = -0.000100.
  EXPECT_EQ(run("AVG"), "-24691358102469135810.084400|-0.000100");
  EXPECT_EQ(run("COUNT", true), "2|2");
  EXPECT_EQ(run("SUM", true), "-86419753208641975320.3766|-0.0002");
  EXPECT_EQ(resolve("MAX", {dec}).return_type.toString(), "DECIMAL(30, 4)");

  // Retracting the maximum finds the next one.
  States max(resolve("MAX", {dec}, false, true), 1);
  ASSERT_TRUE(max.add(args, 4).isOk());
  ASSERT_TRUE(max.update(args, Rows{nullptr, 1}, {0}, {-1}).isOk());
  EXPECT_EQ(max.value().toString(), "12345678901234567890.1234");  // the other copy remains
  ASSERT_TRUE(max.update(args, Rows{nullptr, 1}, {0}, {-1}).isOk());
  EXPECT_EQ(max.value().toString(), "0.0001");
}

TEST(AggregateFunctionsTest, MinMaxRetractionNeedsTheRetractingForm) {
  const std::vector<Vector> args{column(DataType::bigInt(), {big(5), big(9), big(9), big(2)})};
  States plain(resolve("MAX", {DataType::bigInt()}), 1);
  const Status status = plain.add(args, 1, {-1});
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("retraction"), std::string::npos);

  States max(resolve("MAX", {DataType::bigInt()}, false, true), 1);
  States min(resolve("MIN", {DataType::bigInt()}, false, true), 1);
  ASSERT_TRUE(max.add(args, 4).isOk());
  ASSERT_TRUE(min.add(args, 4).isOk());
  EXPECT_EQ(max.value(), big(9));
  EXPECT_EQ(min.value(), big(2));
  const uint32_t nine[] = {1};
  const uint32_t two[] = {3};
  ASSERT_TRUE(max.update(args, Rows{nine, 1}, {0}, {-1}).isOk());
  EXPECT_EQ(max.value(), big(9));  // one 9 left
  ASSERT_TRUE(max.update(args, Rows{nine, 1}, {0}, {-1}).isOk());
  EXPECT_EQ(max.value(), big(5));
  ASSERT_TRUE(min.update(args, Rows{two, 1}, {0}, {-1}).isOk());
  EXPECT_EQ(min.value(), big(5));
  // Everything retracted: NULL.
  ASSERT_TRUE(min.add(args, 3, {-1, -1, -1}).isOk());
  EXPECT_TRUE(min.value().isNull());
}

TEST(AggregateFunctionsTest, DistinctForms) {
  const std::vector<Vector> args{
      column(DataType::bigInt(), {big(1), big(2), big(2), nullBig(), big(3), big(3), big(3)})};
  States count(resolve("COUNT", {DataType::bigInt()}, true), 1);
  States sum(resolve("SUM", {DataType::bigInt()}, true), 1);
  States avg(resolve("AVG", {DataType::bigInt()}, true), 1);
  States approx(resolve("approx_count_distinct", {DataType::bigInt()}), 1);
  for (States* s : {&count, &sum, &avg, &approx}) ASSERT_TRUE(s->add(args, 7).isOk());
  EXPECT_EQ(count.value(), big(3));
  EXPECT_EQ(sum.value(), big(6));
  EXPECT_EQ(avg.value(), big(2));
  EXPECT_EQ(approx.value(), big(3));
  // Retract one 2 (one left) and the 1 (none left).
  const uint32_t sel[] = {1, 0};
  for (States* s : {&count, &sum}) ASSERT_TRUE(s->update(args, Rows{sel, 2}, {0, 0}, {-1, -1}).isOk());
  EXPECT_EQ(count.value(), big(2));
  EXPECT_EQ(sum.value(), big(5));

  States strings(resolve("COUNT", {DataType::string()}, true), 1);
  ASSERT_TRUE(strings.add({column(DataType::string(), {Value::string("a"), Value::string("b"), Value::string("a")})}, 3).isOk());
  EXPECT_EQ(strings.value(), big(2));
  States doubles(resolve("COUNT", {DataType::doubleType()}, true), 1);
  ASSERT_TRUE(doubles.add({column(DataType::doubleType(), {Value::doubleValue(0.0), Value::doubleValue(-0.0)})}, 2).isOk());
  EXPECT_EQ(doubles.value(), big(1));
  const BoundAggregateFunction dsum = resolve("SUM", {DataType::doubleType()}, true);
  EXPECT_EQ(dsum.name, "SUM(DISTINCT)");
  States sum_d(dsum, 1);
  ASSERT_TRUE(sum_d.add({column(DataType::doubleType(), {Value::doubleValue(1.5), Value::doubleValue(1.5),
                                                         Value::doubleValue(2)})},
                        3)
                  .isOk());
  EXPECT_EQ(sum_d.value(), Value::doubleValue(3.5));
  States empty(resolve("SUM", {DataType::bigInt()}, true), 1);
  EXPECT_TRUE(empty.value().isNull());
}

TEST(AggregateFunctionsTest, ResolutionErrors) {
  const auto message = [](Result<BoundAggregateFunction> r) { return r.isOk() ? std::string("ok") : r.status().message(); };
  EXPECT_EQ(message(tryResolve("SUM", {DataType::string()})), "SUM expects a numeric argument but got STRING");
  EXPECT_EQ(message(tryResolve("AVG", {DataType::date()})), "AVG expects a numeric argument but got DATE");
  EXPECT_EQ(message(tryResolve("MIN", {DataType::array(DataType::integer())})),
            "MIN expects a comparable argument but got ARRAY<INT>");
  EXPECT_EQ(message(tryResolve("COUNT", {DataType::bigInt(), DataType::bigInt()}, true)),
            "COUNT(DISTINCT) takes one argument but got 2");
  EXPECT_EQ(message(tryResolve("SUM", {})), "SUM takes one argument but got 0");
  EXPECT_EQ(registry().findAggregate("MEDIAN"), nullptr);
  EXPECT_NE(registry().findAggregate("Max"), nullptr);
}

// Random values into 40 groups with random retractions of values added before, in chunks with
// selections; every aggregate is compared with its recomputation from each group's multiset.
TEST(AggregateFunctionsTest, RandomRetractionsAgainstRecomputation) {
  constexpr size_t kGroups = 40;
  std::mt19937_64 rng(7);
  struct Aggregate {
    std::string name;
    bool distinct;
    DataType arg;
  };
  const std::vector<Aggregate> int_aggs{{"COUNT", false, DataType::bigInt()}, {"SUM", false, DataType::bigInt()},
                                        {"AVG", false, DataType::bigInt()},   {"MIN", false, DataType::bigInt()},
                                        {"MAX", false, DataType::bigInt()},   {"COUNT", true, DataType::bigInt()},
                                        {"SUM", true, DataType::bigInt()}};
  const std::vector<Aggregate> string_aggs{{"MIN", false, DataType::string()},
                                           {"MAX", false, DataType::string()},
                                           {"COUNT", true, DataType::string()}};
  std::vector<std::unique_ptr<States>> ints;
  std::vector<std::unique_ptr<States>> strings;
  for (const Aggregate& a : int_aggs) {
    ints.push_back(std::make_unique<States>(resolve(a.name, {a.arg}, a.distinct, true), kGroups));
  }
  for (const Aggregate& a : string_aggs) {
    strings.push_back(std::make_unique<States>(resolve(a.name, {a.arg}, a.distinct, true), kGroups));
  }
  States star(resolve("COUNT", {}, false, true), kGroups);
  std::vector<std::multiset<int64_t>> values(kGroups);
  std::vector<int64_t> nulls(kGroups, 0);

  for (int round = 0; round < 200; ++round) {
    const uint32_t n = 1 + static_cast<uint32_t>(rng() % 300);
    Vector ivec(DataType::bigInt(), n);
    Vector svec(DataType::string(), n);
    std::vector<size_t> targets;
    std::vector<int8_t> signs;
    std::vector<uint32_t> sel;
    // Within a chunk, retractions take values that were in the group before the chunk.
    std::vector<std::multiset<int64_t>> available = values;
    for (uint32_t r = 0; r < n; ++r) {
      const size_t g = rng() % kGroups;
      const bool use = rng() % 4 != 0;
      if (rng() % 3 == 0 && !available[g].empty()) {
        auto it = available[g].begin();
        std::advance(it, static_cast<long>(rng() % available[g].size()));
        const int64_t v = *it;
        ivec.setValue(r, big(v));
        svec.setValue(r, Value::string(std::string("k").append(std::to_string(v))));
        if (use) {
          available[g].erase(it);
          values[g].erase(values[g].find(v));
        }
        if (use) signs.push_back(-1);
      } else if (rng() % 10 == 0) {
        ivec.setNull(r);
        svec.setNull(r);
        if (use) {
          ++nulls[g];
          signs.push_back(1);
        }
      } else {
        const int64_t v = static_cast<int64_t>(rng() % 50) - 20;
        ivec.setValue(r, big(v));
        svec.setValue(r, Value::string(std::string("k").append(std::to_string(v))));
        if (use) {
          values[g].insert(v);
          signs.push_back(1);
        }
      }
      if (use) {
        sel.push_back(r);
        targets.push_back(g);
      }
    }
    const Rows rows{sel.data(), static_cast<uint32_t>(sel.size())};
    for (auto& s : ints) ASSERT_TRUE(s->update({ivec}, rows, targets, signs).isOk());
    for (auto& s : strings) ASSERT_TRUE(s->update({svec}, rows, targets, signs).isOk());
    ASSERT_TRUE(star.update({}, rows, targets, signs).isOk());

    std::vector<std::vector<Value>> results;
    for (auto& s : ints) results.push_back(s->finalize());
    std::vector<std::vector<Value>> sresults;
    for (auto& s : strings) sresults.push_back(s->finalize());
    const std::vector<Value> stars = star.finalize();
    for (size_t g = 0; g < kGroups; ++g) {
      const std::multiset<int64_t>& m = values[g];
      const std::set<int64_t> d(m.begin(), m.end());
      int64_t sum = 0;
      for (int64_t v : m) sum += v;
      int64_t dsum = 0;
      for (int64_t v : d) dsum += v;
      std::set<std::string> sd;
      for (int64_t v : m) sd.insert(std::string("k").append(std::to_string(v)));
      const auto n_or_null = [&](bool empty, int64_t v) { return empty ? nullBig() : big(v); };
      SCOPED_TRACE(std::string("round ").append(std::to_string(round)).append(" group ").append(std::to_string(g)));
      EXPECT_EQ(stars[g], big(static_cast<int64_t>(m.size()) + nulls[g]));
      EXPECT_EQ(results[0][g], big(static_cast<int64_t>(m.size())));
      EXPECT_EQ(results[1][g], n_or_null(m.empty(), sum));
      EXPECT_EQ(results[2][g], n_or_null(m.empty(), m.empty() ? 0 : sum / static_cast<int64_t>(m.size())));
      EXPECT_EQ(results[3][g], n_or_null(m.empty(), m.empty() ? 0 : *m.begin()));
      EXPECT_EQ(results[4][g], n_or_null(m.empty(), m.empty() ? 0 : *m.rbegin()));
      EXPECT_EQ(results[5][g], big(static_cast<int64_t>(d.size())));
      EXPECT_EQ(results[6][g], n_or_null(d.empty(), dsum));
      EXPECT_EQ(sresults[0][g], sd.empty() ? Value::null(DataType::string()) : Value::string(*sd.begin()));
      EXPECT_EQ(sresults[1][g], sd.empty() ? Value::null(DataType::string()) : Value::string(*sd.rbegin()));
      EXPECT_EQ(sresults[2][g], big(static_cast<int64_t>(sd.size())));
    }
  }
}

// Append-only input through the fast paths (no NULLs, no signs, identity rows), checked against
// plain loops.
TEST(AggregateFunctionsTest, AppendOnlyFastPathsAgainstLoops) {
  constexpr size_t kGroups = 100;
  std::mt19937_64 rng(11);
  States count(resolve("COUNT", {}), kGroups);
  States sum(resolve("SUM", {DataType::bigInt()}), kGroups);
  States dsum(resolve("SUM", {DataType::doubleType()}), kGroups);
  States min(resolve("MIN", {DataType::bigInt()}), kGroups);
  States max(resolve("MAX", {DataType::integer()}), kGroups);
  std::vector<int64_t> c(kGroups, 0), s(kGroups, 0), lo(kGroups, INT64_MAX);
  std::vector<int32_t> hi(kGroups, INT32_MIN);
  std::vector<double> ds(kGroups, 0);
  for (int round = 0; round < 20; ++round) {
    const uint32_t n = kVectorSize;
    Vector v64(DataType::bigInt(), n);
    Vector v32(DataType::integer(), n);
    Vector vd(DataType::doubleType(), n);
    std::vector<size_t> targets(n);
    for (uint32_t r = 0; r < n; ++r) {
      const size_t g = rng() % kGroups;
      const int64_t v = static_cast<int64_t>(rng() % 2000001) - 1000000;
      targets[r] = g;
      v64.values<int64_t>()[r] = v;
      v32.values<int32_t>()[r] = static_cast<int32_t>(v);
      vd.values<double>()[r] = static_cast<double>(v) / 4;
      ++c[g];
      s[g] += v;
      ds[g] += static_cast<double>(v) / 4;
      lo[g] = std::min(lo[g], v);
      hi[g] = std::max(hi[g], static_cast<int32_t>(v));
    }
    const Rows rows{nullptr, n};
    ASSERT_TRUE(count.update({}, rows, targets).isOk());
    ASSERT_TRUE(sum.update({v64}, rows, targets).isOk());
    ASSERT_TRUE(dsum.update({vd}, rows, targets).isOk());
    ASSERT_TRUE(min.update({v64}, rows, targets).isOk());
    ASSERT_TRUE(max.update({v32}, rows, targets).isOk());
  }
  const auto counts = count.finalize(), sums = sum.finalize(), dsums = dsum.finalize(), mins = min.finalize(),
             maxs = max.finalize();
  for (size_t g = 0; g < kGroups; ++g) {
    EXPECT_EQ(counts[g], big(c[g]));
    EXPECT_EQ(sums[g], big(s[g]));
    EXPECT_EQ(dsums[g], Value::doubleValue(ds[g]));  // quarters: exact in double
    EXPECT_EQ(mins[g], big(lo[g]));
    EXPECT_EQ(maxs[g], Value::integer(hi[g]));
  }
}

}  // namespace
}  // namespace caudal::sql
