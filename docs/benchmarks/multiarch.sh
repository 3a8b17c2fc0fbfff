#!/bin/bash
# One arch against two: the cold build, the no-op build and the rebuild after a change, for the
# reactor of its/src/it/multiarch-kits (a C library, a program linking it, a noarch package, an
# x86_64-only package and two kits), built narrowed to x86_64 (-Dtwoliter.arch) and for both arches
# (the reactor's own twoliter.arches)
# (median of R runs each; "cold" starts from no target/ directories).
#
#   docs/benchmarks/multiarch.sh [R=3] [sdk-image=twoliter-sdk:0.4.0]
#
# Needs the plugin installed in the local repository (`mvn -o install -DskipTests -pl
# twoliter-maven-plugin -am`) and the SDK image. Work directory: $BENCH_DIR (default /tmp).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
image=${2:-twoliter-sdk:0.4.0}
[[ $runs =~ ^[1-9]$ ]] || { echo "usage: $0 [runs 1-9] [sdk-image]" >&2; exit 2; }
version=$(sed -n '0,/<version>/s:.*<version>\([^<]*\)</version>.*:\1:p' "$repo/pom.xml")
work=${BENCH_DIR:-/tmp}/twoliter-bench-multiarch
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/its/src/it/multiarch-kits/." "$work/"
rm -rf "$work/consumer-x86" "$work/consumer-arm"
find "$work" -name pom.xml -exec sed -i -e "s/@project.version@/$version/g" -e "s#@repo.url@#file://$work/repo#g" {} +

seconds() { # <command...>: wall seconds of the command, its output in $work.log
  local start end
  start=$(date +%s.%N)
  "$@" >> "$work.log" 2>&1 || { tail -n 30 "$work.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Narrowing with -Dtwoliter.arch, not -Dtwoliter.arches: a user property would also override the
# x86_64-only kit module's own twoliter.arches.
mvn_package() { (cd "$work" && mvn -B -o -q package -Dtwoliter.sdkImage="$image" ${1:+"-Dtwoliter.arch=$1"}); }

for arches in x86_64 ""; do
  cold=() noop=() change=()
  for _ in $(seq 1 "$runs"); do
    find "$work" -name target -type d -prune -exec rm -rf {} +
    cold+=("$(seconds mvn_package "$arches")")
    noop+=("$(seconds mvn_package "$arches")")
    # A change to the library's source: the library and the program are rebuilt for each arch.
    echo "/* $RANDOM */" >> "$work/packages/libhello/hello.c"
    change+=("$(seconds mvn_package "$arches")")
  done
  printf '%-16s cold %6.1f s   no-op %5.1f s   library changed %6.1f s\n' "${arches:-x86_64,aarch64}" \
    "$(printf '%s\n' "${cold[@]}" | median)" "$(printf '%s\n' "${noop[@]}" | median)" \
    "$(printf '%s\n' "${change[@]}" | median)"
done
