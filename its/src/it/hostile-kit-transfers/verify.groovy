def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3 : "expected 3 runs, found ${runs.size()}"
def kit = 'com.example.forged:slow-payload-kit:1.0.0'
assert runs[0].contains("com.example.hostile:hostile-kit-transfers: cannot resolve the x86_64 payload of kit ${kit}: the repository sent no data for 2 s (twoliter.readTimeoutSeconds).")
assert runs[1] =~ /com\.example\.hostile:hostile-kit-transfers: cannot resolve the x86_64 payload of kit com\.example\.forged:slow-payload-kit:1\.0\.0: download of \S+slow-payload-kit-1\.0\.0-x86_64\.tar from http:\/\/127\.0\.0\.1:\d+\/drip-repo\/? stopped: it did not finish within 3 s \(twoliter\.downloadTimeoutSeconds\)\./
// Neither failed download left a payload (or a part of one) in its local repository, or anything in the kit cache.
['m2-stall', 'm2-drip'].each { repo ->
    def dir = new File(basedir, "target/${repo}/com/example/forged/slow-payload-kit/1.0.0")
    // Maven's own .lastUpdated bookkeeping may stay; no payload or temporary file may.
    def left = dir.exists() ? dir.listFiles().findAll { it.name.contains('x86_64') && !it.name.endsWith('.lastUpdated') }*.name : []
    assert left.isEmpty() : "${repo} kept ${left}"
}
def cache = new File(basedir, 'target/cache/kits')
assert !cache.exists() || cache.list().length == 0
assert runs[2].contains('BUILD SUCCESS')
return true
