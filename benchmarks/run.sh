#!/usr/bin/env bash
# Builds migo-smtp, runs SendBenchmark (JMH) and prints migo, migo-raw, vertx-mail-client and Angus Mail side by
# side, with Nodemailer (against the external sink) and Postfix's smtp-source as references. See benchmarks/RESULTS.md.
#
#   benchmarks/run.sh [extra JMH args...]        e.g. benchmarks/run.sh -p concurrency=8
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
#   TLS=1         instead of all the above: the TLS benchmark (benchmarks/tls.sh) — smtp-sink behind stunnel, implicit
#                 TLS with the test CA, host names verified; migo on each engine, vertx-mail-client, Angus Mail and
#                 migo without TLS, one JVM each. Needs `scripts/test-servers.sh start` (it starts stunnel).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

if [[ "${TLS:-0}" == 1 ]]; then
    exec benchmarks/tls.sh
fi

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
JAR=benchmarks/target/benchmarks.jar
SMTP_SOURCE="$(command -v smtp-source || { [[ -x /usr/sbin/smtp-source ]] && echo /usr/sbin/smtp-source; } || true)"
SMTP_SINK="$(command -v smtp-sink || { [[ -x /usr/sbin/smtp-sink ]] && echo /usr/sbin/smtp-sink; } || true)"

log() { printf 'run.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$SMTP_HOST" in
    127.0.0.1|localhost|::1) ;;
    *) die "SMTP_HOST must be a loopback address, not $SMTP_HOST" ;;
esac
case "$TARGET" in
    both) TARGET=embedded,external ;;
    embedded|external|embedded,external|external,embedded) ;;
    *) die "TARGET must be embedded, external or both, not $TARGET" ;;
esac

STARTED=$(date +%s)
OUR_SINK_PID=""
cleanup() {
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

# Percentage of both cores busy over one second: a benchmark on a busy machine measures the other work too.
busy_percent() {
    local a b c d e f g h t1 i1 t2 i2
    read -r _ a b c d e f g h _ < /proc/stat; t1=$((a+b+c+d+e+f+g+h)); i1=$((d+e))
    sleep 1
    read -r _ a b c d e f g h _ < /proc/stat; t2=$((a+b+c+d+e+f+g+h)); i2=$((d+e))
    echo $(( 100 * ((t2 - t1) - (i2 - i1)) / (t2 - t1) ))
}

# ---------------------------------------------------------------- build
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests
fi
[[ -f "$JAR" ]] || die "$JAR is missing; build first"

if [[ "$TARGET" == *external* ]]; then
    ensure_sink || die "TARGET=$TARGET needs a server on $SMTP_HOST:$SMTP_PORT"
fi

BUSY=$(busy_percent)
if (( BUSY > 10 )); then
    log "warning: the machine is ${BUSY}% busy before the benchmark; the figures will include that contention"
fi

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
            timing=$( { TIMEFORMAT='%R %U %S'; time "$SMTP_SOURCE" -d -s 8 -m 20000 -l 2000 -f a@x.test \
                -t b@y.test "$SMTP_HOST:$SMTP_PORT" >/dev/null; } 2>&1 )
            read -r wall user sys <<< "$timing"
            rates+=("$(awk -v w="$wall" 'BEGIN { printf "%.0f", 20000 / w }')")
            cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", (u + s) * 1e6 / 20000 }')")
        done
        log "smtp-source -d -s 8 -m 20000 -l 2000: ${rates[*]} msgs/s; its CPU ${cpus[*]} µs/msg"
        median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
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
    if ! command -v node >/dev/null || ! command -v npm >/dev/null \
        || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
        log "node >= 20 and npm not found; no Nodemailer row"
    elif ensure_sink; then
        NM_DIR=benchmarks/nodemailer
        if ! (cd "$NM_DIR" && npm ls >/dev/null 2>&1); then
            log "installing Nodemailer from $NM_DIR/package-lock.json"
            (cd "$NM_DIR" && npm ci --no-audit --no-fund >/dev/null)
        fi
        NM_VERSION=$(cd "$NM_DIR" && node -p 'require("nodemailer/package.json").version')
        log "Nodemailer $NM_VERSION: 8 in flight, 20,000 messages a round, 3 rounds"
        nm_out=$(node "$NM_DIR/bench.js" "$SMTP_HOST" "$SMTP_PORT" 8 20000 3)
        printf '%s\n' "$nm_out" >&2
        nm_line=$(printf '%s\n' "$nm_out" | grep '^nodemailer: median')
        nm_rate=$(awk '{ print $3 }' <<< "$nm_line")
        nm_cpu=$(awk '{ print $6 }' <<< "$nm_line")
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
