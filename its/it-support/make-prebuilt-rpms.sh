#!/usr/bin/env bash
# Plays a vendor's CI for the prebuilt-* ITs, inside the SDK image with no network:
#   docker run --rm --network none -e OWNER=<uid>:<gid> -v <this>:/make.sh:ro -v <dir>:/out <sdk> bash /make.sh
# Builds with rpmbuild and signs with rpmsign and a throw-away key made here (gone with the container):
#   /out/vendor.asc                     the vendor's public key
#   /out/signed/                        libvendor(-devel)-1.0-1.x86_64 (libvendor.so.1), vendor-tool-2.0-1.noarch,
#                                       vendor-doc-3.0-1.noarch, vendor-arm-1.0-1.aarch64, all signed by the vendor
#   /out/unsigned/vendor-tool-2.0-1.noarch.rpm   the same package, not signed
#   /out/stranger/vendor-tool-2.0-1.noarch.rpm   the same package, signed by another key
set -euo pipefail
export HOME=/tmp/vendor GNUPGHOME=/tmp/vendor/gnupg
mkdir -p "$GNUPGHOME" "$HOME/rpmbuild/SPECS" "$HOME/rpmbuild/SOURCES"
chmod 700 "$GNUPGHOME"
cd "$HOME"

gpg --batch --quiet --passphrase '' --quick-gen-key 'Prebuilt ITs vendor <vendor@example.invalid>' rsa2048 sign never
gpg --batch --quiet --passphrase '' --quick-gen-key 'Prebuilt ITs stranger <stranger@example.invalid>' rsa2048 sign never

cat > rpmbuild/SOURCES/vendor.c <<'C'
#include "vendor.h"
const char *vendor_greeting(void) { return "hello from the vendor's library"; }
C
echo 'const char *vendor_greeting(void);' > rpmbuild/SOURCES/vendor.h

cat > rpmbuild/SPECS/libvendor.spec <<'SPEC'
Name:           libvendor
Version:        1.0
Release:        1
Summary:        A vendor's shared library, shipped prebuilt
License:        Apache-2.0
Source0:        vendor.c
Source1:        vendor.h

%description
libvendor.so.1.

%package devel
Summary:        Header and link library for libvendor
Requires:       %{name} = %{version}-%{release}

%description devel
Header and link library for libvendor.

%prep
%setup -q -c -T
cp %{SOURCE0} %{SOURCE1} .

%build
gcc -O2 -fPIC -shared -Wl,-soname,libvendor.so.1 -o libvendor.so.1.0 vendor.c

%install
install -D -m 0755 libvendor.so.1.0 %{buildroot}/usr/lib/libvendor.so.1.0
ln -s libvendor.so.1.0 %{buildroot}/usr/lib/libvendor.so.1
ln -s libvendor.so.1 %{buildroot}/usr/lib/libvendor.so
install -D -m 0644 vendor.h %{buildroot}/usr/include/vendor.h

%files
/usr/lib/libvendor.so.1
/usr/lib/libvendor.so.1.0

%files devel
/usr/include/vendor.h
/usr/lib/libvendor.so
SPEC

# Packages of data only: name, version, license, build arch (none: the arch rpmbuild targets).
data_spec() {
  cat > "rpmbuild/SPECS/$1.spec" <<SPEC
Name:           $1
Version:        $2
Release:        1
Summary:        A vendor's package of data, shipped prebuilt
License:        $3
${4:+BuildArch:      $4}

%description
Data.

%install
mkdir -p %{buildroot}/usr/share/$1
echo '$1 $2' > %{buildroot}/usr/share/$1/VERSION

%files
/usr/share/$1
SPEC
}
data_spec vendor-tool 2.0 MIT noarch
data_spec vendor-doc 3.0 CC-BY-4.0 noarch
data_spec vendor-arm 1.0 MIT ''

quiet() { "$@" > /tmp/vendor/last.log 2>&1 || { cat /tmp/vendor/last.log; exit 1; }; }
quiet rpmbuild -bb rpmbuild/SPECS/libvendor.spec
quiet rpmbuild -bb rpmbuild/SPECS/vendor-tool.spec
quiet rpmbuild -bb rpmbuild/SPECS/vendor-doc.spec
quiet rpmbuild -bb --target aarch64 rpmbuild/SPECS/vendor-arm.spec

rm -rf /out/signed /out/unsigned /out/stranger
mkdir -p /out/signed /out/unsigned /out/stranger
cp rpmbuild/RPMS/*/*.rpm /out/signed/
cp rpmbuild/RPMS/noarch/vendor-tool-2.0-1.noarch.rpm /out/unsigned/
cp rpmbuild/RPMS/noarch/vendor-tool-2.0-1.noarch.rpm /out/stranger/
sign() { quiet rpmsign --define "_gpg_name $1" --define '__gpg /usr/bin/gpg' --addsign "${@:2}"; }
sign vendor@example.invalid /out/signed/*.rpm
sign stranger@example.invalid /out/stranger/*.rpm
gpg --armor --export vendor@example.invalid > /out/vendor.asc
chown -R "${OWNER:-0:0}" /out
ls -R /out
