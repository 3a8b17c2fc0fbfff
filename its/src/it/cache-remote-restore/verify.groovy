import java.nio.file.*
import java.security.MessageDigest
def sha = { Path f ->
    def digest = MessageDigest.getInstance('SHA-256')
    Files.newInputStream(f).withCloseable { input ->
        byte[] buffer = new byte[1 << 20]
        for (int n; (n = input.read(buffer)) > 0;) { digest.update(buffer, 0, n) }
    }
    digest.digest().encodeHex().toString()
}
def log = new File(basedir, 'build.log').text
def modules = ['libgreet', 'greet', 'motd', 'libc-runtime', 'greet-kit', 'greet-os']
modules.each { m ->
    assert log =~ /com\.example\.greet:${m} restored from the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache \(key [0-9a-f]{12}…, \d+ files, .*; no container started/
}
assert log.contains('twoliter: 6 modules: 0 built, 6 restored from the remote cache, 0 up to date; time in containers: none')
assert !log.contains('[WARNING] com.example.greet')

// No container was created while this build ran (Docker's own record, not the plugin's).
def since = new File(basedir, 'started-at').text.trim()
def until = Long.toString(System.currentTimeMillis().intdiv(1000) + 1)
def events = ['docker', 'events', '--since', since, '--until', until, '--filter', 'type=container',
              '--filter', 'event=create', '--format', '{{.Actor.Attributes.name}}'].execute()
def eventsText = events.text
events.waitFor()
assert eventsText.trim().isEmpty() : 'containers were created: ' + eventsText

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
