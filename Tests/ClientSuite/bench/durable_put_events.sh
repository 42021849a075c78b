#!/bin/bash
# Issue 14's durable PutEvents figure: PutEvents → queue target over HTTP with `--fsync batch`
# as a share of `--in-memory`, the same benchmark, alternated in pairs on fresh servers.
#
# Usage (release builds of both products in BIN_DIR, from the repository's root):
#   swift build -c release --product eventrouter && swift build -c release --product eventrouter-bench
#   Tests/ClientSuite/bench/durable_put_events.sh .build/release [CONNECTIONS=16] [PAIRS=5] [SECONDS=6] [MODE=batch]
#
# Each pair runs `eventrouter run --in-memory`, then `eventrouter run --data-dir TMP --fsync MODE`
# (MODE: batch, always or off; EXTRA adds run flags, e.g. EXTRA="--snapshot-every-kib 1048576"),
# each driven by `eventrouter-bench http --target put-events --connections N --seconds S`, and
# prints both rates and their ratio; the last line is the median ratio. The machine is shared and
# noisy: read the median of several pairs, not one run.
set -u
BIN=${1:?usage: durable_put_events.sh BIN_DIR [CONNECTIONS] [PAIRS] [SECONDS] [MODE]}
CONNS=${2:-16}; PAIRS=${3:-5}; SECONDS_PER_RUN=${4:-6}; MODE=${5:-batch}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORKSPACE=$ROOT/Tests/ClientSuite/bench/workspace
for tool in eventrouter eventrouter-bench; do
  [ -x "$BIN/$tool" ] || { echo "durable_put_events.sh: $BIN/$tool is not an executable; build it with swift build -c release --product $tool" >&2; exit 1; }
done

# rate MODE → entries/s of one fresh server
rate() {
  local dir args pid port out
  dir=$(mktemp -d /tmp/eventrouter-durable-put-events.XXXX)
  if [ "$1" = mem ]; then args="--in-memory"; else args="--data-dir $dir/data --fsync $1 ${EXTRA:-}"; fi
  "$BIN/eventrouter" run --port 0 --quiet $args --workspace "$WORKSPACE" > "$dir/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do grep -q listening "$dir/out" && break; sleep 0.05; done
  port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/out" | head -1)
  if [ -z "$port" ]; then echo "eventrouter run did not start: $(cat "$dir/out")" >&2; kill $pid 2>/dev/null; rm -rf "$dir"; exit 1; fi
  out=$("$BIN/eventrouter-bench" http --target put-events --connections "$CONNS" --seconds "$SECONDS_PER_RUN" --port "$port" --server-pid $pid 2>&1)
  kill $pid; wait $pid 2>/dev/null
  rm -rf "$dir"
  echo "$out" | sed -n 's/^entries\/s *\([0-9]*\).*/\1/p'
}

ratios=()
for i in $(seq 1 "$PAIRS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  mem=$(rate mem); durable=$(rate "$MODE")
  if [ -z "$mem" ] || [ -z "$durable" ] || [ "$mem" -eq 0 ]; then echo "durable_put_events.sh: a run gave no rate (in memory '$mem', --fsync $MODE '$durable')" >&2; exit 1; fi
  ratio=$(( durable * 100 / mem ))
  ratios+=("$ratio")
  echo "$(date -u +%H:%M:%S) load $load, $CONNS connections: in memory $mem, --fsync $MODE $durable entries/s: $ratio %"
done
sorted=$(printf '%s\n' "${ratios[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (PAIRS + 1) / 2 ))p")
echo "median --fsync $MODE / in memory over $PAIRS pairs: $median % (all: $sorted)"
