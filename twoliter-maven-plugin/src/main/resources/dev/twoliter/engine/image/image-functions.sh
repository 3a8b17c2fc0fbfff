# Shared by the image steps (root-filesystem.sh, disk-image.sh). SDE is the build's timestamp.

# Reports a partition too small for its content and fails the step; the first word names the
# partition, so that the plugin can say which setting to raise.
too_small() { echo "twoliter: too small: $*"; exit "$EXIT_TOO_SMALL"; }

# ext4 that two builds make byte for byte the same: fixed UUID and hash seed, faked clock, and
# every inode's ctime/crtime reset afterwards (mkfs copies them from the source tree).
mkext4() {
  local label=$1 uuid=$2 src=$3 img=$4 mib=$5; shift 5
  find "$src" -exec touch -h -d "@$SDE" {} +
  if ! E2FSPROGS_FAKE_TIME=$SDE mkfs.ext4 -q -F -t ext4 -b 4096 -O ^has_journal -L "$label" -U "$uuid" \
      -E "hash_seed=$uuid,root_owner=0:0,lazy_itable_init=0" "$@" -d "$src" "$img" "${mib}M" > "$img.log" 2>&1; then
    cat "$img.log"
    if grep -qiE 'allocate|no space|too (large|small)' "$img.log"; then
      too_small "$label: its files need about $(du -s --block-size=1M "$src" | cut -f1) MiB, the partition has $mib MiB"
    fi
    exit 1
  fi
  { echo "sif / ctime @$SDE"; echo "sif / crtime @$SDE"
    echo "sif /lost+found ctime @$SDE"; echo "sif /lost+found crtime @$SDE"
    (cd "$src" && find . -mindepth 1 -printf '%P\n') | while IFS= read -r p; do
      printf 'sif "/%s" ctime @%s\nsif "/%s" crtime @%s\n' "$p" "$SDE" "$p" "$SDE"
    done; } > "$img.times"
  E2FSPROGS_FAKE_TIME=$SDE debugfs -w -f "$img.times" "$img" > /dev/null 2>&1
  e2fsck -fn "$img" > /dev/null
}

# A reproducible tar of a directory's contents.
tar_tree() {
  tar --sort=name --mtime="@$SDE" --owner=0 --group=0 --numeric-owner -C "$1" -cf "$2" .
}
