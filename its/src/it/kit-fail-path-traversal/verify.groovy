def log = new File(basedir, 'build.log').text
assert log.contains('kit com.example.vendor:evil-kit:1.0.0 (x86_64 payload evil-kit-1.0.0-x86_64.tar) contains the unsafe path Packages/ping/../../../../tmp/twoliter-its-escaped.rpm; refused.')
assert !new File('/tmp/twoliter-its-escaped.rpm').exists()
