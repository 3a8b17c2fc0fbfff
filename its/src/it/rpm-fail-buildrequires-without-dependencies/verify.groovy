def log = new File(basedir, 'build.log').text
// gcc is provided by the SDK itself; only the real gap is named.
assert log.contains('dev.twoliter.its:lonely: lonely.spec needs build requirements that neither its dependencies nor the SDK provide: libabsent-devel.')
assert log.contains('(the module has no rpm or kit dependencies)')
