#!/bin/bash
# Builds the SDK image without any container registry: debootstrap a Debian root
# filesystem from the mirror apt is already configured with, finish it with
# finalize.sh, and load it into Docker with the SDK contract labels.
#
#   sdk/build-offline.sh            build the image unless its tag already exists
#   sdk/build-offline.sh --force    rebuild even if the tag exists
#
# The image is reproducible: the same mirror state and the same sdk/ files give the
# same image id on every machine (see "Reproducible SDK image" in docs/sdk-contract.md).
# The root filesystem is normalised, packed into a deterministic layer tar, and loaded
# with `docker load` from an image archive whose config carries a fixed creation time
# (SOURCE_DATE_EPOCH) instead of the wall clock `docker import` would stamp.
#
# Environment: DEBIAN_MIRROR overrides the mirror read from apt's configuration;
# TWOLITER_SDK_DEB_CACHE (default ~/.cache/twoliter/sdk-debs) keeps downloaded .debs;
# TWOLITER_SDK_TAG overrides the tag (default <name>:<version> from sdk.properties);
# SOURCE_DATE_EPOCH overrides the image's time stamp (default: the Date of the
# suite's Release file on the mirror, i.e. the mirror state the image is built from).
set -euo pipefail
umask 022  # modes of the files the build creates must not depend on the caller's umask
here=$(cd "$(dirname "$0")" && pwd)
prop() { sed -n "s/^$1=//p" "$here/sdk.properties"; }
name=$(prop name); version=$(prop version); contract=$(prop contract)
suite=$(prop debian.suite); arches=$(prop arches)
tag=${TWOLITER_SDK_TAG:-$name:$version}
force=false
[ "${1:-}" = "--force" ] && force=true

if ! $force && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "SDK image $tag already present"
  exit 0
fi
if [ -n "${SOURCE_DATE_EPOCH:-}" ] && ! [[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]]; then
  echo "SOURCE_DATE_EPOCH must be a number of seconds since 1970" >&2; exit 1
fi
[ "$(id -u)" = 0 ] || { echo "build-offline.sh needs root (debootstrap and chroot)" >&2; exit 1; }

