import groovy.json.JsonSlurper
import java.security.MessageDigest

def log = new File(basedir, 'build.log').text
def repo = new File(repoData, 'it-update-publish/updates')
def meta = new File(repo, 'tiny-os/x86_64')
def json = { File f -> new JsonSlurper().parse(f) }
def sha256 = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }

// Two publications: root 1 (the trusted root, as generate-keys wrote it), then targets, snapshot
// and timestamp at versions 1 and 2.
assert new File(meta, '1.root.json').bytes == new File(basedir, 'keys/update-root.json').bytes
['1.targets.json', '2.targets.json', '1.snapshot.json', '2.snapshot.json', 'timestamp.json'].each {
    assert new File(meta, it).isFile() : "missing ${it}"
}
assert !new File(meta, '3.targets.json').exists() : 'the refused third publication wrote metadata'
def timestamp = json(new File(meta, 'timestamp.json'))
assert timestamp.signed._type == 'timestamp' && timestamp.signed.version == 2
assert timestamp.signed.meta.'snapshot.json'.version == 2
def snapshot = json(new File(meta, '2.snapshot.json'))
assert snapshot.signed.meta.'targets.json'.version == 2
def targets = json(new File(meta, '2.targets.json')).signed.targets
// Every target is stored as <sha256>.<name>, with the length and hashes the metadata gives.
targets.each { name, t ->
    def stored = new File(repo, "targets/${t.hashes.sha256}.${name}")
    assert stored.isFile() : "target ${name} not stored as ${stored}"
    assert stored.length() == t.length && sha256(stored) == t.hashes.sha256
}
['1.0.0', '1.1.0'].each { v ->
    ['boot.ext4.zst', 'root.ext4.zst', 'hash.verity.zst'].each {
        assert targets.containsKey("tiny-os-x86_64-${v}-${it}".toString()) : "no ${v} ${it} in ${targets.keySet()}"
    }
}
// The second targets metadata keeps the first publication's targets; the manifest lists both versions.
def manifest = json(new File(repo, "targets/${targets.'manifest.json'.hashes.sha256}.manifest.json"))
assert manifest.updates*.version == ['1.1.0', '1.0.0']
assert manifest.updates.every { it.variant == 'tiny-os' && it.arch == 'x86_64' && it.max_version == '1.1.0' }
assert manifest.updates[0].images.root == 'tiny-os-x86_64-1.1.0-root.ext4.zst'
assert manifest.updates[0].waves.keySet() == ['102', '2048'] as Set
assert manifest.migrations.containsKey('(1.0.0, 1.1.0)')
// The build manifest names the targets before anything is published, with the digests they are stored under.
def built = json(new File(basedir, 'variants/tiny-os/target/image/tiny-os-1.1.0.variant.json')).update
assert built.version == '1.1.0'
['boot', 'root', 'hash'].each { image ->
    assert built.images."${image}".target == manifest.updates[0].images."${image}"
    assert built.images."${image}".'stored-as' == "targets/${targets[built.images."${image}".target].hashes.sha256}.${built.images."${image}".target}"
}
// The root key signed only the root; the other roles' keys signed their own metadata.
def root = json(new File(meta, '1.root.json')).signed
assert root.consistent_snapshot == true
['targets', 'snapshot', 'timestamp'].each { role ->
    assert json(new File(meta, role == 'timestamp' ? 'timestamp.json' : "2.${role}.json")).signatures*.keyid == root.roles."${role}".keyids
}
assert log.contains('published 1.0.0 to the update repository') && log.contains('(new repository)')
assert log.contains('published 1.1.0 to the update repository')
assert log.contains('version 1.1.0 of tiny-os (x86_64) is already in the update repository')
// The keys are protected by the passphrase; no secret reaches the log.
assert new File(basedir, 'keys/update-targets.pem').text.contains('ENCRYPTED PRIVATE KEY')
assert !log.contains('it-UpdateSigning-93c1') && !log.contains('s3cret')
return true
