import groovy.json.JsonSlurper
import java.security.MessageDigest

def log = new File(basedir, 'build.log').text
def repo = new File(repoData, 'it-update-publish/updates')
def meta = new File(repo, 'tiny-os/x86_64')
def json = { File f -> new JsonSlurper().parse(f) }
def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }

// Root 1 is the trusted root as generate-keys wrote it. Publications 1.0.0 and 1.1.0 (versions 1
// and 2 of targets, snapshot and timestamp; the refused repeat wrote nothing), the re-signing (3),
// the rotation (root 2, then 4) and 1.2.0 (5).
assert sha256(new File(meta, '1.root.json')) == sha256(new File(basedir, 'keys/update-root.json'))
(1..5).each { n -> ['targets', 'snapshot'].each { assert new File(meta, "${n}.${it}.json").isFile() : "missing ${n}.${it}.json" } }
assert !new File(meta, '6.targets.json').exists()
def timestamp = json(new File(meta, 'timestamp.json'))
assert timestamp.signed._type == 'timestamp' && timestamp.signed.version == 5
assert timestamp.signed.meta.'snapshot.json'.version == 5
def snapshot = json(new File(meta, '5.snapshot.json'))
assert snapshot.signed.meta.'targets.json'.version == 5
assert json(new File(meta, '3.targets.json')).signed.targets == json(new File(meta, '2.targets.json')).signed.targets
// Root 2 lists the new root and timestamp keys, keeps the others, and is signed by the old and the new root keys.
def root1 = json(new File(meta, '1.root.json')).signed
def root2file = json(new File(meta, '2.root.json'))
def root2 = root2file.signed
assert root2.version == 2
assert root2.roles.root.keyids != root1.roles.root.keyids && root2.roles.timestamp.keyids != root1.roles.timestamp.keyids
assert root2.roles.targets.keyids == root1.roles.targets.keyids && root2.roles.snapshot.keyids == root1.roles.snapshot.keyids
assert root2file.signatures*.keyid as Set == (root1.roles.root.keyids + root2.roles.root.keyids) as Set
assert timestamp.signatures*.keyid == root2.roles.timestamp.keyids
def targets = json(new File(meta, '5.targets.json')).signed.targets
// Every target is stored as <sha256>.<name>, with the length and hashes the metadata gives.
targets.each { name, t ->
    def stored = new File(repo, "targets/${t.hashes.sha256}.${name}")
    assert stored.isFile() : "target ${name} not stored as ${stored}"
    assert stored.length() == t.length && sha256(stored) == t.hashes.sha256
}
['1.0.0', '1.1.0', '1.2.0'].each { v ->
    ['boot.ext4.zst', 'root.ext4.zst', 'hash.verity.zst'].each {
        assert targets.containsKey("tiny-os-x86_64-${v}-${it}".toString()) : "no ${v} ${it} in ${targets.keySet()}"
    }
}
// The second targets metadata keeps the first publication's targets; the manifest lists both versions.
def manifest = json(new File(repo, "targets/${targets.'manifest.json'.hashes.sha256}.manifest.json"))
assert manifest.updates*.version == ['1.2.0', '1.1.0', '1.0.0']
assert manifest.updates.every { it.variant == 'tiny-os' && it.arch == 'x86_64' && it.max_version == '1.2.0' }
assert manifest.updates[1].images.root == 'tiny-os-x86_64-1.1.0-root.ext4.zst'
assert manifest.updates[0].waves.keySet() == ['102', '2048'] as Set
assert manifest.migrations.containsKey('(1.0.0, 1.1.0)') && manifest.migrations.containsKey('(1.1.0, 1.2.0)')
// The build manifest names the targets before anything is published, with the digests they are stored under.
def built = json(new File(basedir, 'variants/tiny-os/target/image/tiny-os-1.2.0.variant.json')).update
assert built.version == '1.2.0'
['boot', 'root', 'hash'].each { image ->
    assert built.images."${image}".target == manifest.updates[0].images."${image}"
    assert built.images."${image}".'stored-as' == "targets/${targets[built.images."${image}".target].hashes.sha256}.${built.images."${image}".target}"
}
// The SBOMs attached beside the images list the same targets, digests and stored paths.
def sbom = json(new File(basedir, 'variants/tiny-os/target/image/tiny-os-1.2.0-sbom.cdx.json'))
def sbomImages = sbom.metadata.component.components.collectEntries { c ->
    [(c.properties.find { it.name == 'twoliter:update-image' }.value): c]
}
assert sbomImages.keySet() == ['boot', 'root', 'hash'] as Set
sbomImages.each { image, c ->
    def target = c.properties.find { it.name == 'twoliter:update-target' }.value
    assert target == manifest.updates[0].images."${image}"
    assert c.hashes.find { it.alg == 'SHA-256' }.content == targets[target].hashes.sha256
    assert c.properties.find { it.name == 'twoliter:stored-as' }.value == built.images."${image}".'stored-as'
}
def spdxSbom = json(new File(basedir, 'variants/tiny-os/target/image/tiny-os-1.2.0-sbom.spdx.json'))
assert spdxSbom.packages.findAll { it.primaryPackagePurpose == 'FILE' }.collect { p ->
    p.externalRefs.find { it.referenceType == 'twoliter-update-target' }.referenceLocator
} as Set == manifest.updates[0].images.values() as Set
// The root keys signed only roots; the other roles' keys signed their own metadata.
assert root1.consistent_snapshot == true
['targets', 'snapshot'].each { role ->
    assert json(new File(meta, "5.${role}.json")).signatures*.keyid == root1.roles."${role}".keyids
}
assert log.contains('published 1.0.0 to the update repository') && log.contains('(new repository)')
assert log.contains('published 1.1.0 to the update repository')
assert log.contains('version 1.1.0 of tiny-os (x86_64) is already in the update repository')
assert log.contains('re-signed the update repository') && log.contains("rotated the update repository's root")
assert log.contains('published 1.2.0 to the update repository')
// The keys are protected by the passphrase; no secret reaches the log.
assert new File(basedir, 'keys/update-targets.pem').text.contains('ENCRYPTED PRIVATE KEY')
assert !log.contains('it-UpdateSigning-93c1') && !log.contains('s3cret')
return true
