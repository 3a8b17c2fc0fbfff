import groovy.json.JsonSlurper
import java.security.MessageDigest

def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')
def sha256 = { File f ->
    def md = MessageDigest.getInstance('SHA-256')
    f.withInputStream { input ->
        byte[] buffer = new byte[1 << 16]
        for (int n; (n = input.read(buffer)) > 0;) {
            md.update(buffer, 0, n)
        }
    }
    md.digest().encodeHex().toString()
}

// The Maven runs of invoker.properties, in order: runs[1] is generate-keys, runs[2] the 1.0.0 boot …
def runs = log.split(java.util.regex.Pattern.quote('[INFO] Scanning for projects...'), -1)
assert runs.length == 8 : "expected 7 Maven runs in the log, found ${runs.length - 1}"
def inOrder = { String text, List<String> expected ->
    int from = 0
    expected.each { e ->
        int at = text.indexOf(e, from)
        assert at >= 0 : "not found after offset ${from}: ${e}"
        from = at + e.length()
    }
}
def errorOf = { String text ->
    def m = text =~ /(?m)^\[ERROR\] Failed to execute goal [^ ]+:run \(default-cli\) on project boot-updates-refused: (.*) -> \[Help 1\]$/
    assert m.find() : 'the run did not fail in twoliter:run'
    return m.group(1)
}
def repo = { String name -> "file://${target.canonicalPath}/${name}/" }
def rootTarget = ~/([0-9a-f]{64})\.boot-updates-refused-x86_64-1\.1\.0-root\.ext4\.zst/

// 2: 1.0.0 published (metadata version 1), kept aside as updates-old, re-signed (version 2); a new
// kept disk accepts version 2, finds nothing newer and boots 1.0.0 from bank A.
inOrder(runs[2], [
        'published 1.0.0 to the update repository', '(new repository): targets version 1',
        '(keep-replay)', 'Copying 8 files to ' + new File(target, 'updates-old').canonicalPath,
        're-signed the update repository: boot-updates-refused/x86_64/2.targets.json',
        'Update repository ' + repo('updates') + ': targets version 2',
        'no update newer than 1.0.0 for seed 0',
        'Booting os.img.zst',
        'twoliter-init: OS VERSION_ID="1.0.0"', 'twoliter-init: BANK=A',
        'bank A (1.0.0) is the confirmed bank',
        '(record-1.0.0)'])

// 3: 1.1.0 published (version 3); updates-altered's 1.1.0 root image altered, same length;
// updates-expired re-signed (version 4) with a timestamp valid for one second.
inOrder(runs[3], [
        'published 1.1.0 to the update repository', 'targets version 3',
        '(hostile-copies)', 'altered ',
        '(expired)', 're-signed the update repository: boot-updates-refused/x86_64/4.targets.json'])
def genuine = new File(target, 'updates/targets').listFiles().find { it.name ==~ rootTarget }
def altered = new File(target, 'updates-altered/targets/' + genuine.name)
def published = (genuine.name =~ rootTarget)[0][1]
assert sha256(genuine) == published
assert altered.length() == genuine.length() : 'the altered root image must keep its length'
def alteredSha = sha256(altered)
assert alteredSha != published
assert runs[3].contains("altered ${altered.canonicalPath}: ${genuine.length()} bytes, sha256 ${published} is now ${alteredSha}")

// 4: the replay of version 1 is refused as a rollback against the version 2 the disk accepted.
def replay = errorOf(runs[4])
assert replay == "The update repository at ${repo('updates-old')} was refused: timestamp.json: its version is 1," +
        ' lower than version 2 trusted before. This is a rollback attack, or the repository was restored from an' +
        ' old copy; do not use it. The disk was not changed.'
assert !runs[4].contains('Update repository file:') : 'the replayed metadata must not be accepted'

// 5: updates-altered's metadata verifies (it is the publisher's version 3); its root image does not.
inOrder(runs[5], ['Update repository ' + repo('updates-altered') + ': targets version 3'])
assert errorOf(runs[5]) == "Update 1.1.0 from the update repository at ${repo('updates-altered')} was refused: Target ${published}.boot-updates-refused-x86_64-1.1.0-root.ext4.zst" +
        " has sha256 ${alteredSha}, but 3.targets.json lists ${published}. The file was replaced or altered; it was" +
        ' not installed. The disk was not changed.'

// 6: updates-expired (version 4, so no rollback) is refused on its timestamp's expiry, before the
// disk the run was asked to reset (twoliter.run.resetDisk=true) is replaced: the checks below find
// the old disk and its remembered metadata, not a new disk of the built 1.1.0.
def expired = errorOf(runs[6])
def m = expired =~ ("^The update repository at ${java.util.regex.Pattern.quote(repo('updates-expired'))} was refused:" +
        / timestamp\.json \(timestamp metadata\) expired at (\S+) \(now is (\S+)\)\. The repository is stale or frozen/ +
        / by an attacker; its owner must re-sign it\. The disk was not changed\.$/)
assert m.find() : expired
assert java.time.Instant.parse(m.group(1)).isBefore(java.time.Instant.parse(m.group(2)))
assert !runs[6].contains('Update repository file:') : 'the expired metadata must not be accepted'

// No machine started between the 1.0.0 boot and the last run.
(3..6).each { assert !runs[it].contains('Booting ') : "run ${it} booted" }
assert !runs[7].substring(0, runs[7].indexOf('(record-refused)')).contains('Booting ')

// The disk after the refusals (recorded at the start of run 7) is the one the 1.0.0 boot left: the
// same image, boot state and facts (bank A holds 1.0.0, bank B nothing, no failed version).
def before = new File(target, 'recorded/after-1.0.0')
def after = new File(target, 'recorded/after-refusals')
assert new File(before, 'os.img.zst.sha256').text.trim() ==~ /[0-9a-f]{64}/
assert new File(after, 'os.img.zst.sha256').text == new File(before, 'os.img.zst.sha256').text
assert new File(after, 'boot-state').bytes == new File(before, 'boot-state').bytes
def facts = new File(after, 'disk.toml').text
assert facts == new File(before, 'disk.toml').text
assert facts.contains('bank-a = "1.0.0"')
assert !facts.contains('bank-b')
assert facts.contains('failed = []')
// What the machine remembers of the repository: version 2 after the 1.0.0 boot; version 3 after the
// refusals, from updates-altered, whose metadata verified before its root image was refused (a TUF
// client keeps metadata it verified); never the expired version 4.
def version = { File dir -> new JsonSlurper().parse(new File(dir, 'tuf/timestamp.json')).version }
assert version(before) == 2
assert version(after) == 3

// 7: the genuine repository updates the same disk to 1.1.0 in bank B, which confirms.
inOrder(runs[7], [
        '(record-refused)',
        'Update repository ' + repo('updates') + ': targets version 3',
        'writing 1.1.0 into bank B (bank A runs 1.0.0) and trying it once',
        'Booting os.img.zst',
        'twoliter-init: OS VERSION_ID="1.1.0"', 'twoliter-init: BANK_CONFIRMED=B',
        'bank B (1.1.0) is the confirmed bank: the OS in bank B confirmed the update to 1.1.0'])
def now = new File(target, 'twoliter/run-disk/disk.toml').text
assert now.contains('bank-a = "1.0.0"') && now.contains('bank-b = "1.1.0"')
return true
