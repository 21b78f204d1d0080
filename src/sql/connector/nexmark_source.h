// The `nexmark` table source: the Nexmark benchmark's events (persons, auctions, bids) as
// Flink Nexmark's table has them, or the events of one kind as flat columns.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "sql/connector/connector_factory.h"
#include "sql/connector/table_source.h"

namespace caudal::sql {

/// The physical columns of a nexmark table: `event_kind` "" (all events) gives
/// `event_type INT, person ROW<...>, auction ROW<...>, bid ROW<...>` as in Flink Nexmark's DDL;
/// "person", "auction" or "bid" gives that event's fields as flat columns (for bid: `auction
/// BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3), extra
/// STRING`). Empty for an unknown kind.
Schema nexmarkSchema(std::string_view event_kind);

/// A nexmark source for a table with `options` and physical columns `schema` (which must be
/// `nexmarkSchema(event.kind)`: names case-insensitive, strings of any length, timestamps of
/// any precision). Options (defaults as in Flink Nexmark):
///   first-event.rate (10000 events/s: event n's time is base-time + n / rate),
///   next-event.rate (accepted, unused), events.num (0: unbounded),
///   person.proportion (1), auction.proportion (3), bid.proportion (46),
///   person.avg-size (200b), auction.avg-size (500b), bid.avg-size (100b),
///   bid.hot-ratio.auctions (2), bid.hot-ratio.bidders (4), auction.hot-ratio.sellers (4),
///   rate.limited (false: batches of max-events-per-batch as fast as asked; true: events
///   become available at first-event.rate per second of wall-clock time);
///   rate.shape, rate.period, keep-alive, stop-at, max-emit-speed (accepted, unused);
/// and ours: event.kind (all | person | auction | bid), seed (0), base-time (ms since the
/// epoch or 'YYYY-MM-DD HH:MM:SS[.fff]'; default: when the source is created),
/// num-in-flight-auctions (100), num-active-people (1000), parallelism (4 read tasks at most),
/// max-events-per-batch (1048576). Offsets count the table's rows (events of its kind); with
/// an event.kind, events.num still counts all events, so the table holds that kind's share.
/// Errors start with `table 'NAME': ` and name the option.
Result<std::unique_ptr<TableSource>> createNexmarkSource(const TableOptions& options, const Schema& schema,
                                                         const ConnectorContext& context);

/// What a nexmark source with these options would be, without creating it: bounded when
/// 'events.num' > 0, with `rows` its table's rows (the share of those events that are of its
/// event.kind, by the proportions); the option errors `createNexmarkSource` gives otherwise.
Result<SourceStatistics> describeNexmarkSource(const TableOptions& options, const Schema& schema,
                                               const ConnectorContext& context);

}  // namespace caudal::sql
