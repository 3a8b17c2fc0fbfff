# Makes GRUB for both firmwares (GrubStep). Everything GRUB needs is built into its images, so
# BOOT-A holds only grub/grub.cfg and the kernel. Outputs in /work/out: boot.img and core.img
# (BIOS: the MBR code and the image for the BIOS boot partition, both patched by the plugin) and
# grubx64.efi (UEFI, the EFI system partition's default loader).
# Inputs: /work/in/bios.cfg and /work/in/efi.cfg, the early configurations built into each.
set -e
need grub-mkimage
mkdir -p /work/out
grub-mkimage -O i386-pc -d /usr/lib/grub/i386-pc -c /work/in/bios.cfg -p "$BIOS_PREFIX" -o /work/out/core.img \
  biosdisk part_gpt ext2 normal configfile linux echo test probe serial terminal
cp /usr/lib/grub/i386-pc/boot.img /work/out/boot.img
grub-mkimage -O x86_64-efi -d /usr/lib/grub/x86_64-efi -c /work/in/efi.cfg -p /grub -o /work/out/grubx64.efi \
  part_gpt fat ext2 normal configfile linux echo test probe regexp efi_gop
echo "twoliter: core.img $(stat -c %s /work/out/core.img) bytes, grubx64.efi $(stat -c %s /work/out/grubx64.efi) bytes"
