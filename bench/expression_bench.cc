// The vectorized expression evaluator against hand-written loops over plain arrays, on one core,
// in 2048-row chunks: two filters (`x % 123 = 0`; `price > 1000 AND channel = 'Google'`) run
// with ExpressionEvaluator::select, and two projections (`price * 0.908` on DOUBLE and on
// DECIMAL(10, 2)) run with ExpressionEvaluator::evaluate. Reports rows/s per core for both and
// their ratio (target: the engine at least half as fast as the hand loop).
//
//   expression_bench [--quick]
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench_report.h"
#include "sql/expression/expression_evaluator.h"
#include "sql/function/function_registry.h"
#include "sql/vector/data_chunk.h"

namespace {

using caudal::bench::Clock;
using caudal::bench::report;
using caudal::bench::secondsSince;
using namespace caudal::sql;  // NOLINT

constexpr uint32_t kRows = kVectorSize;
constexpr int kChunks = 64;

using ExprPtr = std::unique_ptr<BoundExpr>;

ExprPtr call(const std::string& name, ExprPtr a, ExprPtr b) {
  const ScalarResolver* resolver = FunctionRegistry::builtins().findScalar(name);
  std::vector<DataType> types{a->type, b->type};
  BoundScalarFunction function = (*resolver)(types).valueOrThrow();
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kFunction;
  expr->type = function.return_type;
  expr->children.push_back(std::move(a));
  expr->children.push_back(std::move(b));
  expr->function = std::make_shared<BoundScalarFunction>(std::move(function));
  return expr;
}

ExprPtr both(ExprPtr a, ExprPtr b) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundExprKind::kAnd;
  expr->type = DataType::boolean();
  expr->children.push_back(std::move(a));
  expr->children.push_back(std::move(b));
  return expr;
}

// The columns, as chunks and as plain arrays.
struct Data {
  std::vector<DataChunk> chunks;
  std::vector<std::vector<int64_t>> x;
  std::vector<std::vector<int32_t>> price;
  std::vector<std::vector<std::string_view>> channel;
  std::vector<std::vector<double>> price_double;
  std::vector<std::vector<int64_t>> price_decimal;
};

Data makeData() {
  static const char* kChannels[] = {"Google", "Bing", "Direct", "Newsletter"};
  std::mt19937_64 random(7);
  Data data;
  const std::vector<DataType> types{DataType::bigInt(), DataType::integer(), DataType::string(),
                                    DataType::doubleType(), DataType::decimal(10, 2)};
  for (int c = 0; c < kChunks; ++c) {
    DataChunk chunk(types, kRows);
    chunk.setSize(kRows);
    auto* x = chunk.column(0).values<int64_t>();
    auto* price = chunk.column(1).values<int32_t>();
    auto* channel = chunk.column(2).values<std::string_view>();
    auto* price_double = chunk.column(3).values<double>();
    auto* price_decimal = chunk.column(4).values<int64_t>();
    Vector& channels = chunk.column(2);
    std::string_view names[4];
    for (int i = 0; i < 4; ++i) names[i] = channels.addString(kChannels[i]);
    for (uint32_t i = 0; i < kRows; ++i) {
      x[i] = static_cast<int64_t>(random() % 1000000);
      price[i] = static_cast<int32_t>(random() % 2000);
      channel[i] = names[random() % 4];
      price_double[i] = static_cast<double>(random() % 200000) / 100;
      price_decimal[i] = static_cast<int64_t>(random() % 200000);
    }
    data.x.emplace_back(x, x + kRows);
    data.price.emplace_back(price, price + kRows);
    data.channel.emplace_back(channel, channel + kRows);
    data.price_double.emplace_back(price_double, price_double + kRows);
    data.price_decimal.emplace_back(price_decimal, price_decimal + kRows);
    data.chunks.push_back(std::move(chunk));
  }
  return data;
}

// Runs `body(chunk_index)` over all chunks until `seconds` pass; returns rows per second.
template <class Body>
double rowsPerSecond(double seconds, Body&& body) {
  int64_t rows = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int c = 0; c < kChunks; ++c) body(c);
    rows += static_cast<int64_t>(kChunks) * kRows;
    elapsed = secondsSince(start);
  } while (elapsed < seconds);
  return static_cast<double>(rows) / elapsed;
}

