def log = new File(basedir, 'build.log').text
assert log.contains('Could not find artifact com.example.vendor:ghost-kit:kit.toml:9.9.9')
