// Shared by the Secure Boot ITs: loaded with evaluate() from their prebuild.groovy.
//   copy(keys, sdkImage, firmwareDir): copies the snakeoil db key and certificate that Debian's
//   firmware package ships in the SDK image (/usr/share/ovmf for x86_64, /usr/share/qemu-efi-aarch64
//   for aarch64) into keys/. The key is encrypted; its passphrase "snakeoil" comes from settings.xml
//   server its-secure-boot. The firmware's snakeoil variable store, which twoliter:run uses under
//   Secure Boot, trusts them.
def copy(File keys, String sdkImage, String firmwareDir) {
    keys.mkdirs()
    ['PkKek-1-snakeoil.key', 'PkKek-1-snakeoil.pem'].each { f ->
        def process = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none', sdkImage, 'cat',
                firmwareDir + '/' + f]).redirectOutput(new File(keys, f)).start()
        def errors = process.errorStream.text
        assert process.waitFor() == 0 : errors
    }
    assert new File(keys, 'PkKek-1-snakeoil.key').text.contains('BEGIN ENCRYPTED PRIVATE KEY')
    return true
}
return this
