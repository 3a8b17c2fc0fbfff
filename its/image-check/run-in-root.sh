#!/bin/bash
# Extracts the erofs root filesystem of a variant's image and runs programs from it with chroot,
# inside the SDK container. Each argument is one command line, split at spaces (no shell: the image
# has none); for each, prints "=== <command line>", its output, and "=== exit <status>".
#   run-in-root.sh <dir with the image files> <file base name> <command line>...
set -euo pipefail
dir=$1; base=$2; shift 2
cd /tmp
os=$(ls "$dir/$base"-os.img* | head -n 1)
case "$os" in
  *.zst) zstd -q -d -f "$os" -o os.img ;;
  *.lz4) lz4 -q -d -f "$os" os.img ;;
  *) cp --sparse=always "$os" os.img ;;
esac
read -r start size < <(sfdisk -J os.img | python3 -c "import json,sys
t = json.load(sys.stdin)['partitiontable']
p = [p for p in t['partitions'] if p.get('name') == 'BOTTLEROCKET-ROOT-A'][0]
print(p['start'], p['size'])")
dd if=os.img of=root.part bs=512 skip="$start" count="$size" status=none
mkdir -p root && fsck.erofs --extract=root root.part > /dev/null
for line in "$@"; do
  read -ra command <<< "$line"
  echo "=== $line"
  status=0
  chroot root "${command[@]}" 2>&1 || status=$?
  echo "=== exit $status"
done
