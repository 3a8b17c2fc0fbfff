// Secure Boot on aarch64: the UKI signed with the snakeoil db key boots under AAVMF with Secure Boot
// enforced; the unsigned one is refused by the firmware, with the reason spelled out.
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2
def (signed, unsigned) = runs
['Signing com.example.boot:boot-aarch64-uki-secure-boot\'s EFI/BOOT/BOOTAA64.EFI (uki) for Secure Boot with',
 'Secure Boot enforced, keys from the SDK\'s test store (AAVMF snakeoil)', 'qemu-system-aarch64 ',
 'AAVMF_CODE.fd', '[vm] EFI stub: UEFI Secure Boot is enabled.', '[vm] twoliter-init: EFI_BOOT=yes',
 '[vm] twoliter-init: ROOT_READONLY=yes', '[vm] twoliter-init: ROOT_IS_DM0=yes',
 '[vm] twoliter-init: SETTING settings.init.banner = "aarch64 secure boot image booted"',
 'the machine powered off after', 'BUILD SUCCESS'].each {
    assert signed.contains(it) : "missing from the signed run: ${it}"
}
assert !signed.contains('Access Denied')
assert !unsigned.contains('for Secure Boot with')
assert unsigned.contains('Access Denied')
assert unsigned.contains('the image did not boot: the firmware refused to start the EFI loader')
assert !unsigned.contains('twoliter-init: EFI_BOOT') : 'an unsigned image booted'
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir,
        'target/image/boot-aarch64-uki-secure-boot-1.0.0.variant.json'))
assert manifest.variant.arch == 'aarch64' && manifest.image.bootloader == 'uki'
return true
