// The generated project built an image with no edits, and it booted; the spec's RPM macros survived generation.
def project = new File(basedir, 'project/my-os')
assert new File(project, 'packages/hello/hello.spec').text.contains('%{_cross_bindir}/hello')
def image = new File(project, 'variants/my-os-variant/target/image')
assert new File(image, 'my-os-variant-1.0.0-SNAPSHOT-os.img.zst').isFile()
assert new File(image, 'my-os-variant-1.0.0-SNAPSHOT-os.qcow2').isFile()
def manifest = new groovy.json.JsonSlurper().parse(new File(image, 'my-os-variant-1.0.0-SNAPSHOT.variant.json'))
assert manifest.packages*.name.containsAll(['hello', 'libc-runtime', 'kernel', 'twoliter-init'])
assert manifest.settings.extensions*.name == ['hello', 'init', 'motd', 'ntp']
assert manifest.settings.'rendered-files'*.path.contains('/etc/hello.conf')
assert new File(project, 'kits/my-os-kit/target/my-os-kit-1.0.0-SNAPSHOT.kit.toml').isFile()
def log = new File(project, 'build.log').text
assert log.contains('[vm] twoliter-init: SETTING settings.init.banner = "my variant booted"')
assert log.contains('[vm] twoliter-init: ROOT_IS_DM0=yes')
assert log.contains('the machine powered off after')
return true
