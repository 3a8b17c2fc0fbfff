def kitDir = new File(repoData, 'releases/com/example/vendor/vendor-kit/1.0.0')
['vendor-kit-1.0.0.pom', 'vendor-kit-1.0.0.kit.toml', 'vendor-kit-1.0.0-x86_64.tar', 'vendor-kit-1.0.0.kit.toml.sha1'].each {
    assert new File(kitDir, it).isFile() : "not deployed: ${it}"
}
// The payload holds the closure of vendor-kit's packages: vendor-tool and, through it, libvendor.
def entries = ['tar', 'tf', new File(kitDir, 'vendor-kit-1.0.0-x86_64.tar').path].execute().text.readLines()
assert entries.contains('Packages/vendor-tool/vendor-tool-1.0-1.x86_64.rpm')
assert entries.contains('Packages/libvendor/libvendor-devel-1.0-1.x86_64.rpm')
assert entries.contains('repodata/repomd.xml')
assert !entries.any { it.contains('ping') }
// A kit's POM must not make consumers fetch its rpm modules: they are inside the payload.
assert new File(kitDir, 'vendor-kit-1.0.0.pom').text.contains('<type>rpm</type>')
