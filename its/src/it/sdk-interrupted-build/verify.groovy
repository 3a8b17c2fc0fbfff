// Ctrl-C removes the build's container; after a kill -9 the next build sweeps the leftover.
import java.util.concurrent.TimeUnit

def label = 'label=dev.twoliter.step=dev.twoliter.its-sleeper'
def containers = { -> ['docker', 'ps', '-aq', '--filter', label].execute().text.trim() }
def mvn = { String logName, String... args ->
    def cmd = [new File(mavenHome, 'bin/mvn').path, '-B', '-o', '-llr', "-Dmaven.repo.local=${localRepositoryPath}",
               "-Dtwoliter.sourceCache=${sourceCache}", 'package', '-Dtwoliter.force'] + args.toList()
    new ProcessBuilder(cmd*.toString()).directory(basedir).redirectErrorStream(true)
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

// kill -9 leaves the container; the next build of this machine removes it.
def killed = mvn('killed.log', '-DsleepSeconds=300')
awaitContainer()
['kill', '-KILL', killed.pid().toString()].execute().waitFor()
assert killed.waitFor(60, TimeUnit.SECONDS)
assert !containers().isEmpty() : 'expected a leftover container after kill -9'

def next = mvn('next.log')
assert next.waitFor(300, TimeUnit.SECONDS) && next.exitValue() == 0
def nextLog = new File(basedir, 'next.log').text
assert nextLog.contains('Removed 1 container(s) left behind by an interrupted twoliter build')
assert containers().isEmpty()
return true
