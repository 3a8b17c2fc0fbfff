def log = new File(basedir, 'build.log').text
assert log.contains('Could not find artifact com.example.vendor:lost-kit:kit.toml:1.0.0')
