# Boots a variant's image in QEMU (VmRun). Inputs in /work/in: the OS disk ("os") and, for a split
# layout, the data disk ("data"), as the build wrote them (COMPRESSION, DISK_FORMAT). The serial
# console is this step's output. The run ends when the machine powers off, when the console shows
# EXPECT (if set), or after RUN_SECONDS. Output: /work/out/run.toml with how it ended.
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
if [ "$FIRMWARE" = uefi ]; then
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
  fi
done < /work/vm/console
wait "$qemu"
status=$?
kill "$watchdog" 2> /dev/null
if [ "$result" != expected ] && [ -f /work/vm/timed-out ]; then result=timeout; fi
echo "twoliter: the machine's run ended: $result (qemu exit status $status)"
printf 'result = "%s"\nqemu-exit = %d\n' "$result" "$status" > /work/out/run.toml
