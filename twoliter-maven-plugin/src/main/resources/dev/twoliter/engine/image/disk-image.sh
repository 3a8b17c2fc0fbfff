# Assembles the variant's disk image(s) from the parts the earlier steps made (DiskImageStep),
# without mounts. Inputs in /work/in: root.img.lz4 and verity.img (RootFilesystemStep), boot.tar
# and efi.tar (the root's /boot and /boot/efi), and what boots the image: grub.cfg (for BOOT-A),
# grubenv (the A/B state, for EFI/twoliter/ on the EFI system partition),
# BOOTX64.EFI or, for aarch64, BOOTAA64.EFI (GRUB for UEFI, the UKI or systemd-boot), esp/ (more files for the EFI system
# partition, by their paths there) and, for BIOS, mbr-code.bin and core.img (GrubStep,
# patched by the plugin), and the partition tables: <disk>-gpt-primary.bin (sectors 0-33) and
# <disk>-gpt-backup.bin (the last 33 sectors). Partition offsets and sizes (MiB),
# UUIDs and the timestamp come through the environment, all derived from the build's inputs.
# Exit codes: EXIT_TOO_SMALL = content does not fit.
set -e
need mkfs.ext4 debugfs e2fsck mkfs.vfat mmd mcopy fsck.vfat sgdisk qemu-img zstd lz4 perl tar cmp
export SOURCE_DATE_EPOCH=$SDE
work=/work/img
mkdir -p "$work" /work/boot /work/efi /work/empty /work/out

lz4 -q -d /work/in/root.img.lz4 "$work/root.img"
cp /work/in/verity.img "$work/verity.img"
tar --numeric-owner -xpf /work/in/boot.tar -C /work/boot
tar --numeric-owner -xpf /work/in/efi.tar -C /work/efi
if [ -f /work/in/grub.cfg ]; then install -D -m 0644 /work/in/grub.cfg /work/boot/grub/grub.cfg; fi
for loader in BOOTX64.EFI BOOTAA64.EFI; do
  if [ -f "/work/in/$loader" ]; then install -D -m 0644 "/work/in/$loader" "/work/efi/EFI/BOOT/$loader"; fi
done
# The A/B state (1024 bytes, fixed by the plugin). GRUB's save_env only rewrites sectors the file
# already has, so it is written whole here; FAT has no holes, so its sectors are all allocated.
if [ -f /work/in/grubenv ]; then install -D -m 0644 /work/in/grubenv /work/efi/EFI/twoliter/grubenv; fi
# More files for the EFI system partition, under their paths there (systemd-boot's loader.conf and
# the banks' UKIs); the plugin fixes the paths.
if [ -d /work/in/esp ]; then cp -R --no-preserve=mode /work/in/esp/. /work/efi/; fi
cp /work/in/application-inventory.json "/work/out/$BASE-application-inventory.json"

if [ "$BOOT_PARTITION" = true ]; then
  echo "twoliter: boot partition ($BOOT_MIB MiB)"
  mkext4 BOOT "$UUID_BOOT_FS" /work/boot "$work/boot.img" "$BOOT_MIB"
fi
echo "twoliter: EFI system partition ($EFI_MIB MiB)"
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
echo "twoliter: private and data partitions"
mkext4 PRIVATE "$UUID_PRIVATE_FS" /work/empty "$work/private.img" "$PRIVATE_MIB" -i 4096 -I 256
mkext4 DATA "$UUID_DATA_FS" /work/empty "$work/data.img" "$DATA_MIB" -m 0

# Parts are mostly holes and are read once: read with O_DIRECT, their holes never fill the page
# cache with zeros (a first buffered read of a GiB of holes costs seconds of system time on a
# virtual machine). Where the file system refuses O_DIRECT the reads are buffered.
direct=no
if dd if="$work/verity.img" of=/dev/null bs=4096 count=1 iflag=direct status=none 2> /dev/null; then direct=yes; fi
# dd's read flag for a file: O_DIRECT where the file system takes it and the size is whole blocks.
direct_read() { if [ "$direct" = yes ] && (( $(stat -c %s "$1") % 4096 == 0 )); then echo iflag=direct; fi; }
# Writes a part into its partition; a part larger than its partition would overwrite the next one.
place() {
  local part=$1 disk=$2 start=$3 mib=$4
  (( $(stat -c %s "$part") <= mib * 1048576 )) \
    || { echo "twoliter: $(basename "$part") is larger than its $mib MiB partition"; exit 1; }
  dd if="$part" of="$disk" bs=1M seek="$start" conv=notrunc,sparse status=none $(direct_read "$part")
}
echo "twoliter: GPT disk(s)"
# The plugin lays out the partition tables (GuidPartitionTable): partitioning tools sync every file
# system of the machine, and sgdisk sleeps a second after that. sgdisk -v checks them below.
write_table() {
  local disk=$1 file=$2 mib=$3
  truncate -s "${mib}M" "$file"
  dd if="/work/in/$disk-gpt-primary.bin" of="$file" conv=notrunc status=none
  dd if="/work/in/$disk-gpt-backup.bin" of="$file" bs=512 seek=$((mib * 2048 - 33)) conv=notrunc status=none
}
write_table os "$work/os.img" "$OS_DISK_MIB"
place "$work/efi.img" "$work/os.img" "$EFI_START" "$EFI_MIB"
if [ "$BOOT_PARTITION" = true ]; then place "$work/boot.img" "$work/os.img" "$BOOT_START" "$BOOT_MIB"; fi
place "$work/root.img" "$work/os.img" "$ROOT_START" "$ROOT_MIB"
place "$work/verity.img" "$work/os.img" "$HASH_START" "$HASH_MIB"
place "$work/private.img" "$work/os.img" "$PRIVATE_START" "$PRIVATE_MIB"
if [ -f /work/in/mbr-code.bin ]; then
  # boot.img was patched for this protective MBR, whose first 440 bytes are zero; everything from
  # the disk signature on stays the partition table's.
  echo "twoliter: GRUB for BIOS in the MBR and BIOS-BOOT"
  dd if=/work/in/mbr-code.bin of="$work/os.img" bs=440 count=1 conv=notrunc status=none
  place /work/in/core.img "$work/os.img" "$BIOS_START" "$BIOS_MIB"
