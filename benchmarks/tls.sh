#!/usr/bin/env bash
# TLS throughput: smtp-sink behind stunnel (implicit TLS, the test CA's certificate; scripts/test-servers.d/stunnel.sh),
# each client in its own JVM (ThroughputProbe, warmed up, median of PROBE_ROUNDS rounds), every client trusting the
# test CA and verifying the host name: migo on each TLS engine, vertx-mail-client (its default engine, then OpenSSL)
# and Angus Mail (and Nodemailer when asked); and migo without TLS against the same smtp-sink, for the TLS/plain
# ratio. Prints msgs/s, the client's CPU per message and stunnel's, then the ratios. Run by `TLS=1 benchmarks/run.sh`
# (and, with every peer, by the default benchmarks/run.sh), or directly:
#
#   mvn -B -q package -DskipTests && benchmarks/tls.sh
#
# Environment:
#   SERVERS            properties written by scripts/test-servers.sh start (default target/test-servers.properties)
#   TLS_CLIENTS        client:engine pairs, engine auto|jdk|openssl|plain (plain = no TLS, smtp-sink directly);
#                      default "migo:auto migo:jdk migo:openssl migo-raw:auto vertx-mail:auto vertx-mail:openssl
#                      angus-mail:auto migo:plain". The client nodemailer (benchmarks/nodemailer/bench.js, its own Node
#                      process, Node's OpenSSL) takes the engines auto and plain.
#   PROBE_CONCURRENCY  default 8;  PROBE_COUNT  default 20000;  PROBE_ROUNDS  default 3
#   PROBE_WARMUP_SECONDS  default 20: at TLS rates C2 is still compiling after the probe's usual 8 s (seen with
#                      -XX:+PrintCompilation), which would charge the JIT to the first measured rounds
#   JFR=1              also record migo:auto with Java Flight Recorder and print where its CPU goes (top frames)
#   SKIP_BUILD=1       use the existing benchmarks/target/benchmarks.jar
#   RESULTS_TSV        append each client's median to this file too (benchmarks/run.sh collects them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init tls.sh
TLS_CLIENTS="${TLS_CLIENTS:-migo:auto migo:jdk migo:openssl migo-raw:auto vertx-mail:auto vertx-mail:openssl angus-mail:auto migo:plain}"
PROBE_CONCURRENCY="${PROBE_CONCURRENCY:-8}"
PROBE_COUNT="${PROBE_COUNT:-20000}"
PROBE_ROUNDS="${PROBE_ROUNDS:-3}"
PROBE_WARMUP_SECONDS="${PROBE_WARMUP_SECONDS:-20}"

require_servers
TLS_PORT="$(prop sink.tls.port)"
PLAIN_PORT="$(prop sink.port)"
CA="$(prop ca.pem)"
NAME="$(prop hostname)"
require_loopback "$NAME"
[[ -n "$TLS_PORT" ]] || die "$SERVERS has no sink.tls.port (the stunnel plug-in did not run); $SERVERS_HINT"

STUNNEL_PID="$(listener_pid "$TLS_PORT")"
SINK_PID="$(listener_pid "$PLAIN_PORT")"
[[ -n "$STUNNEL_PID" ]] || die "nothing listens on stunnel's port $TLS_PORT; $SERVERS_HINT"
[[ -n "$SINK_PID" ]] || die "nothing listens on smtp-sink's port $PLAIN_PORT; $SERVERS_HINT"
[[ -r "$CA" ]] || die "cannot read the test CA $CA"
[[ " $TLS_CLIENTS " != *" nodemailer:"* ]] || nodemailer_setup || die "TLS_CLIENTS names nodemailer"

build_unless_skipped "$JAR"

