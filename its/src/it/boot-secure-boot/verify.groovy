// Secure Boot: the signed UKI boots with Secure Boot enforced, sbverify accepts what is on the EFI
// system partition, the firmware refuses the image signed with another key and the unsigned one,
// and the signed image is reproducible.
import groovy.json.JsonSlurper
import java.security.MessageDigest

def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 4
def (signed, otherKey, unsigned, rebuild) = runs
['Signing com.example.boot:boot-secure-boot\'s EFI/BOOT/BOOTX64.EFI (uki) for Secure Boot with',
 'Secure Boot enforced, keys from the SDK\'s test store (OVMF snakeoil)',
 '[vm] twoliter-init: EFI_BOOT=yes', '[vm] twoliter-init: ROOT_READONLY=yes',
 '[vm] twoliter-init: SETTING settings.init.banner = "secure boot image booted"',
 'the machine powered off after'].each {
    assert signed.contains(it) : "missing from the signed run: ${it}"
}
assert signed =~ /Secure [Bb]oot (is )?enabled/ : 'the kernel did not report Secure Boot'
assert !signed.contains('Access Denied')

// Another key: built and signed, refused by the firmware, with the reason spelled out.
assert otherKey.contains('for Secure Boot with CN=Not enrolled anywhere')
assert otherKey.contains('Access Denied')
assert otherKey.contains('the image did not boot: the firmware refused to start the EFI loader; with Secure Boot'
        + ' enforced, that means the loader is not signed by a key in the firmware\'s db')
// Not signed at all: the same refusal, and no signing step.
assert !unsigned.contains('for Secure Boot with')
assert unsigned.contains('the image did not boot: the firmware refused to start the EFI loader')
[otherKey, unsigned].each { assert !it.contains('twoliter-init: EFI_BOOT') : 'a refused image booted' }

// The installed image (run 1) carries the signature; the manifest says with which certificate.
def installed = new File(localRepositoryPath, 'com/example/boot/boot-secure-boot/1.0.0')
def manifest = new JsonSlurper().parse(new File(installed, 'boot-secure-boot-1.0.0.variant.json'))
def sb = manifest.image.'secure-boot'
assert sb.'certificate-subject' == 'C=US,ST=Colorado,L=Fort Collins,O=SnakeOil' && sb.'certificate-sha256' ==~ /[0-9a-f]{64}/
assert sb.signed.size() == 1 && sb.signed[0].path == 'EFI/BOOT/BOOTX64.EFI' && sb.signed[0].loader == 'uki'
def os = installed.listFiles().find { it.name.startsWith('boot-secure-boot-1.0.0-os.img') }
def out = new File(basedir, 'target/efi')
out.mkdirs()
def extract = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none', '-v', "${installed}:/img:ro",
        '-v', "${basedir}:/it", '-v', "${out}:/out", sdkImage, 'bash', '/it/extract-efi.sh', "/img/${os.name}",
        '/out/BOOTX64.EFI'].collect { it.toString() }).redirectErrorStream(true).start()
def extractText = extract.inputStream.text
assert extract.waitFor() == 0 : extractText
def efi = new File(out, 'BOOTX64.EFI')
def sha = { byte[] b -> MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
assert sha(efi.bytes) == sb.signed[0].sha256
def sbverify = { String certificate ->
    def p = new ProcessBuilder(['sbverify', '--cert', new File(basedir, "keys/${certificate}").path, efi.path])
            .redirectErrorStream(true).start()
    def text = p.inputStream.text
    [p.waitFor(), text]
}
def (ok, okText) = sbverify('PkKek-1-snakeoil.pem')
assert ok == 0 && okText.contains('Signature verification OK') : okText
def (bad, badText) = sbverify('other.crt')
assert bad != 0 : badText
// No key material in the log or the manifest.
assert !new File(basedir, 'build.log').text.contains('PRIVATE KEY')
assert !new File(installed, 'boot-secure-boot-1.0.0.variant.json').text.contains('PRIVATE KEY')

// Signed with the same key from the same inputs, the image is the same bytes.
assert rebuild.contains('for Secure Boot with')
def rebuilt = new File(basedir, "target/image/${os.name}")
assert sha(rebuilt.bytes) == sha(os.bytes) : 'the signed image changed when rebuilt'
return true
