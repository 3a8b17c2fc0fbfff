# Boots a variant's image in QEMU (VmRun). Inputs in /work/in: the OS disk ("os") and, for a split
# layout, the data disk ("data"), as the build wrote them (COMPRESSION, DISK_FORMAT). The serial
# console is this step's output. The run ends when the machine powers off, when the console shows
# EXPECT (if set), when the UEFI firmware gives up (it would wait for a key forever), or after
# RUN_SECONDS. ARCH=x86_64: qemu-system-x86_64 with SeaBIOS or OVMF; ARCH=aarch64: qemu-system-aarch64's
# virt machine with AAVMF (UEFI only) in its flash. SECURE_BOOT=true enforces Secure Boot with the keys
# of /work/in/efi-vars, or of the SDK's test store (OVMF's or AAVMF's snakeoil key in PK, KEK and db).
# Output: /work/out/run.toml with how it ended.
# PERSIST=true (a disk kept across runs, zstd): first writes /work/in/{boot,root,hash}.payload
# (PAYLOAD_COMPRESSION) into the partitions at <PART>_START_MIB (<PART>_MIB long). BOOT_STATE=grub:
# then /work/in/grubenv-next over the one copy of /work/in/grubenv-current in the EFI system
# partition (ESP_START_MIB, ESP_MIB). BOOT_STATE=uki with UKI_TRY_BANK (a or b): first removes that
# bank's UKI from EFI/Linux, last copies /work/in/uki.payload there as its one try. Afterwards leaves
# /work/out/boot-state (GRUB's environment block, or the names in EFI/Linux) and
# /work/out/os.img.zst (the disk).
case "${ARCH:-x86_64}" in
  x86_64) qemu=qemu-system-x86_64 ;;
  aarch64) qemu=qemu-system-aarch64 ;;
  *) echo "twoliter: no virtual machine for arch $ARCH"; exit "$EXIT_SETUP" ;;
