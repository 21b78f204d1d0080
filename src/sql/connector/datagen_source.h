// The `datagen` table source: rows of random or sequential values, as Flink's DataGen
// connector makes them, deterministic per (seed, row number).
#pragma once

#include <memory>

#include "common/status.h"
#include "sql/connector/connector_factory.h"
#include "sql/connector/table_source.h"

namespace caudal::sql {

/// A datagen source for a table with `options` and columns `schema`. Options (Flink's):
///   rows-per-second (10000; 0: unlimited, max-rows-per-batch rows per micro-batch),
///   number-of-rows (unbounded when absent),
///   fields.<f>.kind (random | sequence), fields.<f>.null-rate (0..1),
///   random numbers (TINYINT..BIGINT, FLOAT, DOUBLE, DECIMAL, INTERVAL): fields.<f>.min/max
///     (default: the type's range; DECIMAL: its precision's range),
///   random strings and bytes: fields.<f>.length (100; CHAR(n)/VARCHAR(n): at most n) and
///     fields.<f>.var-len (false: every value has the length; true: 1..length), values are
///     hexadecimal characters (random bytes for BYTES),
///   random TIMESTAMP / TIMESTAMP_LTZ / DATE: fields.<f>.max-past (a duration, default 0):
///     between base-time minus max-past and base-time; TIME: any time of day,
///   sequence (numbers and strings): fields.<f>.start and fields.<f>.end, both required; row
///     n has start + n and the table ends after end - start + 1 rows,
///   ROW fields as fields.<f>.<field>.<option>, ARRAY elements as fields.<f>.element.<option>,
///     MAP keys and values as fields.<f>.key.<option> / fields.<f>.value.<option>, with
///     fields.<f>.length entries per ARRAY/MAP (3);
/// and ours: seed (0), base-time ("now" of timestamps: ms since the epoch or 'YYYY-MM-DD
/// HH:MM:SS[.fff]'; default: when the source is created), parallelism (4 read tasks at most),
/// max-rows-per-batch (1048576). Offsets count rows. Errors start with `table 'NAME': ` and
/// name the option.
Result<std::unique_ptr<TableSource>> createDatagenSource(const TableOptions& options, const Schema& schema,
                                                         const ConnectorContext& context);

/// What a datagen source with these options would be, without creating it: bounded when
/// 'number-of-rows' is set or a field is a sequence (`rows`: the rows the source will make);
/// the option errors `createDatagenSource` gives otherwise.
Result<SourceStatistics> describeDatagenSource(const TableOptions& options, const Schema& schema,
                                               const ConnectorContext& context);

}  // namespace caudal::sql
