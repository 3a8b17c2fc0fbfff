def log = new File(basedir, 'build.log').text
// Refused when the manifest is read: the path is not of the kit layout, so nothing is unpacked.
assert log.contains("kit manifest com.example.vendor:evil-kit:1.0.0 (")
assert log.contains("payload.x86_64.rpm[0].path is 'Packages/ping/../../../../tmp/twoliter-its-escaped.rpm', which is not of the form Packages/<directory>/<file>.rpm with plain names")
assert !new File('/tmp/twoliter-its-escaped.rpm').exists()
// The refused manifest is not kept in the local repository.
assert !new File(basedir, 'target/m2/com/example/vendor/evil-kit/1.0.0/evil-kit-1.0.0.kit.toml').exists()
