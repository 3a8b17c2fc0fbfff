# Makes GRUB for both firmwares (GrubStep). Everything GRUB needs is built into its images, so
# BOOT-A holds only grub/grub.cfg and the kernel. Outputs in /work/out: boot.img and core.img
# (BIOS: the MBR code and the image for the BIOS boot partition, both patched by the plugin) and
# grubx64.efi (UEFI, the EFI system partition's default loader).
# Inputs: /work/in/bios.cfg and /work/in/efi.cfg, the early configurations built into each, and,
# for an image with banks A and B, /work/in/banks.cfg: the bank selection script the early
# configurations run from GRUB's memdisk (a tar built into both images).
set -e
need grub-mkimage grub-script-check tar
mkdir -p /work/out
modules=(part_gpt fat ext2 normal configfile linux echo test probe regexp loadenv)
memdisk=()
if [ -f /work/in/banks.cfg ]; then
  # A syntax error here would only show at boot, as GRUB's rescue prompt.
  grub-script-check /work/in/banks.cfg
  mkdir -p /work/memdisk/twoliter
  cp /work/in/banks.cfg /work/memdisk/twoliter/banks.cfg
  # Fixed names, order, owners, modes and times: the same bytes in every build.
  tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner --mode=u=rwX,go=rX --mtime=@0 \
    -C /work/memdisk -cf /work/memdisk.tar twoliter
  memdisk=(-m /work/memdisk.tar)
  modules+=(memdisk tar)
fi
grub-mkimage -O i386-pc -d /usr/lib/grub/i386-pc -c /work/in/bios.cfg "${memdisk[@]}" -p "$BIOS_PREFIX" \
  -o /work/out/core.img biosdisk "${modules[@]}" serial terminal
cp /usr/lib/grub/i386-pc/boot.img /work/out/boot.img
grub-mkimage -O x86_64-efi -d /usr/lib/grub/x86_64-efi -c /work/in/efi.cfg "${memdisk[@]}" -p /grub \
  -o /work/out/grubx64.efi "${modules[@]}" efi_gop
echo "twoliter: core.img $(stat -c %s /work/out/core.img) bytes, grubx64.efi $(stat -c %s /work/out/grubx64.efi) bytes"
