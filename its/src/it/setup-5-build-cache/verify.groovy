def log = new File(basedir, 'build.log').text
def modules = ['libgreet', 'greet', 'motd', 'libc-runtime', 'greet-kit', 'greet-os']
modules.each { m ->
    assert log =~ /com\.example\.greet:${m} stored in the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache \(key [0-9a-f]{12}…, \d+ files/
}
assert log.contains('twoliter: 6 modules: 6 built, 0 restored from the remote cache, 0 up to date; time in containers: ')
// Every entry: its files first, its description (entry.toml) last, under twoliter-cache.<groupId>.
def root = new File(repoData, 'build-cache/twoliter-cache/com/example/greet')
modules.each { m ->
    def versions = new File(root, m).listFiles().findAll { it.isDirectory() }
    assert versions.size() == 1 : "one entry for $m: $versions"
    def entry = new File(versions[0], "${m}-${versions[0].name}-entry.toml")
    assert entry.isFile()
    def outputs = (entry.text =~ /\[\[output\]\]/).count
    assert outputs > 0
    (0..<outputs).each { i -> assert new File(versions[0], "${m}-${versions[0].name}-output-${i}.bin").isFile() }
    assert !entry.text.contains(basedir.path) : 'no absolute path in an entry'
}
return true
