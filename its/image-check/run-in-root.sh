#!/bin/bash
# Extracts the erofs root filesystem of a variant's image and runs programs from it with chroot,
# inside the SDK container. Each argument is one command line, split at spaces (no shell: the image
# has none); for each, prints "=== <command line>", its output, and "=== exit <status>".
#   run-in-root.sh <dir with the image files> <file base name> <command line>...
set -euo pipefail
dir=$1; base=$2; shift 2
. "$(dirname "$0")/os-image.sh"
cd /tmp
unpack_os_image "$dir" "$base"
extract BOTTLEROCKET-ROOT-A root.part
mkdir -p root && fsck.erofs --extract=root root.part > /dev/null
for line in "$@"; do
  read -ra command <<< "$line"
  echo "=== $line"
  status=0
  chroot root "${command[@]}" 2>&1 || status=$?
  echo "=== exit $status"
done
