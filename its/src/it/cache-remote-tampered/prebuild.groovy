// Someone with write access to the cache alters libgreet's and greet's RPMs in a copy of setup-5-build-cache's
// cache, with the repository's checksum files redone: only the entry's sha256 can tell.
import java.nio.file.*
import java.security.MessageDigest
evaluate(new File(itSupport, 'copy-greet.groovy')).copyGreet(basedir, examplesDir, repoUrl, 'build-cache-tampered',
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
// libgreet's RPM gets bytes appended (larger than its entry says: the download is cut at the declared
// size); greet's RPM gets one byte flipped (same size: only the sha256 tells).
def tamper = { String module, Closure change ->
    def entryDir = copy.resolve("twoliter-cache/com/example/greet/${module}").toFile().listFiles().find { it.isDirectory() }
    def entry = new File(entryDir, "${module}-${entryDir.name}-entry.toml").text
    def paths = (entry =~ /path = "([^"]+)"/).collect { it[1] }
    int index = paths.findIndexOf { it.startsWith("x86_64/rpms/${module}-1") && it.endsWith('.rpm') }
    assert index >= 0 : "no ${module} RPM in $paths"
    def output = new File(entryDir, "${module}-${entryDir.name}-output-${index}.bin")
    output.bytes = change(output.bytes)
    ['SHA-1': 'sha1', 'MD5': 'md5', 'SHA-256': 'sha256', 'SHA-512': 'sha512'].each { algorithm, ext ->
        def sum = new File(entryDir, output.name + '.' + ext)
        if (sum.exists()) { sum.text = MessageDigest.getInstance(algorithm).digest(output.bytes).encodeHex().toString() }
    }
    new File(basedir, "tampered-${module}").text = output.path
}
tamper('libgreet') { byte[] bytes -> java.util.Arrays.copyOf(bytes, bytes.length + 4096) }
tamper('greet') { byte[] bytes -> bytes[bytes.length - 1] ^= 0x01; bytes }
return true
