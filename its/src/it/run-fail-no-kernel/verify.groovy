// The image builds (with a warning), and the run stops before any machine starts.
def log = new File(basedir, 'build.log').text
assert log.contains('no installed package has /boot/vmlinuz, so the image has no kernel and will not boot')
assert log.contains('com.example.boot:run-fail-no-kernel: the image has no kernel: no installed package has'
        + ' /boot/vmlinuz. Add a kernel package to the variant')
assert !log.contains('[vm] ') && !log.contains('Booting ')
return true
