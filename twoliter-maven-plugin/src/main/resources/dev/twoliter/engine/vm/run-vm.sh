# Boots a variant's image in QEMU (VmRun). Inputs in /work/in: the OS disk ("os") and, for a split
# layout, the data disk ("data"), as the build wrote them (COMPRESSION, DISK_FORMAT). The serial
# console is this step's output. The run ends when the machine powers off, when the console shows
# EXPECT (if set), when the UEFI firmware gives up (it would wait for a key forever), or after
# RUN_SECONDS. SECURE_BOOT=true enforces Secure Boot with the keys of /work/in/efi-vars, or of the
# SDK's test store (OVMF's snakeoil key in PK, KEK and db). Output: /work/out/run.toml with how it ended.
need qemu-system-x86_64 zstd lz4 mkfifo
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
args+=(-drive "file=/work/vm/os,format=$DISK_FORMAT,if=virtio")
if [ -f /work/in/data ]; then
  disk /work/in/data /work/vm/data
  args+=(-drive "file=/work/vm/data,format=$DISK_FORMAT,if=virtio")
fi
if [ "$FIRMWARE" = uefi ] && [ "$SECURE_BOOT" = true ]; then
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

echo "twoliter: qemu-system-x86_64 ${args[*]}"
mkfifo /work/vm/console
qemu-system-x86_64 "${args[@]}" < /dev/null > /work/vm/console 2>&1 &
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
printf 'result = "%s"\nqemu-exit = %d\n' "$result" "$status" > /work/out/run.toml
