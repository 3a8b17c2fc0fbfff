def log = new File(basedir, 'build.log').text
assert log.contains('dev.twoliter.its:broken: rpmbuild failed for broken.spec. Last lines of the log:')
assert log =~ /error: .undeclared_symbol. undeclared/
def fullLog = new File(basedir, 'target/twoliter/x86_64/rpmbuild.log')
assert log.contains('Full log: ' + fullLog.path)
assert fullLog.text.contains('Bad exit status from')
// Nothing that a later build could mistake for a result.
assert !new File(basedir, 'target/broken-1.0.rpm.tar').exists()
assert !new File(basedir, 'target/twoliter/x86_64/rpm-inputs.txt').exists()
assert !new File(basedir, 'target/rpms').exists()
