#!/usr/bin/env bash
# Cold runs, as a user starts them: each client is its own process, timed as a whole (JVM start included), doing the
# same work — 20,000 messages of about 2 KB, 8 in flight, against Postfix's smtp-sink — alternating, RUNS times each.
# Prints msgs/s (messages / the process's wall time) and the process's CPU per message (user + system), medians.
# See benchmarks/RESULTS.md ("Cold runs"). Needs `scripts/test-servers.sh start` (smtp-sink, and stunnel for the
# *_tls kinds) and the jars:
#   mvn -B -q package -DskipTests && benchmarks/cold.sh
#
# Kinds (KINDS, default "migo_launcher migo_plain_jvm vertx_mail smtp_source"):
#   migo_launcher     cli/bin/migo-smtp send --count COUNT --concurrency 8 --size 2000
#   migo_plain_jvm    the same jar under a plain `java -jar` (the JVM's defaults)
#   vertx_mail        ThroughputProbe's vertx-mail client, no warm-up, one round
#   angus_mail        ThroughputProbe's angus-mail client, the same way
#   nodemailer        benchmarks/nodemailer/bench.js without warm-up, one round
#   smtp_source       Postfix's smtp-source (C; it has no TLS)
#   migo_launcher_tls, vertx_mail_tls, angus_mail_tls, nodemailer_tls: the same over implicit TLS to stunnel in front
#                     of smtp-sink, trusting the test CA and verifying the host name (each client's default engine)
#
# Environment: RUNS (default 5), COUNT (default 20000), KINDS, SERVERS (default target/test-servers.properties),
# RESULTS_TSV (append each kind's medians to this file too; benchmarks/run.sh collects them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init cold.sh
RUNS="${RUNS:-5}"
COUNT="${COUNT:-20000}"
KINDS=(${KINDS:-migo_launcher migo_plain_jvm vertx_mail smtp_source})
require_servers
[[ -f cli/target/migo-smtp.jar && -f "$JAR" ]] || die "build first: mvn -B -q package -DskipTests"
HOST=127.0.0.1
PORT="$(prop sink.port)"
# TLS: the name on the test certificate, so that every client verifies it.
TLS_HOST="$(prop hostname)"
TLS_PORT="$(prop sink.tls.port)"
CA="$(prop ca.pem)"
require_loopback "$TLS_HOST"
if [[ " ${KINDS[*]} " == *_tls\ * && -z "$TLS_PORT" ]]; then
    die "$SERVERS has no sink.tls.port (the stunnel plug-in did not run); $SERVERS_HINT"
fi
if [[ " ${KINDS[*]} " == *" nodemailer"* ]]; then
    nodemailer_setup || die "KINDS names nodemailer"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BENCH_OUT="$WORK/out"

migo_cli() {
    cli/bin/migo-smtp send --count "$COUNT" --concurrency 8 --from sender@example.test --to rcpt@example.test \
        --size 2000 --no-progress "$@"
}
migo_launcher() { migo_cli --host "$HOST" --port "$PORT" --tls none; }
migo_launcher_tls() { migo_cli --host "$TLS_HOST" --port "$TLS_PORT" --tls implicit --ca-cert "$CA"; }
migo_plain_jvm() {
    java -jar cli/target/migo-smtp.jar send --count "$COUNT" --concurrency 8 --host "$HOST" --port "$PORT" --tls none \
        --from sender@example.test --to rcpt@example.test --size 2000 --no-progress
}
# probe_cold CLIENT [JVM options...]: one round, no warm-up, against smtp-sink (or what the options name).
probe_cold() {
    local client=$1
    shift
    java -Dsmtp.host="$HOST" -Dsmtp.port="$PORT" "$@" -cp "$JAR" io.migo.smtp.benchmarks.ThroughputProbe \
        --target=external --clients="$client" --concurrency=8 --count="$COUNT" --warmup=0 --warmup-seconds=0 --rounds=1
}
tls_options=(-Dsmtp.host="$TLS_HOST" -Dsmtp.port="$TLS_PORT" -Dsmtp.tls=implicit -Dsmtp.ca="$CA")
vertx_mail() { probe_cold vertx-mail; }
vertx_mail_tls() { probe_cold vertx-mail "${tls_options[@]}"; }
angus_mail() { probe_cold angus-mail; }
angus_mail_tls() { probe_cold angus-mail "${tls_options[@]}"; }
nodemailer_cold() { nodemailer "$HOST" "$PORT" none "$COUNT" 1 0; }
nodemailer_cold_tls() { nodemailer "$TLS_HOST" "$TLS_PORT" implicit "$COUNT" 1 0; }
smtp_source_cold() { smtp_source "$HOST" "$PORT" "$COUNT"; }

# The function that runs a kind (nodemailer and smtp_source are also the names of lib.sh's helpers).
runner() {
    case $1 in
        nodemailer) echo nodemailer_cold ;;
        nodemailer_tls) echo nodemailer_cold_tls ;;
        smtp_source) echo smtp_source_cold ;;
        *) declare -F "$1" >/dev/null || die "unknown kind $1"; echo "$1" ;;
    esac
}

declare -A RATES CPUS
for run in $(seq 1 "$RUNS"); do
    for kind in "${KINDS[@]}"; do
        result="$(timed_process "$COUNT" "$(runner "$kind")")"
        read -r rate cpu <<<"$result"
        RATES[$kind]+="$rate "
        CPUS[$kind]+="$cpu "
    done
    log "run $run: $(for k in "${KINDS[@]}"; do printf '%s %s msgs/s; ' "$k" "$(awk '{print $NF}' <<<"${RATES[$k]}")"; done)"
done
printf '\n| %s messages, 8 in flight, smtp-sink, one process per run | msgs/s (median of %s) | CPU µs/msg | runs (msgs/s) |\n|---|---|---|---|\n' "$COUNT" "$RUNS"
for kind in "${KINDS[@]}"; do
    rate="$(median <<<"${RATES[$kind]}")" cpu="$(median <<<"${CPUS[$kind]}")"
    printf '| %s | %s | %s | %s|\n' "$kind" "$rate" "$cpu" "${RATES[$kind]}"
    transport=plain
    [[ $kind == *_tls ]] && transport=tls
    record cold "$transport" "${kind%_tls}" "$rate" "$cpu"
done
if [[ -n "${RATES[migo_launcher]:-}" ]]; then
    m="$(median <<<"${RATES[migo_launcher]}")"
    printf '\nmigo (launcher) / vertx-mail-client: %s; / smtp-source: %s\n' \
        "$(ratio "$m" "$(median <<<"${RATES[vertx_mail]:-}")")" "$(ratio "$m" "$(median <<<"${RATES[smtp_source]:-}")")"
fi
