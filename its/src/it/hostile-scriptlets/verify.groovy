// skip-os: no package code ran, and the log says whose scriptlets were skipped; run-os: they ran
// inside the image root, and both record the same packages.
def log = new File(basedir, 'build.log').text
assert log.contains('com.example.hostile:skip-os: the scriptlets of 1 package(s) were not run: lua-post (%pre, %post).')
assert log.contains('Installing again with the packages\' scriptlets, in a container of their own')
def listing = { String variant ->
    def image = new File(basedir, "variants/${variant}/target/image/${variant}-1.0.0-root.ext4")
    def p = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none', '-v', "${image}:/in/root.ext4:ro", sdkImage,
             'debugfs', '-R', 'ls -p /', '/in/root.ext4']*.toString()).start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "debugfs failed on ${image}"
    out
}
def skipped = listing('skip-os')
def ran = listing('run-os')
assert !skipped.contains('/pre-ran/') && !skipped.contains('/post-ran/')
assert ran.contains('/pre-ran/') && ran.contains('/post-ran/')
def packages = { String variant ->
    def json = new groovy.json.JsonSlurper().parse(new File(basedir, "variants/${variant}/target/image/${variant}-1.0.0.variant.json"))
    json.packages.collect { "${it.name}-${it.version}-${it.release}.${it.arch} from ${it.source}" }
}
assert packages('skip-os') == packages('run-os')
assert packages('skip-os') == ['lua-post-1.0-1.noarch from local module']
return true
