def log = new File(basedir, 'build.log').text
assert log.contains('Fetched mirrored-1.0.txt from file://')
assert log.contains('Fetched renamed.txt from file://' + new File(basedir, 'fetched/../upstream/plain-1.0.txt').path)
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2 && runs[1].contains('BUILD SUCCESS') && !runs[1].contains('Fetched ')

def rpmFile = new File(basedir, 'fetched/target/rpms/fetched-1.0-1.noarch.rpm')
def files = ['rpm', '-qpl', rpmFile.path].execute().text.readLines()
assert files.containsAll(['/usr/share/fetched/mirrored.txt', '/usr/share/fetched/upstream.txt',
                          '/usr/share/fetched/greeting.txt', '/etc/fetched/local.conf'])

// Contents, extracted with rpm2cpio and cpio.
def out = new File(basedir, 'fetched/target/extracted')
out.mkdirs()
def p = ['sh', '-c', "rpm2cpio '${rpmFile.path}' | cpio -idm --quiet"].execute(null, out)
assert p.waitFor() == 0
assert new File(out, 'usr/share/fetched/mirrored.txt').text == 'served by the lookaside mirror\n'
assert new File(out, 'usr/share/fetched/upstream.txt').text == 'served by upstream\n'
assert new File(out, 'usr/share/fetched/greeting.txt').text == 'hello from defines\n'
assert new File(out, 'etc/fetched/local.conf').text == 'local=yes\n'

// Dot-files, pom.xml and target/ are not sources.
def inputs = new File(basedir, 'fetched/target/twoliter/x86_64/rpm-inputs.txt').text
assert inputs.contains('source:conf/local.conf=')
assert !inputs.contains('.hidden-notes') && !inputs.contains('source:pom.xml') && !inputs.contains('source:target/')
assert new File(basedir, 'fetched/target/source-cache/renamed.txt').isDirectory()
