// kit-signatures: what each consumer's build did with the vendor's signed, unsigned and altered kits.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 9
runs = runs.drop(1) // 0: the vendor key installed as an artifact
def vendor = (new File(basedir, '../setup-4-signed-vendor/build.log').text =~ /Wrote the kit signing key ([0-9A-F]{40}) and/)[0][1]
def other = (runs[0] =~ /Wrote the kit signing key ([0-9A-F]{40}) and/)[0][1]
assert vendor != other

// 2. twoliter:update verified signed-kit and locked its signer.
assert runs[1].contains("com.example.signed:signed-kit:1.0.0  manifest sha256 ")
assert runs[1].contains(", signed by ${vendor}")
assert new File(basedir, 'trusting/twoliter.lock').text.contains("signer = \"${vendor}\"")

// trusting took the vendor's key from the repository as an artifact, pinned by its fingerprint.
assert new File(basedir, 'target/m2/com/example/signed/kit-signing-key/1/kit-signing-key-1.asc').isFile()
assert new File(basedir, 'trusting/pom.xml').text.contains("<fingerprint>${vendor}</fingerprint>")

// 3. The build trusting the vendor's key used the kit without a word about signatures.
assert runs[2].contains('BUILD SUCCESS') && !runs[2].contains('unverified')

// 4. Trusting only another key for the vendor's groupId: refused, naming the kit, the signer and the trusted key.
assert runs[3] =~ /kit com\.example\.signed:signed-kit:1\.0\.0: it is signed by key [0-9A-F]{40}, which is not among the keys trusted for groupId com\.example\.signed \(${other}\)/
assert runs[3].contains('(signatures are required for groupId com.example.signed because a key is trusted for it)')

// 5. An unsigned kit under warn: used, with the warning.
assert runs[4].contains('[WARNING] kit com.example.signed:unsigned-kit:1.0.0: it is not signed; used unverified (<kitSignatures> (twoliter.kitSignatures) is warn).')
assert runs[4].contains('BUILD SUCCESS')

// 6. The same kit under the default policy, where the vendor's groupId has a trusted key: refused.
assert runs[5].contains('kit com.example.signed:unsigned-kit:1.0.0: it is not signed. Ask its vendor for a signed release; or, to use it unverified, set <kitSignatures> (twoliter.kitSignatures) to warn')
assert runs[5].contains('BUILD FAILURE')

// 7. altered-kit's manifest changed after signing: refused before its payload was fetched.
assert runs[6].contains("kit com.example.signed:altered-kit:1.0.0: its signature by key ${vendor} does not match the manifest: the manifest was changed after it was signed.")
assert !new File(basedir, 'target/m2/com/example/signed/altered-kit/1.0.0/altered-kit-1.0.0-x86_64.tar').exists()

// 8. A lock that recorded another signer.
assert runs[7].contains("kit com.example.signed:signed-kit:1.0.0 was signed by key 0123456789ABCDEF0123456789ABCDEF01234567 when ")
assert runs[7].contains("but now it is signed by key ${vendor}. A vendor's change of signing key must be checked with the vendor")
return true
