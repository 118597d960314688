#!/usr/bin/env bash
# Every peer side by side in one run (issue 12, part 6): migo-smtp, vertx-mail-client, Angus Mail, Nodemailer and
# Postfix's smtp-source, plain and over TLS, warm and cold, plus migo's round trips per message for each kind of
# server; prints ONE markdown table for benchmarks/RESULTS.md and the README. It calls the other scripts, which can
# also be run on their own:
#   warm    benchmarks/tls.sh         each client in its own process after a warm-up (ThroughputProbe for the Java
#                                     clients, bench.js for Nodemailer), median of REPEAT rounds; plain = smtp-sink,
#                                     TLS = implicit TLS to stunnel in front of it, the test CA trusted, host verified
#   cold    benchmarks/cold.sh        each client its own process timed as a whole (JVM start included), REPEAT runs
#   rtt     benchmarks/roundtrips.sh  one migo session through a 5 ms delay proxy in front of smtp-sink, Postfix and
#                                     smtp-sink -p (no PIPELINING), REPEAT runs
# Needs the test servers, as root: scripts/test-servers.sh install && scripts/test-servers.sh start
#
#   benchmarks/run.sh                      build, then everything: ~18 min on the 2-core VM (see benchmarks/RESULTS.md)
#   QUICK=1 benchmarks/run.sh              tiny counts, one run each: checks that every part works (~4 min); its
#                                          figures mean nothing
#   JMH=1 benchmarks/run.sh [JMH args...]  instead: the JMH SendBenchmark table (benchmarks/jmh.sh, its own settings)
#   TLS=1 benchmarks/run.sh                instead: only the TLS benchmark, every engine (benchmarks/tls.sh)
#
# Environment:
#   REPEAT        runs (cold, rtt) and measured rounds (warm) whose median is shown; default 3 (QUICK: 1)
#   COUNT         messages per round or run, warm and cold; default 20000 (QUICK: 300)
#   RTT_COUNT     timed messages per round-trip run; default 1000 (QUICK: 40), after RTT_WARMUP (200; QUICK: 10)
#   WARMUP_SECONDS_PLAIN, WARMUP_SECONDS_TLS   the warm clients' warm-up (at least COUNT messages and this long);
#                 default 8 and 20 (at TLS rates C2 is still compiling after 8 s); QUICK: 1 and 1
#   NODEMAILER=0  no Nodemailer rows (default: when node >= 20 and npm exist)
#   SKIP_BUILD=1  use the jars already built (benchmarks/target/benchmarks.jar, cli/target/migo-smtp.jar)
#   SERVERS       the test servers' properties (default target/test-servers.properties)
#   KEEP=DIR      keep every part's output and the collected results.tsv in DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run.sh

if [[ "${JMH:-0}" == 1 ]]; then
    exec benchmarks/jmh.sh "$@"
fi
if [[ "${TLS:-0}" == 1 ]]; then
    exec benchmarks/tls.sh
