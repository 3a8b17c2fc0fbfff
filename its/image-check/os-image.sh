# Sourced by check-image.sh and run-in-root.sh: the OS disk image of a variant, unpacked as os.img
# in the current directory, and its partitions by GPT name.
unpack_os_image() { # <dir with the image files> <file base name>
  local os
  os=$(ls "$1/$2"-os.img* | head -n 1)
  case "$os" in
    *.zst) zstd -q -d -f "$os" -o os.img ;;
    *.lz4) lz4 -q -d -f "$os" os.img ;;
    *) cp --sparse=always "$os" os.img ;;
  esac
}
part() { # <GPT name> -> start and size in sectors
  sfdisk -J os.img | python3 -c "import json,sys; t=json.load(sys.stdin)['partitiontable']; p=[p for p in t['partitions'] if p.get('name')=='$1'][0]; print(p['start'], p['size'])"
}
extract() { # <GPT name> <output file>
  local start size
  read -r start size < <(part "$1")
  dd if=os.img of="$2" bs=512 skip="$start" count="$size" status=none
}
