import java.nio.file.Files
import java.util.concurrent.TimeUnit
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')
def cache = new File(basedir, 'target/cache/kits')
def unpacked = cache.listFiles().findAll { it.isDirectory() && it.name ==~ /[0-9a-f]{64}/ }
assert unpacked.size() == 1
def repo = unpacked[0]
def rpms = []
repo.eachFileRecurse { if (it.name.endsWith('.rpm')) rpms << it }
def rpm = rpms.find { it.name.startsWith('libvendor-devel') }
assert rpm != null : rpms
def original = rpm.bytes
def sha = { byte[] b -> java.security.MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }

def mvn = { String logName, String... args ->
    def cmd = [new File(mavenHome, 'bin/mvn').path, '-B', '-s', new File(basedir.parentFile, 'interpolated-settings.xml').path,
               "-Dmaven.repo.local=${basedir}/target/m2", 'package',
               '-Dtwoliter.force'] + args.toList()
    def p = new ProcessBuilder(cmd*.toString()).directory(basedir)
        .tap { it.environment().put('MAVEN_OPTS', mavenOpts) }.redirectErrorStream(true)
            .redirectOutput(new File(basedir, 'target/' + logName)).start()
    assert p.waitFor(600, TimeUnit.SECONDS)
    def text = new File(basedir, 'target/' + logName).text
    assert p.exitValue() == 0 : text
    text
}
def writable = { File f -> ['chmod', '-R', 'u+w', repo.path].execute().waitFor(); f }

// a. One byte appended: the size differs, noticed in quick mode.
writable(rpm).append(new byte[] {42})
def a = mvn('appended.log')
assert a =~ /kit com\.example\.vendor:vendor-kit:1\.0\.0: cached copy in \S+ was modified/
assert sha(rpm.bytes) == sha(original)

// b. One byte flipped, size and time kept: only full verification notices. (vendor-tool, which this
// build does not install, so that the quick build itself is not disturbed.)
def tool = rpms.find { it.name.startsWith('vendor-tool') }
def toolOriginal = tool.bytes
def time = Files.getLastModifiedTime(tool.toPath())
byte[] flipped = toolOriginal.clone(); flipped[flipped.length - 1] ^= 0x01
writable(tool).bytes = flipped
Files.setLastModifiedTime(tool.toPath(), time)
def quick = mvn('flipped-quick.log')
assert !quick.contains('was modified') : 'quick mode reads only sizes and times'
def full = mvn('flipped-full.log', '-Dtwoliter.verifyKitCache=full')
assert full =~ /cached copy in \S+ was modified/
assert sha(tool.bytes) == sha(toolOriginal)

// c. A file removed: noticed in quick mode.
writable(rpm).delete()
def removed = mvn('removed.log')
assert removed =~ /cached copy in \S+ was modified/
assert sha(rpm.bytes) == sha(original)
return true
