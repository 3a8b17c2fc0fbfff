import java.security.MessageDigest
def log = new File(basedir, 'build.log').text
def actual = MessageDigest.getInstance('SHA-256').digest(new File(basedir, 'target/m2/com/example/vendor/vendor-kit/1.0.0/vendor-kit-1.0.0.kit.toml').bytes).encodeHex().toString()
assert log.contains('kit com.example.vendor:vendor-kit changed since twoliter.lock: expected manifest sha256 ' + '1' * 64 + ', found manifest sha256 ' + actual)
assert !log.contains('[rpmbuild]')
