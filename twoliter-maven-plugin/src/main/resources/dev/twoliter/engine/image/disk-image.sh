# Assembles a variant's disk image(s) in the SDK container, without mounts (AssembleImageStep).
# Everything comes in through the environment (partition offsets and sizes in MiB, sgdisk
# arguments one per line, UUIDs, the verity salt and the timestamp, all derived from the build's
# inputs) and through files in /work/in (the installed root, os-release, the inventory, the merged
# settings, and grub.cfg.in, rendered by the plugin with placeholders for what is measured here).
# Exit codes: EXIT_TOO_SMALL = content does not fit, EXIT_VERITY = dm-verity self-check failed.
set -e
need mkfs.ext4 debugfs e2fsck mkfs.erofs veritysetup mkfs.vfat mcopy fsck.vfat sgdisk qemu-img zstd lz4 perl tar
export SOURCE_DATE_EPOCH=$SDE
work=/work/img
mkdir -p "$work" /work/root /work/boot /work/efi /work/empty /work/out

echo "twoliter: unpacking the installed root"
tar --numeric-owner -xpf /work/in/root.tar -C /work/root

echo "twoliter: image metadata, dropping package manager state"
install -D -m 0644 /work/in/os-release /work/root/usr/lib/os-release
install -D -m 0644 /work/in/application-inventory.json /work/root/usr/share/twoliter/application-inventory.json
install -D -m 0644 /work/in/settings-defaults.toml /work/root/usr/share/twoliter/settings-defaults.toml
rm -rf /work/root/usr/lib/sysimage/rpm /work/root/var/lib/rpm /work/root/var/lib/dnf /work/root/var/cache/dnf \
       /work/root/var/log/dnf*.log /work/root/var/log/hawkey.log
if [ -d /work/root/boot/efi ]; then cp -a /work/root/boot/efi/. /work/efi/; rm -rf /work/root/boot/efi; fi
if [ -d /work/root/boot ]; then cp -a /work/root/boot/. /work/boot/; find /work/root/boot -mindepth 1 -delete; fi
mkdir -p /work/root/boot /work/boot/grub
cp /work/in/application-inventory.json "/work/out/$BASE-application-inventory.json"

# The first word names the partition, so the plugin can say which setting to raise.
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

echo "twoliter: root filesystem ($ROOT_FS, partition $ROOT_MIB MiB)"
if [ "$ROOT_FS" = erofs ]; then
  find /work/root -exec touch -h -d "@$SDE" {} +
  mkfs.erofs -T"$SDE" -U "$UUID_ROOT_FS" --all-root -zlz4hc "$work/root.img" /work/root > "$work/root.log" 2>&1 \
    || { cat "$work/root.log"; exit 1; }
  size=$(stat -c %s "$work/root.img")
  [ "$size" -le $((ROOT_MIB * 1048576)) ] || too_small "ROOT: the erofs root is $((size / 1048576)) MiB, ROOT-A has $ROOT_MIB MiB"
else
  mkext4 ROOT "$UUID_ROOT_FS" /work/root "$work/root.img" "$ROOT_MIB"
fi

echo "twoliter: dm-verity"
veritysetup format --hash=sha256 --data-block-size=4096 --hash-block-size=4096 --salt="$SALT" \
  --uuid="$UUID_VERITY" "$work/root.img" "$work/verity.img" > "$work/verity.txt"
root_hash=$(sed -n 's/^Root hash:[[:space:]]*//p' "$work/verity.txt")
data_blocks=$(sed -n 's/^Data blocks:[[:space:]]*//p' "$work/verity.txt")
veritysetup verify "$work/root.img" "$work/verity.img" "$root_hash" || exit "$EXIT_VERITY"
hash_size=$(stat -c %s "$work/verity.img")
[ "$hash_size" -le $((HASH_MIB * 1048576)) ] || too_small "HASH: the verity hash tree is $hash_size bytes, HASH-A has $HASH_MIB MiB"

