def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5 : "expected 5 runs, found ${runs.size()}"
// No password, right or wrong, anywhere in the log or in what the builds left (the POM has them by design).
['Hunter2-s3cret-XYZ', 'not-the-password'].each { secret ->
    assert !log.contains(secret) : "the log shows ${secret}"
    new File(basedir, 'target').eachFileRecurse { f ->
        if (f.isFile() && f.length() < 50_000_000) assert !f.text.contains(secret) : "${f} shows ${secret}"
    }
}
assert runs[0].contains('BUILD SUCCESS') && runs[0] =~ /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/auth\/fetcher\/\S+ has credentials written into the URL/
assert runs[1] =~ /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/auth\/fetcher\/\S+: HTTP 401/
assert runs[2].contains('BUILD SUCCESS')
assert runs[3] =~ /HTTP 401.*the credentials of <server> 'hostile-wrong' were sent, check them/
assert runs[4].contains('BUILD SUCCESS')
return true
