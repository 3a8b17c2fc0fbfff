def log = new File(basedir, 'build.log').text
assert log =~ /Downloaded from its-repo: http:\/\/127\.0\.0\.1:\d+\/releases\/com\/example\/vendor\/vendor-kit\/1\.0\.0\/vendor-kit-1\.0\.0-x86_64\.tar/
assert new File(basedir, 'target/rpms/mirrored-1.0-1.noarch.rpm').isFile()
