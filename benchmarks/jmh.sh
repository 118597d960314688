#!/usr/bin/env bash
# Builds migo-smtp, runs SendBenchmark (JMH) and prints migo, migo-raw, vertx-mail-client and Angus Mail side by
# side, with Nodemailer (against the external sink) and Postfix's smtp-source as references. See benchmarks/RESULTS.md.
# (benchmarks/run.sh without JMH=1 prints every peer, plain and TLS, warm and cold, in one table instead.)
#
#   JMH=1 benchmarks/run.sh [extra JMH args...]  e.g. JMH=1 benchmarks/run.sh -p concurrency=8
#   benchmarks/jmh.sh [extra JMH args...]        the same
#
# Environment:
#   TARGET        embedded (default), external, or both: embedded,external
#                 external = a server on SMTP_HOST:SMTP_PORT, by default the smtp-sink that
#                 `scripts/test-servers.sh start` runs; if nothing listens there, this script starts
#                 `smtp-sink -u nobody 127.0.0.1:PORT 1024` itself (needs root) and stops it at exit.
#   SMTP_HOST     default 127.0.0.1 (loopback only)
#   SMTP_PORT     default 10026
#   JMH_OPTS      default "-f 1 -wi 2 -w 3s -i 3 -r 3s"
#   RESULT_FILE   JMH JSON output, default target/send.json (relative to the repository root)
#   SKIP_BUILD=1  use the existing benchmarks/target/benchmarks.jar
#   REFERENCE=0   skip the smtp-source reference (default 1: run it when smtp-source exists)
#   REF_RUNS      smtp-source runs, the median is shown (default 3)
#   NODEMAILER=0  skip Nodemailer (default 1: run benchmarks/nodemailer/bench.js against the external sink, 8 in
#                 flight, when node >= 20 and npm exist; its package is installed from the lockfile on first use)
#   PROBE=1       also run ThroughputProbe (msgs/s and CPU µs per message), one JVM per client, for each target
#   PROBE_CONCURRENCY (default 8), PROBE_COUNT (default 20000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init jmh.sh

TARGET="${TARGET:-embedded}"
SMTP_HOST="${SMTP_HOST:-127.0.0.1}"
SMTP_PORT="${SMTP_PORT:-10026}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 2 -w 3s -i 3 -r 3s}"
RESULT_FILE="${RESULT_FILE:-target/send.json}"
REFERENCE="${REFERENCE:-1}"
REF_RUNS="${REF_RUNS:-3}"
NODEMAILER="${NODEMAILER:-1}"
PROBE="${PROBE:-0}"
PROBE_CONCURRENCY="${PROBE_CONCURRENCY:-8}"
PROBE_COUNT="${PROBE_COUNT:-20000}"

require_loopback "$SMTP_HOST"
case "$TARGET" in
    both) TARGET=embedded,external ;;
    embedded|external|embedded,external|external,embedded) ;;
    *) die "TARGET must be embedded, external or both, not $TARGET" ;;
esac

