import java.security.MessageDigest
def log = new File(basedir, 'build.log').text
def actual = MessageDigest.getInstance('SHA-512').digest(new File(basedir, 'upstream/data-1.0.txt').bytes).encodeHex().toString()
assert log.contains('dev.twoliter.its:badsum: could not fetch external source data.txt')
assert log.contains('sha512 mismatch, expected 00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 but the file has ' + actual)
// Nothing unverified is kept in the shared cache.
def cached = new File(sourceCache, 'data.txt')
assert !cached.exists() || cached.listFiles().every { d -> d.listFiles().length == 0 }
assert !log.contains('[rpmbuild]')
