#!/bin/bash
# Per-package overhead, -T parallelism and the no-op path, measured side by side in one run.
#
# Generates a reactor of N independent small C packages plus a kit that holds them all, then times
# (median of R runs each):
#   validate  `mvn -o validate`: Maven's own start-up and project loading, the part we cannot remove
#   floor     the same N rpmbuilds looped by hand in ONE SDK container (no Maven, no isolation)
#   peer      one BuildKit `docker build --no-cache --network none` per package from the same SDK image,
#             RPMs exported to the host: the mechanism Twoliter's buildsys uses
#   floor2, peer2  the same, in two lanes side by side (half of the packages each): what two build
#             threads can gain on this machine at best, for the by-hand loop and for the peer
#   T1, T2    the plugin, `mvn -o package` from no target/ directories, with -T 1 and -T 2
#   noop      `mvn -o package` again, nothing changed
# and prints the ratios the speed issue asks for, plus the Maven JVM's peak RSS (-T 1 build).
#
#   docs/benchmarks/reactor.sh [N=10] [R=3] [sdk-image=twoliter-sdk:0.4.0]
#
# GENERATE_ONLY=1 only writes the reactor to $BENCH_DIR/twoliter-bench-N.
# JVM_CONFIG='<options>' writes them to the reactor's .mvn/jvm.config (for example the
# "-XX:TieredStopAtLevel=1" docs/performance.md discusses); all Maven runs, validate included, use it.
#
# Needs: the plugin installed in the local repository (`mvn -o install -DskipTests -pl
# twoliter-maven-plugin -am`), the SDK image, a Docker engine whose own client (the Debian docker.io
# package's /usr/bin/docker) has BuildKit, GNU time. Work directory: $BENCH_DIR (default /tmp).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-10}
runs=${2:-3}
image=${3:-twoliter-sdk:0.4.0}
[[ $n =~ ^[1-9][0-9]{0,2}$ && $runs =~ ^[1-9]$ ]] || { echo "usage: $0 [N 1-999] [runs 1-9] [sdk-image]" >&2; exit 2; }
docker_cli=${DOCKER_CLI:-/usr/bin/docker}
version=$(sed -n '0,/<version>/s:.*<version>\([^<]*\)</version>.*:\1:p' "$repo/pom.xml")
work=${BENCH_DIR:-/tmp}/twoliter-bench-$n
log=$work.log
: > "$log"

generate() {
  rm -rf "$work" && mkdir -p "$work/packages" "$work/kit"
  local modules="" deps=""
  for i in $(seq -w 1 "$n"); do
    local name=pkg$i dir=$work/packages/pkg$i
    mkdir -p "$dir"
    cat > "$dir/$name.c" <<EOF
#include <stdio.h>
int main(void) { printf("package $i of $n\\n"); return 0; }
EOF
    cat > "$dir/$name.spec" <<EOF
Name:           $name
Version:        1.0
Release:        1
Summary:        Benchmark package $i
License:        MIT
Source0:        $name.c
BuildRequires:  gcc

%description
One of $n independent benchmark packages.

%prep
%setup -q -c -T
cp %{SOURCE0} .

%build
%{__cc} %{_cross_cflags} -o $name $name.c

%install
install -D -m 0755 $name %{buildroot}%{_cross_bindir}/$name

%files
%{_cross_bindir}/$name

%changelog
* Thu Jan 01 2026 Benchmark <bench@example.com> - 1.0-1
- Generated.
EOF
    cat > "$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>bench</groupId><artifactId>bench</artifactId><version>1.0</version><relativePath>../../pom.xml</relativePath></parent>
  <artifactId>$name</artifactId>
  <packaging>rpm</packaging>
</project>
EOF
    modules+="<module>packages/$name</module>"
    deps+="<dependency><groupId>bench</groupId><artifactId>$name</artifactId><version>1.0</version><type>rpm</type></dependency>"
  done
  cat > "$work/kit/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>bench</groupId><artifactId>bench</artifactId><version>1.0</version></parent>
  <artifactId>bench-kit</artifactId>
  <packaging>kit</packaging>
  <dependencies>$deps</dependencies>
</project>
EOF
  cat > "$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>bench</artifactId><version>1.0</version>
  <packaging>pom</packaging>
  <modules>$modules<module>kit</module></modules>
  <properties>
    <project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp>
    <twoliter.sdkImage>$image</twoliter.sdkImage>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>dev.twoliter</groupId><artifactId>twoliter-maven-plugin</artifactId><version>$version</version>
        <extensions>true</extensions>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  if [ -n "${JVM_CONFIG:-}" ]; then mkdir -p "$work/.mvn" && printf '%s\n' "$JVM_CONFIG" > "$work/.mvn/jvm.config"; fi
  # The peer's build context: one Dockerfile, the package directory as its context.
  cat > "$work/Dockerfile.peer" <<EOF
FROM $image AS build
ARG NAME
COPY . /src
RUN cp /usr/share/twoliter/macros/x86_64.macros /etc/rpm/macros.twoliter-arch \
 && mkdir -p /rb/SOURCES /rb/SPECS && cp /src/\$NAME.c /rb/SOURCES/ && cp /src/\$NAME.spec /rb/SPECS/ \
 && SOURCE_DATE_EPOCH=1767225600 rpmbuild -bb --quiet --define "_topdir /rb" /rb/SPECS/\$NAME.spec
FROM scratch
COPY --from=build /rb/RPMS/ /
EOF
}

