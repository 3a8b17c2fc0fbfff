// The vendor's public key, as a consumer would keep it in its project; the server-side change of
// altered-kit's manifest (checksums included, as someone controlling the server would do); and a
// lock for relocked that says signed-kit was signed by another key.
import java.security.MessageDigest
def pluginVersion = new groovy.xml.XmlSlurper().parse(new File(basedir, 'pom.xml')).properties.'its.pluginVersion'.text()
assert pluginVersion && !pluginVersion.contains('@')
def vendorFingerprint = (new File(basedir, '../setup-4-signed-vendor/build.log').text =~ /Wrote the kit signing key ([0-9A-F]{40}) and/)[0][1]
['trusting', 'untrusting', 'unsigned', 'altered', 'relocked'].each {
    def pom = new File(basedir, "${it}/pom.xml")
    pom.text = pom.text.replace('@project.version@', pluginVersion).replace('@repo.url@', repoUrl)
            .replace('@vendor.fingerprint@', vendorFingerprint)
}
def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def vendorKey = new File(basedir, '../setup-4-signed-vendor/keys/kit-signing-key.pub.asc')
assert vendorKey.isFile() : 'setup-4-signed-vendor did not run'
['trusting', 'unsigned', 'altered', 'relocked'].each {
    def keys = new File(basedir, "${it}/keys")
    keys.mkdirs()
    new File(keys, 'vendor.pub.asc').bytes = vendorKey.bytes
}

def altered = new File(repoData, 'releases/com/example/signed/altered-kit/1.0.0/altered-kit-1.0.0.kit.toml')
assert altered.isFile()
altered.text = altered.text + '\n# changed on the server after it was signed\n'
['SHA-1': 'sha1', 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512': 'sha512'].each { algorithm, ext ->
    def sum = new File(altered.path + '.' + ext)
    if (sum.exists()) { sum.text = MessageDigest.getInstance(algorithm).digest(altered.bytes).encodeHex().toString() }
}

def signedDir = new File(repoData, 'releases/com/example/signed/signed-kit/1.0.0')
new File(basedir, 'relocked/twoliter.lock').text = """format-version = 1

[[kit]]
group-id = "com.example.signed"
artifact-id = "signed-kit"
version = "1.0.0"
manifest-sha256 = "${sha256(new File(signedDir, 'signed-kit-1.0.0.kit.toml'))}"
payload-sha256 = { x86_64 = "${sha256(new File(signedDir, 'signed-kit-1.0.0-x86_64.tar'))}" }
signer = "0123456789ABCDEF0123456789ABCDEF01234567"
"""
return true
