def all = new File(basedir, 'build.log').text
def runs = all.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5 : "expected 5 runs, found ${runs.size()}"
assert !all.contains('it-CacheSigning-5e1a') : 'the passphrase is in the log'

// 3. Published, with the description's signature next to it.
assert runs[2] =~ /com\.example\.greet:motd stored in the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache-signed \(key /
def entryDir = new File(repoData, 'build-cache-signed/twoliter-cache/com/example/greet/motd').listFiles().find { it.isDirectory() }
assert new File(entryDir, "motd-${entryDir.name}-entry.toml.sig").isFile()
assert new File(entryDir, "motd-${entryDir.name}-entry.toml").isFile()

// 4. Trusting another key: refused, built.
assert runs[3] =~ /\[WARNING\] com\.example\.greet:motd: refused the remote cache entry [0-9a-f]{12}… at http:\/\/127\.0\.0\.1:\d+\/build-cache-signed: it is signed by [0-9A-F]{40}, which is not one of twoliter\.cache\.trustedKeys; building instead\./
assert runs[3].contains('twoliter: 1 module: 1 built, 0 restored from the remote cache, 0 up to date')

// 5. Trusting CI's key: restored, and the log names the signer (CI's primary key).
def fingerprint = (runs[0] =~ /Wrote the kit signing key ([0-9A-F]{40}) and/)[0][1]
assert runs[4] =~ /com\.example\.greet:motd restored from the remote cache http:\/\/127\.0\.0\.1:\d+\/build-cache-signed \(key [0-9a-f]{12}…, signed by ${fingerprint}, /
assert runs[4].contains('twoliter: 1 module: 0 built, 1 restored from the remote cache, 0 up to date; time in containers: none')
return true
