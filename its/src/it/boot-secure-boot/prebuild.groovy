// The snakeoil db key and certificate as Debian's ovmf package ships them in the SDK image (the key
// is encrypted; its passphrase "snakeoil" comes from settings.xml server its-secure-boot), and
// another RSA key that no firmware store trusts.
def keys = new File(basedir, 'keys')
keys.mkdirs()
def run = { List<String> command ->
    def process = new ProcessBuilder(command).directory(keys).redirectErrorStream(true).start()
    def text = process.inputStream.text
    assert process.waitFor() == 0 : text
}
evaluate(new File(itSupport, 'snakeoil-keys.groovy')).copy(keys, sdkImage, '/usr/share/ovmf')
run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt',
     '-days', '30', '-subj', '/CN=Not enrolled anywhere'])
return true
