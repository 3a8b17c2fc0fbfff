import java.util.concurrent.TimeUnit
def sources = new File(basedir, 'target/cache/sources/drip.bin/ca073ef2daf10b6e3b761d5db007b8f609c7de85419ed2319fdfd35cc4c4e1f7feb61e5618d9d574552b7e2788d674d7144ea2062b1500173528afb3352e55a4')
def kits = new File(basedir, 'target/cache/kits')
def parts = { File dir -> (dir.listFiles() ?: []).findAll { it.name.endsWith('.part') }*.name.sort() }

// 1. The invoker's build swept the dead owner's leftovers and kept the live one's.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert parts(sources).size() == 1 && parts(sources)[0].endsWith('.0badcafe.part') : parts(sources)
assert parts(kits).isEmpty() : parts(kits)
assert log =~ /kit cache \S+: removed 1 leftover\(s\) of interrupted builds/ : 'the kit cache sweep is not in the log'
new File(sources, parts(sources)[0]).delete()
new File(sources, 'drip.bin').delete()

// 2. kill -9 in the middle of a download leaves a .part; the next build that downloads there sweeps it.
def mvn = { String logName, String... args ->
    def cmd = [new File(mavenHome, 'bin/mvn').path, '-B', '-s', new File(basedir.parentFile, 'interpolated-settings.xml').path,
               "-Dmaven.repo.local=${basedir}/target/m2", 'package',
               '-Dtwoliter.force'] + args.toList()
    new ProcessBuilder(cmd*.toString()).directory(basedir)
        .tap { it.environment().put('MAVEN_OPTS', mavenOpts) }.redirectErrorStream(true)
            .redirectOutput(new File(basedir, 'target/' + logName)).start()
}
def dripping = mvn('killed.log', '-Pdrip', '-Dtwoliter.downloadTimeoutSeconds=600', '-Dtwoliter.readTimeoutSeconds=60')
for (int i = 0; i < 240 && parts(sources).isEmpty(); i++) { Thread.sleep(250) }
assert !parts(sources).isEmpty() : 'the download never started: ' + new File(basedir, 'target/killed.log').text
['kill', '-KILL', dripping.pid().toString()].execute().waitFor()
assert dripping.waitFor(60, TimeUnit.SECONDS)
assert parts(sources).size() == 1 : 'expected the killed download to leave its .part'

def next = mvn('next.log', '-Pfixed')
assert next.waitFor(300, TimeUnit.SECONDS) && next.exitValue() == 0 : new File(basedir, 'target/next.log').text
assert parts(sources).isEmpty()
assert new File(sources, 'drip.bin').bytes.length == 65536
return true
