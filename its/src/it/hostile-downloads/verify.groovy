// Each misbehaving server or bad declaration fails with a message that names the URL and the limit;
// no download leaves anything in the source cache; the last build fetches the file properly.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 13 : "expected 13 runs, found ${runs.size()}"
def url = { String path -> java.util.regex.Pattern.quote(hostileUrl + path) }
def fetch = /com\.example\.hostile:hostile-downloads: could not fetch external source source\.bin:\s+/
def expected = [
    fetch + url('/stall-headers/source.bin') + /: no data for 2 s \(twoliter\.readTimeoutSeconds\) while waiting for the response/,
    fetch + url('/stall-body/source.bin') + /: no data for 2 s \(twoliter\.readTimeoutSeconds\); the server stalled after 32768 of 65536 bytes/,
    fetch + url('/drip/source.bin') + /: the download did not finish within 3 s \(twoliter\.downloadTimeoutSeconds\); \d+ bytes arrived/,
    fetch + url('/forever/source.bin') + /: the download grew past 1\.0 MiB \(1048576 bytes\) \(twoliter\.maxDownloadMiB\); aborted/,
    fetch + url('/huge-length/source.bin') + /: the server announces 1024\.0 GiB \(1099511627776 bytes\), more than 4096\.0 MiB \(4294967296 bytes\) \(twoliter\.maxDownloadMiB\)/,
    fetch + url('/truncate/source.bin') + /: the server closed the connection after 32768 of 65536 bytes/,
    fetch + url('/files/source.bin') + /: the server announces 65536 bytes, more than 1000 bytes \(the declared <size> of this source\)/,
    fetch + /http:\/\/no-such-host\.invalid\/source\.bin: cannot resolve host no-such-host\.invalid/,
    fetch + /http:\/\/127\.0\.0\.1:1\/source\.bin: connection refused by 127\.0\.0\.1:1/,
    fetch + url('/status/404/source.bin') + /: HTTP 404/,
    /com\.example\.hostile:hostile-downloads: the <url> of external source http:\/\/exa mple\.com\/source\.bin is not a valid URL \(Illegal character in authority at index 7\)\./,
    /com\.example\.hostile:hostile-downloads: the <url> of external source ftp:\/\/127\.0\.0\.1\/source\.bin has the unsupported scheme 'ftp'; use http, https or file\./,
]
expected.eachWithIndex { pattern, i ->
    assert runs[i].contains('BUILD FAILURE') : "run ${i + 1} did not fail"
    assert runs[i] =~ pattern : "run ${i + 1}: expected ${pattern}"
    assert !runs[i].contains('[rpmbuild]') : "run ${i + 1} started a container"
}
// Nothing but the good file is in the source cache: no temporaries of failed downloads.
def left = []
new File(basedir, 'target/cache/sources').eachFileRecurse { if (it.isFile()) left << it.name }
assert left == ['source.bin'] : left
assert runs[12].contains('BUILD SUCCESS') && runs[12].contains('Fetched source.bin from')
def rpm = new File(basedir, 'target/rpms/hostile-downloads-1.0-1.noarch.rpm')
assert rpm.isFile()
return true
