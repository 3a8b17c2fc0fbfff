// Both firmwares booted the GRUB image to init, which saw a read-only dm-verity root on dm-0.
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2
def (bios, uefi) = runs
[bios, uefi].each { run ->
    ['[vm] twoliter-init: booted', '[vm] twoliter-init: OS VARIANT_ID="boot-grub"',
     '[vm] twoliter-init: SETTING settings.init.banner = "grub image booted"', '[vm] twoliter-init: ROOT_READONLY=yes',
     '[vm] twoliter-init: ROOT_IS_DM0=yes', 'the machine powered off after', 'BUILD SUCCESS'].each {
        assert run.contains(it) : "missing: ${it}"
    }
    assert run.contains('[vm] twoliter-init: CMDLINE ') && run.contains('dm-mod.create=')
    // GRUB's first stage chose bank A from the image's A/B state, and init found it confirmed.
    assert run =~ /\[vm\] twoliter-init: CMDLINE .* twoliter\.bank=A /
    assert run.contains('[vm] twoliter-init: BANK=A\n') || run.contains('[vm] twoliter-init: BANK=A\r')
    assert run.contains('[vm] twoliter-init: BANK_CONFIRMED=already')
    assert !run.contains('BANK_ERROR')
}
assert bios.contains('with BIOS firmware') && bios.contains('[vm] twoliter-init: EFI_BOOT=no')
assert uefi.contains('with UEFI firmware') && uefi.contains('[vm] twoliter-init: EFI_BOOT=yes')
assert !uefi.contains('Building com.example') : 'twoliter:run alone builds nothing'
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/image/boot-grub-1.0.0.variant.json'))
assert manifest.image.bootloader == 'grub' && manifest.image.kernel == true
assert manifest.image.firmware == ['bios', 'uefi']
return true
