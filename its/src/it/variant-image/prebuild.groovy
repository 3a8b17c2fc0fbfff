// The root hash signing key and certificate, made by openssl as a user would (an RSA key in
// encrypted PKCS#8, a self-signed certificate), at the project root where the POM names them.
def keys = new File(basedir, 'keys')
keys.mkdirs()
def openssl = { List<String> args ->
    def process = new ProcessBuilder(['openssl'] + args).directory(keys).redirectErrorStream(true).start()
    def output = process.inputStream.text
    assert process.waitFor() == 0 : output
}
openssl(['req', '-x509', '-newkey', 'rsa:3072', '-keyout', 'root-hash.key', '-out', 'root-hash.crt', '-days', '30',
         '-subj', '/CN=IT OS root hash signing', '-passout', 'pass:it-RootHash-2c9d'])
assert new File(keys, 'root-hash.key').text.contains('BEGIN ENCRYPTED PRIVATE KEY')
return true