# One probe JVM; prints its summary line: client target conc msgs/s proc client alloc segs srv check...
probe() {
    local client=$1 engine=$2 port=$TLS_PORT tls=implicit pids=$STUNNEL_PID
    shift 2
    if [[ $engine == plain ]]; then
        port=$PLAIN_PORT tls=none pids=$SINK_PID engine=auto
    fi
    if [[ $client == nodemailer ]]; then
        nodemailer_probe "$port" "$tls" "$engine"
        return
    fi
    java "$@" -Dsmtp.host="$NAME" -Dsmtp.port="$port" -Dsmtp.tls="$tls" -Dsmtp.ca="$CA" -Dsmtp.tlsEngine="$engine" \
        -cp "$JAR" io.migo.smtp.benchmarks.ThroughputProbe --target=external --clients="$client" \
        --concurrency="$PROBE_CONCURRENCY" --count="$PROBE_COUNT" --rounds="$PROBE_ROUNDS" --warmup-seconds="$PROBE_WARMUP_SECONDS" --server-pids="$pids" \
        >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "the probe failed: $client $engine"; }
    grep -E '^  ' "$WORK/out" >&2
    awk -v c="$client" '$1 == c && $2 == "external" { line = $0 } END { print line }' "$WORK/out"
}

# Nodemailer in its own Node process, shaped like the probe's summary line: client target conc msgs/s - cpu - - srv.
nodemailer_probe() {
    local port=$1 tls=$2 engine=$3 rate cpu
    [[ $engine == auto ]] || die "nodemailer runs on Node's own OpenSSL: engine auto or plain, not $engine"
    nodemailer "$NAME" "$port" "$tls" "$PROBE_COUNT" "$PROBE_ROUNDS" "$PROBE_WARMUP_SECONDS" >"$WORK/out" 2>&1 \
        || { cat "$WORK/out" >&2; die "Nodemailer failed (tls $tls)"; }
    grep -E '^  ' "$WORK/out" >&2
    read -r rate cpu < <(nodemailer_median <"$WORK/out")
    echo "nodemailer external $PROBE_CONCURRENCY $rate - $cpu - - –"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BUSY=$(busy_percent)
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
    transport=tls
    [[ $engine == plain ]] && transport=plain
    # run.sh's table shows each client on its default engine
    [[ $engine == auto || $engine == plain ]] && record warm "$transport" "$client" "${RATE[$spec]}" "$cpu"
done

echo
printf '| %s × ~2 KB, %s in flight, one JVM per client, median of %s rounds | msgs/s | client CPU µs/msg | server side µs/msg |\n|---|---|---|---|\n' \
    "$PROBE_COUNT" "$PROBE_CONCURRENCY" "$PROBE_ROUNDS"
for spec in "${ROWS[@]}"; do
    what="stunnel"
    [[ ${spec#*:} == plain ]] && what="smtp-sink"
    printf '| %s | %s | %s | %s %s |\n' "$spec" "${RATE[$spec]}" "${CPU[$spec]}" "${SRV[$spec]}" "$what"
done
# "label: a / b", for the pairs measured in this run.
ratio_line() {
    local r
    r="$(ratio "${RATE[$2]:-}" "${RATE[$3]:-}")"
    [[ $r == n/a ]] || echo "$1: $r"
}
echo
ratio_line "migo (auto) / vertx-mail-client (its default engine) over TLS" migo:auto vertx-mail:auto
ratio_line "migo (auto) / vertx-mail-client (OpenSSL) over TLS" migo:auto vertx-mail:openssl
ratio_line "migo (auto) / Angus Mail over TLS" migo:auto angus-mail:auto
ratio_line "migo (auto) / Nodemailer over TLS" migo:auto nodemailer:auto
ratio_line "migo OpenSSL / migo JDK" migo:openssl migo:jdk
ratio_line "migo TLS (auto) / migo plain" migo:auto migo:plain
ratio_line "migo / vertx-mail-client without TLS" migo:plain vertx-mail:plain
echo "machine: ${BUSY}% busy before the runs, $(nproc) cpus"

if [[ "${JFR:-0}" == 1 ]]; then
    log "recording migo:auto with JFR"
    probe migo auto -XX:StartFlightRecording=filename="$WORK/migo.jfr",settings=profile >/dev/null
    echo
    echo "migo over TLS (auto engine): where its CPU goes (JFR execution samples, benchmarks/jfr-summary.py)"
    jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample "$WORK/migo.jfr" | benchmarks/jfr-summary.py
fi
