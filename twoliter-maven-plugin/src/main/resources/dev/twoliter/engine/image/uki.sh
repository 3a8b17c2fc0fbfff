# Makes the Unified Kernel Image(s) (UkiStep): systemd's EFI stub with the kernel, a command line
# and os-release added as sections at 4 KiB-aligned addresses after the stub's own. Inputs in
# /work/in: boot.tar (the root's /boot, with vmlinuz), os-release, and one command line per UKI,
# cmdline/<name> (names fixed by the plugin: uki, or uki-a and uki-b for A/B banks). Outputs:
# /work/out/<name>.efi (the plugin then fixes their time stamps and checksums) and, with
# SYSTEMD_BOOT=true, systemd-boot itself as /work/out/systemd-bootx64.efi.
set -e
need objcopy objdump tar
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
[ -f "$stub" ] || { echo "twoliter: the SDK lacks $stub (systemd-boot-efi)"; exit "$EXIT_SDK_TOOL_MISSING"; }
mkdir -p /work/kernel /work/out
tar -xf /work/in/boot.tar -C /work/kernel ./vmlinuz
up() { echo $(( ($1 + 4095) / 4096 * 4096 )); }
end=0
while read -r idx name size vma rest; do
  [[ $idx =~ ^[0-9]+$ ]] || continue
  e=$(( 0x$vma + 0x$size ))
  (( e > end )) && end=$e
done < <(objdump -h "$stub")
osrel=$(up "$end")
for file in /work/in/cmdline/*; do
  name=${file##*/}
  cmdline=$(up $(( osrel + $(stat -c %s /work/in/os-release) )))
  linux=$(up $(( cmdline + $(stat -c %s "$file") )))
  objcopy \
    --add-section .osrel=/work/in/os-release --change-section-vma .osrel="$(printf 0x%x "$osrel")" \
    --add-section .cmdline="$file" --change-section-vma .cmdline="$(printf 0x%x "$cmdline")" \
    --add-section .linux=/work/kernel/vmlinuz --change-section-vma .linux="$(printf 0x%x "$linux")" \
    "$stub" "/work/out/$name.efi"
  echo "twoliter: UKI $name $(stat -c %s "/work/out/$name.efi") bytes"
done
if [ "$SYSTEMD_BOOT" = true ]; then
  # The loader that chooses between the banks' UKIs, from the same package as the stub.
  boot=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
  [ -f "$boot" ] || { echo "twoliter: the SDK lacks $boot (systemd-boot-efi)"; exit "$EXIT_SDK_TOOL_MISSING"; }
  cp "$boot" /work/out/systemd-bootx64.efi
  echo "twoliter: systemd-boot $(stat -c %s /work/out/systemd-bootx64.efi) bytes"
fi
