// Both firmwares booted the GRUB image to init, which saw a read-only dm-verity root on dm-0; then a
// boot with user data, whose files init applied over the image's; then user data with a typo, refused.
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 4
def (bios, uefi, withUserData, typo) = runs
[bios, uefi, withUserData].each { run ->
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
[bios, uefi].each { run ->
    // Without user data, /etc/motd is the one the build rendered from the core kit's default.
    assert run.contains('[vm] twoliter-init: USER_DATA=none')
    assert run.contains('[vm] twoliter-init: MOTD Welcome to a twoliter example image')
}
['com.example.boot:boot-grub: user data fleet.toml fits the settings models; the machine gets it with 2 configuration file(s) rendered from it',
 '[vm] twoliter-init: USER_DATA_FILE=/etc/motd (26 bytes)', '[vm] twoliter-init: USER_DATA /etc/motd: fleet motd from user data',
 '[vm] twoliter-init: USER_DATA /etc/chrony.conf: server 10.0.0.1 iburst',
 '[vm] twoliter-init: USER_DATA /etc/chrony.conf: server ntp.example.net iburst',
 '[vm] twoliter-init: USER_DATA=applied (2 files)', '[vm] twoliter-init: MOTD fleet motd from user data'].each {
    assert withUserData.contains(it) : "missing: ${it}"
}
assert !withUserData.contains('USER_DATA_ERROR')
assert typo.contains('BUILD FAILURE') && !typo.contains('Booting ')
assert typo.contains('com.example.boot:boot-grub: the settings of fleet-typo.toml do not fit the settings models (1 problem):\n'
        + '[ERROR]   settings.ntp.time-server (fleet-typo.toml:2): unknown key: the model does not define it')
assert bios.contains('with BIOS firmware') && bios.contains('[vm] twoliter-init: EFI_BOOT=no')
assert uefi.contains('with UEFI firmware') && uefi.contains('[vm] twoliter-init: EFI_BOOT=yes')
assert !uefi.contains('Building com.example') : 'twoliter:run alone builds nothing'
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/image/boot-grub-1.0.0.variant.json'))
assert manifest.image.bootloader == 'grub' && manifest.image.kernel == true
assert manifest.image.firmware == ['bios', 'uefi']
return true
