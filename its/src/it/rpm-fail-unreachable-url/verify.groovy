def log = new File(basedir, 'build.log').text
assert log.contains('dev.twoliter.its:nourl: could not fetch external source gone-2.0.tar.gz:')
assert log =~ /http:\/\/127\.0\.0\.1:9\/dist\/gone-2\.0\.tar\.gz: .*connect/
