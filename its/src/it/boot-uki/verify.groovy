// The UKI booted under UEFI to init, and a forced rebuild gave the same bytes.
import java.security.MessageDigest

def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3
def (boot, noop, rebuild) = runs
['with UEFI firmware', 'Making the Unified Kernel Image', '[vm] twoliter-init: EFI_BOOT=yes',
 '[vm] twoliter-init: OS VARIANT_ID="boot-uki"',
 '[vm] twoliter-init: ROOT_READONLY=yes', '[vm] twoliter-init: ROOT_IS_DM0=yes',
 '[vm] twoliter-init: SETTING settings.init.banner = "uki image booted"', 'the machine powered off after'].each {
    assert boot.contains(it) : "missing: ${it}"
}
assert !boot.contains('Making GRUB') : 'a UKI image has no GRUB'
assert noop.contains('is up to date; no container started')
assert rebuild.contains('Making the Unified Kernel Image')
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/image/boot-uki-1.0.0.variant.json'))
assert manifest.image.bootloader == 'uki' && manifest.image.firmware == ['uefi']
assert !manifest.image.'os-disk'.partitions*.label.contains('BOTTLEROCKET-BOOT-A')
assert manifest.image.'kernel-command-line'.contains('PARTUUID=' + manifest.image.'os-disk'.partitions.find {
    it.label == 'EFI-SYSTEM' }.'partition-guid' + '/PARTNROFF=1')

def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def installed = new File(localRepositoryPath, 'com/example/boot/boot-uki/1.0.0')
['boot-uki-1.0.0-os.img.zst', 'boot-uki-1.0.0.variant.json'].each { f ->
    assert sha(new File(installed, f)) == sha(new File(basedir, "target/image/${f}")) : "${f} changed when rebuilt"
}
return true
