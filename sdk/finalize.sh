#!/bin/bash
# Runs as root inside the SDK root filesystem (chroot or Dockerfile RUN) after the
# Debian packages are installed. Lays down the parts of the SDK contract that are
# not Debian packages: RPM database location, per-arch macros, and the
# "twoliter-sdk-provides" package that tells rpm/dnf what the SDK itself offers.
# Usage: finalize.sh <dir holding macros/ and sdk-capabilities.txt>
set -euo pipefail
src=$1

# Debian's rpm keeps its database in ~/.rpmdb; every root the SDK creates must use
# the standard location instead (dnf has no --dbpath, so a macro is the only way).
mkdir -p /etc/rpm /usr/share/twoliter/macros
printf '%%_dbpath /usr/lib/sysimage/rpm\n' > /etc/rpm/macros.twoliter-dbpath
install -m 0644 "$src"/macros/*.macros /usr/share/twoliter/macros/
install -m 0644 "$src"/toolchains.macros /etc/rpm/macros.twoliter-toolchains
install -D -m 0644 "$src"/meson/aarch64.ini /usr/share/twoliter/meson/aarch64.ini

# Debian's golang-1.23-go installs under /usr/lib/go-1.23 (the golang-go package would add the
# links, but pins an older Go); put its commands on PATH.
go_root=$(find /usr/lib -maxdepth 1 -name 'go-1.*' -type d | LC_ALL=C sort -V | tail -n 1)
[ -n "$go_root" ] || { echo "finalize.sh: no Go toolchain under /usr/lib/go-1.*" >&2; exit 1; }
for tool in go gofmt; do ln -sf "$go_root/bin/$tool" "/usr/bin/$tool"; done

# The toolchains and their versions: in the provides package below (BuildRequires such as
# "cmake >= 3.20" or "golang >= 1.22" resolve against them) and in toolchains.txt, which
# build-offline.sh turns into the image's dev.twoliter.sdk.toolchains label.
first_version() { grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1; }
# A throwaway HOME: Go, for one, keeps telemetry files under it even for `go version`.
tool_home=$(mktemp -d)
image_home=$HOME
export HOME=$tool_home
{
  echo "gcc $(gcc -dumpfullversion)"
  echo "autoconf $(autoconf --version | first_version)"
  echo "automake $(automake --version | first_version)"
  echo "libtool $(libtoolize --version | first_version)"
  echo "pkgconf $(pkgconf --version | first_version)"
  echo "cmake $(cmake --version | first_version)"
  echo "meson $(meson --version | first_version)"
  echo "ninja $(ninja --version | first_version)"
  echo "go $(go version | sed 's/^go version go//' | first_version)"
  echo "rust $(rustc --version | first_version)"
  echo "cargo $(cargo --version | first_version)"
} > /usr/share/twoliter/toolchains.txt
export HOME=$image_home
rm -rf "$tool_home"
if grep -vE '^[a-z+]+ [0-9]+\.[0-9]+(\.[0-9]+)?$' /usr/share/twoliter/toolchains.txt; then
  echo "finalize.sh: a toolchain's version could not be read (above)" >&2; exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# provides_spec <name> <library directory> <description>: a spec whose package provides the SDK's
# tools and the ELF sonames of the libraries in the directory (prints the spec's path).
provides_spec() {
  local name=$1 libdir=$2 description=$3 spec=$work/$1.spec
  {
    echo "Name: $name"
    echo "Version: 1"
    echo "Release: 1"
    echo "Summary: Capabilities of the twoliter SDK toolchain"
    echo "License: MIT"
    echo "BuildArch: noarch"
    grep -v -e '^#' -e '^[[:space:]]*$' "$src/sdk-capabilities.txt" | sed 's/^/Provides: /'
    # Versioned names of the toolchains, under both Debian's and Fedora's package names.
    while read -r tool version; do
      case $tool in
        go) names="golang go" ;;
        ninja) names="ninja-build ninja" ;;
        gcc) names="gcc gcc-c++" ;;
        *) names=$tool ;;
      esac
      for n in $names; do echo "Provides: $n = $version"; done
    done < /usr/share/twoliter/toolchains.txt
    # elfdeps exits non-zero on the linker scripts among the *.so files; their provides are not needed.
    { find "$libdir" -maxdepth 1 -name '*.so*' -type f | LC_ALL=C sort \
        | /usr/lib/rpm/elfdeps --provides || true; } | LC_ALL=C sort -u | sed 's/^/Provides: /'
    echo "%description"
    echo "$description"
    echo "%files"
  } > "$spec"
  echo "$spec"
}

# Reproducible package: fixed build host; with SOURCE_DATE_EPOCH set (build-offline.sh sets
# it) the build time and file mtimes come from it, and rpm >= 4.18 takes the install time
# it records in the database from it too.
build_rpm() {
  rpmbuild -bb --quiet --define "_topdir $work/rpmbuild" --define "_build_id_links none" \
    --define "_buildhost twoliter-sdk" --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" "$1"
}

build_rpm "$(provides_spec twoliter-sdk-provides /usr/lib/x86_64-linux-gnu \
  "Declares the tools and libraries of the SDK image to rpm and dnf.")"
rpm --initdb
rpm -i --nodeps "$work"/rpmbuild/RPMS/noarch/twoliter-sdk-provides-1-1.noarch.rpm
rpm -q twoliter-sdk-provides

# Cross builds: each target arch other than the SDK's own gets a sysroot, /work/sysroot in the
# build container, that rpmbuild.sh installs the build's BuildRequires into (never over the SDK's
# own files). Its database starts with this arch's provides package: the SDK's tools and the
# target C library's sonames (the cross libc under /usr/<triple>). The compiler wrappers search
# the sysroot instead of the SDK's /usr/include and /usr/lib, which hold x86_64 files.
for triple_dir in /usr/aarch64-linux-gnu; do
  [ -d "$triple_dir/lib" ] || continue
  triple=${triple_dir#/usr/}
  arch=${triple%%-*}
  rm -rf "$work/rpmbuild"
  build_rpm "$(provides_spec twoliter-sdk-provides "$triple_dir/lib" \
    "Declares the SDK's tools and the $arch C library to the $arch sysroot of cross builds.")"
  install -D -m 0644 "$work"/rpmbuild/RPMS/noarch/twoliter-sdk-provides-1-1.noarch.rpm \
    "/usr/share/twoliter/sysroot/$arch/twoliter-sdk-provides.rpm"
  mkdir -p /usr/libexec/twoliter
  for tool in gcc g++ cpp; do
    command -v "$triple-$tool" > /dev/null || continue
    printf '#!/bin/sh\n# %s with the sysroot of cross builds (see finalize.sh)\nexec /usr/bin/%s --sysroot=/work/sysroot "$@"\n' \
      "$triple-$tool" "$triple-$tool" > "/usr/libexec/twoliter/$triple-$tool"
    chmod 0755 "/usr/libexec/twoliter/$triple-$tool"
  done
done

# Keep the image small: documentation and package caches are not needed.
rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/info/* /root/.rpmdb
mkdir -p /work

# Reproducibility: nothing may record when or on which machine the image was built.
# Logs (the empty ones, such as wtmp and lastlog, stay) and caches the tools regenerate:
find /var/log -type f -size +0 -delete
rm -f /var/cache/ldconfig/aux-cache /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
# Days since 1970 of the last password change: the build day, clamped to SOURCE_DATE_EPOCH.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  day=$(( SOURCE_DATE_EPOCH / 86400 ))
  for f in /etc/shadow /etc/shadow-; do
    [ -f "$f" ] || continue
    awk -F: -v OFS=: -v day="$day" '$3 != "" && $3 > day { $3 = day } { print }' "$f" > "$f.new"
    chmod --reference="$f" "$f.new"; chown --reference="$f" "$f.new"; mv "$f.new" "$f"
  done
fi
