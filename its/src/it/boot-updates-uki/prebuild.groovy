// The repository server outlives a run of the ITs: start from an empty update repository.
new File(repoData, 'it-boot-updates-uki').deleteDir()
// The snakeoil db key and certificate as Debian's ovmf package ships them in the SDK image (the key
// is encrypted; its passphrase comes from settings.xml server its-secure-boot): OVMF's snakeoil
// variable store, which twoliter:run uses under Secure Boot, trusts them.
def keys = new File(basedir, 'keys')
keys.mkdirs()
['PkKek-1-snakeoil.key', 'PkKek-1-snakeoil.pem'].each { f ->
    def process = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none', sdkImage, 'cat',
            '/usr/share/ovmf/' + f]).redirectOutput(new File(keys, f)).start()
    def errors = process.errorStream.text
    assert process.waitFor() == 0 : errors
}
return true