void compare(const std::string& name, double engine, double hand) {
  report("expression/" + name, "engine_rows_per_s_per_core", engine);
  report("expression/" + name, "hand_loop_rows_per_s_per_core", hand);
  report("expression/" + name, "engine_to_hand_ratio", engine / hand);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const double seconds = quick ? 0.2 : 1.0;
  const Data data = makeData();
  ExpressionEvaluator evaluator;
  std::vector<uint32_t> selected(kRows);
  uint64_t sink = 0;  // keeps results observable
  // Read through a volatile so the hand loops cannot specialize on the constants either.
  volatile int64_t modulus_source = 123;
  volatile int32_t threshold_source = 1000;
  volatile double factor_source = 0.908;
  const int64_t modulus = modulus_source;
  const int32_t threshold = threshold_source;
  const double factor = factor_source;

  {
    auto predicate = call("=",
                          call("%", BoundExpr::columnRef(0, DataType::bigInt(), "x"),
                               BoundExpr::constant(Value::bigInt(123))),
                          BoundExpr::constant(Value::bigInt(0)));
    const double engine = rowsPerSecond(seconds, [&](int c) {
      const DataChunk& chunk = data.chunks[static_cast<size_t>(c)];
      sink += evaluator.select(*predicate, chunk, chunk.rows(), selected.data()).valueOrThrow();
    });
    const double hand = rowsPerSecond(seconds, [&](int c) {
      const int64_t* x = data.x[static_cast<size_t>(c)].data();
      uint32_t n = 0;
      for (uint32_t i = 0; i < kRows; ++i) {
        selected[n] = i;
        n += x[i] % modulus == 0;
      }
      sink += n;
    });
    compare("select_x_mod_123_eq_0", engine, hand);
  }
  {
    auto predicate = both(call(">", BoundExpr::columnRef(1, DataType::integer(), "price"),
                               BoundExpr::constant(Value::integer(1000))),
                          call("=", BoundExpr::columnRef(2, DataType::string(), "channel"),
                               BoundExpr::constant(Value::string("Google"))));
    const double engine = rowsPerSecond(seconds, [&](int c) {
      const DataChunk& chunk = data.chunks[static_cast<size_t>(c)];
      sink += evaluator.select(*predicate, chunk, chunk.rows(), selected.data()).valueOrThrow();
    });
    const std::string_view google = "Google";
    const double hand = rowsPerSecond(seconds, [&](int c) {
      const int32_t* price = data.price[static_cast<size_t>(c)].data();
      const std::string_view* channel = data.channel[static_cast<size_t>(c)].data();
      uint32_t n = 0;
      for (uint32_t i = 0; i < kRows; ++i) {
        selected[n] = i;
        n += price[i] > threshold && channel[i] == google;
      }
      sink += n;
    });
    compare("select_price_gt_1000_and_channel_eq_google", engine, hand);
  }
  {
    auto projection = call("*", BoundExpr::columnRef(3, DataType::doubleType(), "price"),
                           BoundExpr::constant(Value::doubleValue(0.908)));
    Vector result;
    const double engine = rowsPerSecond(seconds, [&](int c) {
      const DataChunk& chunk = data.chunks[static_cast<size_t>(c)];
      evaluator.evaluate(*projection, chunk, chunk.rows(), result).throwIfError();
      sink += static_cast<uint64_t>(result.values<double>()[7]);
    });
    std::vector<double> out(kRows);
    const double hand = rowsPerSecond(seconds, [&](int c) {
      const double* price = data.price_double[static_cast<size_t>(c)].data();
      for (uint32_t i = 0; i < kRows; ++i) out[i] = price[i] * factor;
      sink += static_cast<uint64_t>(out[7]);
    });
    compare("project_double_price_times_0.908", engine, hand);
  }
  {
    auto projection = call("*", BoundExpr::columnRef(4, DataType::decimal(10, 2), "price"),
                           BoundExpr::constant(Value::fromInt(DataType::decimal(3, 3), 908)));
    Vector result;
    const double engine = rowsPerSecond(seconds, [&](int c) {
      const DataChunk& chunk = data.chunks[static_cast<size_t>(c)];
      evaluator.evaluate(*projection, chunk, chunk.rows(), result).throwIfError();
      sink += static_cast<uint64_t>(result.values<int64_t>()[7]);
    });
    // The same DECIMAL(10, 2) * DECIMAL(3, 3) -> DECIMAL(13, 5) product, overflow-checked.
    std::vector<int64_t> out(kRows);
    std::vector<uint8_t> null(kRows);
    const int64_t limit = 10000000000000LL;
    const int64_t unscaled_factor = 908;
    const double hand = rowsPerSecond(seconds, [&](int c) {
      const int64_t* price = data.price_decimal[static_cast<size_t>(c)].data();
      for (uint32_t i = 0; i < kRows; ++i) {
        int64_t v = 0;
        const bool overflow = __builtin_mul_overflow(price[i], unscaled_factor, &v);
        out[i] = v;
        null[i] = overflow || v >= limit || v <= -limit;
      }
      sink += static_cast<uint64_t>(out[7]) + null[7];
    });
    compare("project_decimal_price_times_0.908", engine, hand);
  }
  std::fprintf(stderr, "checksum %llu\n", static_cast<unsigned long long>(sink));
  return 0;
}
