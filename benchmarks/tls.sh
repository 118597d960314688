#!/usr/bin/env bash
# TLS throughput: smtp-sink behind stunnel (implicit TLS, the test CA's certificate; scripts/test-servers.d/stunnel.sh),
# each client in its own JVM (ThroughputProbe, warmed up, median of PROBE_ROUNDS rounds), every client trusting the
# test CA and verifying the host name: migo on each TLS engine, vertx-mail-client (its default engine, then OpenSSL)
# and Angus Mail; and migo without TLS against the same smtp-sink, for the TLS/plain ratio. Prints msgs/s, the
# client's CPU per message and stunnel's, then the ratios. Run by `TLS=1 benchmarks/run.sh`, or directly:
#
#   mvn -B -q package -DskipTests && benchmarks/tls.sh
#
# Environment:
#   SERVERS            properties written by scripts/test-servers.sh start (default target/test-servers.properties)
#   TLS_CLIENTS        client:engine pairs, engine auto|jdk|openssl|plain (plain = no TLS, smtp-sink directly);
#                      default "migo:auto migo:jdk migo:openssl migo-raw:auto vertx-mail:auto vertx-mail:openssl
#                      angus-mail:auto migo:plain"
#   PROBE_CONCURRENCY  default 8;  PROBE_COUNT  default 20000;  PROBE_ROUNDS  default 3
#   PROBE_WARMUP_SECONDS  default 20: at TLS rates C2 is still compiling after the probe's usual 8 s (seen with
#                      -XX:+PrintCompilation), which would charge the JIT to the first measured rounds
#   JFR=1              also record migo:auto with Java Flight Recorder and print where its CPU goes (top frames)
#   SKIP_BUILD=1       use the existing benchmarks/target/benchmarks.jar
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
SERVERS="${SERVERS:-target/test-servers.properties}"
TLS_CLIENTS="${TLS_CLIENTS:-migo:auto migo:jdk migo:openssl migo-raw:auto vertx-mail:auto vertx-mail:openssl angus-mail:auto migo:plain}"
PROBE_CONCURRENCY="${PROBE_CONCURRENCY:-8}"
PROBE_COUNT="${PROBE_COUNT:-20000}"
PROBE_ROUNDS="${PROBE_ROUNDS:-3}"
PROBE_WARMUP_SECONDS="${PROBE_WARMUP_SECONDS:-20}"
JAR=benchmarks/target/benchmarks.jar

log() { printf 'tls.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
START_HINT="start the servers (stunnel included, scripts/test-servers.d/stunnel.sh) as root with:
  scripts/test-servers.sh install && scripts/test-servers.sh start"

[[ -f "$SERVERS" ]] || die "no $SERVERS; $START_HINT"
prop() { sed -n "s/^$1=//p" "$SERVERS"; }
TLS_PORT="$(prop sink.tls.port)"
PLAIN_PORT="$(prop sink.port)"
CA="$(prop ca.pem)"
NAME="$(prop hostname)"
[[ -n "$TLS_PORT" ]] || die "$SERVERS has no sink.tls.port (the stunnel plug-in did not run); $START_HINT"

# The process listening on a loopback port, from ss (e.g. users:(("stunnel4",pid=123,fd=8))).
listener_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1; }
STUNNEL_PID="$(listener_pid "$TLS_PORT")"
SINK_PID="$(listener_pid "$PLAIN_PORT")"
[[ -n "$STUNNEL_PID" ]] || die "nothing listens on stunnel's port $TLS_PORT; $START_HINT"
[[ -n "$SINK_PID" ]] || die "nothing listens on smtp-sink's port $PLAIN_PORT; $START_HINT"
[[ -r "$CA" ]] || die "cannot read the test CA $CA"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests
fi
[[ -f "$JAR" ]] || die "$JAR is missing; build first"