fi
disks=os
if [ "$DATA_ON_OS_DISK" = true ]; then
  place "$work/data.img" "$work/os.img" "$DATA_START" "$DATA_MIB"
else
  write_table data "$work/data-disk.img" "$DATA_DISK_MIB"
  place "$work/data.img" "$work/data-disk.img" "$DATA_START" "$DATA_MIB"
  mv "$work/data-disk.img" "$work/data-disk.raw"
  disks="os data"
fi
for d in $disks; do
  f=$work/$d.img; [ "$d" = data ] && f=$work/data-disk.raw
  sgdisk -v "$f" | tee "$work/$d.verify"
  grep -q 'No problems found' "$work/$d.verify"
done

# Compressors read the image through a pipe from O_DIRECT reads (see place): the disks are mostly
# holes, read once. zstd is told the size, which it would otherwise take from the file.
compress() (
  set -o pipefail
  case "$COMPRESSION" in
    zstd) dd if="$1" bs=4M status=none $(direct_read "$1") | zstd -q -T1 -3 --stream-size="$(stat -c %s "$1")" -f -o "$2.zst" ;;
    lz4) dd if="$1" bs=4M status=none $(direct_read "$1") | lz4 -q -1 -f - "$2.lz4" ;;
    none) cp --sparse=always "$1" "$2" ;;
  esac
)
# The outputs are independent: they are written side by side, one single-threaded tool each (so
# every output's bytes are the same whatever the number of CPUs), as many at a time as there are CPUs.
running=() failed=0 cpus=$(nproc)
parallel() {
  # Waits for the oldest writer when all CPUs are taken; each writer's status is collected exactly once.
  if (( ${#running[@]} >= cpus )); then wait "${running[0]}" || failed=1; running=("${running[@]:1}"); fi
  "$@" &
  running+=($!)
}
vmdk() {
  qemu-img convert -f raw -O vmdk -o subformat=streamOptimized "$1" "$2"
  # qemu-img puts a random content id (CID, hex without leading zeros) into the descriptor, and
  # when that id is short it leaves stray bytes of its buffer after the text's NUL. Rewrite the
  # whole descriptor area (offset and size in sectors from the header): the text with the build's
  # own CID, then NULs to the area's end, so that the file's length and every later byte stay put.
  VMDK_CID=$VMDK_CID perl -0777 -pi -e '
    my ($offset, $sectors) = unpack("x28 Q< Q<", $_);
    my $area = $sectors * 512;
    my ($text) = split /\0/, substr($_, $offset * 512, $area), 2;
    $text =~ s/^CID=[0-9a-f]{1,8}$/CID=$ENV{VMDK_CID}/m or die "no CID line in the VMDK descriptor\n";
    length($text) <= $area or die "the VMDK descriptor outgrew its area\n";
    substr($_, $offset * 512, $area) = $text . ("\0" x ($area - length $text));
  ' "$2"
}
echo "twoliter: writing $FORMATS ($COMPRESSION)"
for d in $disks; do
  f=$work/$d.img; [ "$d" = data ] && f=$work/data-disk.raw
  for fmt in $FORMATS; do
    case "$fmt" in
      raw) parallel compress "$f" "/work/out/$BASE-$d.img" ;;
      qcow2) parallel qemu-img convert -f raw -O qcow2 "$f" "/work/out/$BASE-$d.qcow2" ;;
      vmdk) parallel vmdk "$f" "/work/out/$BASE-$d.vmdk" ;;
    esac
  done
done
# The update payloads: what an updater writes into the other bank.
if [ "$BOOT_PARTITION" = true ]; then parallel compress "$work/boot.img" "/work/out/$BASE-boot.ext4"; fi
parallel compress "$work/root.img" "/work/out/$BASE-root.$ROOT_FS"
parallel compress "$work/verity.img" "/work/out/$BASE-root-verity.verity"
for pid in "${running[@]}"; do wait "$pid" || failed=1; done
(( failed == 0 )) || { echo "twoliter: writing an output failed"; exit 1; }
echo "twoliter: image written"