. "$repo/docs/benchmarks/timing.sh"

clean_targets() { find "$work" -name target -type d -prune -exec rm -rf {} +; }

# The package names of one lane: all (no argument), or lane 1 or 2 of two (odd and even positions).
lane() { ls "$work/packages" | awk -v l="${1:-0}" 'l == 0 || NR % 2 == l % 2'; }

# The by-hand loop in one container over the packages named as arguments.
floor_lane() {
  local inner='set -e
cp /usr/share/twoliter/macros/x86_64.macros /etc/rpm/macros.twoliter-arch
export SOURCE_DATE_EPOCH=1767225600
for p in "$@"; do
  mkdir -p /tmp/rb/$p/SOURCES /tmp/rb/$p/SPECS
  cp "/src/$p/$p.c" /tmp/rb/$p/SOURCES/ && cp "/src/$p/$p.spec" /tmp/rb/$p/SPECS/
  rpmbuild -bb --quiet --define "_topdir /tmp/rb/$p" /tmp/rb/$p/SPECS/$p.spec
done'
  "$docker_cli" run --rm --network none -v "$work/packages:/src:ro" "$image" bash -c "$inner" floor "$@"
}

peer_lane() {
  local name
  for name in "$@"; do
    DOCKER_BUILDKIT=1 "$docker_cli" build --quiet --no-cache --network none -f "$work/Dockerfile.peer" \
      --build-arg NAME="$name" --output "type=local,dest=$work/peer-out/$name" "$work/packages/$name"
  done
}

floor() { floor_lane $(lane); }
peer() { rm -rf "$work/peer-out"; peer_lane $(lane); }
# Two lanes side by side; fails if either does.
floor2() { floor_lane $(lane 1) & local a=$!; floor_lane $(lane 2); wait "$a"; }
peer2() { rm -rf "$work/peer-out"; peer_lane $(lane 1) & local a=$!; peer_lane $(lane 2); wait "$a"; }

generate
# GENERATE_ONLY=1: write the reactor and stop (docs/benchmarks/remote-cache.sh builds it its own way).
[ -n "${GENERATE_ONLY:-}" ] && exit 0
cd "$work"
echo "reactor: $n packages + 1 kit in $work; $runs run(s) each; log: $log"
mvn -B -q -o package >> "$log" 2>&1 || { echo "warm-up build failed (see $log)" >&2; exit 1; }

declare -a validate=() floor_t=() floor2_t=() peer_t=() peer2_t=() t1=() t2=() noop=() rss=()
for r in $(seq "$runs"); do
  validate+=("$(timed mvn -B -q -o validate)")
  floor_t+=("$(timed floor)")
  floor2_t+=("$(timed floor2)")
  peer_t+=("$(timed peer)")
  peer2_t+=("$(timed peer2)")
  clean_targets
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" mvn -B -q -o -T 1 package >> "$log" 2>&1 || { echo "plugin -T 1 failed (see $log)" >&2; exit 1; }
  t1+=("$(echo "$(date +%s.%N) - $start" | bc)")
  rss+=("$(cat "$work/rss")")
  noop+=("$(timed mvn -B -q -o package)")
  clean_targets
  t2+=("$(timed mvn -B -q -o -T 2 package)")
  echo "run $r: validate ${validate[-1]} floor ${floor_t[-1]} floor2 ${floor2_t[-1]} peer ${peer_t[-1]} peer2 ${peer2_t[-1]} T1 ${t1[-1]} noop ${noop[-1]} T2 ${t2[-1]} rss ${rss[-1]} KiB"
done

v=$(median "${validate[@]}"); f=$(median "${floor_t[@]}"); p=$(median "${peer_t[@]}")
f2=$(median "${floor2_t[@]}"); p2=$(median "${peer2_t[@]}")
a=$(median "${t1[@]}"); b=$(median "${t2[@]}"); o=$(median "${noop[@]}"); m=$(median "${rss[@]}")
echo
echo "medians (s): validate $v | floor $f | floor in two lanes $f2 | peer $p | peer in two lanes $p2 | plugin -T1 $a | plugin -T2 $b | no-op $o"
printf '| figure | measured |\n|---|---|\n'
printf '| per-package overhead: (plugin -T 1 − validate − floor) / %d | %.2f s |\n' "$n" "$(echo "($a - $v - $f) / $n" | bc -l)"
printf '| the peer: one BuildKit docker build per package | %.2f s per package |\n' "$(echo "$p / $n" | bc -l)"
printf '| -T 2 speed-up over -T 1 | %.2f× |\n' "$(echo "$a / $b" | bc -l)"
printf '| for comparison, two lanes over one: the by-hand floor / the peer | %.2f× / %.2f× |\n' \
  "$(echo "$f / $f2" | bc -l)" "$(echo "$p / $p2" | bc -l)"
printf '| no-op package ÷ validate | %.2f× |\n' "$(echo "$o / $v" | bc -l)"
printf '| peak RSS of the Maven JVM, -T 1 build | %d MiB |\n' "$((m / 1024))"
