# Makes the Unified Kernel Image(s) (UkiStep): systemd's EFI stub with the kernel, a command line
# and os-release added as sections at 4 KiB-aligned addresses after the stub's own. Inputs in
# /work/in: boot.tar (the root's /boot, with vmlinuz), os-release, and one command line per UKI,
# cmdline/<name> (names fixed by the plugin: uki, or uki-a and uki-b for A/B banks). EFI_ARCH is
# UEFI's name for the arch (x64, aa64): the stub is linux<EFI_ARCH>.efi.stub. Outputs:
# /work/out/<name>.efi (the plugin then fixes their time stamps and checksums) and, with
# SYSTEMD_BOOT=true, systemd-boot itself as /work/out/systemd-boot<EFI_ARCH>.efi.
set -e
case "$EFI_ARCH" in
  # The native binutils read x86_64 PE files only; arm64 ones need the cross binutils.
  x64) objcopy=objcopy objdump=objdump ;;
  aa64) objcopy=aarch64-linux-gnu-objcopy objdump=aarch64-linux-gnu-objdump ;;
  *) echo "twoliter: no systemd EFI stub for EFI arch $EFI_ARCH"; exit 1 ;;
esac
need "$objcopy" "$objdump" tar
stub=/usr/lib/systemd/boot/efi/linux$EFI_ARCH.efi.stub
[ -f "$stub" ] || { echo "twoliter: the SDK lacks $stub (systemd-boot-efi)"; exit "$EXIT_SDK_TOOL_MISSING"; }
mkdir -p /work/kernel /work/out
tar -xf /work/in/boot.tar -C /work/kernel ./vmlinuz
up() { echo $(( ($1 + 4095) / 4096 * 4096 )); }
end=0
while read -r idx name size vma rest; do
  [[ $idx =~ ^[0-9]+$ ]] || continue
  e=$(( 0x$vma + 0x$size ))
  (( e > end )) && end=$e
done < <("$objdump" -h "$stub")
osrel=$(up "$end")
for file in /work/in/cmdline/*; do
  name=${file##*/}
  cmdline=$(up $(( osrel + $(stat -c %s /work/in/os-release) )))
  linux=$(up $(( cmdline + $(stat -c %s "$file") )))
  "$objcopy" \
    --add-section .osrel=/work/in/os-release --change-section-vma .osrel="$(printf 0x%x "$osrel")" \
    --add-section .cmdline="$file" --change-section-vma .cmdline="$(printf 0x%x "$cmdline")" \
    --add-section .linux=/work/kernel/vmlinuz --change-section-vma .linux="$(printf 0x%x "$linux")" \
    "$stub" "/work/out/$name.efi"
  echo "twoliter: UKI $name $(stat -c %s "/work/out/$name.efi") bytes"
done
if [ "$SYSTEMD_BOOT" = true ]; then
  # The loader that chooses between the banks' UKIs, from the same package as the stub.
  boot=/usr/lib/systemd/boot/efi/systemd-boot$EFI_ARCH.efi
  [ -f "$boot" ] || { echo "twoliter: the SDK lacks $boot (systemd-boot-efi)"; exit "$EXIT_SDK_TOOL_MISSING"; }
  cp "$boot" "/work/out/systemd-boot$EFI_ARCH.efi"
  echo "twoliter: systemd-boot $(stat -c %s "/work/out/systemd-boot$EFI_ARCH.efi") bytes"
fi
