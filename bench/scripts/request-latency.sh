#!/usr/bin/env bash
# Sequential request latency of the local service, two builds side by side on the same machine (for example main
# before and after a refactor): each jar serves on loopback with the same model pack, gets a warm-up, then N
# uploads of one photo one at a time (200) and N unauthenticated ones (401); the builds alternate for ROUNDS rounds so
# that the machine's drift falls on both. Prints one table row per build and round, and each build's median.
#
#   bench/scripts/request-latency.sh OLD.jar NEW.jar PHOTO MODEL_DIR [N=80] [ROUNDS=3]
#
# Needs curl. Figures: docs/performance.md, "Requests through the local service".
set -euo pipefail
[ $# -ge 4 ] || { sed -n 2,8p "$0"; exit 2; }
old=$1 new=$2 photo=$3 models=$4 n=${5:-80} rounds=${6:-3}
credentials=bench:bench-secret-0123456789

percentiles() { sort -n | awk '{a[NR] = $1 * 1000} END {printf "%8.1f %8.1f", a[int(NR * 0.5)], a[int(NR * 0.9)]}'; }

one_build() {  # jar -> "p50 p90 (200)  p50 p90 (401)"
  local jar=$1 port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  java -jar "$jar" serve --model-dir "$models" --port "$port" --demo-tenant "$credentials" >/dev/null 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null' RETURN
  local url=http://127.0.0.1:$port/v1/quality_ugc
  for _ in $(seq 1 180); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 1; done
  for _ in $(seq 1 15); do curl -s -o /dev/null -u "$credentials" -F "data=@$photo" "$url"; done
  local scored unauthenticated
  scored=$(for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -w '%{time_total}\n' -u "$credentials" -F "data=@$photo" "$url"; done | percentiles)
  unauthenticated=$(for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -w '%{time_total}\n' -F "data=@$photo" "$url"; done | percentiles)
  echo "$scored $unauthenticated"
}

printf '%-6s %5s | %8s %8s | %8s %8s   (ms, %d requests each)\n' build round 'p50 200' 'p90 200' 'p50 401' 'p90 401' "$n"
declare -A medians
for round in $(seq 1 "$rounds"); do
  for build in old new; do
    jar=$old; [ $build = new ] && jar=$new
    row=$(one_build "$jar")
    medians[$build]+="$(echo "$row" | awk '{print $1}') "
    printf '%-6s %5d | %8.1f %8.1f | %8.1f %8.1f\n' $build "$round" $row
  done
done
for build in old new; do
  echo "${medians[$build]}" | tr ' ' '\n' | grep . | sort -n | awk -v b=$build '{a[NR] = $1} END {printf "%s: median of the rounds'"'"' p50 (200) %.1f ms\n", b, a[int((NR + 1) / 2)]}'
done
