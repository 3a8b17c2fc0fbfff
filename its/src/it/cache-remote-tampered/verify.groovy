import java.security.MessageDigest
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2 : "expected 2 runs, found ${runs.size()}"
def log = runs[0]
// 1. Appended bytes: the download stops at the declared size; the entry is refused, not the cache.
assert log =~ /\[WARNING\] com\.example\.greet:libgreet: refused the remote cache entry [0-9a-f]{12}… at http:\/\/127\.0\.0\.1:\d+\/build-cache-tampered: x86_64\/rpms\/libgreet-[^ ]+\.rpm is larger than the \d+ bytes the entry says \(.+\)\. The entry was altered or damaged; building instead \(the entry will be replaced\)\./
// The cache is still asked for the next module, whose RPM has one byte flipped: only its sha256 tells.
assert log =~ /\[WARNING\] com\.example\.greet:greet: refused the remote cache entry [0-9a-f]{12}… at http:\/\/127\.0\.0\.1:\d+\/build-cache-tampered: x86_64\/rpms\/greet-[^ ]+\.rpm has \d+ bytes and sha256 [0-9a-f]{64}, the entry says \d+ bytes and sha256 [0-9a-f]{64}\. The entry was altered or damaged; building instead \(the entry will be replaced\)\./
assert !log.contains('not asked again')
['libgreet', 'greet'].each { module ->
    assert log =~ /com\.example\.greet:${module} stored in the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache-tampered /
}
assert log.contains('twoliter: 2 modules: 2 built, 0 restored from the remote cache, 0 up to date; time in containers: ')
// The tampered files were not used, and both entries were repaired on the server.
['libgreet', 'greet'].each { module ->
    def tampered = new File(new File(basedir, "tampered-${module}").text)
    def built = new File(basedir, "greet/packages/${module}/target/rpms").listFiles().find { it.name.startsWith("${module}-1") }
    def first = new File(basedir, "../setup-5-build-cache/greet/packages/${module}/target/rpms/" + built.name)
    assert sha(built) == sha(first)
    assert sha(tampered) == sha(first) : "the refused entry of ${module} was replaced by the rebuilt one"
}

// 2. A cache that refuses connections: a warning, the module is built, and the next module does not ask it again.
assert runs[1] =~ /\[WARNING\] com\.example\.greet:libgreet: could not read the remote cache at http:\/\/127\.0\.0\.1:9\/closed \(.+\); building instead\./
assert runs[1] =~ /\[WARNING\] com\.example\.greet:greet: could not read the remote cache at http:\/\/127\.0\.0\.1:9\/closed \(not asked again: .+, earlier in this build\); building instead\./
assert runs[1].contains('twoliter: 2 modules: 2 built, 0 restored from the remote cache, 0 up to date')
assert runs[1].contains('BUILD SUCCESS')
return true
