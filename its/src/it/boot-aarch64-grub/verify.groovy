// The aarch64 GRUB image booted to init under AAVMF, with the same dm-verity root and bank as on x86_64.
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2
def (boot, bios) = runs
['Making GRUB for UEFI (aarch64) for com.example.boot:boot-aarch64-grub',
 'with UEFI firmware (aarch64, ', 'qemu-system-aarch64 ', '-machine virt,acpi=off', 'AAVMF_CODE.fd',
 '[vm] Welcome to GRUB!', '[vm] twoliter-init: booted', '[vm] twoliter-init: OS VARIANT_ID="boot-aarch64-grub"',
 '[vm] twoliter-init: SETTING settings.init.banner = "aarch64 grub image booted"',
 '[vm] twoliter-init: ROOT_READONLY=yes', '[vm] twoliter-init: ROOT_IS_DM0=yes', '[vm] twoliter-init: EFI_BOOT=yes',
 '[vm] twoliter-init: BANK_CONFIRMED=already', 'the machine powered off after', 'BUILD SUCCESS'].each {
    assert boot.contains(it) : "missing: ${it}"
}
assert boot =~ /\[vm\] twoliter-init: CMDLINE .*console=ttyAMA0 twoliter\.bank=A root=\/dev\/dm-0 /
assert !boot.contains('BIOS and UEFI')
assert bios.contains('the image is for aarch64, whose machines have no BIOS; it boots with uefi firmware only')
assert !bios.contains('[vm]') : 'a refused run started a machine'
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir,
        'target/image/boot-aarch64-grub-1.0.0.variant.json'))
assert manifest.variant.arch == 'aarch64'
assert manifest.image.bootloader == 'grub' && manifest.image.firmware == ['uefi']
return true
