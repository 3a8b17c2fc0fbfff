import java.security.MessageDigest
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2 : "expected 2 runs, found ${runs.size()}"
def log = runs[0]
assert log =~ /\[WARNING\] com\.example\.greet:libgreet: refused the remote cache entry [0-9a-f]{12}… at http:\/\/127\.0\.0\.1:\d+\/build-cache-tampered: rpms\/libgreet-[^ ]+\.rpm has \d+ bytes and sha256 [0-9a-f]{64}, the entry says \d+ bytes and sha256 [0-9a-f]{64}\. The entry was altered or damaged; building instead \(the entry will be replaced\)\./
assert log =~ /com\.example\.greet:libgreet stored in the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache-tampered /
// The rebuilt libgreet is byte-identical, so greet's inputs did not change: it is restored.
assert log =~ /com\.example\.greet:greet restored from the remote cache /
assert log.contains('twoliter: 2 modules: 1 built, 1 restored from the remote cache, 0 up to date; time in containers: ')
// The tampered file was not used, and the entry was repaired on the server.
def tampered = new File(new File(basedir, 'tampered-file').text)
def built = new File(basedir, 'greet/packages/libgreet/target/rpms').listFiles().find { it.name.startsWith('libgreet-1') }
def first = new File(basedir, '../setup-5-build-cache/greet/packages/libgreet/target/rpms/' + built.name)
assert sha(built) == sha(first)
assert sha(tampered) == sha(first) : 'the refused entry was replaced by the rebuilt one'

// 2. A cache that refuses connections: a warning, the module is built, and the next module does not ask it again.
assert runs[1] =~ /\[WARNING\] com\.example\.greet:libgreet: could not read the remote cache at http:\/\/127\.0\.0\.1:9\/closed \(.+\); building instead\./
assert runs[1] =~ /\[WARNING\] com\.example\.greet:greet: could not read the remote cache at http:\/\/127\.0\.0\.1:9\/closed \(not asked again: .+, earlier in this build\); building instead\./
assert runs[1].contains('twoliter: 2 modules: 2 built, 0 restored from the remote cache, 0 up to date')
assert runs[1].contains('BUILD SUCCESS')
return true
