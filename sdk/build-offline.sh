#!/bin/bash
# Builds the SDK image without any container registry: debootstrap a Debian root
# filesystem from the mirror apt is already configured with, finish it with
# finalize.sh, and `docker import` it with the SDK contract labels.
#
#   sdk/build-offline.sh            build the image unless its tag already exists
#   sdk/build-offline.sh --force    rebuild even if the tag exists
#
# Environment: DEBIAN_MIRROR overrides the mirror read from apt's configuration;
# TWOLITER_SDK_DEB_CACHE (default ~/.cache/twoliter/sdk-debs) keeps downloaded .debs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prop() { sed -n "s/^$1=//p" "$here/sdk.properties"; }
name=$(prop name); version=$(prop version); contract=$(prop contract)
suite=$(prop debian.suite); arches=$(prop arches)
tag="$name:$version"
force=false
[ "${1:-}" = "--force" ] && force=true

if ! $force && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "SDK image $tag already present"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "build-offline.sh needs root (debootstrap and chroot)" >&2; exit 1; }

apt_mirror() {
  # deb822 sources first (URIs: + Suites: containing the suite), then one-line sources.
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$suite" '
      /^[[:space:]]*$/ { if (uris != "" && ok) { print uris; exit } uris=""; ok=0; next }
      /^URIs:/   { uris=$2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) ok=1 }
      END { if (uris != "" && ok) print uris }' "$f"
  done | head -n 1 | grep . && return
  grep -hsE "^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+$suite[[:space:]]" \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | awk '{print $1; exit}'
}
mirror=${DEBIAN_MIRROR:-$(apt_mirror || true)}
[ -n "$mirror" ] || { echo "No Debian mirror for '$suite' found in apt's configuration; set DEBIAN_MIRROR" >&2; exit 1; }

if ! command -v debootstrap >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

work=$(mktemp -d /var/tmp/twoliter-sdk.XXXXXX)
cleanup() {
  for m in proc dev/pts dev; do umount "$work/rootfs/$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
debs=${TWOLITER_SDK_DEB_CACHE:-$HOME/.cache/twoliter/sdk-debs}
mkdir -p "$debs"
packages=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/packages.txt" | paste -sd, -)

echo "== debootstrap $suite from $mirror"
start=$(date +%s)
debootstrap --variant=minbase --cache-dir="$debs" --include="$packages" "$suite" "$work/rootfs" "$mirror" \
  > "$work/debootstrap.log" 2>&1 || { tail -n 40 "$work/debootstrap.log" >&2; exit 1; }

echo "== finalize"
mkdir -p "$work/rootfs/tmp/sdk"
cp -r "$here/macros" "$here/finalize.sh" "$here/sdk-capabilities.txt" "$work/rootfs/tmp/sdk/"
mount -t proc proc "$work/rootfs/proc"
chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  /bin/bash /tmp/sdk/finalize.sh /tmp/sdk
umount "$work/rootfs/proc"
rm -rf "$work/rootfs/tmp/sdk"

echo "== docker import $tag"
labels=(--change "LABEL dev.twoliter.sdk.contract=\"$contract\""
        --change "LABEL dev.twoliter.sdk.name=\"$name\""
        --change "LABEL dev.twoliter.sdk.version=\"$version\""
        --change "LABEL dev.twoliter.sdk.arches=\"$arches\"")
for arch in $arches; do
  labels+=(--change "LABEL dev.twoliter.sdk.macros.$arch=\"/usr/share/twoliter/macros/$arch.macros\"")
done
tar --numeric-owner -C "$work/rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /work' --change 'CMD ["/bin/bash"]' \
  "${labels[@]}" - "$tag" >/dev/null
echo "SDK image $tag built in $(( $(date +%s) - start )) s"
