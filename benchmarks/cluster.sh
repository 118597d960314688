#!/usr/bin/env bash
# Messages per second of a bulk job spread over 1, 2 and 3 cluster workers (migo-smtp worker), each its own JVM, fed
# by one `migo-smtp bulk --cluster` producer, against smtp-sink; and the same job from a single process
# (`migo-smtp bulk`, no cluster) for the event bus's overhead per message. Everything on loopback. See
# benchmarks/RESULTS.md.
#
#   benchmarks/cluster.sh
#
# Environment:
#   SMTP_HOST       default 127.0.0.1 (loopback only)
#   SMTP_PORT       default 10026 (the smtp-sink of scripts/test-servers.sh)
#   COUNT           messages per run (default 20000)
#   CONCURRENCY     messages in flight across the cluster (default 8)
#   WORKERS         worker counts to run (default "1 2 3")
#   BASE_PORT       first Hazelcast port (default 15701; the producer takes it, worker i BASE_PORT + i)
#   JAR             default cli/target/migo-smtp.jar (build it with mvn -pl cli -am package)
#   DKIM            rsa or ed25519: every message DKIM-signed (a key made with openssl for the run), on the workers
#                   and in the single process: CPU-bound work per message, which is what more workers can spread
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
SMTP_HOST="${SMTP_HOST:-127.0.0.1}"
SMTP_PORT="${SMTP_PORT:-10026}"
COUNT="${COUNT:-20000}"
CONCURRENCY="${CONCURRENCY:-8}"
WORKERS="${WORKERS:-1 2 3}"
BASE_PORT="${BASE_PORT:-15701}"
JAR="${JAR:-cli/target/migo-smtp.jar}"
JAVA_OPTS=(-Xmx256m -XX:+UseSerialGC)

case "$SMTP_HOST" in 127.*|localhost) ;; *) echo "cluster.sh: loopback targets only" >&2; exit 2 ;; esac
[[ -f $JAR ]] || { echo "cluster.sh: $JAR missing: mvn -pl cli -am package" >&2; exit 2; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The job: COUNT small text messages, one JSON line each.
for ((i = 0; i < COUNT; i++)); do
  printf '{"id":"m%d","from":"bench@example.test","to":["sink@example.test"],"subject":"bench %d","text":"message %d"}\n' \
    "$i" "$i" "$i"
done >"$WORK/job.jsonl"

relay=(--host "$SMTP_HOST" --port "$SMTP_PORT" --tls none)
signing=()
case "${DKIM:-}" in
  "") ;;
  rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/dkim.pem" 2>/dev/null ;;
  ed25519) openssl genpkey -algorithm ED25519 -out "$WORK/dkim.pem" 2>/dev/null ;;
  *) echo "cluster.sh: DKIM must be rsa or ed25519" >&2; exit 2 ;;
esac
if [[ -n ${DKIM:-} ]]; then
  signing=(--dkim-key "$WORK/dkim.pem" --dkim-domain example.test --dkim-selector bench)
fi

members() {
  local n=$1 list="127.0.0.1:$BASE_PORT"
  for ((w = 1; w <= n; w++)); do list+=",127.0.0.1:$((BASE_PORT + w))"; done
  echo "$list"
}

rate_of() { sed -n 's/.*"msgs_per_sec":\([0-9.]*\).*/\1/p' "$1" | tail -1; }

single="$WORK/single.json"
java "${JAVA_OPTS[@]}" -jar "$JAR" bulk --input "$WORK/job.jsonl" --json --concurrency "$CONCURRENCY" "${relay[@]}" \
  "${signing[@]}" >"$single" 2>"$WORK/single.err"
echo "single process (no cluster): $(rate_of "$single") msgs/s"

for n in $WORKERS; do
  name="bench-$n-$$"
  list="$(members "$n")"
  PIDS=()
  for ((w = 1; w <= n; w++)); do
    java "${JAVA_OPTS[@]}" -jar "$JAR" worker "${relay[@]}" "${signing[@]}" --pool-size "$CONCURRENCY" --cluster-name "$name" \
      --cluster-port "$((BASE_PORT + w))" --cluster-members "$list" >"$WORK/worker$w.log" 2>&1 &
    PIDS+=($!)
  done
  for ((w = 1; w <= n; w++)); do
    until grep -q ' ready$' "$WORK/worker$w.log"; do
      kill -0 "${PIDS[$((w - 1))]}" 2>/dev/null || { cat "$WORK/worker$w.log" >&2; exit 1; }
      sleep 0.2
    done
  done
  out="$WORK/cluster$n.json"
  java "${JAVA_OPTS[@]}" -jar "$JAR" bulk --cluster --cluster-name "$name" --cluster-port "$BASE_PORT" \
    --cluster-members "$list" --input "$WORK/job.jsonl" --json --concurrency "$CONCURRENCY" >"$out" 2>"$WORK/p$n.err"
  echo "$n worker(s): $(rate_of "$out") msgs/s  workers: $(sed -n 's/.*"workers":\({[^}]*}\).*/\1/p' "$out")"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
done
