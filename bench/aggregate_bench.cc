// The kernel of `SELECT k, COUNT(*), SUM(v) FROM t GROUP BY k` on one thread: per 2048-row
// chunk of random BIGINT keys and values, hashColumns + GroupHashTable::findOrInsert (with the
// new groups' states initialized) + the COUNT(*) and SUM(BIGINT) updates. Runs with 1 000 and
// 1 000 000 distinct keys and reports rows/s (target: >= 30 M rows/s with 1 000 keys). Baseline,
// in the same run and on the same rows: a hand-written loop over an
// absl::flat_hash_map<int64_t, std::pair<int64_t, int64_t>>, one lookup per row; the ratio
// engine / hand loop is reported too (target: >= 0.5). Engine and baseline alternate over
// several rounds (the median is reported), so that a loaded machine weighs on both alike.
// Rates are per core: rows over the thread's CPU time (on a shared machine the wall clock
// also counts the time other processes hold the core); the wall-clock rate is reported too.
//
//   aggregate_bench [--quick]
#include <absl/container/flat_hash_map.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_report.h"
#include "sql/execution/group_hash_table.h"
#include "sql/function/aggregate_function.h"
#include "sql/function/builtin_functions.h"
#include "sql/function/function_registry.h"

namespace {

using caudal::bench::Clock;
using caudal::bench::percentile;
using caudal::bench::report;
using caudal::bench::secondsSince;
using namespace caudal::sql;

constexpr uint32_t kChunkRows = kVectorSize;

struct Workload {
  std::vector<Vector> keys;    // one BIGINT vector per chunk
  std::vector<Vector> values;  // one BIGINT vector per chunk
  std::vector<int64_t> distinct_keys;
};

// `chunks` chunks whose keys are drawn uniformly from `distinct` random 64-bit keys.
Workload makeWorkload(uint64_t distinct, size_t chunks, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Workload w;
  for (uint64_t i = 0; i < distinct; ++i) w.distinct_keys.push_back(static_cast<int64_t>(rng()));
  for (size_t c = 0; c < chunks; ++c) {
    Vector keys(DataType::bigInt(), kChunkRows);
    Vector values(DataType::bigInt(), kChunkRows);
    for (uint32_t r = 0; r < kChunkRows; ++r) {
      keys.values<int64_t>()[r] = w.distinct_keys[rng() % distinct];
      values.values<int64_t>()[r] = static_cast<int64_t>(rng() % 1000);
    }
    w.keys.push_back(std::move(keys));
    w.values.push_back(std::move(values));
  }
  return w;
}

BoundAggregateFunction resolve(const FunctionRegistry& registry, const char* name, std::vector<DataType> args) {
  return (*registry.findAggregate(name))(args, false, false).valueOrThrow();
}

// The engine's side: the table and the two aggregates, state offsets 0 (COUNT) and 8 (SUM).
class EngineAggregation {
 public:
  explicit EngineAggregation(const FunctionRegistry& registry)
      : count_(resolve(registry, "COUNT", {})),
        sum_(resolve(registry, "SUM", {DataType::bigInt()})),
        sum_offset_(count_.state_size),
        table_({DataType::bigInt()}, count_.state_size + sum_.state_size) {}

  void consume(const Vector& keys, const Vector& values) {
    const Rows rows{nullptr, kChunkRows};
    const std::span<const Vector> key_columns(&keys, 1);
    table_.hashKeys(key_columns, rows, hashes_);
    new_groups_.clear();
    table_.findOrInsert(key_columns, rows, hashes_, group_ids_, &new_groups_);
    for (uint32_t id : new_groups_) {
      uint8_t* payload = table_.payload(id);
      count_.initialize(payload);
      sum_.initialize(payload + sum_offset_);
    }
    for (uint32_t i = 0; i < rows.count; ++i) {
      uint8_t* payload = table_.payload(group_ids_[i]);
      count_states_[i] = payload;
      sum_states_[i] = payload + sum_offset_;
    }
    count_.update({}, rows, count_states_, nullptr).ignore();
    sum_.update(std::span<const Vector>(&values, 1), rows, sum_states_, nullptr).ignore();
  }

  // Sum of every group's COUNT and SUM, finalized as a query would.
  std::pair<int64_t, int64_t> totals() {
    std::vector<uint32_t> ids;
    table_.forEachGroup([&](uint32_t id) { ids.push_back(id); });
    std::vector<const uint8_t*> counts;
    std::vector<const uint8_t*> sums;
    for (uint32_t id : ids) {
      counts.push_back(table_.payload(id));
      sums.push_back(table_.payload(id) + sum_offset_);
    }
    Vector count_out(count_.return_type, static_cast<uint32_t>(ids.size()));
    Vector sum_out(sum_.return_type, static_cast<uint32_t>(ids.size()));
    count_.finalize(counts.data(), static_cast<uint32_t>(ids.size()), count_out);
    sum_.finalize(sums.data(), static_cast<uint32_t>(ids.size()), sum_out);
    std::pair<int64_t, int64_t> t{0, 0};
    for (uint32_t i = 0; i < ids.size(); ++i) {
      t.first += count_out.values<int64_t>()[i];
      t.second += sum_out.values<int64_t>()[i];
    }
    return t;
  }
  size_t groups() const { return table_.size(); }
  size_t memoryUsage() const { return table_.memoryUsage(); }

