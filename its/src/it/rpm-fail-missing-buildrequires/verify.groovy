def log = new File(basedir, 'build.log').text
assert log.contains('dev.twoliter.its:app: app.spec needs build requirements that neither its dependencies nor the SDK provide: libnothere-devel >= 2.')
assert log.contains('(searched: lib-1.0.rpm.tar)')
assert log.contains('Full log: ' + new File(basedir, 'app/target/twoliter/x86_64/rpmbuild.log').path)
assert log =~ /lib \.+ SUCCESS/
