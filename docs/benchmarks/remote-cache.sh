#!/bin/bash
# The remote build cache and several Docker engines, measured on the reactor of reactor.sh
# (N independent small C packages plus a kit that holds them all). Times, median of R runs:
#   cold      no target/, no cache entry: everything built, and written to the cache
#   noop      the same checkout again, nothing changed (the local up-to-date check)
#   restore   a fresh copy of the sources (no target/) in another directory, reading the cache:
#             every module restored, no container
#   T2-one    -T 2, no target/, no cache, one Docker engine
#   T2-two    -T 2, no target/, no cache, over two engines (twoliter.dockerHosts), when the second
#             engine's socket ($SECOND_ENGINE, default unix:///run/twoliter-docker-2.sock) answers
# The cache is a throw-away nginx WebDAV repository on 127.0.0.1 (its/repo-server).
#
#   docs/benchmarks/remote-cache.sh [N=30] [R=3] [sdk-image=twoliter-sdk:0.4.0]
#
# Needs: the plugin installed in the local repository, the SDK image (in both engines for T2-two),
# nginx and openssl. Work directory: $BENCH_DIR (default /tmp).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-30}
runs=${2:-3}
image=${3:-twoliter-sdk:0.4.0}
[[ $n =~ ^[1-9][0-9]{0,2}$ && $runs =~ ^[1-9]$ ]] || { echo "usage: $0 [N 1-999] [runs 1-9] [sdk-image]" >&2; exit 2; }
second=${SECOND_ENGINE:-unix:///run/twoliter-docker-2.sock}
base=${BENCH_DIR:-/tmp}
work=$base/twoliter-bench-$n
copy=$base/twoliter-bench-$n-elsewhere
server=$base/twoliter-bench-cache-server
log=$base/twoliter-bench-cache.log
: > "$log"

GENERATE_ONLY=1 BENCH_DIR=$base "$repo/docs/benchmarks/reactor.sh" "$n" 1 "$image"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -rf "$server"
"$repo/its/repo-server/start.sh" "$server" "$port" >> "$log" 2>&1
trap '"$repo/its/repo-server/stop.sh" "$server" >> "$log" 2>&1 || true' EXIT
settings=$base/twoliter-bench-settings.xml
cat > "$settings" <<XML
<settings><servers><server><id>twoliter-cache</id><username>deployer</username><password>s3cret</password></server></servers></settings>
XML
cache=(-Dtwoliter.cache.url="http://127.0.0.1:$port/cache" -s "$settings")

. "$repo/docs/benchmarks/timing.sh"
clean_targets() { find "$1" -name target -type d -prune -exec rm -rf {} +; }
fresh_copy() { rm -rf "$copy" && mkdir -p "$copy" && (cd "$work" && tar --exclude=target -cf - .) | (cd "$copy" && tar -xf -); }
# Online (the cache is a server) but without snapshot update checks against remote repositories.
mvnq() { mvn -B -nsu "$@"; }

two=false
if docker -H "$second" info >/dev/null 2>&1; then two=true; fi
declare -a cold=() noop=() restore=() t2one=() t2two=()
for r in $(seq "$runs"); do
  rm -rf "$server/data/cache"
  clean_targets "$work"
  cold+=("$(cd "$work" && timed mvnq "${cache[@]}" -Dtwoliter.cache.write=true package)")
  noop+=("$(cd "$work" && timed mvnq "${cache[@]}" package)")
  fresh_copy
  restore+=("$(cd "$copy" && timed mvnq "${cache[@]}" package)")
  grep -q "0 built, $((n + 1)) restored from the remote cache" "$log" || { echo "restore did not restore everything (see $log)" >&2; exit 1; }
  clean_targets "$work"
  t2one+=("$(cd "$work" && timed mvnq -o -T 2 package)")
  if $two; then
    clean_targets "$work"
    t2two+=("$(cd "$work" && timed mvnq -o -T 2 -Dtwoliter.dockerHosts="unix:///var/run/docker.sock,$second" package)")
  fi
  last_two=n/a; $two && last_two=${t2two[-1]}
  echo "run $r: cold ${cold[-1]} noop ${noop[-1]} restore ${restore[-1]} T2-one ${t2one[-1]} T2-two $last_two"
done
c=$(median "${cold[@]}"); o=$(median "${noop[@]}"); s=$(median "${restore[@]}"); a=$(median "${t2one[@]}")
b=$($two && median "${t2two[@]}" || echo n/a)
echo
echo "medians (s): cold $c | no-op $o | restored on an empty checkout $s (÷ no-op $(echo "scale=2; $s / $o" | bc)) | -T 2 one engine $a | -T 2 two engines $b"
grep "twoliter: " "$log" | tail -n 3
