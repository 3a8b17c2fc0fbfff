def log = new File(basedir, 'build.log').text
// Restored through the mirror: the configured URL is a closed port.
['libgreet', 'greet', 'libc-runtime'].each { m ->
    assert log =~ /com\.example\.greet:${m} restored from the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache \(mirror greet-cache-mirror of http:\/\/127\.0\.0\.1:9\/unreachable-cache\) \(key /
}
['motd', 'greet-kit', 'greet-os'].each { m ->
    assert log =~ /com\.example\.greet:${m} is not in the remote cache \(key [0-9a-f]{12}…\)/
    assert !(log =~ /com\.example\.greet:${m} restored from the remote cache /)
}
assert log.contains('twoliter: 6 modules: 3 built, 3 restored from the remote cache, 0 up to date; time in containers: ')
assert !log.contains('time in containers: none')
// Reading only: nothing was stored.
assert !log.contains('stored in the remote cache')
def rpm = new File(basedir, 'greet/packages/motd/target/rpms/motd-1.0-1.noarch.rpm')
assert ['bash', '-c', 'rpm2cpio "$1" | cpio -i --to-stdout "*templates/issue" 2>/dev/null', '-', rpm.path].execute().text
        .contains('Changed on the third machine.')
return true
