#!/usr/bin/env bash
# End-to-end: install Caudal, build examples/ against the installed package (as a user would,
# with find_package(Caudal)), run them and check their output; check the `caudal` command.
#
# Run by ctest as e2e.examples (release build only), with CAUDAL_BINARY_DIR (the build tree),
# CAUDAL_SOURCE_DIR and CAUDAL_CLI (the built `caudal` binary) set. By hand:
#   CAUDAL_BINARY_DIR=build/release CAUDAL_SOURCE_DIR=. CAUDAL_CLI=build/release/caudal \
#     bash tests/e2e/examples.sh
set -euo pipefail

: "${CAUDAL_BINARY_DIR:?set CAUDAL_BINARY_DIR to the build tree}"
: "${CAUDAL_SOURCE_DIR:?set CAUDAL_SOURCE_DIR to the source tree}"
: "${CAUDAL_CLI:?set CAUDAL_CLI to the caudal binary}"
CAUDAL_BINARY_DIR="$(cd "${CAUDAL_BINARY_DIR}" && pwd)"
CAUDAL_SOURCE_DIR="$(cd "${CAUDAL_SOURCE_DIR}" && pwd)"
expected_dir="${CAUDAL_SOURCE_DIR}/tests/e2e/expected"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "${server_pid}" ]]; then
    kill "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
  fi
  rm -rf "${tmp}"
}
trap cleanup EXIT

# ---- The command-line tool ---------------------------------------------------------------

step "caudal --version / --help"
version="$("${CAUDAL_CLI}" --version)" || fail "caudal --version exited with $?"
[[ "${version}" == "caudal 0.1.0" ]] || fail "caudal --version printed '${version}', not 'caudal 0.1.0'"
"${CAUDAL_CLI}" --help >"${tmp}/help.txt" || fail "caudal --help exited with $?"
[[ -s "${tmp}/help.txt" ]] || fail "caudal --help printed nothing"

# ---- Install, then build the examples against the installed package ----------------------

step "install into a temporary prefix"
cmake --install "${CAUDAL_BINARY_DIR}" --prefix "${tmp}/prefix" >"${tmp}/install.log" ||
  { cat "${tmp}/install.log" >&2; fail "cmake --install"; }
installed_version="$("${tmp}/prefix/bin/caudal" --version)" || fail "installed caudal --version"
[[ "${installed_version}" == "caudal 0.1.0" ]] || fail "installed caudal printed '${installed_version}'"

step "build examples/ with find_package(Caudal)"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S "${CAUDAL_SOURCE_DIR}/examples" -B "${tmp}/examples" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${tmp}/prefix" >"${tmp}/configure.log" 2>&1 ||
  { cat "${tmp}/configure.log" >&2; fail "configuring examples/"; }
grep -q "Found Caudal 0.1.0 in ${tmp}/prefix" "${tmp}/configure.log" ||
  { cat "${tmp}/configure.log" >&2; fail "examples/ did not find the installed Caudal"; }
cmake --build "${tmp}/examples" -j 2 >"${tmp}/build.log" 2>&1 ||
  { cat "${tmp}/build.log" >&2; fail "building examples/"; }
bin="${tmp}/examples"

# ---- Deterministic examples: compare with the output Spark gives for the same data -------

for example in queue_stream dstream_operations windows_and_state print_rdd; do
  step "${example}"
  timeout 60 "${bin}/${example}" >"${tmp}/${example}.out" 2>"${tmp}/${example}.err" ||
    { cat "${tmp}/${example}.err" >&2; fail "${example} exited with $?"; }
  diff -u "${expected_dir}/${example}.txt" "${tmp}/${example}.out" ||
    fail "${example}: output differs from ${expected_dir}/${example}.txt"
done

# ---- Network word count against the line server ------------------------------------------

step "line_server + network_wordcount"
: >"${tmp}/server.out"
"${bin}/line_server" --rate 20 --seconds 6 >"${tmp}/server.out" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "${tmp}/server.out")"
  [[ -n "${port}" ]] && break
  sleep 0.05
done
[[ -n "${port}" ]] || fail "line_server did not print its port"
timeout 30 "${bin}/network_wordcount" 127.0.0.1 "${port}" 3 >"${tmp}/wordcount.out" \
  2>"${tmp}/wordcount.err" || { cat "${tmp}/wordcount.err" >&2; fail "network_wordcount exited with $?"; }
grep -q '^Time: [0-9]* ms$' "${tmp}/wordcount.out" ||
  { cat "${tmp}/wordcount.out" >&2; fail "network_wordcount printed no batch header"; }
grep -Eq '^\((uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez),[1-9][0-9]*\)$' \
  "${tmp}/wordcount.out" || { cat "${tmp}/wordcount.out" >&2; fail "network_wordcount printed no counts"; }
# Every record line is a (word,count) pair; nothing else between the headers.
if grep -Ev '^(-{43}|Time: [0-9]+ ms|\([a-z]+,[0-9]+\)|\.\.\.|)$' "${tmp}/wordcount.out"; then
  fail "network_wordcount printed unexpected lines (above)"
fi

echo "PASS"
