# Shared bits of the benchmark scripts (sourced, not run): logging, the test servers' properties, medians, timing a
# whole process, machine load, and the two non-Java peers (Nodemailer and Postfix's smtp-source), so that run.sh,
# jmh.sh, tls.sh, cold.sh and roundtrips.sh measure each of them the same way.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"; bench_init tls.sh
#
# After bench_init the working directory is the repository root and REPO_ROOT is set.

bench_init() {
    BENCH_NAME=$1
    REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cd "$REPO_ROOT"
    SERVERS="${SERVERS:-target/test-servers.properties}"
    JAR=benchmarks/target/benchmarks.jar
}

log() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Loopback only: the benchmarks are never pointed at a real relay.
require_loopback() {
    case "$1" in
        127.0.0.1|localhost|::1) ;;
        *) die "the host must be a loopback address, not $1" ;;
    esac
}

SERVERS_HINT="start the servers (smtp-sink, stunnel in front of it, Postfix) as root with:
  scripts/test-servers.sh install && scripts/test-servers.sh start"

require_servers() { [[ -f "$SERVERS" ]] || die "no $SERVERS; $SERVERS_HINT"; }

# A value of the properties file scripts/test-servers.sh writes, e.g. `prop sink.port`.
prop() { sed -n "s/^$1=//p" "$SERVERS"; }

# The process listening on a loopback port, from ss (e.g. users:(("stunnel4",pid=123,fd=8))).
listener_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1; }

# Builds the jars unless SKIP_BUILD=1, then checks that the ones named are there.
build_unless_skipped() {
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        log "building (mvn -B -q package -DskipTests)"
        mvn -B -q package -DskipTests >&2
    fi
    local jar
    for jar in "$@"; do
        [[ -f "$jar" ]] || die "$jar is missing; build first: mvn -B -q package -DskipTests"
    done
}

# The median of numbers given as arguments or, without arguments, one per word on stdin.
median() {
    if (($#)); then printf '%s\n' "$@"; else tr ' ' '\n'; fi \
        | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'
}

# a / b rounded to 2 places, or n/a when either is missing or not a number.
ratio() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) { print "n/a"; exit }
        printf "%.2f\n", a / b }'
}

# Percentage of all cores busy over one second: a benchmark on a busy machine measures the other work too.
busy_percent() {
    local a b c d e f g h t1 i1 t2 i2
    read -r _ a b c d e f g h _ < /proc/stat; t1=$((a+b+c+d+e+f+g+h)); i1=$((d+e))
    sleep 1
    read -r _ a b c d e f g h _ < /proc/stat; t2=$((a+b+c+d+e+f+g+h)); i2=$((d+e))
    echo $(( 100 * ((t2 - t1) - (i2 - i1)) / (t2 - t1) ))
}

warn_if_busy() {
    local busy
    busy=$(busy_percent)
    if (( busy > 10 )); then
        log "warning: the machine is ${busy}% busy before the benchmark; the figures will include that contention"
    fi
    echo "$busy"
}

# Runs "$@" as one process doing N messages (stdout and stderr kept in $BENCH_OUT, $BENCH_OUT.err) and prints
# "<msgs/s> <CPU µs/msg>": N / its wall time, and its user + system CPU per message (bash's `time`).
timed_process() {
    local n=$1 t
    shift
    t="$( { TIMEFORMAT='%R %U %S'; time "$@" >"$BENCH_OUT" 2>"$BENCH_OUT.err"; } 2>&1 )" || {
        cat "$BENCH_OUT" "$BENCH_OUT.err" >&2
        die "failed: $*"
    }
    awk -v n="$n" '{ printf "%.0f %.1f\n", n / $1, ($2 + $3) * 1e6 / n }' <<<"$t"
}

# Appends one measurement to $RESULTS_TSV when set (run.sh collects them into its table), tab-separated:
#   <mode: warm|cold|rtt> <transport: plain|tls> <client> <msgs/s> <CPU µs/msg, or for rtt: round trips per
#   message against the measured round trip> [for rtt: against the nominal delay]   (- = not measured)
record() {
    [[ -n "${RESULTS_TSV:-}" ]] || return 0
    (IFS=$'\t'; echo "$*") >>"$RESULTS_TSV"
}

# ---------------------------------------------------------------- Postfix's smtp-source (C) and smtp-sink

SMTP_SOURCE="$(command -v smtp-source || { [[ -x /usr/sbin/smtp-source ]] && echo /usr/sbin/smtp-source; } || true)"
SMTP_SINK="$(command -v smtp-sink || { [[ -x /usr/sbin/smtp-sink ]] && echo /usr/sbin/smtp-sink; } || true)"

# smtp_source HOST PORT N: N messages of 2,000 bytes over 8 sessions; one process.
smtp_source() {
    "$SMTP_SOURCE" -d -s 8 -m "$3" -l 2000 -f sender@example.test -t rcpt@example.test "$1:$2"
}

# ---------------------------------------------------------------- Nodemailer (benchmarks/nodemailer/bench.js)

NM_DIR=benchmarks/nodemailer

# Installs Nodemailer from its lockfile on first use and sets NM_VERSION; returns 1 (with a note) without node >= 20.
nodemailer_setup() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null \
        || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
        log "node >= 20 and npm not found; no Nodemailer row"
        return 1
    fi
    if ! (cd "$NM_DIR" && npm ls >/dev/null 2>&1); then
        log "installing Nodemailer from $NM_DIR/package-lock.json"
        (cd "$NM_DIR" && npm ci --no-audit --no-fund >/dev/null)
    fi
    NM_VERSION=$(cd "$NM_DIR" && node -p 'require("nodemailer/package.json").version')
}

# nodemailer HOST PORT TLS(none|implicit) COUNT ROUNDS WARMUP_SECONDS: one Node process, 8 in flight; over TLS it
# trusts the test CA (NODE_EXTRA_CA_CERTS) and verifies HOST. WARMUP_SECONDS=0: no warm-up at all (a cold run).
nodemailer() {
    local trust=()
    [[ $3 == implicit ]] && trust=("NODE_EXTRA_CA_CERTS=$(prop ca.pem)")
    env "${trust[@]}" node "$NM_DIR/bench.js" "$1" "$2" 8 "$4" "$5" "$3" "$6"
}

# The "median M msgs/s, cpu C µs/msg" line of bench.js's output, as "M C".
nodemailer_median() { awk '/^nodemailer: median/ { print $3, $6 }'; }
