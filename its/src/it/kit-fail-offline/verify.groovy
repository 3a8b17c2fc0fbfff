def log = new File(basedir, 'build.log').text
assert log =~ /Cannot access \S+ \(\S+\) in offline mode and the artifact com\.example\.vendor:vendor-kit:kit\.toml:1\.0\.0 has not been downloaded from it before/
