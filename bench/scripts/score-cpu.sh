#!/usr/bin/env bash
# The end-to-end CPU cost of a photo in two builds of the core, side by side on the same machine (for example main
# before and after a change): ScoreCpu.java scores PHOTO N times with each core jar on the bench module's classpath,
# the scoring thread's CPU time with the quality graph's floor between the requests, in a JVM per build and round,
# the builds alternated for ROUNDS rounds so that the shared machine's drift falls on both.
#
#   bench/scripts/score-cpu.sh OLD_CORE.jar NEW_CORE.jar PHOTO MODEL_DIR [N=60] [ROUNDS=4]
#
# Copy each build's core/target/photoscore-core-*.jar aside first. Run from the repository root, after
# `mvn -B -o -pl bench -am package -DskipTests`. Figures: docs/performance.md, "After the decode".
set -euo pipefail
[ $# -ge 4 ] || { sed -n 2,9p "$0"; exit 2; }
old=$1 new=$2 photo=$3 models=$4 n=${5:-60} rounds=${6:-4}
here=$(cd "$(dirname "$0")" && pwd)
list=$(mktemp) log=$(mktemp)
trap 'rm -f "$list" "$log"' EXIT
# The bench module is the reactor's last: its classpath is the one left in the file.
mvn -B -q -o -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$list" >"$log" 2>&1 \
    || { cat "$log"; exit 1; }
core=$(tr ':' '\n' < "$list" | grep '/photoscore-core-[^/]*SNAPSHOT.jar$')
for round in $(seq 1 "$rounds"); do
  for build in old new; do
    jar=$old; [ $build = new ] && jar=$new
    java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$(sed "s|$core|$jar|" "$list")" \
        "$here/ScoreCpu.java" "$models" "$photo" "$n" "$build, round $round" 2>/dev/null | grep -v '^\['
  done
done
