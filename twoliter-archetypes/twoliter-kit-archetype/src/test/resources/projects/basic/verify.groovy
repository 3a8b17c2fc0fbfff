// The generated kit repository builds and publishes its kit where distributionManagement points.
def project = new File(basedir, 'project/my-vendor')
assert new File(project, 'kits/my-vendor/target/my-vendor-kit-1.0.0.kit.toml').isFile()
def published = new File(project, 'target/kit-repository/com/example/it/my-vendor-kit/1.0.0')
assert new File(published, 'my-vendor-kit-1.0.0.kit.toml').isFile()
assert new File(published, 'my-vendor-kit-1.0.0-x86_64.tar').isFile()
return true
