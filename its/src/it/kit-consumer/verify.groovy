import java.security.MessageDigest
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 4

// 1. twoliter:update locked vendor-kit, fetched from the server into the fresh local repository.
def m2kit = new File(basedir, 'target/m2/com/example/vendor/vendor-kit/1.0.0')
def lock = new File(basedir, 'twoliter.lock').text
assert lock.contains('artifact-id = "vendor-kit"') && lock.contains('version = "1.0.0"')
assert lock.contains('manifest-sha256 = "' + sha(new File(m2kit, 'vendor-kit-1.0.0.kit.toml')) + '"')
assert !lock.contains('my-kit') : 'the project\'s own kits are built, not locked'
assert runs[0].contains('Downloaded from its-repo') && runs[0].contains('vendor-kit-1.0.0.kit.toml')

// 2. app was built against libvendor-devel, which only vendor-kit provides.
def app = new File(basedir, 'app/target/rpms/app-1.0-1.x86_64.rpm')
assert ['rpm', '-qpR', app.path].execute().text.contains('libvendor.so.1()(64bit)')
assert runs[1].contains('installing BuildRequires from 0 dependency RPM(s) and 1 kit(s)')
assert new File(m2kit, 'vendor-kit-1.0.0-x86_64.tar').isFile()
// Only the payload was fetched: vendor-kit's rpm modules stay out of the consumer's repository.
assert !new File(basedir, 'target/m2/com/example/vendor/libvendor').exists()
assert !new File(basedir, 'target/m2/com/example/vendor/vendor-tool').exists()

// 3. my-kit depends on the external kit and holds only its own packages.
def myKit = new File(basedir, 'my-kit/target/my-kit-1.0.0.kit.toml').text
assert myKit.contains('[[kit-dependency]]') && myKit.contains('artifact-id = "vendor-kit"')
def payload = ['tar', 'tf', new File(basedir, 'my-kit/target/my-kit-1.0.0-x86_64.tar').path].execute().text.readLines()
assert payload.contains('Packages/app/app-1.0-1.x86_64.rpm')
assert !payload.any { it.contains('libvendor') }

// 4. extras needs app (only in the reactor kit my-kit) and vendor-tool (in vendor-kit, through my-kit's manifest).
assert new File(basedir, 'extras/target/rpms/extras-1.0-1.noarch.rpm').isFile()
assert runs[1].contains('installing BuildRequires from 0 dependency RPM(s) and 2 kit(s)')

// 5. The lock verified and the second build was a no-op.
['app', 'my-kit', 'extras'].each { assert runs[2].contains("com.example.consumer:${it} is up to date; no container started") }
assert !runs[2].contains('Downloaded from')

// 6. Another SDK: a warning naming both images.
assert runs[3] =~ ('kit com\\.example\\.vendor:vendor-kit:1\\.0\\.0 was built with SDK ' + java.util.regex.Pattern.quote(sdkImage)
        + / \(sha256:[0-9a-f]+\), but this build uses twoliter-sdk:its-other \(sha256:[0-9a-f]+\)/)
assert runs[3].contains('BUILD SUCCESS')
