// Every hostile value is refused with a message that shows it escaped, before the variant's
// install step starts; the quoted metacharacters end up literally in os-release and grub.cfg.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 8 : "expected 8 runs, found ${runs.size()}"
def refused = { int run, String message ->
    assert runs[run].contains(message) : "run ${run + 1} lacks: ${message}"
    assert runs[run].contains('BUILD FAILURE')
    assert !runs[run].contains('[install]') : "run ${run + 1} started the install step"
}
def module = 'com.example.hostile:inj-os: '
refused(0, module + "the pretty name 'Evil\\nID=pwned' must be one line")
refused(1, module + "the build id 'x\\nVARIANT_ID=pwned' must be one word")
refused(2, module + "kernel parameter 'quiet}\\nmenuentry \"pwned\" {' is not one token")
refused(3, module + "kernel parameter 'init=\"/bin/sh\"' is not one token")
refused(4, module + "kernel parameter 'root=/dev/sda1' sets 'root', which the image sets itself")
refused(5, module + "included package 'hello;touch /tmp/twoliter-its-pwned' is not an RPM package name")
refused(6, module + "included package '--setopt=tsflags=test' is not an RPM package name")
assert !new File('/tmp/twoliter-its-pwned').exists()

// Run 8: read the files back from the image the way a shell and GRUB would.
assert runs[7].contains('BUILD SUCCESS')
def image = new File(basedir, 'variants/inj-os/target/image')
def check = '''
set -euo pipefail
debugfs -R 'cat /usr/lib/os-release' /in/root.ext4 > /tmp/os-release 2>/dev/null
debugfs -R 'cat /grub/grub.cfg' /in/boot.ext4 > /tmp/grub.cfg 2>/dev/null
cat /tmp/os-release
( set -a; . /tmp/os-release; printf 'NAME=[%s]\\nBUILD_ID=[%s]\\n' "$NAME" "$BUILD_ID" )
grep menuentry /tmp/grub.cfg
test ! -e /tmp/twoliter-its-pwned && echo "nothing ran"
'''
def p = new ProcessBuilder(['docker', 'run', '--rm', '--network', 'none',
         '-v', "${image}/inj-os-1.0.0-root.ext4:/in/root.ext4:ro", '-v', "${image}/inj-os-1.0.0-boot.ext4:/in/boot.ext4:ro",
         sdkImage, 'bash', '-c', check]*.toString()).redirectErrorStream(true).start()
def out = p.inputStream.text
assert p.waitFor() == 0 : out
assert out.contains('NAME=[It\'s $(touch /tmp/twoliter-its-pwned) `id` "OS" \\ ok]')
assert out.contains('BUILD_ID=[$(id)`id`"x"\\y]')
assert out.contains("menuentry 'It'\\''s \$(touch /tmp/twoliter-its-pwned) `id` \"OS\" \\ ok 1.0.0' --unrestricted {")
assert out.contains('nothing ran')
assert !new File('/tmp/twoliter-its-pwned').exists()
return true