# One probe JVM; prints its summary line: client target conc msgs/s proc client alloc segs srv check...
probe() {
    local client=$1 engine=$2 port=$TLS_PORT tls=implicit pids=$STUNNEL_PID
    shift 2
    if [[ $engine == plain ]]; then
        port=$PLAIN_PORT tls=none pids=$SINK_PID engine=auto
    fi
    java "$@" -Dsmtp.host="$NAME" -Dsmtp.port="$port" -Dsmtp.tls="$tls" -Dsmtp.ca="$CA" -Dsmtp.tlsEngine="$engine" \
        -cp "$JAR" io.migo.smtp.benchmarks.ThroughputProbe --target=external --clients="$client" \
        --concurrency="$PROBE_CONCURRENCY" --count="$PROBE_COUNT" --rounds="$PROBE_ROUNDS" --warmup-seconds="$PROBE_WARMUP_SECONDS" --server-pids="$pids" \
        >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "the probe failed: $client $engine"; }
    grep -E '^  ' "$WORK/out" >&2
    awk -v c="$client" '$1 == c && $2 == "external" { line = $0 } END { print line }' "$WORK/out"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
read -r _ a b c d e f g h _ < /proc/stat; t1=$((a+b+c+d+e+f+g+h)); i1=$((d+e)); sleep 1
read -r _ a b c d e f g h _ < /proc/stat; t2=$((a+b+c+d+e+f+g+h)); i2=$((d+e))
BUSY=$(( 100 * ((t2 - t1) - (i2 - i1)) / (t2 - t1) ))
log "machine ${BUSY}% busy before the runs ($(nproc) cpus); stunnel pid $STUNNEL_PID on $TLS_PORT, smtp-sink pid $SINK_PID on $PLAIN_PORT"

declare -A RATE CPU SRV
ROWS=()
for spec in $TLS_CLIENTS; do
    client=${spec%%:*} engine=${spec#*:}
    log "$client, engine $engine: $PROBE_ROUNDS rounds of $PROBE_COUNT, $PROBE_CONCURRENCY in flight"
    line="$(probe "$client" "$engine")"
    read -r _ _ _ rate _ cpu _ _ srv _ <<<"$line"
    RATE[$spec]=${rate//,/} CPU[$spec]=$cpu SRV[$spec]=$srv
    ROWS+=("$spec")
done

echo
printf '| %s × ~2 KB, %s in flight, one JVM per client, median of %s rounds | msgs/s | client CPU µs/msg | server side µs/msg |\n|---|---|---|---|\n' \
    "$PROBE_COUNT" "$PROBE_CONCURRENCY" "$PROBE_ROUNDS"
for spec in "${ROWS[@]}"; do
    what="stunnel"
    [[ ${spec#*:} == plain ]] && what="smtp-sink"
    printf '| %s | %s | %s | %s %s |\n' "$spec" "${RATE[$spec]}" "${CPU[$spec]}" "${SRV[$spec]}" "$what"
done
ratio() { [[ -n "${RATE[$1]:-}" && -n "${RATE[$2]:-}" ]] && python3 -c "print(round(${RATE[$1]} / ${RATE[$2]}, 2))" || echo n/a; }
echo
echo "migo (auto) / vertx-mail-client (its default engine) over TLS: $(ratio migo:auto vertx-mail:auto)"
echo "migo (auto) / vertx-mail-client (OpenSSL) over TLS: $(ratio migo:auto vertx-mail:openssl)"
echo "migo (auto) / Angus Mail over TLS: $(ratio migo:auto angus-mail:auto)"
echo "migo OpenSSL / migo JDK: $(ratio migo:openssl migo:jdk)"
echo "migo TLS (auto) / migo plain: $(ratio migo:auto migo:plain)"
echo "machine: ${BUSY}% busy before the runs, $(nproc) cpus"

if [[ "${JFR:-0}" == 1 ]]; then
    log "recording migo:auto with JFR"
    probe migo auto -XX:StartFlightRecording=filename="$WORK/migo.jfr",settings=profile >/dev/null
    echo
    echo "migo over TLS (auto engine): where its CPU goes (JFR execution samples, benchmarks/jfr-summary.py)"
    jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample "$WORK/migo.jfr" | benchmarks/jfr-summary.py
fi
