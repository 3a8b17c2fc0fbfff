#!/bin/bash
# Copies EFI/BOOT/BOOTX64.EFI out of the EFI system partition of an OS image, with the SDK's tools.
#   extract-efi.sh <compressed OS image> <output file>
set -euo pipefail
cd /tmp
case "$1" in
  *.zst) zstd -q -d -f "$1" -o os.img ;;
  *.lz4) lz4 -q -d -f "$1" os.img ;;
  *) cp --sparse=always "$1" os.img ;;
esac
read -r start size < <(sfdisk -J os.img | python3 -c "import json,sys; t=json.load(sys.stdin)['partitiontable']; p=[p for p in t['partitions'] if p.get('name')=='EFI-SYSTEM'][0]; print(p['start'], p['size'])")
dd if=os.img of=esp.img bs=512 skip="$start" count="$size" status=none
mcopy -n -i esp.img ::EFI/BOOT/BOOTX64.EFI "$2"
