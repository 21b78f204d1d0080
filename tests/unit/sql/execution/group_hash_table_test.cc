#include "sql/execution/group_hash_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "caudal/detail/stable_hash.h"

namespace caudal::sql {
namespace {

Vector column(const DataType& type, const std::vector<Value>& values) {
  Vector vector(type, static_cast<uint32_t>(std::max<size_t>(values.size(), 1)));
  for (size_t i = 0; i < values.size(); ++i) vector.setValue(static_cast<uint32_t>(i), values[i]);
  return vector;
}

Value big(int64_t v) { return Value::bigInt(v); }
Value nullOf(const DataType& type) { return Value::null(type); }

// Hashes and inserts rows 0..n of `keys`; returns the group ids.
std::vector<uint32_t> insert(GroupHashTable& table, const std::vector<Vector>& keys, uint32_t n,
                             std::vector<uint32_t>* created = nullptr) {
  std::vector<uint64_t> hashes(n);
  std::vector<uint32_t> ids(n);
  const Rows rows{nullptr, n};
  table.hashKeys(keys, rows, hashes.data());
  table.findOrInsert(keys, rows, hashes.data(), ids.data(), created);
  return ids;
}

std::vector<Value> keysOf(const GroupHashTable& table, const std::vector<uint32_t>& ids, size_t column) {
  std::vector<Vector> out;
  table.gatherKeys(ids, out);
  std::vector<Value> values;
  for (uint32_t i = 0; i < ids.size(); ++i) values.push_back(out[column].getValue(i));
  return values;
}

TEST(HashColumnsTest, IsTheStableMixOfTheWidenedValueAndAgreesAcrossIntegerWidths) {
  const std::vector<Vector> big_column{column(DataType::bigInt(), {big(5), big(-1), nullOf(DataType::bigInt())})};
  const std::vector<Vector> int_column{
      column(DataType::integer(), {Value::integer(5), Value::integer(-1), nullOf(DataType::integer())})};
  uint64_t a[3];
  uint64_t b[3];
  hashColumns(big_column, Rows{nullptr, 3}, a);
  hashColumns(int_column, Rows{nullptr, 3}, b);
  EXPECT_EQ(a[0], detail::mix64(5));
  EXPECT_EQ(a[1], detail::mix64(~uint64_t{0}));
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(a[1], b[1]);
  EXPECT_EQ(a[2], b[2]);  // NULL hashes alike whatever the type
  EXPECT_NE(a[0], a[2]);

  const std::vector<Vector> strings{column(DataType::string(), {Value::string("abc"), Value::string("")})};
  uint64_t s[2];
  hashColumns(strings, Rows{nullptr, 2}, s);
  EXPECT_EQ(s[0], detail::hashBytes("abc", 3));
  EXPECT_EQ(s[1], detail::hashBytes("", 0));

  // A selection picks rows; a constant column hashes every row alike.
  const uint32_t sel[] = {2, 0};
  uint64_t picked[2];
  hashColumns(big_column, Rows{sel, 2}, picked);
  EXPECT_EQ(picked[0], a[2]);
  EXPECT_EQ(picked[1], a[0]);
  const std::vector<Vector> constant{Vector::constant(big(5))};
  uint64_t c[3];
  hashColumns(constant, Rows{nullptr, 3}, c);
  EXPECT_EQ(c[0], a[0]);
  EXPECT_EQ(c[2], a[0]);

  // Two columns: order matters.
  const std::vector<Vector> ab{column(DataType::bigInt(), {big(1)}), column(DataType::bigInt(), {big(2)})};
  const std::vector<Vector> ba{column(DataType::bigInt(), {big(2)}), column(DataType::bigInt(), {big(1)})};
  uint64_t hab;
  uint64_t hba;
  hashColumns(ab, Rows{nullptr, 1}, &hab);
  hashColumns(ba, Rows{nullptr, 1}, &hba);
  EXPECT_EQ(hab, detail::hashCombine(detail::mix64(1), detail::mix64(2)));
  EXPECT_NE(hab, hba);
}

TEST(GroupHashTableTest, OneBigIntKeyGroupsEqualValuesAndNulls) {
  GroupHashTable table({DataType::bigInt()}, 8);
  const std::vector<Vector> keys{column(DataType::bigInt(), {big(5), big(7), big(5), nullOf(DataType::bigInt()), big(7),
                                                              nullOf(DataType::bigInt())})};
  std::vector<uint32_t> created;
  EXPECT_EQ(insert(table, keys, 6, &created), (std::vector<uint32_t>{0, 1, 0, 2, 1, 2}));
  EXPECT_EQ(created, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(keysOf(table, {0, 1, 2}, 0), (std::vector<Value>{big(5), big(7), nullOf(DataType::bigInt())}));

  // Existing keys create nothing.
  created.clear();
  EXPECT_EQ(insert(table, keys, 6, &created), (std::vector<uint32_t>{0, 1, 0, 2, 1, 2}));
  EXPECT_TRUE(created.empty());
}

TEST(GroupHashTableTest, PayloadsAreZeroedThenInitializedAndStayPut) {
  GroupHashTable table({DataType::integer()}, 12, [](uint8_t* payload) { payload[3] = 42; });
  EXPECT_EQ(table.payloadSize(), 16u);
  const std::vector<Vector> keys{column(DataType::integer(), {Value::integer(1)})};
  const uint32_t id = insert(table, keys, 1)[0];
  uint8_t* payload = table.payload(id);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(payload) % 8, 0u);
  EXPECT_EQ(payload[0], 0);
  EXPECT_EQ(payload[3], 42);
  payload[0] = 9;
  // Many more groups (several rehashes and row blocks): the first payload does not move.
  std::vector<Value> many;
  for (int i = 2; i < 20000; ++i) many.push_back(Value::integer(i));
  for (size_t start = 0; start < many.size(); start += kVectorSize) {
    const std::vector<Value> part(many.begin() + static_cast<long>(start),
                                  many.begin() + static_cast<long>(std::min(many.size(), start + kVectorSize)));
    insert(table, {column(DataType::integer(), part)}, static_cast<uint32_t>(part.size()));
  }
  EXPECT_EQ(table.size(), 19999u);
  EXPECT_EQ(table.payload(id), payload);
  EXPECT_EQ(payload[0], 9);
  EXPECT_GE(table.capacity() * 2 / 5, table.size());
  EXPECT_GT(table.memoryUsage(), 19999u * 24);
}

TEST(GroupHashTableTest, SeveralKeyColumnsWithStringsDecimalsAndNulls) {
  const DataType dec = DataType::decimal(10, 2);
  GroupHashTable table({DataType::string(), DataType::integer(), dec}, 8);
  std::vector<uint32_t> ids;
  {
    // The input vectors (and their strings) go away after the insertion.
    const std::vector<Vector> keys{
        column(DataType::string(),
               {Value::string("a"), Value::string("a"), Value::string("a long string key"), nullOf(DataType::string()),
                Value::string("a"), nullOf(DataType::string()), Value::string("")}),
        column(DataType::integer(), {Value::integer(1), Value::integer(1), Value::integer(1), Value::integer(1),
                                     nullOf(DataType::integer()), Value::integer(1), Value::integer(1)}),
        column(dec, {Value::fromInt(dec, 150), Value::fromInt(dec, 150), Value::fromInt(dec, 150),
                     Value::fromInt(dec, 150), Value::fromInt(dec, 150), Value::fromInt(dec, 150),
                     Value::fromInt(dec, 150)})};
    ids = insert(table, keys, 7);
  }
  // NULL string vs empty string are different keys; NULL equals NULL.
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 0, 1, 2, 3, 2, 4}));
  EXPECT_EQ(keysOf(table, {0, 1, 2, 3, 4}, 0),
            (std::vector<Value>{Value::string("a"), Value::string("a long string key"), nullOf(DataType::string()),
                                Value::string("a"), Value::string("")}));
  EXPECT_EQ(keysOf(table, {0, 3}, 1), (std::vector<Value>{Value::integer(1), nullOf(DataType::integer())}));
  EXPECT_EQ(keysOf(table, {4}, 2), (std::vector<Value>{Value::fromInt(dec, 150)}));

  const std::vector<Vector> again{column(DataType::string(), {Value::string("a long string key")}),
                                  column(DataType::integer(), {Value::integer(1)}),
                                  column(dec, {Value::fromInt(dec, 150)})};
  EXPECT_EQ(insert(table, again, 1), (std::vector<uint32_t>{1}));
}

