# Makes GRUB for the image's firmware (GrubStep). Everything GRUB needs is built into its images, so
# BOOT-A holds only grub/grub.cfg and the kernel. Outputs in /work/out: for x86_64 boot.img and
# core.img (BIOS: the MBR code and the image for the BIOS boot partition, both patched by the
# plugin) and grubx64.efi; for aarch64 (UEFI only, no BIOS) grubaa64.efi. The EFI image is the EFI
# system partition's default loader.
# Inputs: /work/in/efi.cfg and, for BIOS, /work/in/bios.cfg, the early configurations built into
# each, and, for an image with banks A and B, /work/in/banks.cfg: the bank selection script the
# early configurations run from GRUB's memdisk (a tar built into the images).
set -e
need grub-mkimage grub-script-check tar
case "$ARCH" in
  x86_64) efi_platform=x86_64-efi efi_image=grubx64.efi bios=true ;;
  aarch64) efi_platform=arm64-efi efi_image=grubaa64.efi bios=false ;;
  *) echo "twoliter: no GRUB platform for arch $ARCH"; exit 1 ;;
esac
[ -d "/usr/lib/grub/$efi_platform" ] \
  || { echo "twoliter: the SDK lacks /usr/lib/grub/$efi_platform (GRUB's $efi_platform modules)"; exit "$EXIT_SDK_TOOL_MISSING"; }
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
if [ "$bios" = true ]; then
  grub-mkimage -O i386-pc -d /usr/lib/grub/i386-pc -c /work/in/bios.cfg "${memdisk[@]}" -p "$BIOS_PREFIX" \
    -o /work/out/core.img biosdisk "${modules[@]}" serial terminal
  cp /usr/lib/grub/i386-pc/boot.img /work/out/boot.img
fi
grub-mkimage -O "$efi_platform" -d "/usr/lib/grub/$efi_platform" -c /work/in/efi.cfg "${memdisk[@]}" -p /grub \
  -o "/work/out/$efi_image" "${modules[@]}" efi_gop
if [ "$bios" = true ]; then
  echo "twoliter: core.img $(stat -c %s /work/out/core.img) bytes, $efi_image $(stat -c %s "/work/out/$efi_image") bytes"
else
  echo "twoliter: $efi_image $(stat -c %s "/work/out/$efi_image") bytes"
fi
