def log = new File(basedir, 'build.log').text
assert log.contains('kit com.example.vendor:link-kit:1.0.0 (x86_64 payload link-kit-1.0.0-x86_64.tar) contains the link Packages/ping/ping-1.0-1.noarch.rpm -> ../../../../../etc/passwd')
