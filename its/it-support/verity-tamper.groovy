// Shared by boot-fail-verity-tamper and boot-aarch64-fail-verity-tamper: loaded with evaluate() from
// their verify.groovy. Flips a byte of /sbin/init inside ROOT-A in a copy of the built image, boots
// the copy with twoliter:run and checks that dm-verity stopped the boot and the run says so.
//   check(binding, name, runArgs, expectedInLog): name is the IT's variant (its artifactId);
//   runArgs go to `mvn twoliter:run` beside the image; expectedInLog must appear in the run's log.
def check(Binding b, String name, List<String> runArgs, List<String> expectedInLog) {
    File basedir = b.getVariable('basedir')
    def image = new File(basedir, 'target/image')
    def manifest = new groovy.json.JsonSlurper().parse(new File(image, "${name}-1.0.0.variant.json"))
    def rootA = manifest.image.'os-disk'.partitions.find { it.label == 'BOTTLEROCKET-ROOT-A' }
    long rootStart = rootA.'start-mib' * 1048576L
    long rootEnd = rootStart + rootA.'size-mib' * 1048576L
    def raw = new File(basedir, 'target/tampered.img')
    def sh = { List cmd ->
        def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
        def out = p.inputStream.text
        assert p.waitFor() == 0 : "${cmd}: ${out}"
        out
    }
    sh(['zstd', '-q', '-d', '-f', new File(image, "${name}-1.0.0-os.img.zst").path, '-o', raw.path])
    // init prints this marker, so the block that holds it is read (and verified) at boot.
    def offsets = sh(['grep', '-obUa', 'TWOLITER-INIT-MARKER-7f3a9c', raw.path]).readLines()
            .collect { it.split(':')[0] as long }.findAll { it >= rootStart && it < rootEnd }
    assert offsets : 'the marker is not in ROOT-A'
    def file = new RandomAccessFile(raw, 'rw')
    file.seek(offsets[0])
    int original = file.read()
    file.seek(offsets[0])
    file.write(original ^ 0xff)
    file.close()
    def tampered = new File(basedir, 'target/tampered.img.zst')
    sh(['zstd', '-q', '-f', raw.path, '-o', tampered.path])
    raw.delete()

    def cmd = [new File(b.getVariable('mavenHome').toString(), 'bin/mvn').path, '-B', '-s',
               new File(basedir.parentFile, 'interpolated-settings.xml').path] + runArgs +
              ['twoliter:run', "-Dtwoliter.run.image=${tampered}", '-Dtwoliter.run.expect=twoliter-init: powering off']
    def p = new ProcessBuilder(cmd*.toString()).directory(basedir)
            .tap { it.environment().put('MAVEN_OPTS', b.getVariable('mavenOpts').toString()) }.redirectErrorStream(true).start()
    def out = p.inputStream.text
    new File(basedir, 'run.log').text = out
    assert p.waitFor() != 0 : 'the tampered image booted'
    assert out.contains('the image did not boot: dm-verity found corrupted data on the root filesystem') : out
    assert out.contains('device-mapper: verity:') && out.contains('is corrupted')
    assert !out.contains('[vm] twoliter-init: powering off')
    expectedInLog.each { assert out.contains(it) : "not in the run's log: ${it}" }
    tampered.delete()
    return true
}
return this
