#!/bin/bash
# Runs as root inside the SDK root filesystem (chroot or Dockerfile RUN), after the Debian packages
# are installed and before finalize.sh, with apt configured for the mirror the SDK is built from.
# Unpacks the files of the packages listed in foreign-packages.txt (other architectures: the arm64
# GRUB modules and systemd EFI stubs) into the root, without installing them.
# Usage: foreign-arch.sh <dir holding foreign-packages.txt>
# Output: /usr/share/twoliter/foreign-packages.txt, one line per package: <package>:<arch> <version>
# <sha256 of the .deb>, because dpkg's database does not know these files.
set -euo pipefail
src=$1
native=$(dpkg --print-architecture)
listed=$(grep -v -e '^#' -e '^[[:space:]]*$' "$src/foreign-packages.txt")
arches=$(cut -d' ' -f1 <<< "$listed" | sed 's/^[^:]*://' | sort -u)
apt_opts=(-o "APT::Architectures::=$native")
for a in $arches; do
  [[ $a =~ ^[a-z0-9]+$ ]] || { echo "foreign-packages.txt: '$a' is not an architecture" >&2; exit 1; }
  apt_opts+=(-o "APT::Architectures::=$a")
done
# The other arches' indexes, for this run only: nothing in /etc/apt names them afterwards.
apt-get "${apt_opts[@]}" update -q > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chown _apt "$work" 2> /dev/null || true
mkdir -p /usr/share/twoliter
: > /usr/share/twoliter/foreign-packages.txt
while read -r package native_package; do
  [[ $package =~ ^[a-z0-9][a-z0-9+.-]*:[a-z0-9]+$ ]] && [ -n "$native_package" ] \
    || { echo "foreign-packages.txt: '$package $native_package' is not '<package>:<arch> <native package>'" >&2; exit 1; }
  version=$(dpkg-query -W -f '${Version}' "$native_package") \
    || { echo "foreign-arch.sh: $native_package, whose version $package must have, is not installed" >&2; exit 1; }
  # apt-get download checks the file against the sha256 of the index it fetched from the mirror.
  (cd "$work" && apt-get "${apt_opts[@]}" download -q "$package=$version" > /dev/null) \
    || { echo "foreign-arch.sh: $package $version cannot be downloaded from the mirror" >&2; exit 1; }
  deb=$(find "$work" -maxdepth 1 -name "${package%%:*}_*_${package##*:}.deb")
  [ "$(wc -l <<< "$deb")" = 1 ] && [ -f "$deb" ] || { echo "foreign-arch.sh: no single .deb for $package" >&2; exit 1; }
  want=$(apt-cache "${apt_opts[@]}" show "$package=$version" | sed -n 's/^SHA256: //p' | head -n 1)
  got=$(sha256sum "$deb" | cut -d' ' -f1)
  [ -n "$want" ] && [ "$want" = "$got" ] \
    || { echo "foreign-arch.sh: $deb has sha256 $got, the index says '$want'" >&2; exit 1; }
  tree=$work/tree
  rm -rf "$tree"
  dpkg-deb -x "$deb" "$tree"
  # Documentation is not kept (finalize.sh removes it too); nothing may replace a native file.
  rm -rf "$tree/usr/share/doc" "$tree/usr/share/man" "$tree/usr/share/lintian"
  while IFS= read -r -d '' f; do
    if [ -e "/$f" ] || [ -L "/$f" ]; then
      echo "foreign-arch.sh: $package would replace /$f" >&2; exit 1
    fi
  done < <(cd "$tree" && find . \( -type f -o -type l \) -printf '%P\0')
  # Owned by root, directories that exist keep their owner, mode and time.
  (cd "$tree" && tar -c --numeric-owner --owner=0 --group=0 .) | tar -C / -x --no-overwrite-dir
  echo "$package $version $got" >> /usr/share/twoliter/foreign-packages.txt
  echo "foreign-arch.sh: unpacked $package $version ($(cd "$tree" && find . -type f | wc -l) files)"
  rm -f "$deb"
done <<< "$listed"
