#!/usr/bin/env bash
# Cold runs, as a user starts them: each client is its own process, timed as a whole (JVM start included), doing the
# same work — 20,000 messages of about 2 KB, 8 in flight, against Postfix's smtp-sink — alternating, RUNS times each:
#   migo-smtp (cli/bin/migo-smtp send --count), the same jar under a plain `java -jar`, vertx-mail-client
#   (ThroughputProbe's vertx-mail client, no warm-up, one round) and Postfix's smtp-source (C).
# Prints msgs/s (messages / the process's wall time) and the process's CPU per message (user + system), medians.
# See benchmarks/RESULTS.md ("Cold runs"). Needs `scripts/test-servers.sh start` (smtp-sink) and the jars:
#   mvn -B -q package -DskipTests && benchmarks/cold.sh
#
# Environment: RUNS (default 5), COUNT (default 20000), SERVERS (default target/test-servers.properties)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
RUNS="${RUNS:-5}"
COUNT="${COUNT:-20000}"
SERVERS="${SERVERS:-target/test-servers.properties}"
log() { printf 'cold.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ -f "$SERVERS" ]] || die "no $SERVERS: run scripts/test-servers.sh start first"
[[ -f cli/target/migo-smtp.jar && -f benchmarks/target/benchmarks.jar ]] || die "build first: mvn -B -q package -DskipTests"
HOST=127.0.0.1
PORT="$(sed -n 's/^sink.port=//p' "$SERVERS")"
SMTP_SOURCE="$(command -v smtp-source || echo /usr/sbin/smtp-source)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Runs "$@" once; prints "<msgs/s> <cpu µs/msg>" from bash's `time` (wall, user, sys).
timed() {
    local t
    t="$( { TIMEFORMAT='%R %U %S'; time "$@" >"$WORK/out" 2>"$WORK/err"; } 2>&1 )" || {
        cat "$WORK/err" >&2
        die "failed: $*"
    }
    awk -v n="$COUNT" '{ printf "%.0f %.0f\n", n / $1, ($2 + $3) * 1e6 / n }' <<<"$t"
}
migo_launcher() {
    cli/bin/migo-smtp send --count "$COUNT" --concurrency 8 --host "$HOST" --port "$PORT" --tls none \
        --from sender@example.test --to rcpt@example.test --size 2000 --no-progress
}
migo_plain_jvm() {
    java -jar cli/target/migo-smtp.jar send --count "$COUNT" --concurrency 8 --host "$HOST" --port "$PORT" --tls none \
        --from sender@example.test --to rcpt@example.test --size 2000 --no-progress
}
vertx_mail() {
    java -Dsmtp.host="$HOST" -Dsmtp.port="$PORT" -cp benchmarks/target/benchmarks.jar \
        io.migo.smtp.benchmarks.ThroughputProbe --target=external --clients=vertx-mail --concurrency=8 --count="$COUNT" --warmup=0 --warmup-seconds=0 --rounds=1
}
smtp_source() {
    "$SMTP_SOURCE" -d -s 8 -m "$COUNT" -l 2000 -f sender@example.test -t rcpt@example.test "$HOST:$PORT"
}
KINDS=(migo_launcher migo_plain_jvm vertx_mail smtp_source)
declare -A RATES CPUS
for run in $(seq 1 "$RUNS"); do
    for kind in "${KINDS[@]}"; do
        read -r rate cpu < <(timed "$kind")
        RATES[$kind]+="$rate "
        CPUS[$kind]+="$cpu "
    done
    log "run $run: $(for k in "${KINDS[@]}"; do printf '%s %s msgs/s; ' "$k" "$(awk '{print $NF}' <<<"${RATES[$k]}")"; done)"
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '\n| %s messages, 8 in flight, smtp-sink, one process per run | msgs/s (median of %s) | CPU µs/msg | runs (msgs/s) |\n|---|---|---|---|\n' "$COUNT" "$RUNS"
for kind in "${KINDS[@]}"; do
    printf '| %s | %s | %s | %s|\n' "$kind" "$(median <<<"${RATES[$kind]}")" "$(median <<<"${CPUS[$kind]}")" "${RATES[$kind]}"
done
m="$(median <<<"${RATES[migo_launcher]}")"
printf '\nmigo (launcher) / vertx-mail-client: %s; / smtp-source: %s\n' \
    "$(python3 -c "print(round($m / $(median <<<"${RATES[vertx_mail]}"), 2))")" \
    "$(python3 -c "print(round($m / $(median <<<"${RATES[smtp_source]}"), 2))")"