esac
need "$qemu" zstd lz4 mkfifo mdir mdel mcopy
mkdir -p /work/vm /work/out
disk() {
  local from=$1 to=$2
  case "$COMPRESSION" in
    zstd) zstd -q -d "$from" -o "$to" ;;
    lz4) lz4 -q -d "$from" "$to" ;;
    none) cp --sparse=always "$from" "$to" ;;
  esac || exit "$EXIT_SETUP"
}
args=(-accel "$ACCEL" -m "$MEMORY_MIB" -nographic -no-reboot -nic none)
disk /work/in/os /work/vm/os
if [ "$PERSIST" = true ]; then
  # A disk kept across runs (twoliter:run's update mode): the bank images to write first, then the
  # boot state, then the boot; afterwards the state GRUB and the OS left, and the disk itself.
  write_bank_image() {
    local name=$1 start=$2 mib=$3
    [ -f "/work/in/$name.payload" ] || return 0
    case "${PAYLOAD_COMPRESSION:-}" in
      zstd) zstd -q -d "/work/in/$name.payload" -o "/work/vm/$name.img" ;;
      lz4) lz4 -q -d "/work/in/$name.payload" "/work/vm/$name.img" ;;
      none) cp "/work/in/$name.payload" "/work/vm/$name.img" ;;
    esac || { echo "twoliter: the $name image could not be decompressed"; exit "$EXIT_SETUP"; }
    (( $(stat -c %s "/work/vm/$name.img") <= mib * 1048576 )) \
      || { echo "twoliter: the $name image is larger than its $mib MiB partition"; exit "$EXIT_SETUP"; }
    # Zeros first: what the old image left past the new one's end must not survive.
    dd if=/dev/zero of=/work/vm/os bs=1M seek="$start" count="$mib" conv=notrunc,sparse status=none
    dd if="/work/vm/$name.img" of=/work/vm/os bs=1M seek="$start" conv=notrunc,sparse status=none
    rm -f "/work/vm/$name.img"
    echo "twoliter: wrote the $name image into its partition at $start MiB"
  }
  export MTOOLS_SKIP_CHECK=1
  esp="/work/vm/os@@$(( ${ESP_START_MIB:-0} * 1048576 ))"
  case "${UKI_TRY_BANK:-}" in
    a|b)
      # The bank's old UKI goes first, counted or not: from here on nothing boots this bank.
      mdir -b -i "$esp" ::/EFI/Linux > /work/vm/entries || { echo "twoliter: EFI/Linux cannot be read"; exit "$EXIT_SETUP"; }
      while IFS= read -r entry; do
        name=${entry##*/}
        if [[ $name == "twoliter-$UKI_TRY_BANK.efi" || $name =~ ^twoliter-$UKI_TRY_BANK\+[0-9]{1,4}(-[0-9]{1,4})?\.efi$ ]]; then
          mdel -i "$esp" "::/EFI/Linux/$name" || exit "$EXIT_SETUP"
          echo "twoliter: removed EFI/Linux/$name"
        fi
      done < /work/vm/entries
      ;;
    "") ;;
    *) echo "twoliter: UKI_TRY_BANK must be a or b"; exit "$EXIT_SETUP" ;;
  esac
  write_bank_image boot "${BOOT_START_MIB:-}" "${BOOT_MIB:-}"
  write_bank_image root "${ROOT_START_MIB:-}" "${ROOT_MIB:-}"
  write_bank_image hash "${HASH_START_MIB:-}" "${HASH_MIB:-}"
  if [ "${BOOT_STATE:-grub}" = uki ]; then
    if [ -n "${UKI_TRY_BANK:-}" ]; then
      # The commit point: only now does the bank have an entry, with one try.
      mcopy -i "$esp" /work/in/uki.payload "::/EFI/Linux/twoliter-$UKI_TRY_BANK+1-0.efi" \
        || { echo "twoliter: the UKI could not be written to the EFI system partition (is it full?)"; exit "$EXIT_SETUP"; }
      echo "twoliter: wrote EFI/Linux/twoliter-$UKI_TRY_BANK+1-0.efi"
    fi
  else
    # The boot state is where the run before left it: its exact 1024 bytes, found once in the EFI
    # system partition, are the place to write (GRUB and the OS change the same bytes in place).
    offset=$(perl -e '
      open(my $d, "<:raw", $ARGV[0]) or die; open(my $b, "<:raw", $ARGV[1]) or die;
      seek($d, $ARGV[2] * 1048576, 0); read($d, my $esp, $ARGV[3] * 1048576); local $/; my $block = <$b>;
      my @at; for (my $i = 0; ($i = index($esp, $block, $i)) >= 0; $i += 512) { push @at, $i if $i % 512 == 0 }
      print scalar(@at) == 1 ? $ARGV[2] * 1048576 + $at[0] : "none";' \
      /work/vm/os /work/in/grubenv-current "${ESP_START_MIB:-}" "${ESP_MIB:-}") || exit "$EXIT_SETUP"
    if [ "$offset" = none ]; then
      echo "twoliter: the boot state on the disk is not what the last run left"
      exit "$EXIT_SETUP"
    fi
    if [ -f /work/in/grubenv-next ]; then
      dd if=/work/in/grubenv-next of=/work/vm/os bs=512 seek=$((offset / 512)) conv=notrunc status=none
    fi
  fi
fi
args+=(-drive "file=/work/vm/os,format=$DISK_FORMAT,if=virtio")
if [ -f /work/in/data ]; then
  disk /work/in/data /work/vm/data
  args+=(-drive "file=/work/vm/data,format=$DISK_FORMAT,if=virtio")
fi
# The user data (docs/settings.md, the OS contract): after the OS and data disks, read-only.
if [ -f /work/in/user-data ]; then
  args+=(-drive "file=/work/in/user-data,format=raw,if=virtio,readonly=on")
fi
if [ "${ARCH:-x86_64}" = aarch64 ]; then
  # QEMU's virt machine has no BIOS: AAVMF in its two flash devices, the code read-only and a copy of
  # a variable store (the firmware writes to it): without keys, or with them for Secure Boot (the
  # same code enforces it once PK is enrolled). acpi=off: the firmware then hands the kernel QEMU's
  # whole device tree, which every arm64 kernel reads; with ACPI tables it passes a device tree
  # without CPUs or timer, and a kernel without ACPI stops ("Unable to initialise architected timer").
  code=/usr/share/AAVMF/AAVMF_CODE.fd vars=/usr/share/AAVMF/AAVMF_VARS.fd
  if [ "$SECURE_BOOT" = true ]; then
    vars=/work/in/efi-vars
    [ -f "$vars" ] || vars=/usr/share/AAVMF/AAVMF_VARS.snakeoil.fd
  fi
  for f in "$code" "$vars"; do
    [ -f "$f" ] || { echo "twoliter: the SDK lacks $f (qemu-efi-aarch64)"; exit "$EXIT_SDK_TOOL_MISSING"; }
  done
  cp --sparse=always "$vars" /work/vm/vars.fd || exit "$EXIT_SETUP"
  args+=(-machine virt,acpi=off -cpu cortex-a57
    -drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" -drive if=pflash,format=raw,unit=1,file=/work/vm/vars.fd)
elif [ "$FIRMWARE" = uefi ] && [ "$SECURE_BOOT" = true ]; then
  code=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd vars=/work/in/efi-vars
  [ -f "$vars" ] || vars=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
  for f in "$code" "$vars"; do
    [ -f "$f" ] || { echo "twoliter: the SDK lacks $f (ovmf)"; exit "$EXIT_SDK_TOOL_MISSING"; }
  done
  # The firmware writes to its variable store: it gets a copy. Without SMM the Secure Boot firmware
  # does not start at all (and prints nothing).
  cp "$vars" /work/vm/vars.fd || exit "$EXIT_SETUP"
  args+=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
    -drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" -drive if=pflash,format=raw,unit=1,file=/work/vm/vars.fd)
elif [ "$FIRMWARE" = uefi ]; then
  [ -f /usr/share/ovmf/OVMF.fd ] || { echo "twoliter: the SDK lacks /usr/share/ovmf/OVMF.fd (ovmf)"; exit "$EXIT_SDK_TOOL_MISSING"; }
  args+=(-bios /usr/share/ovmf/OVMF.fd)
fi

echo "twoliter: $qemu ${args[*]}"
mkfifo /work/vm/console
"$qemu" "${args[@]}" < /dev/null > /work/vm/console 2>&1 &
qemu=$!
( sleep "$RUN_SECONDS"; touch /work/vm/timed-out; kill "$qemu" 2> /dev/null ) &
watchdog=$!
result=exited
while IFS= read -r line; do
  line=${line%$'\r'}
  printf '%s\n' "$line"
  if [ -n "$EXPECT" ] && [ "$result" = exited ] && [[ $line == *"$EXPECT"* ]]; then
    result=expected
    kill "$qemu" 2> /dev/null
  elif [ "$result" = exited ] && [[ $line == *"No bootable option or device was found"* ]]; then
    result=stuck
    kill "$qemu" 2> /dev/null
  fi
done < /work/vm/console
wait "$qemu"
status=$?
kill "$watchdog" 2> /dev/null
if [ "$result" = exited ] && [ -f /work/vm/timed-out ]; then result=timeout; fi
echo "twoliter: the machine's run ended: $result (qemu exit status $status)"
if [ "$PERSIST" = true ]; then
  if [ "${BOOT_STATE:-grub}" = uki ]; then
    mdir -b -i "$esp" ::/EFI/Linux | sed 's|.*/||' > /work/out/boot-state || exit "$EXIT_SETUP"
  else
    dd if=/work/vm/os of=/work/out/boot-state bs=512 skip=$((offset / 512)) count=2 status=none
  fi
  zstd -q -T0 /work/vm/os -o /work/out/os.img.zst || exit "$EXIT_SETUP"
fi
printf 'result = "%s"\nqemu-exit = %d\n' "$result" "$status" > /work/out/run.toml
