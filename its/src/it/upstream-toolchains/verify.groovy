// Upstream releases built by the SDK's toolchains run from the image's root; brotli cross-builds.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 6 && runs.take(3).every { it.contains('BUILD SUCCESS') } : 'a run failed, see build.log'
// The fourth run asked for Rust on aarch64: refused by %cargo_prep with a message that says why.
assert runs[3].contains('BUILD FAILURE')
assert runs[3].contains("twoliter SDK: Rust's standard library for aarch64-unknown-linux-gnu is not in this SDK; Rust packages build for x86_64 only")

def extract = { File rpm, File into ->
    into.mkdirs()
    def p = ['sh', '-c', 'rpm2cpio "$1" | cpio -idm --quiet', 'sh', rpm.path].execute(null, into)
    assert p.waitFor() == 0 : "rpm2cpio ${rpm}"
    into
}
def requires = { File rpm -> ['rpm', '-qp', '--requires', rpm.path].execute().text }

// The standard directory macros follow the image's layout: libraries in /usr/lib, and each
// program's own idea of its paths (pkgconf's search path, compiled in by Meson) agrees.
def pkgconfRpm = new File(basedir, 'packages/pkgconf/target/rpms/pkgconf-1.8.1-1.x86_64.rpm')
def pkgconfFiles = ['rpm', '-qpl', pkgconfRpm.path].execute().text.readLines()
assert pkgconfFiles.contains('/usr/lib/libpkgconf.so.3') && pkgconfFiles.contains('/usr/bin/pkgconf')
assert !pkgconfFiles.any { it.startsWith('/usr/lib64') }
assert requires(pkgconfRpm).contains('libc.so.6()(64bit)')

// The image's root, extracted in the SDK container, runs each program.
def imageDir = new File(basedir, 'variants/upstream-os/target/image')
def run = ['docker', 'run', '--rm', '--network', 'none', '-v', "${imageDir}:/img:ro",
           '-v', "${new File(imageCheck).parent}:/check:ro", sdkImage, 'bash', '/check/run-in-root.sh', '/img',
           'upstream-os-1.0.0', '/usr/bin/hello', '/usr/bin/hello --version', '/usr/bin/brotli --version',
           '/usr/bin/pkgconf --version', '/usr/bin/pkgconf --modversion libbrotlienc',
           '/usr/bin/pkgconf --libs libbrotlienc', '/usr/bin/go-hello',
           '/usr/bin/rust-hello', '/usr/bin/go-vendored', '/usr/bin/cargo-vendored', '/usr/bin/hjson-cli -j /usr/share/hjson-go/kan_test.hjson',
           '/usr/bin/pico-args-app --number 42 --width 20 in.txt'].execute()
def out = run.text
assert run.waitFor() == 0 : out
new File(basedir, 'image-run.txt').text = out
def result = { String line ->
    def section = out.split('=== ' + line + '\n', 2)[1].split('\n=== exit ', 2)
    assert section[1].startsWith('0\n') : "${line} failed in the image's root: ${section[0]}"
    section[0].trim()
}
assert result('/usr/bin/hello') == 'Hello, world!'
assert result('/usr/bin/hello --version').startsWith('hello (GNU Hello) 2.10')
assert result('/usr/bin/brotli --version') == 'brotli 1.0.9'
assert result('/usr/bin/pkgconf --version') == '1.8.1'
assert result('/usr/bin/pkgconf --modversion libbrotlienc') == '1.0.9'
// pkgconf drops -L for its system library directory, which Meson compiled in from %{_libdir}.
assert result('/usr/bin/pkgconf --libs libbrotlienc').split() as Set == ['-R/usr/lib', '-lbrotlienc'] as Set
assert result('/usr/bin/rust-hello') == 'hello from Rust on x86_64'
assert result('/usr/bin/go-hello') ==~ /hello from go1\.2[3-9](\.\d+)? on linux\/amd64/

// The second run cross-built brotli for aarch64: ELF machine 183 (EM_AARCH64) in the program and
// the libraries, and the RPM's arch and requirements say aarch64.
def crossRpm = new File(basedir, 'packages/brotli/target/rpms/brotli-1.0.9-1.aarch64.rpm')
assert crossRpm.isFile() : 'no aarch64 brotli RPM: ' + new File(basedir, 'packages/brotli/target/rpms').list()
def cross = extract(crossRpm, new File(basedir, 'target/brotli-aarch64'))
def machine = { File elf ->
    def b = elf.bytes
    assert b[0] == 0x7f && new String(b, 1, 3, 'US-ASCII') == 'ELF' : "${elf} is not ELF"
    (b[18] & 0xff) | ((b[19] & 0xff) << 8)
}
assert machine(new File(cross, 'usr/bin/brotli')) == 183
def libs = new File(cross, 'usr/lib').listFiles().findAll { it.name ==~ /libbrotlienc\.so\.1\.0\.9/ }
assert libs.size() == 1 && machine(libs[0]) == 183
assert requires(crossRpm).contains('libc.so.6(GLIBC_2.17)')

