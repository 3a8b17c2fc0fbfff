// Someone with write access to the cache replaces libgreet's RPM in a copy of setup-5-build-cache's
// cache, with the repository's checksum files redone: only the entry's sha256 can tell.
import java.nio.file.*
import java.security.MessageDigest
evaluate(new File(basedir, '../../../cache-it/copy-greet.groovy')).copyGreet(basedir, repoUrl, 'build-cache-tampered',
        ['-Dtwoliter.cache.write=true'])
Path original = Paths.get(repoData, 'build-cache')
Path copy = Paths.get(repoData, 'build-cache-tampered')
assert Files.isDirectory(original) : 'setup-5-build-cache did not fill the cache'
copy.toFile().deleteDir()
Files.walk(original).withCloseable { paths ->
    paths.each { p ->
        Path to = copy.resolve(original.relativize(p).toString())
        if (Files.isDirectory(p)) { Files.createDirectories(to) } else { Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING) }
    }
}
def entryDir = copy.resolve('twoliter-cache/com/example/greet/libgreet').toFile().listFiles().find { it.isDirectory() }
def entry = new File(entryDir, "libgreet-${entryDir.name}-entry.toml").text
def paths = (entry =~ /path = "([^"]+)"/).collect { it[1] }
int index = paths.findIndexOf { it.startsWith('rpms/libgreet-1') && it.endsWith('.rpm') }
assert index >= 0 : "no libgreet RPM in $paths"
def output = new File(entryDir, "libgreet-${entryDir.name}-output-${index}.bin")
byte[] bytes = output.bytes
bytes[bytes.length - 1] ^= 0x01
output.bytes = bytes
['SHA-1': 'sha1', 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512': 'sha512'].each { algorithm, ext ->
    def sum = new File(entryDir, output.name + '.' + ext)
    if (sum.exists()) { sum.text = MessageDigest.getInstance(algorithm).digest(output.bytes).encodeHex().toString() }
}
new File(basedir, 'tampered-file').text = output.path
return true
