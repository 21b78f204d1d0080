// DECIMAL(p > 18) end to end through SQL statements on bounded input: literals, casts,
// arithmetic, GROUP BY and join keys, aggregates, INSERT into a narrower DECIMAL column; results
// written out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "../sql_test_support.h"
#include "sql/connector/memory_tables.h"
#include "sql/execution/streaming_query.h"
#include "sql/session/sql_session.h"

namespace caudal::sql {
namespace {

// The rows of a bounded SELECT, one string per row (`a|b|c`), sorted.
std::vector<std::string> decimalRows(SqlSession& session, const std::string& sql) {
  return test_support::sortedRows(test_support::selectRows(session, sql));
}

// The type of each column of a bounded SELECT.
std::vector<std::string> decimalColumnTypes(SqlSession& session, const std::string& sql) {
  auto result = session.executeOne(sql);
  if (!result.isOk()) {
    ADD_FAILURE() << sql << "\n  failed: " << result.status().message();
    return {};
  }
  std::vector<std::string> types;
  for (const Field& column : result.value().schema.columns) types.push_back(column.type.withNullable(true).toString());
  return types;
}

using Strings = std::vector<std::string>;

// Amounts of DECIMAL(30, 2) in two accounts; the same amount twice in account 'a'.
constexpr const char* kLedger =
    "(VALUES ('a', CAST('12345678901234567890.25' AS DECIMAL(30, 2))), "
    "('b', CAST('-98765432109876543210.50' AS DECIMAL(30, 2))), "
    "('a', CAST('12345678901234567890.25' AS DECIMAL(30, 2))), "
    "('b', CAST('0.01' AS DECIMAL(30, 2))), "
    "('c', CAST(NULL AS DECIMAL(30, 2)))) AS ledger(account, amount)";

TEST(DecimalSqlTest, LiteralsAndTypes) {
  SqlSession session(2);
  EXPECT_EQ(decimalColumnTypes(session, "SELECT 12345678901234567890.5, 0.908 * CAST(1 AS BIGINT), "
                                        "CAST(1 AS DECIMAL(38, 10)) / CAST(3 AS DECIMAL(38, 10))"),
            (Strings{"DECIMAL(21, 1)", "DECIMAL(24, 3)", "DECIMAL(38, 6)"}));
  EXPECT_EQ(decimalRows(session, "SELECT 12345678901234567890.5 + 1, -99999999999999999999999999999999999999, "
                                 "CAST(1 AS DECIMAL(38, 10)) / CAST(3 AS DECIMAL(38, 10))"),
            (Strings{"12345678901234567891.5|-99999999999999999999999999999999999999|0.333333"}));
  // 39 digits do not fit a DECIMAL: a DOUBLE, as before.
  EXPECT_EQ(decimalColumnTypes(session, "SELECT 123456789012345678901234567890123456789"), (Strings{"DOUBLE"}));
}

TEST(DecimalSqlTest, CastsComparisonsAndOverflow) {
  SqlSession session(2);
  EXPECT_EQ(decimalRows(session, "SELECT CAST('12345678901234567890.125' AS DECIMAL(22, 2)), "
                                 "TRY_CAST('1e40' AS DECIMAL(38, 0)), CAST(CAST(-1.5 AS DECIMAL(25, 1)) AS INT), "
                                 "CAST(CAST('12345678901234567890.5' AS DECIMAL(21, 1)) AS DOUBLE)"),
            (Strings{"12345678901234567890.13|NULL|-1|1.2345678901234567e+19"}));
  EXPECT_EQ(decimalRows(session, "SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38, 0)) + 1, "
                                 "CAST(12.5 AS DECIMAL(5, 1)) < CAST(12345678901234567890 AS DECIMAL(20, 0)), "
                                 "CAST(5 AS BIGINT) = CAST(5 AS DECIMAL(30, 2))"),
            (Strings{"NULL|true|true"}));
  EXPECT_EQ(decimalRows(session, std::string("SELECT account FROM ") + kLedger +
                                     " WHERE amount > CAST(1000 AS DECIMAL(10, 2))"),
            (Strings{"a", "a"}));
}

TEST(DecimalSqlTest, GroupByAWideKeyAndAggregates) {
  SqlSession session(2);
  EXPECT_EQ(decimalRows(session, std::string("SELECT amount, COUNT(*) FROM ") + kLedger + " GROUP BY amount"),
            (Strings{"-98765432109876543210.50|1", "0.01|1", "12345678901234567890.25|2", "NULL|1"}));
  EXPECT_EQ(decimalRows(session, std::string("SELECT account, SUM(amount), MIN(amount), MAX(amount), AVG(amount), "
                                             "COUNT(DISTINCT amount) FROM ") +
                                     kLedger + " GROUP BY account"),
            (Strings{"a|24691357802469135780.50|12345678901234567890.25|12345678901234567890.25|"
                     "12345678901234567890.250000|1",
                     "b|-98765432109876543210.49|-98765432109876543210.50|0.01|-49382716054938271605.245000|2",
                     "c|NULL|NULL|NULL|NULL|0"}));
  EXPECT_EQ(decimalColumnTypes(session, std::string("SELECT SUM(amount), AVG(amount), MIN(amount) FROM ") + kLedger),
            (Strings{"DECIMAL(38, 2)", "DECIMAL(38, 6)", "DECIMAL(30, 2)"}));
}

TEST(DecimalSqlTest, JoinsOnAWideKey) {
  SqlSession session(2);
  const std::string orders =
      "(VALUES (CAST(1234567890123456789012345 AS DECIMAL(25, 0)), 'pen'), "
      "(CAST(-1234567890123456789012345 AS DECIMAL(25, 0)), 'ink'), "
      "(CAST(7 AS DECIMAL(25, 0)), 'cap')) AS orders(id, item)";
  const std::string payments =
      "(VALUES (CAST(1234567890123456789012345 AS DECIMAL(25, 0)), 10), "
      "(CAST(7 AS DECIMAL(25, 0)), 20), (CAST(7 AS DECIMAL(25, 0)), 30), "
      "(CAST(8 AS DECIMAL(25, 0)), 40)) AS payments(order_id, paid)";
  EXPECT_EQ(decimalRows(session, "SELECT id, item, paid FROM " + orders + " JOIN " + payments + " ON id = order_id"),
            (Strings{"1234567890123456789012345|pen|10", "7|cap|20", "7|cap|30"}));
  EXPECT_EQ(decimalRows(session, "SELECT item, paid FROM " + orders + " LEFT JOIN " + payments + " ON id = order_id"),
            (Strings{"cap|20", "cap|30", "ink|NULL", "pen|10"}));
}

TEST(DecimalSqlTest, InsertRoundsIntoANarrowerDecimalColumn) {
  // Nexmark q1: 0.908 * price is DECIMAL(24, 3), its sink column DECIMAL(23, 3).
  SqlSession session(2);
  auto created = session.execute(
      "CREATE TABLE out (price DECIMAL(23, 3), small DECIMAL(5, 2)) WITH ('connector' = 'memory');");
  ASSERT_TRUE(created.isOk()) << created.status().message();
  auto inserted = session.executeOne(
      "INSERT INTO out SELECT 0.908 * price, CAST(price AS DECIMAL(22, 3)) FROM "
      "(VALUES (CAST(9223372036854775807 AS BIGINT)), (CAST(1 AS BIGINT))) AS bid(price)");
  ASSERT_TRUE(inserted.isOk()) << inserted.status().message();
  ASSERT_TRUE(inserted.value().query != nullptr);
  EXPECT_TRUE(inserted.value().query->awaitTermination(std::chrono::seconds(30)));
  EXPECT_EQ(inserted.value().query->failure(), "");
  Strings rows;
  for (const Row& row : session.memoryTables().rows("out")) rows.push_back(row[0].toString() + "|" + row[1].toString());
  std::sort(rows.begin(), rows.end());
  // The second column overflows DECIMAL(5, 2) for the large price: NULL, as Flink.
  EXPECT_EQ(rows, (Strings{"0.908|1.00", "8374821809464136432.756|NULL"}));
  // An exact number that is not a DECIMAL still needs a widening cast.
  EXPECT_EQ(session.execute("INSERT INTO out SELECT 'x', 1").status().message(),
            "line 1, column 1: column 'price' of table 'out' has type DECIMAL(23, 3) but the query gives "
            "STRING NOT NULL; use CAST");
}

}  // namespace
}  // namespace caudal::sql
