def log = new File(basedir, 'build.log').text
assert log.contains("com.example.os:bad-os: cannot install the variant's packages: file /etc/shared.conf is in both left-1.0-1.noarch and right-1.0-1.noarch (sources, by priority: local modules com.example.os:left, com.example.os:right)")
