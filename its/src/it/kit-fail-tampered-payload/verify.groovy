def log = new File(basedir, 'build.log').text
assert log =~ /kit com\.example\.vendor:tamper-kit:1\.0\.0: the x86_64 payload \S+tamper-kit-1\.0\.0-x86_64\.tar has sha256 [0-9a-f]{64}, but the kit's manifest says [0-9a-f]{64}/
// The bad copy is gone from the local repository, and nothing was unpacked.
assert !new File(basedir, 'target/m2/com/example/vendor/tamper-kit/1.0.0/tamper-kit-1.0.0-x86_64.tar').exists()
assert !log.contains('[rpmbuild]')
