import java.security.MessageDigest
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5 && runs.take(4).every { it.contains('BUILD SUCCESS') }
def run = { List<String> cmd ->
    def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd}: ${out}"
    out
}

// 1. The prebuilt RPMs were fetched, checked against the vendor's key in the SDK, and published like built ones.
assert runs[0] =~ /Fetched vendor-tool\.rpm from http:\/\/127\.0\.0\.1:\d+\/prebuilt-rpms\/vendor-tool-2\.0-1\.noarch\.rpm/
assert runs[0].contains('Checking 4 prebuilt RPM(s) of com.example.prebuilt:agent in SDK')
assert runs[0].contains('com.example.prebuilt:agent: 4 prebuilt RPM(s) in')
def agentRpms = new File(basedir, 'agent/target/rpms').list().sort()
assert agentRpms == ['libvendor-1.0-1.x86_64.rpm', 'libvendor-devel-1.0-1.x86_64.rpm', 'vendor-doc-3.0-1.noarch.rpm',
                     'vendor-tool-2.0-1.noarch.rpm']
def artifact = run(['tar', 'tf', new File(basedir, 'agent/target/agent-1.0.0.rpm.tar').path]).readLines()
assert artifact.containsAll(agentRpms + ['twoliter-sources.toml'])

// 2. The program built here links the prebuilt library: rpm in the SDK finds the library's soname among its requires.
def usesVendor = new File(basedir, 'uses-vendor/target/rpms/uses-vendor-1.0-1.x86_64.rpm')
def requires = run(['docker', 'run', '--rm', '--network', 'none', '-v', "${usesVendor.path}:/rpm/uses-vendor.rpm:ro",
                    sdkImage, 'rpm', '-qpR', '/rpm/uses-vendor.rpm']).readLines()
assert requires.contains('libvendor.so.1()(64bit)') : requires

// 3. The kit ships built and prebuilt RPMs; its manifest and SBOMs say which are prebuilt and where they came from.
def kitDir = new File(basedir, 'kit/target')
def manifest = new File(kitDir, 'vendor-kit-1.0.0.kit.toml').text
['libvendor', 'libvendor-devel', 'vendor-tool', 'vendor-doc', 'uses-vendor'].each { assert manifest.contains("name = \"${it}\"") }
assert manifest.contains('license = "Apache-2.0"') && manifest.contains('license = "CC-BY-4.0"')
assert manifest.contains('file = "prebuilt/vendor/libvendor-1.0-1.x86_64.rpm"')
assert manifest =~ /file = "prebuilt\/vendor-tool\.rpm"\s+sha512 = "[0-9a-f]{128}"\s+url = "http:\/\/127\.0\.0\.1:\d+\/prebuilt-rpms\/vendor-tool-2\.0-1\.noarch\.rpm"/
assert manifest.contains('purl = "pkg:maven/com.example.vendor/vendor-doc@3.0?type=rpm"')
def cdx = kitDir.listFiles().find { it.name.endsWith('.cdx.json') }
def spdx = kitDir.listFiles().find { it.name.endsWith('.spdx.json') }
assert cdx && spdx : kitDir.list()
def bom = new groovy.json.JsonSlurper().parse(cdx)
def prebuilt = { c -> c.properties?.any { it.name == 'twoliter:prebuilt' && it.value == 'true' } }
assert bom.components.findAll(prebuilt)*.name.sort() == ['libvendor', 'libvendor-devel', 'vendor-doc', 'vendor-tool']
assert !prebuilt(bom.components.find { it.name == 'uses-vendor' })
def doc = new groovy.json.JsonSlurper().parse(spdx)
assert doc.packages.findAll { it.comment?.contains('Prebuilt: taken as its vendor shipped it') }*.name.sort() ==
        ['libvendor', 'libvendor-devel', 'vendor-doc', 'vendor-tool']

// 4. Nothing changed: no container, for the prebuilt module as for the others.
['agent', 'uses-vendor', 'vendor-kit'].each {
    assert runs[1].contains("com.example.prebuilt:${it} is up to date; no container started") : it
}
assert !runs[1].contains('Checking ') && !runs[1].contains('Fetched ')
assert runs[0].contains('com.example.prebuilt:agent: 2 prebuilt RPM(s) from outside the project, not pinned: there is no')

// 5. twoliter:update pins the download (its declared sha512) and the artifact (the resolved file's), not the module files.
def lock = new File(basedir, 'twoliter.lock').text
def sha = { File f -> MessageDigest.getInstance('SHA-512').digest(f.bytes).encodeHex().toString() }
assert lock.count('[[prebuilt-rpm]]') == 2
assert lock.contains('[[prebuilt-rpm]]\nmodule = "com.example.prebuilt:agent"\norigin = "Maven artifact'
        + ' com.example.vendor:vendor-doc:3.0:rpm"\nsha512 = "' + sha(new File(basedir, 'agent/target/rpms/vendor-doc-3.0-1.noarch.rpm')) + '"\n')
assert lock =~ /origin = "URL http:\/\/127\.0\.0\.1:\d+\/prebuilt-rpms\/vendor-tool-2\.0-1\.noarch\.rpm"\nsha512 = "[0-9a-f]{128}"/
assert runs[2].contains('and 2 prebuilt RPM(s)')
assert runs[3].contains('com.example.prebuilt:agent is up to date; no container started') && !runs[3].contains('not pinned')

// 6. An artifact the lock does not pin is refused before anything is built.
assert runs[4].contains('com.example.prebuilt:agent: the prebuilt RPM Maven artifact com.example.vendor:vendor-doc:3.0.1:rpm'
        + ' is not in ' + new File(basedir, 'twoliter.lock').canonicalPath + '. Run `mvn twoliter:update` to lock it.')
return true
