#!/usr/bin/env bash
# The quality graph's floor (OrtFloor.java: a ready 1x3x500x500 tensor, one thread, the thread's CPU time) under
# several ONNX Runtime versions: each version's jar is fetched from Maven Central once (mvn dependency:get, into the
# local Maven repository), then every version runs RUNS inferences in a JVM of its own, the versions alternated for
# ROUNDS rounds so that the shared machine's drift falls on all of them. Prints one line per run and each version's
# median of its rounds' p50. Extra arguments after the versions go to OrtFloor (e.g. --profile, or a setting).
#
#   bench/scripts/ort-floor.sh MODEL.onnx ROUNDS RUNS VERSION... [-- ORTFLOOR_ARGS...]
#
# Figures: docs/performance.md, "ONNX Runtime version" and "Where the quality graph's time goes".
set -euo pipefail
[ $# -ge 4 ] || { sed -n 2,8p "$0"; exit 2; }
model=$1 rounds=$2 runs=$3
shift 3
versions=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do versions+=("$1"); shift; done
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo ~/.m2/repository)
jar() { echo "$repo/com/microsoft/onnxruntime/onnxruntime/$1/onnxruntime-$1.jar"; }
for v in "${versions[@]}"; do
  [ -f "$(jar "$v")" ] || mvn -B -q dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$v" -Dtransitive=false
done
declare -A p50s
for round in $(seq 1 "$rounds"); do
  for v in "${versions[@]}"; do
    line=$(java -cp "$(jar "$v")" "$here/OrtFloor.java" "$model" "$runs" "$@" 2>/dev/null)
    echo "round $round: $line"
    p50s[$v]+="$(echo "$line" | head -1 | sed -n 's/.* p50 \([0-9.]*\) .*/\1/p') "
  done
done
for v in "${versions[@]}"; do
  echo "$v: median of the rounds' CPU p50 $(echo ${p50s[$v]} | tr ' ' '\n' | sort -n | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}') ms (${p50s[$v]% })"
done
