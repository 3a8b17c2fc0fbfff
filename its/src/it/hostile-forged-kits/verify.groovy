// Each forged kit is refused with a message naming the kit and what is wrong, nothing of it stays in
// the kit cache or the local repository, and nothing escaped; the last build (no forged kit) works.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
def kits = ['digest-path-kit', 'digest-upper-kit', 'sparse-bomb-kit', 'sparse-2g-kit', 'huge-entry-kit', 'oversize-payload-kit', 'device-kit',
            'fifo-kit', 'hardlink-kit', 'rpm-digest-kit', 'rpm-size-kit', 'traversal-path-kit', 'bad-arch-kit',
            'newline-sdk-kit', 'duplicate-entry-kit', 'big-manifest-kit', 'wrong-coordinates-kit', 'format1-kit']
assert runs.size() == kits.size() + 1 : "expected ${kits.size() + 1} runs, found ${runs.size()}"
def manifestOf = { String kit -> /kit manifest com\.example\.forged:${kit}:1\.0\.0 \([^)]*\): / }
def payloadOf = { String kit -> /kit com\.example\.forged:${kit}:1\.0\.0 \(x86_64 payload \S+\) / }
def expected = [
    'digest-path-kit': manifestOf('digest-path-kit') + /payload\.x86_64\.sha256 is '\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/tmp', which is not a sha256 digest/,
    'digest-upper-kit': manifestOf('digest-upper-kit') + /payload\.x86_64\.sha256 is '[0-9A-F]{64}', which is not a sha256 digest/,
    'sparse-bomb-kit': manifestOf('sparse-bomb-kit') + /payload\.x86_64\.rpm\[0\]\.size is 10737418240, which is not a size between 1 and the payload's size/,
    'sparse-2g-kit': payloadOf('sparse-2g-kit') + /contains '[^']+', which is a sparse file \(\d+ bytes stored, 2147483647 bytes when expanded\); kit payloads hold only regular files and directories; refused\./,
    'huge-entry-kit': payloadOf('huge-entry-kit') + /(has an entry 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm' that declares 3221225472 bytes, but only \d+ bytes of the payload follow its header|is not a readable tar archive)/,
    'oversize-payload-kit': /cannot resolve the x86_64 payload of kit com\.example\.forged:oversize-payload-kit:1\.0\.0: download of \S+ from \S+ stopped: (the server announces 10240 bytes, more than|it sent more than) the 9728 bytes its manifest records\./,
    'device-kit': payloadOf('device-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm', which is a character device/,
    'fifo-kit': payloadOf('fifo-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm', which is a FIFO/,
    'hardlink-kit': payloadOf('hardlink-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm', which is a hard link to '\/?etc\/passwd'/,
    'rpm-digest-kit': payloadOf('rpm-digest-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm' with sha256 [0-9a-f]{64}, but its manifest says 0{64}; the RPM is not the one the vendor published/,
    'rpm-size-kit': payloadOf('rpm-size-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm' of \d+ bytes, but its manifest says \d+ bytes/,
    'traversal-path-kit': manifestOf('traversal-path-kit') + /payload\.x86_64\.rpm\[0\]\.path is 'Packages\/ping\/\.\.\/\.\.\/\.\.\/\.\.\/tmp\/twoliter-forged\.rpm', which is not of the form/,
    'bad-arch-kit': manifestOf('bad-arch-kit') + /(payload has the arch key '\.\.\/x'|arches\[0\] is '\.\.\/x'), which is not an architecture name/,
    'newline-sdk-kit': manifestOf('newline-sdk-kit') + /sdk\.image is 'twoliter-sdk:0\.1\.0\\nEVIL=1', which is not one line/,
    'duplicate-entry-kit': payloadOf('duplicate-entry-kit') + /contains 'Packages\/ping\/ping-1\.0-1\.noarch\.rpm' twice/,
    'big-manifest-kit': manifestOf('big-manifest-kit').replace(': ', ' ') + /is 80000591 bytes, more than the 67108864 bytes such a file may have; it was not read\./,
    'wrong-coordinates-kit': /kit com\.example\.forged:wrong-coordinates-kit:1\.0\.0: its manifest \S+ describes com\.example\.forged:someone-else:1\.0\.0 instead\./,
    'format1-kit': manifestOf('format1-kit').replace(': ', ' ') + /has format-version 1, which this plugin no longer reads/,
]
kits.eachWithIndex { kit, i ->
    assert runs[i].contains('BUILD FAILURE') : "${kit} was not refused"
    assert runs[i] =~ expected[kit] : "${kit}: expected ${expected[kit]}"
    assert !runs[i].contains('[rpmbuild]') : "${kit}: a container ran"
    // Nothing of the refused kit in the local repository: no payload; no manifest either when the
    // manifest itself was refused (one that is fine stays, as any downloaded artifact does).
    def manifestRefused = runs[i].contains('kit manifest com.example.forged:' + kit) || kit == 'wrong-coordinates-kit'
    def dir = new File(basedir, "target/m2/com/example/forged/${kit}/1.0.0")
    def left = dir.exists() ? dir.listFiles().findAll { it.name.endsWith('.tar') || (manifestRefused && it.name.endsWith('.kit.toml')) }*.name : []
    assert left.isEmpty() : "${kit} left ${left} in the local repository"
}
// Nothing in the kit cache: no unpacked directory, no temporary.
def cache = new File(basedir, 'target/cache/kits')
def cached = cache.exists() ? cache.list().findAll { it != '.repair.lock' } : []
assert cached.isEmpty() : "the kit cache holds ${cached}"
assert !new File('/tmp/twoliter-forged.rpm').exists()
assert runs[kits.size()].contains('BUILD SUCCESS')
return true
