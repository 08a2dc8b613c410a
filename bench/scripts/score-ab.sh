#!/usr/bin/env bash
# The end-to-end CPU cost of a photo in two builds of the core, in one JVM with the requests alternated
# (ScoreAb.java: each core jar in a class loader of its own), so that both builds see the same moments of the shared
# machine. How the JIT compiles the same jar differs from JVM to JVM by up to 3 ms a request, so each round runs both
# orders (A = old, then A = new) and prints new - old as half the difference of the two orders' B - A.
#
#   bench/scripts/score-ab.sh OLD_CORE.jar NEW_CORE.jar PHOTO MODEL_DIR [BLOCKS=4] [REQUESTS=30] [ROUNDS=1]
#
# Copy each build's core/target/photoscore-core-*.jar aside first. Run from the repository root.
set -euo pipefail
[ $# -ge 4 ] || { sed -n 2,8p "$0"; exit 2; }
old=$1 new=$2 photo=$3 models=$4 blocks=${5:-4} requests=${6:-30} rounds=${7:-1}
here=$(cd "$(dirname "$0")" && pwd)
list=$(mktemp) log=$(mktemp)
trap 'rm -f "$list" "$log"' EXIT
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$list" >"$log" 2>&1 \
    || { cat "$log"; exit 1; }
deps=$(tr ':' '\n' < "$list" | grep -v '/photoscore-core-[^/]*SNAPSHOT.jar$' | paste -sd:)
# Prints ScoreAb's lines, and sets $difference to its B - A.
run() {
  local out
  out=$(java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$deps" "$here/ScoreAb.java" \
      "$1" "$2" "$models" "$photo" "$blocks" "$requests" 2>/dev/null | grep -v '^\[')
  echo "$out"
  difference=$(echo "$out" | sed -n 's/^B - A, median of the blocks: \(.*\) ms$/\1/p')
}
for round in $(seq 1 "$rounds"); do
  echo "round $round: A = old, B = new"
  run "$old" "$new"
  forward=$difference
  echo "round $round: A = new, B = old"
  run "$new" "$old"
  backward=$difference
  awk -v f="$forward" -v b="$backward" -v r="$round" \
      'BEGIN { printf "round %d: new - old %.2f ms (B - A %.2f with A = old, %.2f with A = new)\n", r, (f - b) / 2, f, b }'
done