# grub.cfg comes rendered by the plugin; only the two values measured here fill its placeholders.
grub=$(< /work/in/grub.cfg.in)
grub=${grub//@DATA_SECTORS@/$((data_blocks * 8))}
grub=${grub//@DATA_BLOCKS@/$data_blocks}
grub=${grub//@ROOT_HASH@/$root_hash}
printf '%s\n' "$grub" > /work/boot/grub/grub.cfg
[ -f /work/boot/vmlinuz ] || echo "twoliter: no /boot/vmlinuz among the packages; the boot partition has only grub.cfg"

echo "twoliter: boot, EFI and private partitions"
mkext4 BOOT "$UUID_BOOT_FS" /work/boot "$work/boot.img" "$BOOT_MIB"
rm -f "$work/efi.img"
mkfs.vfat --invariant -C -n EFI-SYSTEM -i "$ESP_ID" "$work/efi.img" $((EFI_MIB * 1024)) > /dev/null
find /work/efi -exec touch -h -d "@$SDE" {} +
if [ -n "$(ls -A /work/efi)" ]; then
  if ! mcopy -s -m -i "$work/efi.img" /work/efi/* ::/ > "$work/efi.log" 2>&1; then
    cat "$work/efi.log"
    grep -qi 'disk full' "$work/efi.log" \
      && too_small "EFI-SYSTEM: its files need $(du -s --block-size=1K /work/efi | cut -f1) KiB, the partition has $EFI_MIB MiB"
    exit 1
  fi
fi
fsck.vfat -n "$work/efi.img" > /dev/null
mkext4 PRIVATE "$UUID_PRIVATE_FS" /work/empty "$work/private.img" "$PRIVATE_MIB" -i 4096 -I 256
mkext4 DATA "$UUID_DATA_FS" /work/empty "$work/data.img" "$DATA_MIB" -m 0

place() { dd if="$1" of="$2" bs=1M seek="$3" conv=notrunc,sparse status=none; }
echo "twoliter: GPT disk(s)"
truncate -s "${OS_DISK_MIB}M" "$work/os.img"
mapfile -t os_sgdisk <<< "$OS_SGDISK"
sgdisk "${os_sgdisk[@]}" "$work/os.img" > /dev/null
place "$work/efi.img" "$work/os.img" "$EFI_START"
place "$work/boot.img" "$work/os.img" "$BOOT_START"
place "$work/root.img" "$work/os.img" "$ROOT_START"
place "$work/verity.img" "$work/os.img" "$HASH_START"
place "$work/private.img" "$work/os.img" "$PRIVATE_START"
disks=os
if [ "$DATA_ON_OS_DISK" = true ]; then
  place "$work/data.img" "$work/os.img" "$DATA_START"
else
  truncate -s "${DATA_DISK_MIB}M" "$work/data-disk.img"
  mapfile -t data_sgdisk <<< "$DATA_SGDISK"
  sgdisk "${data_sgdisk[@]}" "$work/data-disk.img" > /dev/null
  place "$work/data.img" "$work/data-disk.img" "$DATA_START"
  mv "$work/data-disk.img" "$work/data-disk.raw"
  disks="os data"
fi
for d in $disks; do
  f=$work/$d.img; [ "$d" = data ] && f=$work/data-disk.raw
  sgdisk -v "$f" | tee "$work/$d.verify"
  grep -q 'No problems found' "$work/$d.verify"
done

compress() {
  case "$COMPRESSION" in
    zstd) zstd -q -T1 -3 -f "$1" -o "$2.zst" ;;
    lz4) lz4 -q -1 -f "$1" "$2.lz4" ;;
    none) cp --sparse=always "$1" "$2" ;;
  esac
}
echo "twoliter: writing $FORMATS ($COMPRESSION)"
for d in $disks; do
  f=$work/$d.img; [ "$d" = data ] && f=$work/data-disk.raw
  for fmt in $FORMATS; do
    case "$fmt" in
      raw) compress "$f" "/work/out/$BASE-$d.img" ;;
      qcow2) qemu-img convert -f raw -O qcow2 "$f" "/work/out/$BASE-$d.qcow2" ;;
      vmdk)
        qemu-img convert -f raw -O vmdk -o subformat=streamOptimized "$f" "/work/out/$BASE-$d.vmdk"
        # qemu-img puts a random content id (CID, hex without leading zeros) into the descriptor; make
        # it the build's own, taking the length difference from the descriptor's NUL padding so that
        # every later byte stays where it was.
        VMDK_CID=$VMDK_CID perl -0777 -pi -e 's/(?<!parent)CID=([0-9a-f]{1,8})(\n[^\0]*)(\0+)/"CID=$ENV{VMDK_CID}$2" . ("\0" x (length($3) - 8 + length($1)))/se' \
          "/work/out/$BASE-$d.vmdk" ;;
    esac
  done
done
compress "$work/boot.img" "/work/out/$BASE-boot.ext4"
compress "$work/root.img" "/work/out/$BASE-root.$ROOT_FS"
compress "$work/verity.img" "/work/out/$BASE-root-verity.verity"

# What the plugin reads back (ImageFacts): only what was measured here.
printf 'root-hash = "%s"\ndata-blocks = %s\n' "$root_hash" "$data_blocks" > /work/out/image-facts.toml
echo "twoliter: root hash $root_hash"
