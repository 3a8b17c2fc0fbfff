import java.security.MessageDigest
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def run = { List<String> cmd ->
    def p = cmd.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "${cmd}: ${err}"
    out.toString()
}
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5

// 1. Every rpm module was built for both arches in one run, the noarch one once, pc-only for x86_64 only.
['libhello', 'hello'].each { m ->
    ['x86_64', 'aarch64'].each { a -> assert runs[0].contains("Building com.example.multiarch:${m} (${a}) from ${m}.spec") }
}
assert runs[0].contains('com.example.multiarch:hello-doc: 1 RPM(s) in') && runs[0].contains('(noarch: built once)')
assert runs[0].count('Building com.example.multiarch:hello-doc') == 1
assert runs[0].contains('com.example.multiarch:pc-only: not built for aarch64 (pc-only.spec has ExclusiveArch: x86_64)')

def rpms = { String m -> new File(basedir, "packages/${m}/target/rpms").list().sort() }
def archRpms = { String m, String a -> new File(basedir, "packages/${m}/target/twoliter/${a}/rpms").list().sort() }
assert archRpms('libhello', 'x86_64') == ['libhello-1.0-1.x86_64.rpm', 'libhello-devel-1.0-1.x86_64.rpm']
assert archRpms('libhello', 'aarch64') == ['libhello-1.0-1.aarch64.rpm', 'libhello-devel-1.0-1.aarch64.rpm']
assert rpms('hello-doc') == ['hello-doc-1.0-1.noarch.rpm']
assert rpms('pc-only') == ['pc-only-1.0-1.x86_64.rpm']

// The binaries are of their arch (readelf on the files inside the RPMs).
def machine = { File rpm, String path ->
    def dir = new File(basedir, "target/unpacked/${rpm.name}")
    dir.mkdirs()
    run(['bash', '-c', 'cd "$1" && rpm2cpio "$2" | cpio -idm --quiet', '-', dir.path, rpm.path])
    run(['readelf', '-h', new File(dir, path).path]).readLines().find { it.contains('Machine:') }.trim()
}
def hello = new File(basedir, 'packages/hello/target/twoliter/aarch64/rpms')
assert machine(new File(hello, 'hello-1.0-1.aarch64.rpm'), 'usr/bin/hello').contains('AArch64')
assert machine(new File(basedir, 'packages/hello/target/twoliter/x86_64/rpms/hello-1.0-1.x86_64.rpm'), 'usr/bin/hello')
        .contains('X86-64')
def lib = new File(basedir, 'packages/libhello/target/twoliter/aarch64/rpms')
assert machine(new File(lib, 'libhello-1.0-1.aarch64.rpm'), 'usr/lib/libhello.so.1.0').contains('AArch64')
// Debug sections stripped with the aarch64 strip (the x86_64 one cannot read AArch64 files and would leave them).
['hello-1.0-1.aarch64.rpm/usr/bin/hello', 'hello-1.0-1.x86_64.rpm/usr/bin/hello'].each {
    assert !run(['readelf', '-S', new File(basedir, "target/unpacked/${it}").path]).contains('.debug_info') : it
}

// Automatic dependencies: the aarch64 program requires the library's soname, which the aarch64 library provides.
assert run(['rpm', '-qp', '--requires', new File(hello, 'hello-1.0-1.aarch64.rpm').path]).readLines().contains('libhello.so.1()(64bit)')
assert run(['rpm', '-qp', '--provides', new File(lib, 'libhello-1.0-1.aarch64.rpm').path]).readLines().contains('libhello.so.1()(64bit)')
// The aarch64 BuildRequires went into the sysroot, not over the SDK's files.
def helloLog = new File(basedir, 'packages/hello/target/twoliter/aarch64/rpmbuild.log').text
assert helloLog.contains('into the sysroot /work/sysroot')
assert !new File(basedir, 'packages/hello/target/twoliter/x86_64/rpmbuild.log').text.contains('sysroot')

