// Someone replaces the payload on the server, checksums included; the size stays, so only the
// digest tells (hostile-kit-transfers and hostile-forged-kits cover payloads of the wrong size).
import java.security.MessageDigest
def dir = new File(repoData, 'releases/com/example/vendor/tamper-kit/1.0.0')
def payload = new File(dir, 'tamper-kit-1.0.0-x86_64.tar')
assert payload.isFile()
byte[] bytes = payload.bytes
bytes[bytes.length - 1] ^= 0x01
payload.bytes = bytes
['SHA-1': 'sha1', 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512': 'sha512'].each { algorithm, ext ->
    def sum = new File(dir, payload.name + '.' + ext)
    if (sum.exists()) { sum.text = MessageDigest.getInstance(algorithm).digest(payload.bytes).encodeHex().toString() }
}
return true