STARTED=$(date +%s)
OUR_SINK_PID=""
WORK="$(mktemp -d)"
BENCH_OUT="$WORK/out"
cleanup() {
    rm -rf "$WORK"
    if [[ -n "$OUR_SINK_PID" ]]; then
        log "stopping the smtp-sink this script started (pid $OUR_SINK_PID)"
        kill "$OUR_SINK_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

listening() { ss -ltnH "sport = :$SMTP_PORT" 2>/dev/null | grep -q .; }

# Makes sure something listens on SMTP_PORT; returns 1 if that cannot be arranged.
ensure_sink() {
    if listening; then
        return 0
    fi
    if [[ -z "$SMTP_SINK" || $(id -u) -ne 0 ]]; then
        log "nothing listens on $SMTP_HOST:$SMTP_PORT; run scripts/test-servers.sh start (or smtp-sink as root)"
        return 1
    fi
    log "starting smtp-sink on 127.0.0.1:$SMTP_PORT"
    "$SMTP_SINK" -u nobody "127.0.0.1:$SMTP_PORT" 1024 </dev/null >/dev/null 2>&1 &
    OUR_SINK_PID=$!
    for _ in $(seq 1 50); do
        listening && return 0
        sleep 0.1
    done
    die "smtp-sink did not start listening on $SMTP_PORT"
}

# ---------------------------------------------------------------- build
build_unless_skipped "$JAR"

if [[ "$TARGET" == *external* ]]; then
    ensure_sink || die "TARGET=$TARGET needs a server on $SMTP_HOST:$SMTP_PORT"
fi

warn_if_busy >/dev/null

# ---------------------------------------------------------------- JMH
mkdir -p "$(dirname "$RESULT_FILE")"
log "JMH: SendBenchmark $JMH_OPTS -p target=$TARGET $*"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar "$JAR" SendBenchmark $JMH_OPTS -p "target=$TARGET" \
    -jvmArgsAppend "-Dsmtp.host=$SMTP_HOST -Dsmtp.port=$SMTP_PORT" \
    -rf json -rff "$RESULT_FILE" "$@"

# ---------------------------------------------------------------- smtp-source reference
REFS=()
if [[ "$REFERENCE" == 1 && -n "$SMTP_SOURCE" ]]; then
    if ensure_sink; then
        rates=()
        cpus=()
        for _ in $(seq 1 "$REF_RUNS"); do
            # bash's time keyword: wall, then smtp-source's own user and system CPU seconds
            result="$(timed_process 20000 smtp_source "$SMTP_HOST" "$SMTP_PORT" 20000)"
            read -r rate cpu <<<"$result"
            rates+=("$rate")
            cpus+=("$cpu")
        done
        log "smtp-source -d -s 8 -m 20000 -l 2000: ${rates[*]} msgs/s; its CPU ${cpus[*]} µs/msg"
        median=$(median "${rates[@]}")
        label="smtp-source -d -s 8 -l 2000 vs smtp-sink :$SMTP_PORT, runs ${rates[*]} msgs/s"
        REFS+=("--ref=$label, smtp-source CPU ${cpus[*]} µs/msg; median:$median")
    else
        log "skipping the smtp-source reference"
    fi
elif [[ "$REFERENCE" == 1 ]]; then
    log "smtp-source not found; no reference row"
fi

# ---------------------------------------------------------------- Nodemailer
# Node's event loop is not in the JMH JVM, so it runs here, against the same external sink, as a reference row.
if [[ "$NODEMAILER" == 1 ]]; then
    if ! nodemailer_setup; then
        :
    elif ensure_sink; then
        log "Nodemailer $NM_VERSION: 8 in flight, 20,000 messages a round, 3 rounds"
        nm_out=$(nodemailer "$SMTP_HOST" "$SMTP_PORT" none 20000 3 8)
        printf '%s\n' "$nm_out" >&2
        read -r nm_rate nm_cpu < <(nodemailer_median <<<"$nm_out")
        REFS+=("--ref=Nodemailer $NM_VERSION, pool of 8, 8 in flight, vs smtp-sink :$SMTP_PORT, its CPU $nm_cpu µs/msg; median of 3 rounds:$nm_rate")
    else
        log "skipping Nodemailer"
    fi
fi

# ---------------------------------------------------------------- table
echo
echo "SendBenchmark: msgs/s (± half the min-max spread of the measurement iterations), 1,000-message batches,"
echo "~2.3 KB messages, 1 recipient, a pool of 'conc' sessions with 'conc' messages in flight"
java -cp "$JAR" io.migo.smtp.benchmarks.ResultsTable "$RESULT_FILE" "${REFS[@]}"

# ---------------------------------------------------------------- probe
if [[ "$PROBE" == 1 ]]; then
    IFS=',' read -r -a targets <<< "$TARGET"
    for t in "${targets[@]}"; do
        for client in migo migo-raw vertx-mail angus-mail; do
            echo
            java -Dsmtp.host="$SMTP_HOST" -Dsmtp.port="$SMTP_PORT" -cp "$JAR" \
                io.migo.smtp.benchmarks.ThroughputProbe --target="$t" --clients="$client" \
                --concurrency="$PROBE_CONCURRENCY" --count="$PROBE_COUNT"
        done
    done
fi

log "done in $(( $(date +%s) - STARTED )) s"
