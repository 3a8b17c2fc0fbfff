// The erofs root booted through dm-verity; the run stopped as soon as the expected line appeared.
def log = new File(basedir, 'build.log').text
['Making the erofs root', '[vm] twoliter-init: OS VARIANT_ID="boot-erofs"', '[vm] twoliter-init: ROOT_READONLY=yes',
 '[vm] twoliter-init: SETTING settings.init.banner = "erofs image booted"', 'run (boot) @ boot-erofs',
 "com.example.boot:boot-erofs: the console showed 'twoliter-init: ROOT_IS_DM0=yes' after"].each {
    assert log.contains(it) : "missing: ${it}"
}
// Lines the guest wrote in the same burst may still reach the log; what counts is that the run was
// ended by the match (QEMU stopped), not by the guest powering off.
assert log.contains('[vm] twoliter: the machine\'s run ended: expected') : 'the run should end at the expected text'
assert !log.contains('[vm] twoliter: the machine\'s run ended: exited')
def manifest = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/image/boot-erofs-1.0.0.variant.json'))
assert manifest.image.'root-filesystem' == 'erofs' && manifest.image.'partition-plan' == 'unified'
return true
