#!/usr/bin/env bash
# Round trips per message for each kind of server (issue 12, part 2): DelayedRelayProbe puts DelayProxy (every
# server→client chunk delayed by DELAY_MS) in front of the server, sends with one migo session and 8 messages in
# flight (the pre-rendered message, send(Envelope, Buffer)); the time per message is divided by the nominal delay
# and by the round trip the probe measured (median NOOP through the proxy; on a busy machine it exceeds the delay).
# Both include the server's own time per message (Postfix writes each message to its queue, smtp-sink discards it).
# Server kinds, alternating, RUNS times each; prints the medians:
#   sink         Postfix's smtp-sink: PIPELINING, no CHUNKING (most relays)
#   postfix      Postfix's plain port of the test servers: PIPELINING and CHUNKING (it needs AUTH: the test user)
#   nopipelining smtp-sink -p: neither (a private smtp-sink on a free loopback port, started and stopped here; root)
# Needs `scripts/test-servers.sh start` and benchmarks/target/benchmarks.jar (mvn -B -q package -DskipTests).
#
# Environment: RUNS (default 3), COUNT (timed messages, default 1000), WARMUP (default 200), DELAY_MS (default 5),
# RTT_SERVERS (default "sink postfix nopipelining"), SERVERS (default target/test-servers.properties),
# RESULTS_TSV (append each kind's medians to this file too; benchmarks/run.sh collects them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init roundtrips.sh
RUNS="${RUNS:-3}"
COUNT="${COUNT:-1000}"
WARMUP="${WARMUP:-200}"
DELAY_MS="${DELAY_MS:-5}"
KINDS=(${RTT_SERVERS:-sink postfix nopipelining})
require_servers
[[ -f "$JAR" ]] || die "build first: mvn -B -q package -DskipTests"

OUR_SINK_PID=""
cleanup() {
    [[ -z "$OUR_SINK_PID" ]] || kill "$OUR_SINK_PID" 2>/dev/null || true
}
trap cleanup EXIT

# Starts `smtp-sink -p` (no PIPELINING) on a free loopback port, its port in PORT[nopipelining]; returns 1 when it
# cannot.
start_sink_without_pipelining() {
    local port
    if [[ -z "$SMTP_SINK" || $(id -u) -ne 0 ]]; then
        log "no smtp-sink or not root: no server without PIPELINING"
        return 1
    fi
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$SMTP_SINK" -u nobody -p "127.0.0.1:$port" 64 </dev/null >/dev/null 2>&1 &
    OUR_SINK_PID=$!
    for _ in $(seq 1 50); do
        [[ -n "$(listener_pid "$port")" ]] && { PORT[nopipelining]=$port; return 0; }
        sleep 0.1
    done
    log "smtp-sink -p did not start listening on $port"
    return 1
}

declare -A PORT LOGIN LABEL
PORT[sink]="$(prop sink.port)" LABEL[sink]="smtp-sink (PIPELINING)"
PORT[postfix]="$(prop postfix.plain.port)" LABEL[postfix]="Postfix (PIPELINING, CHUNKING)"
LOGIN[postfix]="--user=$(prop user) --password=$(prop password)"
LABEL[nopipelining]="smtp-sink -p (neither)"
if [[ " ${KINDS[*]} " == *" nopipelining "* ]]; then
    start_sink_without_pipelining || true
fi

# One probe run; prints "<msgs/s> <round trips per message>".
probe() {
    local kind=$1 out
    # shellcheck disable=SC2086 # LOGIN is a list of options
    out="$(java -cp "$JAR" io.migo.smtp.benchmarks.DelayedRelayProbe --port="${PORT[$kind]}" --delay-ms="$DELAY_MS" \
        --sessions=1 --concurrency=8 --count="$COUNT" --warmup="$WARMUP" ${LOGIN[$kind]:-} 2>&1)" \
        || { printf '%s\n' "$out" >&2; die "DelayedRelayProbe failed against ${LABEL[$kind]}"; }
    printf '%s\n' "$out" | sed 's/^/  /' >&2
    awk '/msgs\/s; goal/ { print $1, $NF }' <<<"$out"
}

declare -A RATES TRIPS
for run in $(seq 1 "$RUNS"); do
    for kind in "${KINDS[@]}"; do
        [[ -n "${PORT[$kind]:-}" ]] || continue
        result="$(probe "$kind")"
        read -r rate trips <<<"$result"
        RATES[$kind]+="$rate " TRIPS[$kind]+="$trips "
        log "run $run, ${LABEL[$kind]}: $rate msgs/s, $trips round trips per message"
    done
done

printf '\n| migo, 1 session, 8 in flight, %s ms delay proxy, %s messages | msgs/s (median of %s) |' \
    "$DELAY_MS" "$COUNT" "$RUNS"
printf ' round trips per message vs %s ms | vs measured NOOP | runs (vs NOOP) |\n|---|---:|---:|---:|---|\n' "$DELAY_MS"
for kind in "${KINDS[@]}"; do
    if [[ -z "${RATES[$kind]:-}" ]]; then
        printf '| %s | n/a | n/a | n/a | not run |\n' "${LABEL[$kind]}"
        record rtt plain "$kind" - - -
        continue
    fi
    rate="$(median <<<"${RATES[$kind]}")" trips="$(median <<<"${TRIPS[$kind]}")"
    nominal="$(awk -v r="$rate" -v d="$DELAY_MS" 'BEGIN { printf "%.2f", 1000 / (r * d) }')"
    printf '| %s | %s | %s | %s | %s|\n' "${LABEL[$kind]}" "$rate" "$nominal" "$trips" "${TRIPS[$kind]}"
    record rtt plain "$kind" "$rate" "$trips" "$nominal"
done
