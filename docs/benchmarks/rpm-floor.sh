#!/bin/bash
# The floor for the greet example's package builds: the same two rpmbuilds (libgreet, then greet
# against libgreet's installed RPMs) run by hand in ONE SDK container, with no Maven, no
# fingerprinting, no dnf and no per-module container.
#   docs/benchmarks/rpm-floor.sh [sdk-image]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
image=${1:-twoliter-sdk:0.4.0}
inner='set -e
for p in libgreet greet; do
  mkdir -p /tmp/rb/$p/SOURCES /tmp/rb/$p/SPECS
  find /src/$p -maxdepth 1 -type f ! -name pom.xml -exec cp {} /tmp/rb/$p/SOURCES/ \;
  cp /src/$p/$p.spec /tmp/rb/$p/SPECS/
done
cp /usr/share/twoliter/macros/x86_64.macros /etc/rpm/macros.twoliter-arch
export SOURCE_DATE_EPOCH=1767225600
rpmbuild -bb --quiet --define "_topdir /tmp/rb/libgreet" /tmp/rb/libgreet/SPECS/libgreet.spec
rpm -i --nodeps /tmp/rb/libgreet/RPMS/x86_64/*.rpm 2>/dev/null
rpmbuild -bb --quiet --define "_topdir /tmp/rb/greet" /tmp/rb/greet/SPECS/greet.spec'
for i in 1 2 3; do
  /usr/bin/time -f "floor run $i: %e s" \
    docker run --rm --network none -v "$repo/examples/greet/packages:/src:ro" "$image" bash -c "$inner"
done