// The module artifact holds both arches' RPMs (as deployed: run 3 later narrowed the one in target/).
def artifact = run(['tar', 'tf', new File(basedir, 'target/m2/com/example/multiarch/libhello/1.0.0/libhello-1.0.0.rpm.tar').path]).readLines()
assert artifact.containsAll(['libhello-1.0-1.aarch64.rpm', 'libhello-1.0-1.x86_64.rpm'])
assert run(['tar', 'tf', new File(basedir, 'packages/libhello/target/libhello-1.0.0.rpm.tar').path]).readLines()
        .findAll { it.endsWith('.rpm') }.every { it.contains('.aarch64.') }

// 2. One kit manifest, a payload per arch; the aarch64 payload goes without pc-only.
def kitDir = new File(basedir, 'kits/hello-kit/target')
def manifest = new File(kitDir, 'hello-kit-1.0.0.kit.toml').text
assert manifest.contains('arches = ["aarch64", "x86_64"]')
assert manifest.contains('[payload.x86_64]') && manifest.contains('[payload.aarch64]')
def payload = { String a -> run(['tar', 'tf', new File(kitDir, "hello-kit-1.0.0-${a}.tar").path]).readLines() }
assert payload('x86_64').containsAll(['Packages/hello/hello-1.0-1.x86_64.rpm', 'Packages/libhello/libhello-1.0-1.x86_64.rpm',
        'Packages/hello-doc/hello-doc-1.0-1.noarch.rpm', 'Packages/pc-only/pc-only-1.0-1.x86_64.rpm'])
assert payload('aarch64').containsAll(['Packages/hello/hello-1.0-1.aarch64.rpm', 'Packages/hello-doc/hello-doc-1.0-1.noarch.rpm'])
assert !payload('aarch64').any { it.contains('x86_64') || it.contains('pc-only') }
assert runs[0].contains('package pc-only has no RPM for aarch64 (it has x86_64), so the kit\'s aarch64 payload goes without it')
['x86_64', 'aarch64'].each { a ->
    assert new File(kitDir, "hello-kit-1.0.0-${a}-sbom.spdx.json").isFile()
    assert runs[0] =~ /Uploaded to its-repo: .*hello-kit-1\.0\.0-${a}\.tar/
}
assert new File(basedir, 'kits/pc-kit/target/pc-kit-1.0.0.kit.toml').text.contains('arches = ["x86_64"]')

// 3. Nothing changed: every arch of every module is up to date.
['libhello', 'hello'].each { m ->
    ['x86_64', 'aarch64'].each { a -> assert runs[1].contains("com.example.multiarch:${m} (${a}) is up to date; no container started") }
}
assert runs[1].contains('com.example.multiarch:hello-kit (aarch64) is up to date; no container started')
assert !runs[1].contains('Building com.example')

// 4. -Dtwoliter.arch=aarch64 narrows the run: one arch, nothing else built, and target/rpms shows that arch.
assert runs[2].contains('com.example.multiarch:hello is up to date; no container started')
assert !runs[2].contains('x86_64) is up to date')
assert rpms('hello') == ['hello-1.0-1.aarch64.rpm']

// 5. An x86_64 consumer fetched the manifest and only the x86_64 payload; the lock pins both arches' payloads.
def m2 = new File(basedir, 'target/m2-x86/com/example/multiarch/hello-kit/1.0.0')
assert new File(m2, 'hello-kit-1.0.0-x86_64.tar').isFile()
assert !new File(m2, 'hello-kit-1.0.0-aarch64.tar').exists()
def lock = new File(basedir, 'consumer-x86/twoliter.lock').text
['x86_64', 'aarch64'].each { a -> assert lock.contains(a + ' = "' + sha(new File(kitDir, "hello-kit-1.0.0-${a}.tar")) + '"') }
def app = new File(basedir, 'consumer-x86/app/target/rpms/app-1.0-1.x86_64.rpm')
assert run(['rpm', '-qp', '--requires', app.path]).readLines().contains('libhello.so.1()(64bit)')

// 6. An aarch64 consumer of the x86_64-only kit: refused, naming the kit and the arches it has.
assert runs[4].contains('kit com.example.multiarch:pc-kit:1.0.0 has no payload for arch aarch64 (it has: x86_64)')
assert runs[4].contains('BUILD FAILURE')
return true
