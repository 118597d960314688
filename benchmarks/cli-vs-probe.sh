#!/usr/bin/env bash
# The CLI against the in-process probe, same messages, same sink, in one run: does `migo-smtp send --count` reach the
# library's own speed? Each round, alternating:
#   probe      ThroughputProbe (warm: 20,000 messages and 8 s of warm-up first), clients migo (a MailMessage built and
#              encoded per send) and migo-raw (one pre-rendered message); its median msgs/s over 3 rounds
#   cli-text   cli/bin/migo-smtp send --count COUNT --size 2000: a MailMessage per send, as the probe's migo
#   cli-raw    cli/bin/migo-smtp send --count COUNT --eml FILE: the probe's own rendered message, as migo-raw
# The CLI is timed as a whole process (JVM start included). Prints medians over RUNS rounds and the ratios
# cli-text / probe migo and cli-raw / probe migo-raw (issue 10: within 15 %, i.e. >= 0.85).
# Needs `scripts/test-servers.sh start` (smtp-sink) and the jars: mvn -B -q package -DskipTests && benchmarks/cli-vs-probe.sh
#
# Environment: RUNS (default 3), COUNT (default 100000), SERVERS (default target/test-servers.properties)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
RUNS="${RUNS:-3}"
COUNT="${COUNT:-100000}"
SERVERS="${SERVERS:-target/test-servers.properties}"
log() { printf 'cli-vs-probe.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ -f "$SERVERS" ]] || die "no $SERVERS: run scripts/test-servers.sh start first"
[[ -f cli/target/migo-smtp.jar && -f benchmarks/target/benchmarks.jar ]] || die "build first: mvn -B -q package -DskipTests"
HOST=127.0.0.1
PORT="$(sed -n 's/^sink.port=//p' "$SERVERS")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The probe's rendered message, byte for byte, for the CLI's --eml.
cat >"$WORK/Dump.java" <<'JAVA'
public class Dump {
  public static void main(String[] args) throws Exception {
    java.nio.file.Files.write(java.nio.file.Path.of(args[0]), io.migo.smtp.benchmarks.LoadClient.renderedMessage().getBytes());
  }
}
JAVA
java -cp benchmarks/target/benchmarks.jar "$WORK/Dump.java" "$WORK/message.eml"

cli() {
    cli/bin/migo-smtp send --count "$COUNT" --concurrency 8 --host "$HOST" --port "$PORT" --tls none \
        --from sender@example.test --to rcpt@example.test --no-progress --json "$@"
}
# Prints msgs/s of one whole CLI process.
timed_cli() {
    local t
    t="$( { TIMEFORMAT='%R'; time cli "$@" >"$WORK/out" 2>"$WORK/err"; } 2>&1 )" || {
        cat "$WORK/err" >&2
        die "the CLI failed"
    }
    grep -q "\"delivered\":$COUNT," "$WORK/out" || { cat "$WORK/out" >&2; die "the CLI did not deliver $COUNT"; }
    awk -v n="$COUNT" '{ printf "%.0f\n", n / $1 }' <<<"$t"
}
# Prints "<migo msgs/s> <migo-raw msgs/s>", the probe's medians.
probe() {
    java -Dsmtp.host="$HOST" -Dsmtp.port="$PORT" -cp benchmarks/target/benchmarks.jar \
        io.migo.smtp.benchmarks.ThroughputProbe --target=external --clients=migo,migo-raw --concurrency=8 \
        --count="$COUNT" --warmup=20000 --rounds=3 >"$WORK/probe"
    awk '$2 == "external" && ($1 == "migo" || $1 == "migo-raw") { gsub(",", "", $4); r[$1] = $4 }
         END { print r["migo"], r["migo-raw"] }' "$WORK/probe"
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

probe_text="" probe_raw="" cli_text="" cli_raw=""
for run in $(seq 1 "$RUNS"); do
    read -r p_text p_raw < <(probe)
    c_text="$(timed_cli --size 2000)"
    c_raw="$(timed_cli --eml "$WORK/message.eml")"
    probe_text+="$p_text " probe_raw+="$p_raw " cli_text+="$c_text " cli_raw+="$c_raw "
    log "run $run: probe migo $p_text, migo-raw $p_raw; cli text $c_text, cli raw $c_raw msgs/s"
done
pt="$(median "$probe_text")" pr="$(median "$probe_raw")" ct="$(median "$cli_text")" cr="$(median "$cli_raw")"
printf '%-28s %10s\n' "medians of $RUNS, $COUNT msgs" "msgs/s"
printf '%-28s %10s\n' "probe migo (warm)" "$pt" "probe migo-raw (warm)" "$pr" \
    "cli send --size 2000" "$ct" "cli send --eml" "$cr"
awk -v ct="$ct" -v pt="$pt" -v cr="$cr" -v pr="$pr" \
    'BEGIN { printf "cli/probe: text %.2f, raw %.2f (goal >= 0.85)\n", ct / pt, cr / pr }'
