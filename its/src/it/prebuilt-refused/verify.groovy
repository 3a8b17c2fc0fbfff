def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 6 && runs.every { it.contains('BUILD FAILURE') }
def m = 'com.example.refused'

// 1. The download is not the file <sha512> pins.
assert runs[0] =~ /${m}:wrong-sha512 \(prebuilt RPM\): could not fetch external source vendor-tool-2\.0-1\.noarch\.rpm:/
assert runs[0] =~ /http:\/\/127\.0\.0\.1:\d+\/prebuilt-refused\/vendor-tool-2\.0-1\.noarch\.rpm: sha512 mismatch, expected 0{128} but the file has [0-9a-f]{128}/
assert runs[0].contains('The file at that URL is not the one <sha512> pins.')

// 2. An RPM for an arch the build is not for.
assert runs[1].contains("${m}:wrong-arch: prebuilt RPM module file vendor/vendor-arm-1.0-1.aarch64.rpm (")
assert runs[1].contains("is for the arch 'aarch64', but the build is for x86_64. Take the vendor's RPM for the build's arch")

// 3. Another version than the module declares.
assert runs[2].contains("${m}:wrong-nevra: prebuilt RPM module file vendor/libvendor-1.0-1.x86_64.rpm (")
assert runs[2].contains('is libvendor-1.0-1.x86_64, but the module declares libvendor-1.1-1 (<name>, <epoch>, <version>, <release>)')

// 4. Signed, but by another key than the vendor's; rpm checked it in the SDK.
assert runs[3].contains('Checking 1 prebuilt RPM(s) of com.example.refused:other-key in SDK')
assert runs[3] =~ /${m}:other-key: prebuilt RPM module file vendor\/vendor-tool-2\.0-1\.noarch\.rpm \(.*\) is signed with the key ID [0-9a-f]{8,16}, not with <prebuiltSigningKey> .*vendor\.asc \(fingerprint [0-9A-F]{40}\)/

// 5. Not signed at all, though the module requires the vendor's signature.
assert runs[4] =~ /${m}:unsigned: prebuilt RPM module file vendor\/vendor-tool-2\.0-1\.noarch\.rpm \(.*\) is not signed, but <prebuiltSigningKey> .*vendor\.asc \(fingerprint [0-9A-F]{40}\) requires every prebuilt RPM to be signed with that key/

// 6. A spec beside prebuilt RPMs.
assert runs[5].contains("${m}:both-spec: the module has <prebuiltRpms> and also the spec ")
assert runs[5].contains('A module either builds its RPMs from a spec or takes prebuilt ones')

// Nothing refused was published.
['wrong-sha512', 'wrong-arch', 'wrong-nevra', 'other-key', 'unsigned', 'both-spec'].each {
    assert !new File(basedir, "${it}/target/rpms").exists() : it
}
return true