def goRpm = new File(basedir, 'packages/go-hello/target/rpms/go-hello-1.0-1.aarch64.rpm')
assert goRpm.isFile() : 'no aarch64 go-hello RPM: ' + new File(basedir, 'packages/go-hello/target/rpms').list()
assert machine(new File(extract(goRpm, new File(basedir, 'target/go-hello-aarch64')), 'usr/bin/go-hello')) == 183

// Vendoring. The first run fetched go.sum's modules and Cargo.lock's crates from the loopback proxy
// and registry (behind credentials), checked them and pinned the archives next to the POMs.
assert runs[0] =~ /upstream:go-vendored: vendored 3 Go module\(s\) of the module's go\.sum in [0-9.]+ s into go-vendor\.tar/
assert runs[0] =~ /upstream:cargo-vendored: vendored 3 crate\(s\) of the module's Cargo\.lock in [0-9.]+ s into cargo-vendor\.tar/
['go-vendored', 'cargo-vendored', 'pico-args'].each { m ->
    def pins = new File(basedir, "packages/${m}/twoliter-vendor.lock")
    assert pins.isFile() && pins.text =~ /sha512 = "[0-9a-f]{128}"/ : "no pin for ${m}"
}
// The Go modules came through a settings.xml mirror (the POM's own URL is unreachable) and both
// registries need credentials (settings.xml <server>): the builds above prove both.
assert result('/usr/bin/go-vendored').readLines() == [
    'pkg/errors: reading go-vendored.conf: file does not exist',
    'jsonschema/v5: valid document accepted: true, invalid document rejected: true',
    'hjson-go/v4: name: go-vendored']
assert result('/usr/bin/cargo-vendored').readLines() == [
    'hex: 636172676f2d76656e646f726564',
    'shlex: 4 words: ["build", "--name", "cargo vendored", "1.0.0"]',
    'strsim: levenshtein("kitten", "sitting") = 3']
// The upstream releases without dependencies: hjson-go's command line tool, pico-args's example.
// hjson-cli passes one of upstream's own test cases: the Hjson file, as JSON, is the expected result.
def hjsonRpm = new File(basedir, 'packages/hjson-go/target/rpms/hjson-go-4.4.0-1.x86_64.rpm')
def expected = new File(extract(hjsonRpm, new File(basedir, 'target/hjson-go')), 'usr/share/hjson-go/kan_result.json')
def slurp = { String text -> new groovy.json.JsonSlurper().parseText(text) }
assert slurp(result('/usr/bin/hjson-cli -j /usr/share/hjson-go/kan_test.hjson')) == slurp(expected.text)
assert result('/usr/bin/pico-args-app --number 42 --width 20 in.txt').contains('number: 42')

// The SBOM of the image lists the vendored modules and crates with their versions.
def image = new File(basedir, 'variants/upstream-os/target/image')
def cdx = new groovy.json.JsonSlurper().parse(new File(image, 'upstream-os-1.0.0-sbom.cdx.json'))
def spdx = new File(image, 'upstream-os-1.0.0-sbom.spdx.json').text
def ancestors = { String pkg -> cdx.components.find { it.name == pkg }.pedigree.ancestors.findAll { it.purl } }
assert ancestors('go-vendored').collect { "${it.name} ${it.version} ${it.purl}" } as Set == [
    'github.com/hjson/hjson-go/v4 v4.4.0 pkg:golang/github.com/hjson/hjson-go/v4@v4.4.0',
    'github.com/pkg/errors v0.9.1 pkg:golang/github.com/pkg/errors@v0.9.1',
    'github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 pkg:golang/github.com/santhosh-tekuri/jsonschema/v5@v5.3.1'] as Set
assert ancestors('cargo-vendored').collect { "${it.name} ${it.version}" } as Set ==
    ['hex 0.4.3', 'shlex 1.3.0', 'strsim 0.11.1'] as Set
assert ancestors('cargo-vendored').every { it.hashes[0].alg == 'SHA-512' && it.hashes[0].content ==~ /[0-9a-f]{128}/ }
['pkg:golang/github.com/pkg/errors@v0.9.1', 'pkg:cargo/strsim@0.11.1'].each { assert spdx.contains(it) }

// A changed module zip and a changed crate are refused, naming the dependency and both checksums.
assert runs[4].contains('BUILD FAILURE')
assert runs[4] =~ /the zip of Go module github\.com\/hjson\/hjson-go\/v4@v4\.4\.0 from \S+ has checksum h1:\S+, but go\.sum pins h1:\S+\./
assert runs[4] =~ /crate strsim 0\.11\.1 from \S+ has SHA-256 [0-9a-f]{64}, but Cargo\.lock pins [0-9a-f]{64}\./
assert !runs[4].contains('[rpmbuild]')
// With no registry reachable the pinned archives build both programs again.
assert runs[5].contains('BUILD SUCCESS') : 'the rebuild from the pinned archives failed'
assert runs[5].contains('go-vendor.tar (pinned) from the cache') && runs[5].contains('cargo-vendor.tar (pinned) from the cache')
assert !runs[5].contains(' vendored ')
return true
