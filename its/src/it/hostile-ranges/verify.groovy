def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 15 : "expected 15 runs, found ${runs.size()}"
def refused = { int run, String message ->
    assert runs[run].contains(message) : "run ${run + 1} lacks: ${message}"
    assert runs[run].contains('BUILD FAILURE')
    assert !['[install]', '[grub]', '[rootfs]', '[uki]', '[disk]'].any { runs[run].contains(it) } : "run ${run + 1} started a variant step"
}
refused(0, 'twoliter.buildTimeoutMinutes is -5; use a value from 1 to 1440.')
refused(1, 'com.example.hostile:r-os: <imageLayout><osImageSizeGib> is 100000; use 1 to 64.')
refused(2, 'com.example.hostile:r-os: <imageLayout><dataImageSizeGib> is 0; use 1 to 256.')
refused(3, "project.build.outputTimestamp '1960-01-01T00:00:00Z' is 1960-01-01T00:00:00Z, outside what RPM headers can hold (1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z)")
refused(4, "project.build.outputTimestamp '2200-01-01T00:00:00Z' is 2200-01-01T00:00:00Z, outside what RPM headers can hold")
refused(5, 'com.example.hostile:r: the spec ' + new File(basedir, 'packages/r/specdir').path + ' is a directory, not a file.')
refused(6, 'twoliter.readTimeoutSeconds is 0; use a value from 1 to 3600.')
refused(7, 'twoliter.maxDownloadMiB is -1; use a value from 1 to 1048576.')
refused(8, "twoliter.verifyKitCache is 'sometimes'; use quick or full.")
refused(9, "SDK image 'Bad_Image!' is not a Docker image reference (name[:tag] or name@sha256:digest).")
refused(10, "com.example.hostile:r-os: unknown image format 'iso' (use raw, qcow2 or vmdk)")
refused(11, "com.example.hostile:r-os: <packageScriptlets> is 'sometimes'; use skip or run.")
assert runs[12].contains('BUILD SUCCESS')
refused(13, "twoliter.cache.url 'ftp://127.0.0.1/cache' is not an http://, https:// or file:// URL of a Maven repository.")
refused(14, "twoliter.cache.url must not hold credentials; put them in a settings.xml <server> with the id twoliter.cache.serverId ('twoliter-cache').")
assert !runs[14].contains('Cache-s3cret') : 'the password in the URL was shown'
return true
