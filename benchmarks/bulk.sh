#!/usr/bin/env bash
# `migo-smtp bulk` as a user runs it (the shaded jar, one JVM per run), in one run:
#   1. against smtp-sink, without and with --journal, alternating, RUNS times each: msgs/s (medians) and the ratio;
#   2. against the rate-limited Postfix of scripts/test-servers.sh (the bulk port: 3 sessions, 500 messages per 10 s
#      from one client), with more concurrency than it allows: the achieved rate against the relay's limit, and the
#      refusals in Postfix's log against the messages.
# See benchmarks/RESULTS.md ("Bulk jobs"). Needs `scripts/test-servers.sh start` (smtp-sink and Postfix).
#
#   benchmarks/bulk.sh
#
# Environment:
#   SINK_COUNT     messages per run against smtp-sink (default 50000)
#   RUNS           runs of each kind against smtp-sink (default 3)
#   LIMITED_COUNT  messages against the limited relay (default 6000; at 50/s about two minutes)
#   SKIP_BUILD=1   use the existing cli/target/migo-smtp.jar
#   SERVERS        test-servers.properties (default target/test-servers.properties)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

SINK_COUNT="${SINK_COUNT:-50000}"
RUNS="${RUNS:-3}"
LIMITED_COUNT="${LIMITED_COUNT:-6000}"
SERVERS="${SERVERS:-target/test-servers.properties}"
JAR=cli/target/migo-smtp.jar

log() { printf 'bulk.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
prop() { sed -n "s/^$1=//p" "$SERVERS"; }

[[ -f "$SERVERS" ]] || die "no $SERVERS: run scripts/test-servers.sh start first"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building the CLI"
    mvn -B -q -pl cli -am package -DskipTests
fi
[[ -f "$JAR" ]] || die "no $JAR"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# One message per line, 2 KB of text each, as the issue's input format has it.
make_input() { # count file marker
    python3 - "$1" "$2" "$3" "$(prop user)" <<'EOF'
import json, sys
count, path, marker, sender = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
body = ("The quick brown fox jumps over the lazy dog. " * 46)[:2000]
with open(path, "w") as f:
    for i in range(count):
        f.write(json.dumps({"id": str(i), "from": sender, "to": ["bulk@example.test"],
                            "subject": "bulk %d" % i, "text": body,
                            "headers": {"X-Migo-Bulk": "%s %d" % (marker, i)}}) + "\n")
EOF
}
field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])[sys.argv[1]])' "$1"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

HOST=127.0.0.1
SINK_PORT="$(prop sink.port)"
make_input "$SINK_COUNT" "$WORK/sink.jsonl" "sink"
plain=() journaled=()
for run in $(seq 1 "$RUNS"); do
    out="$(java -jar "$JAR" bulk --input "$WORK/sink.jsonl" --json --no-progress --concurrency 8 \
        --host "$HOST" --port "$SINK_PORT" --tls none)"
    plain+=("$(field msgs_per_sec <<<"$out")")
    rm -f "$WORK/job.journal"*
    out="$(java -jar "$JAR" bulk --input "$WORK/sink.jsonl" --journal "$WORK/job.journal" --json --no-progress \
        --concurrency 8 --host "$HOST" --port "$SINK_PORT" --tls none)"
    journaled+=("$(field msgs_per_sec <<<"$out")")
    log "run $run: without journal ${plain[-1]} msgs/s, with journal ${journaled[-1]} msgs/s"
done
p="$(printf '%s\n' "${plain[@]}" | median)"
j="$(printf '%s\n' "${journaled[@]}" | median)"

LPORT="$(prop postfix.limited.bulk.port)"
LIMIT_MSGS="$(prop postfix.limited.bulk.messages.per.unit)"
UNIT="$(prop postfix.limited.unit.seconds)"
MAILLOG="$(prop postfix.log)"
make_input "$LIMITED_COUNT" "$WORK/limited.jsonl" "limited-$$"
log "sleeping one rate unit ($UNIT s) so that the relay's window is fresh"
sleep "$UNIT"
from=$(stat -c %s "$MAILLOG")
out="$(java -jar "$JAR" bulk --input "$WORK/limited.jsonl" --json --no-progress --concurrency 16 \
    --host "$(prop hostname)" --port "$LPORT" --ca-cert "$(prop ca.pem)" --user "$(prop user)" --password "$(prop password)")"
rate="$(field msgs_per_sec <<<"$out")"
delivered="$(field delivered <<<"$out")"
throttled="$(field throttled <<<"$out")"
refusals=$(tail -c +"$((from + 1))" "$MAILLOG" | grep -c "limit exceeded.*for service $HOST:$LPORT" || true)
limit=$(python3 -c "print($LIMIT_MSGS / $UNIT)")
# What anvil actually allows a client that keeps sending: it starts a new window at the first event once
# `start + anvil_rate_time_unit < now`, in whole seconds (postfix/src/anvil/anvil.c, ANVIL_REMOTE_INCR_RATE), so each
# window lasts UNIT + 1 seconds; the cycles in Postfix's log are exactly that long.
effective=$(python3 -c "print(round($LIMIT_MSGS / ($UNIT + 1), 2))")

printf '\n| run | msgs/s (median of %s) |\n|---|---|\n' "$RUNS"
printf '| bulk, %s messages, smtp-sink, concurrency 8 | %s |\n' "$SINK_COUNT" "$p"
printf '| bulk --journal, same | %s |\n' "$j"
printf '| ratio with/without journal | %s |\n' "$(python3 -c "print(round($j / $p, 2))")"
printf '\n| limited relay (%s messages per %s s, 3 sessions), %s messages, concurrency 16 | value |\n|---|---|\n' \
    "$LIMIT_MSGS" "$UNIT" "$LIMITED_COUNT"
printf '| delivered | %s |\n' "$delivered"
printf '| achieved msgs/s (whole job, first window included) | %s |\n' "$rate"
printf '| share of the relay limit as configured (%s per %s s = %s/s) | %s %% |\n' "$LIMIT_MSGS" "$UNIT" "$limit" \
    "$(python3 -c "print(round(100 * $rate / $limit, 1))")"
printf '| share of what anvil enforces (%s per %s s = %s/s) | %s %% |\n' "$LIMIT_MSGS" "$((UNIT + 1))" "$effective" \
    "$(python3 -c "print(round(100 * $rate / $effective, 1))")"
printf '| refusals in Postfix log (sessions and rate) | %s (%s %% of messages) |\n' "$refusals" \
    "$(python3 -c "print(round(100 * $refusals / $LIMITED_COUNT, 2))")"
printf '| throttle events the client counted | %s |\n' "$throttled"
