#!/bin/bash
# The QEMU proof of UKI A/B banks (docs/booting.md, "UKI: A/B banks with systemd-boot"), until the
# update mode of twoliter:run does it: two builds of one variant with bootloader uki and in-place
# updates, an older and a newer version, e.g. greet-os 1.0.0 and a copy of it at 1.1.0 built with
# -Dtwoliter.bootloader=uki. In one SDK container, under OVMF (TCG or KVM), on one kept raw disk:
#   1. the new image boots bank A;
#   2. the newer version written into bank B with ROOT-B corrupted, its UKI as twoliter-b+1-0.efi:
#      the try fails dm-verity; 3. the next boot is bank A, the entry is twoliter-b+0-1.efi;
#   4. the same update intact: bank B boots and its init confirms (twoliter-b.efi); 5. bank B again.
# Prints each boot's time and the lines that show the bank; exits non-zero when a boot is not the
# bank it should be.
#   docs/benchmarks/uki-ab-boots.sh <image dir, older> <image dir, newer> [sdk-image]
set -euo pipefail
older=$(cd "$1" && pwd)
newer=$(cd "$2" && pwd)
image=${3:-twoliter-sdk:0.4.0}
one() { local f; f=$(compgen -G "$1" | head -1) || true; [ -n "$f" ] || { echo "no $1" >&2; exit 2; }; echo "$f"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$(one "$older/*-os.img.zst")" "$work/os.img.zst"
cp "$(one "$older/*-data.img.zst")" "$work/data.img.zst"
cp "$(one "$newer/*-root.ext4.zst")" "$work/root.zst"
cp "$(one "$newer/*-root-verity.verity.zst")" "$work/hash.zst"
cp "$(one "$newer/*-uki-b.efi")" "$work/uki-b.efi"
cat > "$work/inner.sh" <<'EOF'
set -euo pipefail
cd /w
zstd -q -d os.img.zst -o os.img
zstd -q -d data.img.zst -o data.img
accel=tcg; [ -w /dev/kvm ] && grep -qE 'vmx|svm' /proc/cpuinfo && accel=kvm
sector() { sgdisk -p os.img | awk -v l="$1" '$7==l {print $2}'; }
sectors() { sgdisk -p os.img | awk -v l="$1" '$7==l {print $3 - $2 + 1}'; }
esp="os.img@@$(( $(sector EFI-SYSTEM) * 512 ))"
write() {
  dd if=/dev/zero of=os.img bs=512 seek="$(sector "$2")" count="$(sectors "$2")" conv=notrunc,sparse status=none
  zstd -q -d -c "$1" | dd of=os.img bs=512 seek="$(sector "$2")" conv=notrunc,sparse status=none
}
n=0 failed=0
boot() {
  n=$((n + 1))
  local t0=$SECONDS
  timeout 300 qemu-system-x86_64 -accel "$accel" -m 512 -nographic -no-reboot -nic none \
    -bios /usr/share/ovmf/OVMF.fd -drive file=os.img,format=raw,if=virtio \
    -drive file=data.img,format=raw,if=virtio < /dev/null > "boot$n.log" 2>&1 || true
  echo "=== boot $n: $1 ($((SECONDS - t0)) s); EFI/Linux: $(mdir -b -i "$esp" ::/EFI/Linux | sed 's|.*/||' | tr '\n' ' ')"
  tr -d '\r' < "boot$n.log" | grep -aE 'twoliter-init: (BANK|OS VERSION_ID)|corrupted' || true
  if ! tr -d '\r' < "boot$n.log" | grep -aq "$2"; then echo "!!! expected: $2"; failed=1; fi
}
boot "a new image" "twoliter-init: BANK=A"
write root.zst BOTTLEROCKET-ROOT-B
write hash.zst BOTTLEROCKET-HASH-B
# One byte of ROOT-B's ext4 superblock (its magic): dm-verity refuses the block.
printf '\000' | dd of=os.img bs=1 seek=$(( $(sector BOTTLEROCKET-ROOT-B) * 512 + 1080 )) conv=notrunc status=none
mcopy -i "$esp" uki-b.efi ::/EFI/Linux/twoliter-b+1-0.efi
boot "bank B tried, its root corrupted" "verity.*corrupted"
boot "after the failed try" "twoliter-init: BANK=A"
mdel -i "$esp" ::/EFI/Linux/twoliter-b+0-1.efi
write root.zst BOTTLEROCKET-ROOT-B
mcopy -i "$esp" uki-b.efi ::/EFI/Linux/twoliter-b+1-0.efi
boot "bank B tried, intact" "twoliter-init: BANK_CONFIRMED=B"
boot "after the confirmation" "twoliter-init: BANK=B"
exit "$failed"
EOF
docker run --rm --network none -v "$work:/w" "$image" bash /w/inner.sh