apt_mirror() { # <suite>: the URI apt is configured with for that suite
  # deb822 sources first (URIs: + Suites: containing the suite), then one-line sources.
  local f suite=$1
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
mirror=${DEBIAN_MIRROR:-$(apt_mirror "$suite" || true)}
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
listed=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/packages.txt")
packages=$(grep -v / <<< "$listed" | paste -sd, -)
# "package/suite" lines: other suites of the same mirror, installed with apt after debootstrap.
from_other_suites=$(grep / <<< "$listed" || true)
other_suites=$(sed 's|.*/||' <<< "$from_other_suites" | sort -u)
for s in $other_suites; do
  [[ $s =~ ^[a-z0-9-]+$ ]] || { echo "packages.txt: '$s' is not a suite name" >&2; exit 1; }
done

echo "== debootstrap $suite from $mirror"
start=$(date +%s)
touch "$work/started"
LC_ALL=C TZ=UTC debootstrap --variant=minbase --cache-dir="$debs" --include="$packages" "$suite" "$work/rootfs" "$mirror" \
  > "$work/debootstrap.log" 2>&1 || { tail -n 40 "$work/debootstrap.log" >&2; exit 1; }

if [ -n "$from_other_suites" ]; then
  echo "== packages from $(echo $other_suites) ($(( $(date +%s) - start )) s)"
  # Each suite at the address apt has for it (the security archive has its own), else the mirror.
  for s in $other_suites; do
    uri=$(apt_mirror "$s" || true)
    [ -z "${DEBIAN_MIRROR:-}" ] && [ -n "$uri" ] || uri=$mirror
    echo "deb $uri $s main"
  done > "$work/rootfs/etc/apt/sources.list.d/twoliter-other-suites.list"
  cp /etc/resolv.conf "$work/rootfs/etc/resolv.conf"
  mount -t proc proc "$work/rootfs/proc"
  { chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C TZ=UTC \
      DEBIAN_FRONTEND=noninteractive apt-get update -q \
    && chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C TZ=UTC \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $from_other_suites; } \
    > "$work/other-suites.log" 2>&1 || { umount "$work/rootfs/proc"; tail -n 40 "$work/other-suites.log" >&2; exit 1; }
  umount "$work/rootfs/proc"
  rm "$work/rootfs/etc/apt/sources.list.d/twoliter-other-suites.list"
fi

# The image's time stamp: creation time in its config, the build time of the provides
# package, the install times in the rpm database, and the mtime of every file created or
# changed during the build. Default: the latest Date of the Release files of the suites
# used, which name the mirror state; nothing in the root filesystem comes from a later time.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  for s in "$suite" $other_suites; do
    release=$(find "$work/rootfs/var/lib/apt/lists" -maxdepth 1 \
                \( -name "*_dists_${s}_InRelease" -o -name "*_dists_${s}_Release" \) | head -n 1)
    [ -n "$release" ] || { echo "no Release file for '$s' after installing; set SOURCE_DATE_EPOCH" >&2; exit 1; }
    release_date=$(sed -n 's/^Date: //p' "$release" | head -n 1)
    epoch=$(date -u -d "$release_date" +%s) \
      || { echo "Cannot read the Date of $release; set SOURCE_DATE_EPOCH" >&2; exit 1; }
    if (( epoch > ${SOURCE_DATE_EPOCH:-0} )); then SOURCE_DATE_EPOCH=$epoch; fi
  done
fi
export SOURCE_DATE_EPOCH
echo "== SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH ($(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ))"

# Files of other arches' packages (foreign-packages.txt), downloaded through the root's apt, which
# names the same mirror; apt checks each .deb against the mirror's index. After the time stamp is
# read: its apt-get update replaces the lists of the suites above.
echo "== foreign-arch packages ($(( $(date +%s) - start )) s)"
cp /etc/resolv.conf "$work/rootfs/etc/resolv.conf"
mkdir -p "$work/rootfs/tmp/sdk-foreign"
cp "$here/foreign-packages.txt" "$here/foreign-arch.sh" "$work/rootfs/tmp/sdk-foreign/"
mount -t proc proc "$work/rootfs/proc"
chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C TZ=UTC \
  /bin/bash /tmp/sdk-foreign/foreign-arch.sh /tmp/sdk-foreign > "$work/foreign-arch.log" 2>&1 \
  || { umount "$work/rootfs/proc"; tail -n 40 "$work/foreign-arch.log" >&2; exit 1; }
umount "$work/rootfs/proc"
rm -rf "$work/rootfs/tmp/sdk-foreign"
grep '^foreign-arch.sh: unpacked' "$work/foreign-arch.log" || true

echo "== finalize ($(( $(date +%s) - start )) s)"
mkdir -p "$work/rootfs/tmp/sdk"
cp -r "$here/macros" "$here/meson" "$here/finalize.sh" "$here/sdk-capabilities.txt" "$here/toolchains.macros" \
  "$work/rootfs/tmp/sdk/"
mount -t proc proc "$work/rootfs/proc"
chroot "$work/rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" /bin/bash /tmp/sdk/finalize.sh /tmp/sdk
umount "$work/rootfs/proc"
rm -rf "$work/rootfs/tmp/sdk"

# Files debootstrap copies from the build machine or fills with its mirror: they would
# differ between machines. Docker bind-mounts its own /etc/hostname and /etc/resolv.conf
# into every container, and the SDK never uses apt.
rm -f "$work/rootfs/etc/hostname" "$work/rootfs/etc/resolv.conf" "$work/rootfs/var/log/bootstrap.log"
: > "$work/rootfs/etc/resolv.conf"
echo "# The SDK image has no package sources: they would name the mirror it was built from." \
  > "$work/rootfs/etc/apt/sources.list"
# Every file created or changed during the build gets the time stamp (tar --clamp-mtime
# below does that for files newer than it; this covers a SOURCE_DATE_EPOCH in the future).
find "$work/rootfs" -xdev -newer "$work/started" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

echo "== layer ($(( $(date +%s) - start )) s)"
mkdir -p "$work/image"
# Deterministic tar: names sorted, owners numeric, no atime/ctime, fixed pax header names.
diff_id=sha256:$(tar -C "$work/rootfs" -c --one-file-system \
  --sort=name --format=posix --numeric-owner \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime . \
  | tee "$work/image/layer.tar" | sha256sum | cut -d' ' -f1)

echo "== docker load $tag ($(( $(date +%s) - start )) s)"
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
arch=$(dpkg --print-architecture)
toolchains=$(paste -sd, - < "$work/rootfs/usr/share/twoliter/toolchains.txt")
labels=$(jq -n -c --arg toolchains "$toolchains" --arg contract "$contract" --arg name "$name" --arg version "$version" --arg arches "$arches" '
  { "dev.twoliter.sdk.contract": $contract, "dev.twoliter.sdk.name": $name,
    "dev.twoliter.sdk.version": $version, "dev.twoliter.sdk.arches": $arches }
  + { "dev.twoliter.sdk.toolchains": $toolchains }
  + ($arches | split(" ") | map(select(. != ""))
     | map({ key: "dev.twoliter.sdk.macros.\(.)", value: "/usr/share/twoliter/macros/\(.).macros" })
     | from_entries)')
# The image id is the sha256 of these exact bytes (jq -S: keys sorted, compact).
jq -n -c -S --arg created "$created" --arg arch "$arch" --arg diff_id "$diff_id" --argjson labels "$labels" '
  { architecture: $arch, os: "linux", created: $created,
    config: { Env: ["LANG=C.UTF-8", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
              Cmd: ["/bin/bash"], WorkingDir: "/work", Labels: $labels },
    rootfs: { type: "layers", diff_ids: [$diff_id] },
    history: [{ created: $created, created_by: "sdk/build-offline.sh" }] }' \
  | tr -d '\n' > "$work/image/config.json"
id=sha256:$(sha256sum "$work/image/config.json" | cut -d' ' -f1)
echo '[{"Config":"config.json","RepoTags":null,"Layers":["layer.tar"]}]' > "$work/image/manifest.json"
loaded=$(tar -C "$work/image" -c manifest.json config.json layer.tar | docker load)
echo "$loaded" | grep -qF "$id" || { echo "docker load gave '$loaded', expected image $id" >&2; exit 1; }
docker tag "$id" "$tag"
echo "SDK image $tag built in $(( $(date +%s) - start )) s: $id"
