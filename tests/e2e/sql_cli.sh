#!/usr/bin/env bash
# End-to-end: `caudal sql` runs a script's INSERT INTO as a continuous query over a watched
# directory, picks up a file that lands while it runs, writes each batch with the print and
# filesystem sinks, and stops gracefully on SIGINT; a script error names the file, line and
# column and exits non-zero.
#
# Run by ctest as e2e.sql_cli (release build only), with CAUDAL_CLI set. By hand:
#   CAUDAL_CLI=build/release/caudal bash tests/e2e/sql_cli.sh
set -euo pipefail

: "${CAUDAL_CLI:?set CAUDAL_CLI to the caudal binary}"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

work="$(mktemp -d)"
pid=
cleanup() {
  if [[ -n "${pid}" ]]; then kill "${pid}" 2>/dev/null || true; fi
  rm -rf "${work}"
}
trap cleanup EXIT
mkdir -p "${work}/clicks" "${work}/out"
printf '1,/api/orders,200\n2,/api/orders,500\n1,/home,200\n' > "${work}/clicks/a.csv"

cat > "${work}/clicks.sql" <<SQL
CREATE TABLE clicks (user_id BIGINT, url STRING, status INT)
WITH ('connector' = 'filesystem', 'path' = '${work}/clicks', 'format' = 'csv', 'source.monitor-interval' = '100ms');
CREATE TABLE status_counts (status INT, n BIGINT) WITH ('connector' = 'print', 'output-mode' = 'update');
CREATE TABLE api (user_id BIGINT, url STRING) WITH ('connector' = 'filesystem', 'path' = '${work}/out', 'format' = 'csv');
SET 'trigger' = '200ms';
INSERT INTO status_counts SELECT status, COUNT(*) FROM clicks WHERE url LIKE '/api/%' GROUP BY status;
INSERT INTO api SELECT user_id, url FROM clicks WHERE status = 200;
SQL

"${CAUDAL_CLI}" sql -f "${work}/clicks.sql" > "${work}/stdout" 2> "${work}/stderr" &
pid=$!

# Waits until the file $1 contains the text $2 (5 s at most).
wait_for() {
  for _ in $(seq 1 50); do
    if grep -qF -- "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  cat "${work}/stdout" "${work}/stderr" >&2
  fail "'$2' never appeared in $1"
}

wait_for "${work}/stdout" '|   500|  1|'
# A file landing while the query runs is the next batch's input.
printf '3,/api/users,200\n4,/api/orders,500\n' > "${work}/clicks/.b.csv.tmp"
mv "${work}/clicks/.b.csv.tmp" "${work}/clicks/b.csv"
wait_for "${work}/stdout" '|   500|  2|'

kill -INT "${pid}"
wait "${pid}" || fail "caudal sql exited with $? after SIGINT"
pid=
grep -qF 'stopping 2 queries' "${work}/stderr" || fail "no graceful stop message"

# The first batch of the update-mode counts, exactly as Structured Streaming's console shows it.
expected_first_batch='-------------------------------------------
Batch: 0
-------------------------------------------
+------+---+
|status|  n|
+------+---+
|   200|  1|
|   500|  1|
+------+---+'
first_batch="$(sed -n '/^Batch: 0$/,/^$/p' "${work}/stdout" | sed '$d')"
[[ "$(printf -- '-------------------------------------------\n%s' "${first_batch}")" == "${expected_first_batch}" ]] ||
  fail "first batch differs:
${first_batch}"

# The filesystem sink wrote one file per batch with rows; together they hold every match.
sort "${work}"/out/part-*.csv > "${work}/api_rows"
printf '1,/api/orders\n1,/home\n3,/api/users\n' > "${work}/api_expected"
diff -u "${work}/api_expected" "${work}/api_rows" || fail "filesystem sink rows differ"

# Errors name the file, line and column, and the exit status is 1.
printf 'CREATE TABLE t (a INT) WITH (%s);\nSELECT b FROM t;\n' "'connector' = 'datagen'" > "${work}/bad.sql"
if "${CAUDAL_CLI}" sql -f "${work}/bad.sql" > /dev/null 2> "${work}/bad_stderr"; then
  fail "a bad script exited with 0"
fi
grep -qF "caudal sql: ${work}/bad.sql: line 2, column 8: column 'b' not found; did you mean 'a'?" "${work}/bad_stderr" ||
  { cat "${work}/bad_stderr" >&2; fail "the error does not name the place"; }

echo "sql_cli: ok"
