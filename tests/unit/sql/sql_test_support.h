// What the SQL unit tests share: rows as text, the rows of a bounded SELECT, the error of a
// statement, and a sink recording what each batch of a continuous query wrote.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "sql/connector/table_sink.h"
#include "sql/execution/row_set.h"
#include "sql/execution/streaming_query.h"
#include "sql/session/sql_session.h"

namespace caudal::sql::test_support {

/// A row's values as text: `a|b|c`.
inline std::string rowText(const Row& row) {
  std::string out;
  for (size_t c = 0; c < row.size(); ++c) out.append(c > 0 ? "|" : "").append(row[c].toString());
  return out;
}

/// The rows of a bounded SELECT as text, in result order; a failure is reported and gives none.
inline std::vector<std::string> selectRows(SqlSession& session, const std::string& sql) {
  auto result = session.executeOne(sql);
  if (!result.isOk()) {
    ADD_FAILURE() << sql << "\n  failed: " << result.status().message();
    return {};
  }
  EXPECT_EQ(result.value().kind, StatementResult::Kind::kRows) << sql;
  std::vector<std::string> rows;
  for (const Row& row : result.value().rows) rows.push_back(rowText(row));
  return rows;
}

/// `rows` in sorted order.
inline std::vector<std::string> sortedRows(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// The error message of running `sql`, or "(no error)".
inline std::string statementError(SqlSession& session, const std::string& sql) {
  auto result = session.execute(sql);
  return result.isOk() ? "(no error)" : result.status().message();
}

/// The rows the stateful operator `operator_name` ("join", "rank", ...) of `query` held after
/// its last batch, or -1 when it has none.
inline int64_t stateRows(const StreamingQuery& query, const std::string& operator_name) {
  for (const StateOperatorProgress& state : query.lastProgress().state_operators) {
    if (state.operator_name == operator_name) return state.rows_total;
  }
  return -1;
}

/// What a continuous query wrote, batch by batch.
struct Changelog {
  /// Each batch's rows: "+row" for +I and +U, "-row" for -U and -D; sorted.
  std::vector<std::vector<std::string>> batches;
  /// Every change so far applied to a multiset of rows, sorted.
  std::vector<std::string> result;
};

/// A sink recording each batch into a Changelog.
class ChangelogSink : public TableSink {
 public:
  explicit ChangelogSink(Changelog& changelog) : changelog_(changelog) {}
  Status open(const SinkContext&) override { return Status::ok(); }
  Status writeBatch(int64_t, std::span<const DataChunk> chunks) override {
    std::vector<std::string> lines;
    for (auto& [row, kind] : chunkRows(chunks)) {
      lines.push_back(std::string(isAccumulate(kind) ? "+" : "-").append(rowText(row)));
      result_.apply(row, kind);
    }
    std::sort(lines.begin(), lines.end());
    changelog_.batches.push_back(std::move(lines));
    changelog_.result.clear();
    for (const auto& [row, count] : result_.rows()) {
      for (int64_t i = 0; i < count; ++i) changelog_.result.push_back(rowText(row));
    }
    std::sort(changelog_.result.begin(), changelog_.result.end());
    return Status::ok();
  }

 private:
  Changelog& changelog_;
  RowMultiset result_;
};

}  // namespace caudal::sql::test_support
