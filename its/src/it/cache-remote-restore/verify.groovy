import java.nio.file.*
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
def sha = { Path f ->
    def digest = MessageDigest.getInstance('SHA-256')
    Files.newInputStream(f).withCloseable { input ->
        byte[] buffer = new byte[1 << 20]
        for (int n; (n = input.read(buffer)) > 0;) { digest.update(buffer, 0, n) }
    }
    digest.digest().encodeHex().toString()
}
assert new File(basedir, 'build.log').text.contains('BUILD SUCCESS')

// The restoring build, run here so that its process is known (the settings and properties invoker gives its own runs).
long since = System.currentTimeMillis().intdiv(1000)
def cmd = [new File(mavenHome, 'bin/mvn').path, '-B', '-s', new File(basedir.parentFile, 'interpolated-settings.xml').path,
           "-Dmaven.repo.local=${basedir}/target/m2", '-Dtwoliter.kitCache=target/kits', "-Dtwoliter.sourceCache=${sourceCache}",
           'package']
def build = new ProcessBuilder(cmd*.toString()).directory(basedir)
        .tap { it.environment().put('MAVEN_OPTS', mavenOpts) }.redirectErrorStream(true)
        .redirectOutput(new File(basedir, 'restore.log')).start()
assert build.waitFor(500, TimeUnit.SECONDS) : 'the restoring build did not finish within 500 s'
def log = new File(basedir, 'restore.log').text
assert build.exitValue() == 0 : log
long pid = build.pid()
def modules = ['libgreet', 'greet', 'motd', 'libc-runtime', 'greet-kit', 'greet-os']
modules.each { m ->
    assert log =~ /com\.example\.greet:${m} restored from the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache \(key [0-9a-f]{12}…, \d+ files, .*; no container started/
}
assert log.contains('twoliter: 6 modules: 0 built, 6 restored from the remote cache, 0 up to date; time in containers: none')
assert !log.contains('[WARNING] com.example.greet')

// No container was created by that build (Docker's own record, not the plugin's): every container
// the plugin creates carries its owner process (host/pid/start) in a label; other ITs' builds run
// beside this one, so only this build's process counts. A container labelled here with the same
// process shows that the query finds what such a build would have created.
def control = "twoliter-its-restore-control-${pid}"
assert ['docker', 'create', '--name', control, '--label', "dev.twoliter.owner=its-control/${pid}/0", '--network', 'none',
        sdkImage, 'true'].execute().waitFor() == 0
['docker', 'rm', control].execute().waitFor()
def until = Long.toString(System.currentTimeMillis().intdiv(1000) + 1)
def events = ['docker', 'events', '--since', Long.toString(since - 1), '--until', until, '--filter', 'type=container',
              '--filter', 'event=create', '--format', '{{index .Actor.Attributes "dev.twoliter.owner"}} {{.Actor.Attributes.name}}'].execute()
def eventsText = events.text
events.waitFor()
def ownerPid = { String line -> def owner = line.split(' ')[0].split('/'); owner.length == 3 ? owner[1] : null }
def created = eventsText.readLines().findAll { ownerPid(it) == pid.toString() }
assert created == ["its-control/${pid}/0 ${control}".toString()] : 'the restoring build created containers: ' + created

// The kits came into this machine's own, empty kit cache (a relative twoliter.kitCache is per module).
assert new File(basedir, 'greet/variants/greet-os/target/kits').list().size() > 0

// Every output is byte-identical to the first machine's.
Path first = basedir.toPath().resolve('../setup-5-build-cache/greet').normalize()
Path here = basedir.toPath().resolve('greet')
int compared = 0
Files.walk(here).withCloseable { paths ->
    // Outputs only: not the work directories, nor this machine's own kit cache (-Dtwoliter.kitCache=target/kits).
    paths.filter { Files.isRegularFile(it) && it.toString().contains('/target/') && !it.toString().contains('/target/twoliter/')
            && !it.toString().contains('/target/kits/')
            && !it.fileName.toString().endsWith('.log') }.each { Path p ->
        Path other = first.resolve(here.relativize(p).toString())
        assert Files.isRegularFile(other) : "$p has no counterpart on the first machine"
        assert sha(p) == sha(other) : "$p differs from the first machine's"
        compared++
    }
}
assert compared >= 15 : "only $compared outputs compared"
println "compared $compared outputs with the first machine's"
return true
