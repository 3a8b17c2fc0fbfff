#!/bin/bash
# Made prebuilt-fixture-1.4.0-3.vendor.noarch.rpm (RpmHeaderTest) in the SDK image, with no network:
#   docker run --rm --network none -v "$PWD/make-fixture.sh:/fx.sh:ro" -v "$PWD:/out" twoliter-sdk:0.4.0 bash /fx.sh
set -euo pipefail
export HOME=/tmp/h
mkdir -p "$HOME/rpmbuild/SPECS"
cd "$HOME"
cat > rpmbuild/SPECS/fixture.spec <<'SPEC'
Name: prebuilt-fixture
Epoch: 2
Version: 1.4.0
Release: 3.vendor
Summary: A fixture for the prebuilt RPM header reader
License: MIT AND Apache-2.0
BuildArch: noarch
%description
Test fixture.
%install
mkdir -p %{buildroot}/usr/share/fixture; echo fixture > %{buildroot}/usr/share/fixture/x
%files
/usr/share/fixture/x
SPEC
rpmbuild -bb --define '_binary_payload w9.gzdio' rpmbuild/SPECS/fixture.spec > /dev/null 2>&1
cp rpmbuild/RPMS/noarch/*.rpm /out/