 private:
  BoundAggregateFunction count_;
  BoundAggregateFunction sum_;
  uint32_t sum_offset_;
  GroupHashTable table_;
  uint64_t hashes_[kChunkRows];
  uint32_t group_ids_[kChunkRows];
  uint8_t* count_states_[kChunkRows];
  uint8_t* sum_states_[kChunkRows];
  std::vector<uint32_t> new_groups_;
};

// The baseline: one hash map lookup per row.
class HandAggregation {
 public:
  void consume(const Vector& keys, const Vector& values) {
    const int64_t* k = keys.values<int64_t>();
    const int64_t* v = values.values<int64_t>();
    for (uint32_t r = 0; r < kChunkRows; ++r) {
      auto& entry = map_[k[r]];
      ++entry.first;
      entry.second += v[r];
    }
  }
  std::pair<int64_t, int64_t> totals() const {
    std::pair<int64_t, int64_t> t{0, 0};
    for (const auto& [key, entry] : map_) {
      t.first += entry.first;
      t.second += entry.second;
    }
    return t;
  }
  size_t groups() const { return map_.size(); }

 private:
  absl::flat_hash_map<int64_t, std::pair<int64_t, int64_t>> map_;
};

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
  double cpu_s;
  double wall_s;
};

template <class Aggregation>
Timing timedPass(Aggregation& aggregation, const Workload& w, size_t passes) {
  const Clock::time_point start = Clock::now();
  const double cpu_start = threadCpuSeconds();
  for (size_t p = 0; p < passes; ++p) {
    for (size_t c = 0; c < w.keys.size(); ++c) aggregation.consume(w.keys[c], w.values[c]);
  }
  return Timing{threadCpuSeconds() - cpu_start, secondsSince(start)};
}

bool run(const FunctionRegistry& registry, uint64_t distinct, size_t chunks, size_t passes, int rounds) {
  const std::string name = std::string("aggregate.keys").append(std::to_string(distinct));
  const Workload w = makeWorkload(distinct, chunks, distinct);
  EngineAggregation engine(registry);
  HandAggregation hand;
  // Warm-up: every key inserted, so timed passes measure steady-state updates.
  timedPass(engine, w, 1);
  timedPass(hand, w, 1);
  std::vector<double> engine_rates;
  std::vector<double> hand_rates;
  std::vector<double> engine_wall_rates;
  std::vector<double> hand_wall_rates;
  const double rows = static_cast<double>(chunks * passes * kChunkRows);
  for (int r = 0; r < rounds; ++r) {
    const Timing e = timedPass(engine, w, passes);
    const Timing h = timedPass(hand, w, passes);
    engine_rates.push_back(rows / e.cpu_s);
    hand_rates.push_back(rows / h.cpu_s);
    engine_wall_rates.push_back(rows / e.wall_s);
    hand_wall_rates.push_back(rows / h.wall_s);
  }
  const double engine_rate = percentile(engine_rates, 0.5);
  const double hand_rate = percentile(hand_rates, 0.5);
  report(name, "groups", static_cast<double>(engine.groups()));
  report(name, "engine_rows_per_s", engine_rate);
  report(name, "hand_loop_rows_per_s", hand_rate);
  report(name, "engine_rows_per_s_wall", percentile(engine_wall_rates, 0.5));
  report(name, "hand_loop_rows_per_s_wall", percentile(hand_wall_rates, 0.5));
  report(name, "engine_over_hand_loop", engine_rate / hand_rate);
  report(name, "table_memory_mb", static_cast<double>(engine.memoryUsage()) / (1024.0 * 1024.0));
  // Same answer both ways.
  const auto a = engine.totals();
  const auto b = hand.totals();
  if (a != b || engine.groups() != hand.groups()) {
    std::fprintf(stderr, "%s: engine and hand loop disagree (%lld/%lld vs %lld/%lld)\n", name.c_str(),
                 static_cast<long long>(a.first), static_cast<long long>(a.second),
                 static_cast<long long>(b.first), static_cast<long long>(b.second));
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const caudal::bench::Options options = caudal::bench::parseOptions(argc, argv);
  FunctionRegistry registry;
  registerAggregateFunctions(registry);
  const int rounds = options.quick ? 3 : 7;
  bool ok = true;
  // 1 000 keys: 64 chunks (128 Ki rows), 20 passes per timing.
  ok = run(registry, 1000, 64, options.quick ? 4 : 20, rounds) && ok;
  // 1 000 000 keys: 1 024 chunks (2 Mi rows, every key seen about twice), 2 passes per timing.
  ok = run(registry, options.quick ? 100000 : 1000000, options.quick ? 128 : 1024, options.quick ? 1 : 2, rounds) && ok;
  report("aggregate", "peak_rss_mb", caudal::bench::peakRssMb());
  return ok ? 0 : 1;
}
