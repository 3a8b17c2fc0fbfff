def log = new File(basedir, 'build.log').text
assert log.contains('dev.twoliter.its:nospec: spec file ' + new File(basedir, 'nospec.spec').path + ' not found.')
assert log.contains('(spec files present: other-name.spec)')
// Checked before Docker is touched: no container, no image lookup.
assert !log.contains('[rpmbuild]')
