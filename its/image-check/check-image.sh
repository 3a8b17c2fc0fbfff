#!/bin/bash
# Reads a variant's image with the real tools, inside the SDK container, and prints what it finds
# in sections ("=== name") for the ITs' verify scripts to assert on. Nothing here is plugin code.
#   check-image.sh <dir with the image files> <file base name> <root hash from the build manifest>
set -euo pipefail
dir=$1; base=$2; roothash=$3
. "$(dirname "$0")/os-image.sh"
cd /tmp
unpack_os_image "$dir" "$base"
echo "=== sgdisk-verify"; sgdisk -v os.img
echo "=== sfdisk"; sfdisk -J os.img
echo "=== sparse"; echo "apparent=$(stat -c %s os.img) allocated=$(( $(stat -c %b os.img) * $(stat -c %B os.img) ))"
bootnum=$(sgdisk -p os.img | awk '$7=="BOTTLEROCKET-BOOT-A"{print $1}')
echo "=== boot-a-attributes"; sgdisk -i "$bootnum" os.img | grep -i 'attribute'
extract BOTTLEROCKET-ROOT-A root.part
extract BOTTLEROCKET-HASH-A hash.part
extract BOTTLEROCKET-BOOT-A boot.part
echo "=== veritysetup-verify"; veritysetup verify root.part hash.part "$roothash" && echo "verity ok"
if file -s root.part | grep -qi erofs || [ "$(head -c 1028 root.part | tail -c 4 | od -An -tx4 | tr -d ' ')" = e0f5e1e2 ]; then
  echo "=== root-type"; echo erofs
  mkdir -p rootx && fsck.erofs --extract=rootx root.part > /dev/null
  show() { cat "rootx$1"; }
  mode() { stat -c %a "rootx$1"; }
  exists() { [ -e "rootx$1" ] && echo "present $1"; }
else
  echo "=== root-type"; echo ext4
  show() { debugfs -R "cat $1" root.part 2>/dev/null; }
  mode() { debugfs -R "stat $1" root.part 2>/dev/null | sed -n 's/.*Mode: *0*\([0-7]*\).*/\1/p'; }
  exists() { debugfs -R "stat $1" root.part 2>/dev/null | grep -q Inode && echo "present $1"; }
fi
echo "=== os-release"; show /usr/lib/os-release
echo "=== settings-defaults"; show /usr/share/twoliter/settings-defaults.toml
echo "=== inventory"; show /usr/share/twoliter/application-inventory.json
echo "=== sbom"; for f in sbom.spdx.json sbom.cdx.json; do echo "$f $(show "/usr/share/twoliter/sbom/$f" | sha256sum | cut -d' ' -f1)"; done
echo "=== sbom.cdx.json"; show /usr/share/twoliter/sbom/sbom.cdx.json
echo "=== files"
for f in ${CHECK_FILES:-}; do exists "$f" || echo "absent $f"; done
for f in /usr/lib/sysimage/rpm /var/lib/rpm /var/lib/dnf; do exists "$f" || echo "absent $f"; done
for f in ${CHECK_SHOW:-}; do echo "=== show $f mode $(mode "$f")"; show "$f"; done
echo "=== grub.cfg"; debugfs -R "cat /grub/grub.cfg" boot.part 2>/dev/null
echo "=== boot-files"; debugfs -R "ls -p /" boot.part 2>/dev/null | awk -F/ 'NF > 5 && $6 != "" {print $6}'
extract EFI-SYSTEM efi.part
echo "=== esp-files"; mdir -/ -b -i efi.part ::/ 2>/dev/null || true
for img in "$dir/$base"-os.qcow2 "$dir/$base"-os.vmdk; do
  [ -f "$img" ] || continue
  echo "=== qemu-img $(basename "$img")"; qemu-img info "$img"; qemu-img check "$img" > /dev/null && echo "check ok"
done
data=$(ls "$dir/$base"-data.img* 2>/dev/null | head -n 1 || true)
if [ -n "$data" ]; then
  case "$data" in *.zst) zstd -q -d -f "$data" -o data.img ;; *.lz4) lz4 -q -d -f "$data" data.img ;; *) cp "$data" data.img ;; esac
  echo "=== data-disk"; sgdisk -v data.img; sfdisk -J data.img
fi
echo "=== end"
