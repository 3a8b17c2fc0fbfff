// Ctrl-C removes the build's container; after a kill -9 the next build sweeps the leftover.
import java.util.concurrent.TimeUnit

// The builds run on the second engine (see the POM); so do these queries.
def engine = 'unix:///run/twoliter-docker-2.sock'
// Containers are named after their step; spares started ahead of a step are named twoliter-spare-*.
def named = 'name=twoliter-dev.twoliter.its-sleeper-'
def containers = { -> ['docker', '-H', engine, 'ps', '-aq', '--filter', named].execute().text.trim() }
// Every container a build created (its steps' and spares) carries its process in the owner label.
def ownedBy = { long pid -> ['docker', '-H', engine, 'ps', '-a', '--filter', 'label=dev.twoliter.managed=true', '--format',
        '{{.Label "dev.twoliter.owner"}}'].execute().text.readLines().findAll { it.split('/').length == 3 && it.split('/')[1] == pid.toString() } }
def mvn = { String logName, String... args ->
    // A build started in the background of a non-interactive shell inherits SIGINT as ignored, and a JVM
    // keeps it ignored: env restores the default so that kill -INT is the Ctrl-C this test is about.
    def cmd = ['env', '--default-signal=INT', new File(mavenHome, 'bin/mvn').path, '-B', '-o', '-llr', "-Dmaven.repo.local=${localRepositoryPath}",
               "-Dtwoliter.sourceCache=${sourceCache}", 'package', '-Dtwoliter.force'] + args.toList()
    new ProcessBuilder(cmd*.toString()).directory(basedir)
        .tap { it.environment().put('MAVEN_OPTS', mavenOpts) }.redirectErrorStream(true)
            .redirectOutput(new File(basedir, logName)).start()
}
def awaitContainer = { ->
    for (int i = 0; i < 120 && containers().isEmpty(); i++) { Thread.sleep(500) }
    assert !containers().isEmpty() : 'the build never started its container'
}
assert containers().isEmpty()

// Ctrl-C (SIGINT) while rpmbuild runs: the JVM's shutdown hook removes the container.
def interrupted = mvn('interrupted.log', '-DsleepSeconds=300')
awaitContainer()
['kill', '-INT', interrupted.pid().toString()].execute().waitFor()
assert interrupted.waitFor(60, TimeUnit.SECONDS) : 'mvn did not stop after SIGINT'
for (int i = 0; i < 20 && !containers().isEmpty(); i++) { Thread.sleep(500) }
assert containers().isEmpty() : 'container left behind after Ctrl-C'
assert ownedBy(interrupted.pid()).isEmpty() : 'a spare container left behind after Ctrl-C'

// kill -9 leaves the container; the next build of this machine removes it.
def killed = mvn('killed.log', '-DsleepSeconds=300')
awaitContainer()
['kill', '-KILL', killed.pid().toString()].execute().waitFor()
assert killed.waitFor(60, TimeUnit.SECONDS)
assert !containers().isEmpty() : 'expected a leftover container after kill -9'

def leftovers = ownedBy(killed.pid()).size()
def next = mvn('next.log')
assert next.waitFor(300, TimeUnit.SECONDS) && next.exitValue() == 0
def nextLog = new File(basedir, 'next.log').text
// The killed build's step container and the spare it had started for its next step.
assert nextLog.contains("Removed ${leftovers} container(s) left behind by an interrupted twoliter build")
assert ownedBy(killed.pid()).isEmpty()
assert containers().isEmpty()
return true
