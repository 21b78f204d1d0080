// The public SQL API (include/caudal/sql.h): statements, DataFrames, streaming writes and
// foreachBatch, with results written out by hand.
#include <gtest/gtest.h>

#include <mutex>

#include "caudal/error.h"
#include "caudal/sql.h"

namespace caudal {
namespace {

std::vector<std::string> rowsOf(const SqlTable& table) {
  std::vector<std::string> rows;
  for (const auto& row : table.rows) {
    std::string text;
    for (size_t c = 0; c < row.size(); ++c) text.append(c > 0 ? "|" : "").append(row[c] ? *row[c] : "NULL");
    rows.push_back(text);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

constexpr const char* kNumbers =
    "CREATE TABLE numbers (k BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '10', "
    "'fields.k.kind' = 'sequence', 'fields.k.start' = '1', 'fields.k.end' = '10')";

TEST(SessionApiTest, RunsStatementsAndBoundedDataFrames) {
  auto session = Session::create(2);
  EXPECT_EQ(session->sql(kNumbers).message, "table 'numbers' created");
  const SqlTable sums = session->sql("SELECT k % 2 AS odd, SUM(k) AS total FROM numbers GROUP BY k % 2");
  EXPECT_EQ(sums.column_names, (std::vector<std::string>{"odd", "total"}));
  EXPECT_EQ(sums.column_types, (std::vector<std::string>{"BIGINT", "BIGINT"}));
  EXPECT_EQ(rowsOf(sums), (std::vector<std::string>{"0|30", "1|25"}));

  DataFrame numbers = session->table("numbers");
  EXPECT_EQ(rowsOf(numbers.filter("k > 7").select({"k", "k * k AS square"}).collect()),
            (std::vector<std::string>{"10|100", "8|64", "9|81"}));
  EXPECT_EQ(rowsOf(numbers.groupBy({"k % 3"}).count().collect()), (std::vector<std::string>{"0|3", "1|4", "2|3"}));
  EXPECT_EQ(rowsOf(numbers.groupBy({"k % 2"}).agg({"MIN(k)", "MAX(k)"}).collect()),
            (std::vector<std::string>{"0|2|10", "1|1|9"}));
  const DataFrame small = numbers.where("k <= 2");
  EXPECT_EQ(rowsOf(small.join(numbers.where("k >= 2"), "l.k = r.k", "left").collect()),
            (std::vector<std::string>{"1|NULL", "2|2"}));
  EXPECT_NE(numbers.filter("k > 1").explain().find("Filter(condition=[k > 1])"), std::string::npos);
}

TEST(SessionApiTest, ErrorsThrowWithThePlace) {
  auto session = Session::create(1);
  session->sql(kNumbers);
  try {
    session->sql("SELECT kk FROM numbers");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "line 1, column 8: column 'kk' not found; did you mean 'k'?");
  }
  EXPECT_THROW(session->table("missing"), Error);
  EXPECT_THROW(session->table("numbers").writeStream().outputMode("sideways").start(), Error);
  EXPECT_THROW(session->memoryTable("nothing"), Error);
}

TEST(SessionApiTest, StreamsToMemoryAndForeachBatch) {
  auto session = Session::create(2);
  DataFrame stream = session->readStream()
                         .format("datagen")
                         .option("number-of-rows", "100")
                         .option("rows-per-second", "0")
                         .option("fields.k.kind", "sequence")
                         .option("fields.k.start", "1")
                         .option("fields.k.end", "100")
                         .schema("k BIGINT")
                         .load();
  StreamingQuery counts = stream.groupBy({"k % 4"})
                              .count()
                              .writeStream()
                              .format("memory")
                              .option("table-name", "counts")
                              .outputMode("complete")
                              .start();
  EXPECT_TRUE(counts.awaitTermination(std::chrono::seconds(30)));
  EXPECT_EQ(rowsOf(session->memoryTable("counts")), (std::vector<std::string>{"0|25", "1|25", "2|25", "3|25"}));
  EXPECT_NE(counts.lastProgress().find("\"batchId\":0"), std::string::npos);
  // The aggregation's state: the four groups, all touched by the one batch.
  EXPECT_NE(counts.lastProgress().find("\"stateOperators\":[{\"operatorName\":\"aggregate\",\"numRowsTotal\":4,"
                                       "\"numRowsUpdated\":4,"),
            std::string::npos)
      << counts.lastProgress();

  std::mutex mutex;
  std::vector<int64_t> batches;
  int64_t rows = 0;
  StreamingQuery each = stream.filter("k > 90")
                            .writeStream()
                            .foreachBatch([&](const SqlTable& batch, int64_t batch_id) {
                              std::lock_guard<std::mutex> lock(mutex);
                              batches.push_back(batch_id);
                              rows += static_cast<int64_t>(batch.rows.size());
                            })
                            .start();
  EXPECT_TRUE(each.awaitTermination(std::chrono::seconds(30)));
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(rows, 10);
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches.front(), 0);
}

}  // namespace
}  // namespace caudal