TEST(GroupHashTableTest, FloatKeysGroupNegativeZeroWithZeroAndNaNsTogether) {
  GroupHashTable table({DataType::doubleType()}, 0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Vector> keys{column(DataType::doubleType(),
                                        {Value::doubleValue(0.0), Value::doubleValue(-0.0), Value::doubleValue(nan),
                                         Value::doubleValue(-nan), Value::doubleValue(1.5)})};
  EXPECT_EQ(insert(table, keys, 5), (std::vector<uint32_t>{0, 0, 1, 1, 2}));
}

TEST(GroupHashTableTest, SelectionsAndConstantKeys) {
  GroupHashTable table({DataType::bigInt(), DataType::string()}, 0);
  const std::vector<Vector> keys{column(DataType::bigInt(), {big(1), big(2), big(3), big(2)}),
                                 Vector::constant(Value::string("x"))};
  const uint32_t sel[] = {3, 1, 0};
  uint64_t hashes[3];
  uint32_t ids[3];
  table.hashKeys(keys, Rows{sel, 3}, hashes);
  EXPECT_EQ(table.findOrInsert(keys, Rows{sel, 3}, hashes, ids), 2u);
  EXPECT_EQ(ids[0], 0u);
  EXPECT_EQ(ids[1], 0u);
  EXPECT_EQ(ids[2], 1u);
  EXPECT_EQ(keysOf(table, {0, 1}, 0), (std::vector<Value>{big(2), big(1)}));
  EXPECT_EQ(keysOf(table, {0, 1}, 1), (std::vector<Value>{Value::string("x"), Value::string("x")}));

  // A constant single key goes through the generic path and agrees with the flat one.
  GroupHashTable single({DataType::bigInt()}, 0);
  const std::vector<Vector> flat{column(DataType::bigInt(), {big(4)})};
  const std::vector<Vector> constant{Vector::constant(big(4))};
  EXPECT_EQ(insert(single, flat, 1), (std::vector<uint32_t>{0}));
  EXPECT_EQ(insert(single, constant, 3), (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_EQ(single.size(), 1u);
}

TEST(GroupHashTableTest, EraseFindAndReuse) {
  GroupHashTable table({DataType::bigInt()}, 8);
  const std::vector<Vector> keys{column(DataType::bigInt(), {big(10), big(20), big(30), nullOf(DataType::bigInt())})};
  EXPECT_EQ(insert(table, keys, 4), (std::vector<uint32_t>{0, 1, 2, 3}));
  table.erase(1);
  table.erase(3);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_FALSE(table.contains(1));
  EXPECT_TRUE(table.contains(2));
  uint64_t hashes[4];
  uint32_t ids[4];
  table.hashKeys(keys, Rows{nullptr, 4}, hashes);
  table.find(keys, Rows{nullptr, 4}, hashes, ids);
  EXPECT_EQ(std::vector<uint32_t>(ids, ids + 4),
            (std::vector<uint32_t>{0, GroupHashTable::kNoGroup, 2, GroupHashTable::kNoGroup}));
  EXPECT_EQ(table.size(), 2u);
  std::vector<uint32_t> live;
  table.forEachGroup([&](uint32_t id) { live.push_back(id); });
  EXPECT_EQ(live, (std::vector<uint32_t>{0, 2}));
  // Erased ids are handed out again; the recycled payload is zeroed.
  std::vector<uint32_t> created;
  const std::vector<uint32_t> again = insert(table, keys, 4, &created);
  EXPECT_EQ(again[0], 0u);
  EXPECT_EQ(again[2], 2u);
  EXPECT_EQ(std::set<uint32_t>(created.begin(), created.end()), (std::set<uint32_t>{1, 3}));
  EXPECT_EQ(table.groupIdLimit(), 4u);
  EXPECT_EQ(keysOf(table, {again[1], again[3]}, 0), (std::vector<Value>{big(20), nullOf(DataType::bigInt())}));
}

// Random keys with NULLs (and strings), random inserts and deletions, many rehashes, checked
// against std::map. The payload counts the rows seen per group.
template <class MakeKey>
void runOracle(const std::vector<DataType>& types, MakeKey make_key, uint32_t seed) {
  using Key = std::vector<Value>;
  struct KeyLess {
    bool operator()(const Key& a, const Key& b) const {
      for (size_t i = 0; i < a.size(); ++i) {
        const int c = a[i].compare(b[i]);
        if (c != 0) return c < 0;
      }
      return false;
    }
  };
  std::mt19937_64 rng(seed);
  GroupHashTable table(types, sizeof(int64_t));
  std::map<Key, std::pair<uint32_t, int64_t>, KeyLess> oracle;  // key -> (group id, rows)
  size_t max_capacity = 0;
  for (int round = 0; round < 60; ++round) {
    const uint32_t n = 1 + static_cast<uint32_t>(rng() % kVectorSize);
    const int64_t domain = 200 + round * 300;
    std::vector<Key> chunk_keys;
    std::vector<Vector> keys;
    for (const DataType& type : types) keys.emplace_back(type, n);
    for (uint32_t r = 0; r < n; ++r) {
      Key key = make_key(rng, domain);
      for (size_t c = 0; c < types.size(); ++c) keys[c].setValue(r, key[c]);
      chunk_keys.push_back(std::move(key));
    }
    // Every other round, a selection of some rows.
    std::vector<uint32_t> sel;
    for (uint32_t r = 0; r < n; ++r) {
      if (round % 2 == 0 || rng() % 3 != 0) sel.push_back(r);
    }
    const Rows rows{round % 2 == 0 ? nullptr : sel.data(), static_cast<uint32_t>(sel.size())};
    std::vector<uint64_t> hashes(rows.count);
    std::vector<uint32_t> ids(rows.count);
    std::vector<uint32_t> created;
    table.hashKeys(keys, rows, hashes.data());
    const uint32_t made = table.findOrInsert(keys, rows, hashes.data(), ids.data(), &created);
    ASSERT_EQ(made, created.size());
    std::set<uint32_t> created_set(created.begin(), created.end());
    for (uint32_t i = 0; i < rows.count; ++i) {
      const Key& key = chunk_keys[rows[i]];
      auto it = oracle.find(key);
      if (it == oracle.end()) {
        ASSERT_TRUE(created_set.count(ids[i])) << "round " << round;
        it = oracle.emplace(key, std::make_pair(ids[i], int64_t{0})).first;
      } else {
        ASSERT_EQ(it->second.first, ids[i]) << "round " << round;
      }
      ++it->second.second;
      ++*reinterpret_cast<int64_t*>(table.payload(ids[i]));
    }
    ASSERT_EQ(table.size(), oracle.size());
    max_capacity = std::max(max_capacity, table.capacity());
    // Delete about a tenth of the groups.
    for (auto it = oracle.begin(); it != oracle.end();) {
      if (rng() % 10 == 0) {
        table.erase(it->second.first);
        it = oracle.erase(it);
      } else {
        ++it;
      }
    }
    ASSERT_EQ(table.size(), oracle.size());
  }
  EXPECT_GE(max_capacity, 64u * 64);  // grew through at least six rehashes
  // The live groups, their keys and payloads are exactly the oracle's.
  std::vector<uint32_t> live;
  table.forEachGroup([&](uint32_t id) { live.push_back(id); });
  ASSERT_EQ(live.size(), oracle.size());
  std::vector<Vector> out;
  table.gatherKeys(live, out);
  std::map<uint32_t, std::pair<Key, int64_t>> by_id;
  for (const auto& [key, entry] : oracle) by_id[entry.first] = {key, entry.second};
  for (uint32_t i = 0; i < live.size(); ++i) {
    const auto it = by_id.find(live[i]);
    ASSERT_NE(it, by_id.end());
    for (size_t c = 0; c < types.size(); ++c) EXPECT_EQ(out[c].getValue(i), it->second.first[c]);
    EXPECT_EQ(*reinterpret_cast<const int64_t*>(table.payload(live[i])), it->second.second);
  }
  // find agrees for every live key and misses erased ones.
  std::vector<Vector> keys;
  for (const DataType& type : types) keys.emplace_back(type, static_cast<uint32_t>(oracle.size() + 1));
  uint32_t r = 0;
  for (const auto& [key, entry] : oracle) {
    for (size_t c = 0; c < types.size(); ++c) keys[c].setValue(r, key[c]);
    ++r;
  }
  std::vector<uint64_t> hashes(r);
  std::vector<uint32_t> ids(r);
  table.hashKeys(keys, Rows{nullptr, r}, hashes.data());
  table.find(keys, Rows{nullptr, r}, hashes.data(), ids.data());
  r = 0;
  for (const auto& [key, entry] : oracle) EXPECT_EQ(ids[r++], entry.first);
}

TEST(GroupHashTableTest, RandomBigIntKeysAgainstMap) {
  runOracle({DataType::bigInt()},
            [](std::mt19937_64& rng, int64_t domain) {
              if (rng() % 50 == 0) return std::vector<Value>{Value::null(DataType::bigInt())};
              return std::vector<Value>{Value::bigInt(static_cast<int64_t>(rng() % domain) * 7919 - 100000)};
            },
            1);
}

TEST(GroupHashTableTest, RandomIntKeysAgainstMap) {
  runOracle({DataType::integer()},
            [](std::mt19937_64& rng, int64_t domain) {
              if (rng() % 50 == 0) return std::vector<Value>{Value::null(DataType::integer())};
              return std::vector<Value>{Value::integer(static_cast<int32_t>(rng() % domain) - 1000)};
            },
            2);
}

TEST(GroupHashTableTest, RandomStringKeysAgainstMap) {
  runOracle({DataType::string()},
            [](std::mt19937_64& rng, int64_t domain) {
              if (rng() % 50 == 0) return std::vector<Value>{Value::null(DataType::string())};
              const int64_t v = static_cast<int64_t>(rng() % domain);
              return std::vector<Value>{Value::string(std::string(v % 20, 'x') + std::to_string(v))};
            },
            3);
}

TEST(GroupHashTableTest, RandomCompositeKeysAgainstMap) {
  runOracle({DataType::bigInt(), DataType::string(), DataType::boolean()},
            [](std::mt19937_64& rng, int64_t domain) {
              const int64_t v = static_cast<int64_t>(rng() % domain);
              Value a = rng() % 20 == 0 ? Value::null(DataType::bigInt()) : Value::bigInt(v / 3);
              Value b = rng() % 20 == 0 ? Value::null(DataType::string()) : Value::string(std::string("s").append(std::to_string(v % 7)));
              Value c = rng() % 20 == 0 ? Value::null(DataType::boolean()) : Value::boolean(v % 2 == 0);
              return std::vector<Value>{a, b, c};
            },
            4);
}

}  // namespace
}  // namespace caudal::sql
