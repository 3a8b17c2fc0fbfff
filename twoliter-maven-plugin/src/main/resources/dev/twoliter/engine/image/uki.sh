# Makes the Unified Kernel Image (UkiStep): systemd's EFI stub with the kernel, the command line
# and os-release added as sections at 4 KiB-aligned addresses after the stub's own. Inputs in
# /work/in: boot.tar (the root's /boot, with vmlinuz), cmdline, os-release. Output:
# /work/out/uki.efi (the plugin then fixes its time stamp and checksum).
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
cmdline=$(up $(( osrel + $(stat -c %s /work/in/os-release) )))
linux=$(up $(( cmdline + $(stat -c %s /work/in/cmdline) )))
objcopy \
  --add-section .osrel=/work/in/os-release --change-section-vma .osrel="$(printf 0x%x "$osrel")" \
  --add-section .cmdline=/work/in/cmdline --change-section-vma .cmdline="$(printf 0x%x "$cmdline")" \
  --add-section .linux=/work/kernel/vmlinuz --change-section-vma .linux="$(printf 0x%x "$linux")" \
  "$stub" /work/out/uki.efi
echo "twoliter: UKI $(stat -c %s /work/out/uki.efi) bytes"
