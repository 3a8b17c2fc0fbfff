#!/bin/bash
# The floor for assembling the greet example's variant: the same tools by hand in ONE SDK container
# (dnf into an empty root from the three kits greet-os uses, grub-mkimage for BIOS and UEFI, mkfs.ext4
# -d, veritysetup, boot/EFI/private/data filesystems, sgdisk, dd, zstd, qemu-img qcow2), without
# Maven, fingerprints, the reproducibility fix-ups, the checks or GRUB's boot-code patching.
# Run after `mvn package` in examples/greet. Times the floor and the plugin's own assembly of the
# same variant (forced, so that it really builds) alternately, then prints the medians and the ratio.
#   docs/benchmarks/variant-floor.sh [runs=3] [sdk-image]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
image=${2:-twoliter-sdk:0.4.0}
payloads=()
for kit in greet/kits/greet-kit/target/greet-kit kernel-kit/kit/target/kernel-kit core-kit/kit/target/core-kit; do
  payloads+=("$repo/examples/$kit-1.0.0-x86_64.tar")
  [ -f "${payloads[-1]}" ] || { echo "build examples/greet first (mvn package); ${payloads[-1]} is missing" >&2; exit 1; }
done
inner='set -e
mkdir -p /kit/greet /kit/kernel /kit/core /root-fs /boot-fs/grub /esp /img
for k in greet kernel core; do tar -xf /payload-$k.tar -C /kit/$k; done
dnf -q -y --installroot=/root-fs --disablerepo="*" --setopt=reposdir=/dev/null --repofrompath=g,/kit/greet \
    --repofrompath=k,/kit/kernel --repofrompath=c,/kit/core --enablerepo=g,k,c \
    --nogpgcheck --releasever=1 --setopt=install_weak_deps=False install kernel twoliter-init greet motd >/dev/null
grub-mkimage -O i386-pc -o /img/core.img -p "(hd0,gpt3)/grub" biosdisk part_gpt ext2 linux normal configfile
grub-mkimage -O x86_64-efi -o /esp/BOOTX64.EFI -p "(hd0,gpt3)/grub" part_gpt ext2 linux normal configfile
cp -a /root-fs/boot/. /boot-fs/ && rm -rf /root-fs/boot/*
rm -rf /root-fs/usr/lib/sysimage/rpm /root-fs/var/lib/dnf /root-fs/var/cache/dnf
mkfs.ext4 -q -F -b 4096 -O ^has_journal -d /root-fs /img/root.img 920M
veritysetup format /img/root.img /img/verity.img > /img/verity.txt
echo "menuentry x { linux /vmlinuz }" > /boot-fs/grub/grub.cfg
mkfs.ext4 -q -F -b 4096 -O ^has_journal -d /boot-fs /img/boot.img 40M
mkfs.vfat -C /img/efi.img 5120 >/dev/null
mmd -i /img/efi.img ::/EFI ::/EFI/BOOT && mcopy -i /img/efi.img /esp/BOOTX64.EFI ::/EFI/BOOT/
mkfs.ext4 -q -F -b 4096 /img/private.img 41M
mkfs.ext4 -q -F -m 0 /img/data.img 1022M
truncate -s 2G /img/os.img
sgdisk --clear -n 1:2048:+4M -t 1:ef02 -n 2:0:+5M -t 2:ef00 -n 3:0:+40M -n 4:0:+920M -n 5:0:+10M -n 6:0:+25M \
       -n 7:0:+5M -n 8:0:+40M -n 9:0:+920M -n 10:0:+10M -n 11:0:+25M -n 12:0:+41M -n 13:0:+1M -A 3:set:48 -A 3:set:56 /img/os.img >/dev/null
dd if=/img/core.img of=/img/os.img bs=1M seek=1 conv=notrunc status=none
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
mounts=(-v "${payloads[0]}:/payload-greet.tar:ro" -v "${payloads[1]}:/payload-kernel.tar:ro" -v "${payloads[2]}:/payload-core.tar:ro")
seconds() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cd "$repo/examples/greet"
floor=() plugin=() rss=()
for i in $(seq "$runs"); do
  floor+=("$(seconds docker run --rm --network none "${mounts[@]}" "$image" bash -c "$inner")")
  plugin+=("$(seconds /usr/bin/time -f '%M' -o /tmp/variant-rss mvn -B -q package -pl variants/greet-os -Dtwoliter.force)")
  rss+=("$(cat /tmp/variant-rss)")
  echo "run $i: floor ${floor[-1]} s, plugin (mvn -q package -pl variants/greet-os -Dtwoliter.force) ${plugin[-1]} s, max RSS ${rss[-1]} KiB"
done
f=$(median "${floor[@]}"); p=$(median "${plugin[@]}")
printf 'medians: floor %.2f s, plugin %.2f s, ratio %.2f; peak RSS of the Maven JVM %d MiB\n' "$f" "$p" \
  "$(echo "$p / $f" | bc -l)" "$(( $(median "${rss[@]}") / 1024 ))"
img=variants/greet-os/target/image/greet-os-1.0.0-os.img.zst
zstd -q -d -f "$img" -o /tmp/greet-os.img
echo "decompressed OS image: apparent $(stat -c %s /tmp/greet-os.img) bytes, on disk $(( $(stat -c %b /tmp/greet-os.img) * 512 )) bytes"
rm -f /tmp/greet-os.img
