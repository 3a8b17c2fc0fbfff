def log = new File(basedir, 'build.log').text
assert log.contains("com.example.os:bad-os: cannot install the variant's packages: package no-such-package is in none of the variant's sources (sources, by priority: local modules com.example.os:alpha)")
assert !new File(basedir, 'variants/bad-os/target/image').exists()
