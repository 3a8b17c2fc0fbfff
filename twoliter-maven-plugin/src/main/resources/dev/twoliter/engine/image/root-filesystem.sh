# Makes the root filesystem and its dm-verity hash tree (RootFilesystemStep). Inputs in /work/in:
# the installed root (root.tar) and the files the plugin writes into every image (os-release, the
# inventory, the merged settings, settings-rendered.tar with the configuration files rendered from
# them). The root's /boot leaves the root: its files go on the boot partition or into the UKI, its
# efi/ on the EFI system partition.
# Outputs in /work/out: root.img.lz4, verity.img, boot.tar, efi.tar, and image-facts.toml with
# what was measured (the root hash, the number of data blocks, whether there is a kernel).
set -e
need mkfs.ext4 debugfs e2fsck mkfs.erofs veritysetup lz4 tar
export SOURCE_DATE_EPOCH=$SDE
work=/work/img
mkdir -p "$work" /work/root /work/boot /work/efi /work/out

echo "twoliter: unpacking the installed root"
tar --numeric-owner -xpf /work/in/root.tar -C /work/root

echo "twoliter: image metadata, dropping package manager state"
install -D -m 0644 /work/in/os-release /work/root/usr/lib/os-release
install -D -m 0644 /work/in/application-inventory.json /work/root/usr/share/twoliter/application-inventory.json
install -D -m 0644 /work/in/settings-defaults.toml /work/root/usr/share/twoliter/settings-defaults.toml
# The configuration files rendered from the defaults: regular files only, over the installed root.
tar --no-same-owner -xpf /work/in/settings-rendered.tar -C /work/root
install -D -m 0644 -t /work/root/usr/share/twoliter/sbom /work/in/sbom.spdx.json /work/in/sbom.cdx.json
rm -rf /work/root/usr/lib/sysimage/rpm /work/root/var/lib/rpm /work/root/var/lib/dnf /work/root/var/cache/dnf \
       /work/root/var/log/dnf*.log /work/root/var/log/hawkey.log
if [ -d /work/root/boot/efi ]; then cp -a /work/root/boot/efi/. /work/efi/; rm -rf /work/root/boot/efi; fi
if [ -d /work/root/boot ]; then cp -a /work/root/boot/. /work/boot/; find /work/root/boot -mindepth 1 -delete; fi
mkdir -p /work/root/boot
kernel=false
[ -f /work/boot/vmlinuz ] && kernel=true
tar_tree /work/boot /work/out/boot.tar
tar_tree /work/efi /work/out/efi.tar

echo "twoliter: root filesystem ($ROOT_FS, partition $ROOT_MIB MiB)"
if [ "$ROOT_FS" = erofs ]; then
  find /work/root -exec touch -h -d "@$SDE" {} +
  mkfs.erofs -T"$SDE" -U "$UUID_ROOT_FS" --all-root -zlz4hc "$work/root.img" /work/root > "$work/root.log" 2>&1 \
    || { cat "$work/root.log"; exit 1; }
  size=$(stat -c %s "$work/root.img")
  [ "$size" -le $((ROOT_MIB * 1048576)) ] || too_small "ROOT: the erofs root is $((size / 1048576)) MiB, ROOT-A has $ROOT_MIB MiB"
else
  mkext4 ROOT "$UUID_ROOT_FS" /work/root "$work/root.img" "$ROOT_MIB"
fi

echo "twoliter: dm-verity"
veritysetup format --hash=sha256 --data-block-size=4096 --hash-block-size=4096 --salt="$SALT" \
  --uuid="$UUID_VERITY" "$work/root.img" "$work/verity.img" > "$work/verity.txt"
root_hash=$(sed -n 's/^Root hash:[[:space:]]*//p' "$work/verity.txt")
data_blocks=$(sed -n 's/^Data blocks:[[:space:]]*//p' "$work/verity.txt")
hash_size=$(stat -c %s "$work/verity.img")
[ "$hash_size" -le $((HASH_MIB * 1048576)) ] || too_small "HASH: the verity hash tree is $hash_size bytes, HASH-A has $HASH_MIB MiB"

# The next step takes the root as input: compressed, its unused blocks cost nothing to copy. lz4 -1
# compresses the mostly empty image four times faster than zstd -1 and this file never leaves the
# build. Both read the whole root, so the check of the hash tree runs beside the compression.
veritysetup verify "$work/root.img" "$work/verity.img" "$root_hash" & verify=$!
lz4 -q -1 "$work/root.img" /work/out/root.img.lz4
wait "$verify" || exit "$EXIT_VERITY"
cp "$work/verity.img" /work/out/verity.img

# What the plugin reads back (RootFilesystemStep.Facts): only what was measured here.
printf 'root-hash = "%s"\ndata-blocks = %s\nkernel = %s\n' "$root_hash" "$data_blocks" "$kernel" \
  > /work/out/image-facts.toml
echo "twoliter: root hash $root_hash"
