#!/usr/bin/env bash
# End-to-end: `caudal sql` runs a script's INSERT INTO as a continuous query over a watched
# directory, picks up a file that lands while it runs, writes each batch with the print and
# filesystem sinks, and stops gracefully on SIGINT; a script error names the file, line and
# column and exits non-zero; the interactive shell works on a terminal.
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

# Waits until the file $1 shows the text $2 at least $3 times (default once; 30 s at most: a
# loaded machine is slow).
wait_for() {
  local times="${3:-1}"
  for _ in $(seq 1 300); do
    if (($(grep -oF -- "$2" "$1" 2>/dev/null | wc -l) >= times)); then return 0; fi
    sleep 0.1
  done
  tr -d '\r' < "$1" >&2
  [[ "$1" != "${work}/stdout" ]] || cat "${work}/stderr" >&2
  echo "FAIL: '$2' never appeared ${times} time(s) in $1" >&2
  return 1
}

wait_for "${work}/stdout" '|   500|  1|' || fail "the first batch never came"
# A file landing while the query runs is the next batch's input.
printf '3,/api/users,200\n4,/api/orders,500\n' > "${work}/clicks/.b.csv.tmp"
mv "${work}/clicks/.b.csv.tmp" "${work}/clicks/b.csv"
wait_for "${work}/stdout" '|   500|  2|' || fail "the file that landed was never read"

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

# The interactive shell on a terminal (`script` gives it one): a statement over two lines, a
# bounded SELECT shown as a table, a streaming SELECT printing batches until Ctrl-C, a slow
# bounded SELECT cancelled by Ctrl-C, Ctrl-C at the prompt dropping a half-typed statement, and
# the shell going on after each; history is kept. Each input waits for the shell's answer to the
# previous one: the terminal discards unread input on Ctrl-C, so fixed delays would race a
# loaded machine.
mkdir -p "${work}/home"
shell_out="${work}/shell_out"
: > "${shell_out}"

# Waits until the shell has printed the text $1 at least $2 times (default once).
shell_shows() { wait_for "${shell_out}" "$@"; }

feed_shell() {
  shell_shows 'caudal> ' 1
  printf "SELECT 1 + 1 AS two,\n  'x' AS s;\n"
  shell_shows '1 row in set'
  printf "CREATE TABLE s (k BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20');\n"
  printf "CREATE TABLE slow (k BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'number-of-rows' = '1000');\n"
  shell_shows "table 'slow' created"
  printf "SELECT COUNT(*) >= 0 AS seen FROM s;\n"
  shell_shows 'Batch: 1'
  printf '\003'
  shell_shows 'caudal> ' 5
  printf "SELECT COUNT(*) FROM slow;\n"
  sleep 1
  printf '\003'
  shell_shows 'error: query cancelled'
  shell_shows 'caudal> ' 6
  printf "SELECT 'dropped'\n"
  shell_shows '     -> '
  printf '\003'
  shell_shows 'caudal> ' 7
  printf "SHOW TABLES;\n"
  shell_shows '| slow '
  printf "quit\n"
}

# `script -c` runs its command through $SHELL; `exec` leaves only caudal in the terminal's
# foreground group, else a shell that does not exec (dash) also takes each Ctrl-C and exits 130.
shell_status=0
feed_shell | HOME="${work}/home" timeout 120 script -qec "exec '${CAUDAL_CLI}' sql" /dev/null > "${shell_out}" ||
  shell_status="${PIPESTATUS[*]}"
if [[ "${shell_status}" != 0 ]]; then
  tr -d '\r' < "${shell_out}" >&2
  fail "the shell did not answer as expected or did not quit (exit statuses of feeder and shell: ${shell_status})"
fi
tr -d '\r' < "${shell_out}" > "${work}/shell_text"
for expected in '     ->   '"'"'x'"'"' AS s;' '|   2 | x |' 'Batch: 0' '|seen|' '|true|' 'error: query cancelled' '| slow       |'; do
  grep -qF -- "${expected}" "${work}/shell_text" || { cat "${work}/shell_text" >&2; fail "the shell never showed '${expected}'"; }
done
if grep -qF 'dropped' <(grep -vF "SELECT 'dropped'" "${work}/shell_text"); then
  cat "${work}/shell_text" >&2
  fail "a statement dropped by Ctrl-C at the prompt was run"
fi
grep -qF 'SHOW\040TABLES;' "${work}/home/.caudal_history" || fail "the shell kept no history"

echo "sql_cli: ok"
