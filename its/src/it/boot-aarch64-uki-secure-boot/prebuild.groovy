// The aarch64 kits into the IT's own local repository, and the snakeoil db key and certificate as
// Debian's qemu-efi-aarch64 ships them in the SDK image (the key is encrypted; its passphrase
// "snakeoil" comes from settings.xml server its-secure-boot): AAVMF_VARS.snakeoil.fd trusts them.
evaluate(new File(itSupport, 'aarch64-kits.groovy')).install(aarch64Kits, new File(basedir, 'target/m2'))
def keys = new File(basedir, 'keys')
keys.mkdirs()
['PkKek-1-snakeoil.key', 'PkKek-1-snakeoil.pem'].each { f ->
    def process = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none', sdkImage, 'cat',
            '/usr/share/qemu-efi-aarch64/' + f]).redirectOutput(new File(keys, f)).start()
    def errors = process.errorStream.text
    assert process.waitFor() == 0 : errors
}
assert new File(keys, 'PkKek-1-snakeoil.key').text.contains('BEGIN ENCRYPTED PRIVATE KEY')
return true
