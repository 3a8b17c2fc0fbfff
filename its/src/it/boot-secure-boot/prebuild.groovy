// The snakeoil db key and certificate as Debian's ovmf package ships them in the SDK image (the key
// is encrypted; its passphrase "snakeoil" comes from settings.xml server its-secure-boot), and
// another RSA key that no firmware store trusts.
def keys = new File(basedir, 'keys')
keys.mkdirs()
def run = { List<String> command, File out = null ->
    def builder = new ProcessBuilder(command).directory(keys)
    if (out != null) {
        builder.redirectOutput(out)
    } else {
        builder.redirectErrorStream(true)
    }
    def process = builder.start()
    def text = out == null ? process.inputStream.text : process.errorStream.text
    assert process.waitFor() == 0 : text
}
['PkKek-1-snakeoil.key', 'PkKek-1-snakeoil.pem'].each { f ->
    run(['docker', 'run', '--rm', '--network', 'none', sdkImage, 'cat', '/usr/share/ovmf/' + f], new File(keys, f))
}
assert new File(keys, 'PkKek-1-snakeoil.key').text.contains('BEGIN ENCRYPTED PRIVATE KEY')
run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt',
     '-days', '30', '-subj', '/CN=Not enrolled anywhere'])
return true
