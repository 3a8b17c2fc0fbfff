import java.util.concurrent.TimeUnit
def log = new File(basedir, 'build.log').text
def lock = new File(basedir, 'twoliter.lock')
assert log.contains(lock.path + ": kit[0].manifest-sha256 is '../../../../etc/passwd', which is not a sha256 digest (64 lowercase hex digits). Regenerate it with `mvn twoliter:update`.") : 'the lock file refusal is not in the log'

def mvn = { String logName, String... args ->
    def cmd = [new File(mavenHome, 'bin/mvn').path, '-B', '-s', new File(basedir.parentFile, 'interpolated-settings.xml').path,
               "-Dmaven.repo.local=${basedir}/target/m2", "-Dtwoliter.kitCache=${basedir}/target/cache/kits"] + args.toList()
    def p = new ProcessBuilder(cmd*.toString()).directory(basedir)
        .tap { it.environment().put('MAVEN_OPTS', mavenOpts) }.redirectErrorStream(true)
            .redirectOutput(new File(basedir, 'target/' + logName)).start()
    assert p.waitFor(600, TimeUnit.SECONDS)
    def text = new File(basedir, 'target/' + logName).text
    assert p.exitValue() == 0 : text
    text
}
mvn('update.log', 'twoliter:update')
assert mvn('good.log', 'package').contains('BUILD SUCCESS')
assert mvn('noop.log', 'package').contains('is up to date; no container started')

// A record that points outside the build directory is not trusted.
def record = new File(basedir, 'target/twoliter/x86_64/rpm-outputs.txt')
assert record.isFile()
def passwd = java.security.MessageDigest.getInstance('SHA-256').digest(new File('/etc/passwd').bytes).encodeHex().toString()
record.append("../../../../../../../../etc/passwd=${passwd}\n")
def rebuilt = mvn('tampered.log', 'package')
assert rebuilt.contains('names a path outside')
assert !rebuilt.contains('is up to date; no container started')
assert !new File(basedir, 'target/twoliter/x86_64/rpm-outputs.txt').text.contains('etc/passwd')
return true
