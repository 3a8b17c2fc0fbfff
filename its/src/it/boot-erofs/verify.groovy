// The erofs root booted through dm-verity.
def log = new File(basedir, 'build.log').text
['Making the erofs root', '[vm] twoliter-init: ROOT_READONLY=yes', '[vm] twoliter-init: ROOT_IS_DM0=yes',
 '[vm] twoliter-init: SETTING settings.init.banner = "erofs image booted"', 'the machine powered off after'].each {
    assert log.contains(it) : "missing: ${it}"
}
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/image/boot-erofs-1.0.0.variant.json'))
assert manifest.image.'root-filesystem' == 'erofs' && manifest.image.'partition-plan' == 'unified'
return true