fi
(($# == 0)) || die "arguments are for JMH=1 (JMH's own), not for the all-peers run: $*"
for setting in TARGET PROBE JMH_OPTS REFERENCE; do
    [[ -z "${!setting:-}" ]] || die "$setting is a setting of the JMH run: JMH=1 $setting=${!setting} benchmarks/run.sh"
done

if [[ "${QUICK:-0}" == 1 ]]; then
    REPEAT="${REPEAT:-1}" COUNT="${COUNT:-300}" RTT_COUNT="${RTT_COUNT:-40}" RTT_WARMUP="${RTT_WARMUP:-10}"
    WARMUP_SECONDS_PLAIN="${WARMUP_SECONDS_PLAIN:-1}" WARMUP_SECONDS_TLS="${WARMUP_SECONDS_TLS:-1}"
fi
REPEAT="${REPEAT:-3}"
COUNT="${COUNT:-20000}"
RTT_COUNT="${RTT_COUNT:-1000}"
RTT_WARMUP="${RTT_WARMUP:-200}"
WARMUP_SECONDS_PLAIN="${WARMUP_SECONDS_PLAIN:-8}"
WARMUP_SECONDS_TLS="${WARMUP_SECONDS_TLS:-20}"
STARTED=$(date +%s)

require_servers
[[ -n "$(prop sink.tls.port)" ]] || die "$SERVERS has no sink.tls.port (the stunnel plug-in did not run); $SERVERS_HINT"
build_unless_skipped "$JAR" cli/target/migo-smtp.jar
NM=""
NM_LABEL="Nodemailer"
if [[ "${NODEMAILER:-1}" == 1 ]] && nodemailer_setup; then
    NM=nodemailer NM_LABEL="Nodemailer $NM_VERSION"
fi

if [[ -n "${KEEP:-}" ]]; then
    WORK="$KEEP"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
fi
export RESULTS_TSV="$WORK/results.tsv" SERVERS SKIP_BUILD=1
: >"$RESULTS_TSV"
BUSY=$(warn_if_busy)
log "REPEAT=$REPEAT COUNT=$COUNT RTT_COUNT=$RTT_COUNT; parts' output in $WORK; the machine ${BUSY}% busy, $(nproc) cpus"

# Each part prints its own table; here it goes to stderr and $WORK, so that stdout carries only the table below.
part() {
    local name=$1
    shift
    log "---- $name"
    env "$@" 2>&1 | tee "$WORK/$name.out" >&2
}
part warm-plain PROBE_COUNT="$COUNT" PROBE_ROUNDS="$REPEAT" PROBE_WARMUP_SECONDS="$WARMUP_SECONDS_PLAIN" \
    TLS_CLIENTS="migo:plain migo-raw:plain vertx-mail:plain angus-mail:plain ${NM:+nodemailer:plain}" benchmarks/tls.sh
part warm-tls PROBE_COUNT="$COUNT" PROBE_ROUNDS="$REPEAT" PROBE_WARMUP_SECONDS="$WARMUP_SECONDS_TLS" \
    TLS_CLIENTS="migo:auto migo-raw:auto vertx-mail:auto angus-mail:auto ${NM:+nodemailer:auto}" benchmarks/tls.sh
part cold RUNS="$REPEAT" COUNT="$COUNT" KINDS="migo_launcher vertx_mail angus_mail $NM smtp_source \
migo_launcher_tls vertx_mail_tls angus_mail_tls ${NM:+nodemailer_tls}" benchmarks/cold.sh
part rtt RUNS="$REPEAT" COUNT="$RTT_COUNT" WARMUP="$RTT_WARMUP" benchmarks/roundtrips.sh
# smtp-source is C: no JIT to warm up, so its timed runs stand for warm too; and it has no TLS.
awk -F'\t' -v OFS='\t' '$1 == "cold" && $3 == "smtp_source" { $1 = "warm"; print }' "$RESULTS_TSV" >"$WORK/c.tsv"
cat "$WORK/c.tsv" >>"$RESULTS_TSV"
record warm tls smtp_source n/a n/a
record cold tls smtp_source n/a n/a

# ---------------------------------------------------------------- the table
# result MODE TRANSPORT CLIENT FIELD(4 = msgs/s, 5 = CPU µs/msg or round trips): the last one recorded, or –.
result() {
    awk -F'\t' -v m="$1" -v t="$2" -v c="$3" -v f="$4" '$1 == m && $2 == t && $3 == c { v = $f }
        END { print (v == "" || v == "-") ? "–" : v }' "$RESULTS_TSV"
}
# 12345.6 -> 12,346; CPU figures keep one decimal below 100.
rate_cell() { awk -v v="$1" 'BEGIN { if (v !~ /^[0-9.]+$/) { print v; exit }
    s = sprintf("%.0f", v); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    print s out }'; }
cpu_cell() { awk -v v="$1" 'BEGIN { if (v !~ /^[0-9.]+$/) print v; else if (v >= 100) printf "%.0f\n", v;
    else printf "%.1f\n", v }'; }
times_cell() { local r; r="$(ratio "$1" "$2")"; [[ $r == n/a ]] && echo n/a || echo "**${r}×**"; }

# row LABEL WARM_KEY COLD_KEY: the four measured pairs of a client.
row() {
    local label=$1 warm=$2 cold=$3 cells="" t
    for t in plain tls; do
        cells+=" $(rate_cell "$(result warm $t "$warm" 4)") | $(cpu_cell "$(result warm $t "$warm" 5)") |"
        cells+=" $(rate_cell "$(result cold $t "$cold" 4)") | $(cpu_cell "$(result cold $t "$cold" 5)") |"
    done
    printf '| %s |%s\n' "$label" "$cells"
}
# ratio_row LABEL WARM_KEY COLD_KEY: migo's msgs/s over theirs in each of the four columns.
ratio_row() {
    local label=$1 warm=$2 cold=$3 cells="" t
    for t in plain tls; do
        cells+=" $(times_cell "$(result warm $t migo 4)" "$(result warm $t "$warm" 4)") | |"
        cells+=" $(times_cell "$(result cold $t migo_launcher 4)" "$(result cold $t "$cold" 4)") | |"
    done
    printf '| %s |%s\n' "$label" "$cells"
}
# "1.24 / 0.87": round trips per message against the nominal delay / against the measured NOOP round trip.
trips() { echo "$(result rtt plain "$1" 6) / $(result rtt plain "$1" 5)"; }
echo
printf '| %s × ~2 KB, 1 recipient, 8 in flight; plain: smtp-sink, TLS: stunnel in front of it; medians of %s |' \
    "$(rate_cell "$COUNT")" "$REPEAT"
printf ' plain warm msgs/s | CPU µs/msg | plain cold msgs/s | CPU µs/msg |'
printf ' TLS warm msgs/s | CPU µs/msg | TLS cold msgs/s | CPU µs/msg |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
row "migo-smtp, a \`MailMessage\` per send (cold: \`cli/bin/migo-smtp send --size 2000\`)" migo migo_launcher
row "migo-smtp, pre-rendered bytes (\`send(Envelope, Buffer)\`)" migo-raw -
row "vertx-mail-client (pipelining, pool of 8)" vertx-mail vertx_mail
row "Angus Mail (8 threads, a connection each)" angus-mail angus_mail
[[ -z "$NM" ]] || row "$NM_LABEL (pool of 8)" nodemailer nodemailer
row "Postfix \`smtp-source -s 8\` (C, no pipelining, no TLS; warm = cold: no JIT)" smtp_source smtp_source
ratio_row "migo / vertx-mail-client" vertx-mail vertx_mail
ratio_row "migo / smtp-source" smtp_source smtp_source
rtt_format="| migo round trips per message, 1 session through a 5 ms delay proxy (migo-raw, %s messages; against 5 ms"
rtt_format+=" / against the measured round trip): smtp-sink (PIPELINING) %s · Postfix (PIPELINING, CHUNKING) %s ·"
rtt_format+=" smtp-sink -p (neither) %s | | | | | | | | |\n"
# shellcheck disable=SC2059 # the format is built above
printf "$rtt_format" "$RTT_COUNT" "$(trips sink)" "$(trips postfix)" "$(trips nopipelining)"
echo
echo "warm: one process per client, after a warm-up of at least $(rate_cell "$COUNT") messages and" \
    "${WARMUP_SECONDS_PLAIN} s (TLS: ${WARMUP_SECONDS_TLS} s), CPU = the client process's user + system; cold: the" \
    "whole process timed, JVM start included; TLS: implicit, each client's default engine, the test CA trusted and" \
    "the host name verified. Round trips: the time per message / 5 ms, and / the measured round trip (median" \
    "NOOP through the proxy); both include the server's own time per message (Postfix queues each one)."
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- core cli benchmarks \
    || echo ' + local changes'), $(nproc) cpus, ${BUSY}% busy before the run, $(( $(date +%s) - STARTED )) s in all"
