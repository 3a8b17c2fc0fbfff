def log = new File(basedir, 'build.log').text
assert log.contains('com.example.consumer:kit-fail-two-versions needs two versions of kit com.example.vendor:vendor-kit; a build may use only one:')
assert log.contains('1.0.0 via com.example.consumer:kit-fail-two-versions:1.0.0 -> com.example.vendor:vendor-kit:1.0.0')
assert log.contains('2.0.0 via com.example.consumer:kit-fail-two-versions:1.0.0 -> com.example.vendor:bridge-kit:1.0.0 -> com.example.vendor:vendor-kit:2.0.0')
