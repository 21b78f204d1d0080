-- Counts the API requests of a click log by HTTP status, as files land in data/clicks/.
-- Run from this directory: caudal sql -f clicks.sql  (Ctrl-C stops it gracefully)
CREATE TABLE clicks (
  user_id BIGINT, url STRING, status INT, ts TIMESTAMP(3)
) WITH ('connector' = 'filesystem', 'path' = 'data/clicks/', 'format' = 'csv', 'source.monitor-interval' = '1s');

CREATE TABLE status_counts (status INT, n BIGINT) WITH ('connector' = 'print', 'output-mode' = 'update');

SET 'trigger' = '1s';

INSERT INTO status_counts SELECT status, COUNT(*) FROM clicks WHERE url LIKE '/api/%' GROUP BY status;
