#!/bin/bash
# The floor for assembling the greet example's variant: the same tools by hand in ONE SDK container
# (dnf into an empty root, mkfs.ext4 -d, veritysetup, boot/EFI/private/data filesystems, sgdisk, dd,
# zstd, qemu-img qcow2), without Maven, fingerprints, the reproducibility fix-ups or the checks.
# Run after `mvn package` in examples/greet (it uses greet-kit's payload). Prints three timings,
# then times the plugin's own assembly of the same variant (forced, so that it really builds).
#   docs/benchmarks/variant-floor.sh [sdk-image]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
image=${1:-twoliter-sdk:0.2.0}
payload=$repo/examples/greet/kits/greet-kit/target/greet-kit-1.0.0-x86_64.tar
[ -f "$payload" ] || { echo "build examples/greet first (mvn package)" >&2; exit 1; }
inner='set -e
mkdir -p /kit /root-fs /boot-fs/grub /esp /img && tar -xf /payload.tar -C /kit
dnf -q -y --installroot=/root-fs --disablerepo="*" --setopt=reposdir=/dev/null --repofrompath=k,/kit --enablerepo=k \
    --nogpgcheck --releasever=1 --setopt=install_weak_deps=False install greet motd >/dev/null
rm -rf /root-fs/usr/lib/sysimage/rpm /root-fs/var/lib/dnf /root-fs/var/cache/dnf
mkfs.ext4 -q -F -b 4096 -O ^has_journal -d /root-fs /img/root.img 920M
veritysetup format /img/root.img /img/verity.img > /img/verity.txt
echo "menuentry x { linux /vmlinuz }" > /boot-fs/grub/grub.cfg
mkfs.ext4 -q -F -b 4096 -O ^has_journal -d /boot-fs /img/boot.img 40M
mkfs.vfat -C /img/efi.img 5120 >/dev/null
mkfs.ext4 -q -F -b 4096 /img/private.img 41M
mkfs.ext4 -q -F -m 0 /img/data.img 1022M
truncate -s 2G /img/os.img
sgdisk --clear -n 1:2048:+4M -t 1:ef02 -n 2:0:+5M -t 2:ef00 -n 3:0:+40M -n 4:0:+920M -n 5:0:+10M -n 6:0:+25M \
       -n 7:0:+5M -n 8:0:+40M -n 9:0:+920M -n 10:0:+10M -n 11:0:+25M -n 12:0:+41M -n 13:0:+1M -A 3:set:48 -A 3:set:56 /img/os.img >/dev/null
dd if=/img/efi.img of=/img/os.img bs=1M seek=5 conv=notrunc,sparse status=none
dd if=/img/boot.img of=/img/os.img bs=1M seek=10 conv=notrunc,sparse status=none
dd if=/img/root.img of=/img/os.img bs=1M seek=50 conv=notrunc,sparse status=none
dd if=/img/verity.img of=/img/os.img bs=1M seek=970 conv=notrunc,sparse status=none
dd if=/img/private.img of=/img/os.img bs=1M seek=2005 conv=notrunc,sparse status=none
truncate -s 1G /img/data-disk.img && sgdisk --clear -n 1:2048:-1M /img/data-disk.img >/dev/null
dd if=/img/data.img of=/img/data-disk.img bs=1M seek=1 conv=notrunc,sparse status=none
zstd -q -T1 -3 /img/os.img -o /img/os.img.zst && zstd -q -T1 -3 /img/data-disk.img -o /img/data.img.zst
qemu-img convert -O qcow2 /img/os.img /img/os.qcow2 && qemu-img convert -O qcow2 /img/data-disk.img /img/data.qcow2
zstd -q -T1 -3 /img/boot.img -o /img/boot.zst && zstd -q -T1 -3 /img/root.img -o /img/root.zst && zstd -q -T1 -3 /img/verity.img -o /img/verity.zst'
for i in 1 2 3; do
  /usr/bin/time -f "floor run $i: %e s" docker run --rm --network none -v "$payload:/payload.tar:ro" "$image" bash -c "$inner"
done
cd "$repo/examples/greet"
for i in 1 2 3; do
  /usr/bin/time -f "plugin run $i (mvn package -pl variants/greet-os -Dtwoliter.force): %e s" \
    mvn -B -q package -pl variants/greet-os -Dtwoliter.force > /dev/null
done
img=variants/greet-os/target/image/greet-os-1.0.0-os.img.zst
zstd -q -d -f "$img" -o /tmp/greet-os.img
echo "decompressed OS image: apparent $(stat -c %s /tmp/greet-os.img) bytes, on disk $(( $(stat -c %b /tmp/greet-os.img) * 512 )) bytes"
rm -f /tmp/greet-os.img
