#!/usr/bin/env bash
# The one-pass baseline JPEG decoder (core's dev.photoscore.image.jpeg) of two git revisions side by side, by
# DecodeAB.java: each revision's core main sources come from git, its jpeg package is compiled (javac -sourcepath:
# what it uses of the rest of core comes along), and both builds run in one JVM, each in a class loader of its own.
#
#   bench/scripts/decode-ab.sh time REV_A REV_B JVMS ROUNDS PHOTO EIGHTHS [PHOTO EIGHTHS...]
#   bench/scripts/decode-ab.sh compare REV_A REV_B MUTANTS PATH...
#
# time: JVMS fresh JVMs one after the other, each with ROUNDS rounds of A and B alternated (thread CPU time of
# BaselineJpeg.of + decode with the centre crop). The JIT's choices differ from JVM to JVM by several per cent, so
# compare the ratios of several JVMs. compare: the same outcome and the same pixels, bit for bit, for every JPEG
# under the paths at 1/8 to 4/8, and for MUTANTS seeded mutations of them; exits 1 on a difference.
# REV: a commit, or . for the working tree. The bench's photos are in bench/target/bench/photos after a bench run
# (the quality graph's minimum decodes 12mp.jpg at 3/8, 24mp.jpg at 2/8).
# Figures: docs/performance.md, "The one-pass baseline JPEG decoder".
set -euo pipefail
[ $# -ge 5 ] || { sed -n 2,15p "$0"; exit 2; }
mode=$1 a=$2 b=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What the jpeg package uses from outside core (TwelveMonkeys' colour spaces for embedded ICC profiles).
# (core is the reactor's last module here: its classpath is the one left in the file)
mvn -B -q -o -f "$repo/pom.xml" -pl core -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$work/classpath" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
libs=$(cat "$work/classpath")

build() {  # revision folder: compiles the revision's jpeg package into folder/classes
  local rev=$1 dir=$work/$2
  mkdir -p "$dir/src" "$dir/classes"
  if [ "$rev" = . ]; then
    cp -r "$repo/core/src/main/java/." "$dir/src/"
  else
    git -C "$repo" archive "$rev" core/src/main/java | tar -x -C "$dir/src" --strip-components=4
  fi
  javac -nowarn -cp "$libs" -d "$dir/classes" -sourcepath "$dir/src" "$dir"/src/dev/photoscore/image/jpeg/*.java
}
build "$a" a
build "$b" b
case $mode in
  time)
    jvms=$1 rounds=$2
    shift 2
    for run in $(seq 1 "$jvms"); do
      echo "JVM $run (A = $a, B = $b):"
      java -cp "$libs" "$here/DecodeAB.java" time "$work/a/classes" "$work/b/classes" "$rounds" "$@"
    done ;;
  compare)
    java -Xmx3g -cp "$libs" "$here/DecodeAB.java" compare "$work/a/classes" "$work/b/classes" "$@" ;;
  *) sed -n 2,15p "$0"; exit 2 ;;
esac
