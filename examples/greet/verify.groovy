// Checks of the greet example, run by its/ after the builds in invoker.properties.
// Everything is checked with real tools: rpm for the packages, the SDK container to run them.
import java.security.MessageDigest

def log = new File(basedir, 'build.log').text
assert log.contains('Apache Maven ' + mavenVersion) : 'the builds ran under the Maven version the invoker reports'
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3 : "expected three Maven runs in build.log, found ${runs.size()}"
def (first, noop, parallel) = runs

def built = { String run, String module -> run.indexOf("Building com.example.greet:${module} from") }

// 1. Reactor order: libgreet before greet (greet BuildRequires libgreet-devel).
assert built(first, 'libgreet') >= 0 && built(first, 'greet') > built(first, 'libgreet')
assert first.contains('twoliter: installing BuildRequires from 2 dependency RPM(s)')

// 2. The no-op rebuild starts no container and still attaches the artifacts (install works).
['libgreet', 'greet', 'motd', 'libc-runtime', 'greet-kit', 'greet-os'].each { m ->
    assert noop.contains("com.example.greet:${m} is up to date; no container started")
    assert built(noop, m) < 0
}
assert !noop.contains('[rpmbuild]')
assert noop.contains('BUILD SUCCESS')

// 2b. The image boots (GRUB under SeaBIOS, the example kernel, the core kit's init) to its banner.
['[vm] twoliter-init: booted', '[vm] twoliter-init: OS VARIANT_ID="greet-os"',
 '[vm] twoliter-init: SETTING settings.init.banner = "Greet OS booted"', '[vm] twoliter-init: ROOT_READONLY=yes',
 '[vm] twoliter-init: ROOT_IS_DM0=yes', 'com.example.greet:greet-os: the machine powered off after'].each {
    assert noop.contains(it) : "missing: ${it}"
}

// 3. Under -T 2 the independent modules start before either finishes, and no thread-safety warning.
int firstFinish = parallel.indexOf(' RPM(s) in ')
assert built(parallel, 'libgreet') >= 0 && built(parallel, 'libgreet') < firstFinish
assert built(parallel, 'motd') >= 0 && built(parallel, 'motd') < firstFinish
assert !parallel.toLowerCase().contains('thread-safe')

// 4. RPM contents and dependencies, read with rpm.
def rpmDir = { m -> new File(basedir, "packages/${m}/target/rpms") }
def rpm = { String... args ->
    def p = (['rpm'] + args.toList()).execute()
    def out = p.text
    assert p.waitFor() == 0 : "rpm ${args} failed"
    out
}
def greetRpm = new File(rpmDir('greet'), 'greet-1.0-1.x86_64.rpm')
def libRpm = new File(rpmDir('libgreet'), 'libgreet-1.0-1.x86_64.rpm')
def develRpm = new File(rpmDir('libgreet'), 'libgreet-devel-1.0-1.x86_64.rpm')
def motdRpm = new File(rpmDir('motd'), 'motd-1.0-1.noarch.rpm')
[greetRpm, libRpm, develRpm, motdRpm].each { assert it.isFile() : "missing ${it}" }
assert rpm('-qp', '--requires', greetRpm.path).contains('libgreet.so.1()(64bit)')
assert rpm('-qpl', greetRpm.path).readLines().containsAll(['/usr/bin/greet', '/usr/share/templates/greet-conf',
        '/usr/share/twoliter/settings/extensions/greet/extension.toml',
        '/usr/share/twoliter/settings/extensions/greet/model.json'])
assert !rpm('-qpl', greetRpm.path).contains('/etc/greet.conf') : 'the image renders /etc/greet.conf; the package ships its template'
assert rpm('-qp', '--provides', libRpm.path).contains('libgreet.so.1()(64bit)')
assert rpm('-qpl', develRpm.path).readLines().containsAll(['/usr/include/greet.h', '/usr/lib/libgreet.so'])
assert rpm('-qp', '--requires', develRpm.path).contains('libgreet = 1.0-1')
assert rpm('-qp', '--qf', '%{BUILDTIME}', greetRpm.path) == '1767225600'
assert rpm('-qp', '--qf', '%{ARCH}', motdRpm.path) == 'noarch'

// 5. The module artifact is a tar of its RPMs and the list of what they were built from (with
//    sha512s, for SBOMs), and it was installed by the no-op run.
def tarList = { File f -> ['tar', '-tf', f.path].execute().text.readLines().sort() }
def libTar = new File(basedir, 'packages/libgreet/target/libgreet-1.0.0.rpm.tar')
assert tarList(libTar) == ['libgreet-1.0-1.x86_64.rpm', 'libgreet-devel-1.0-1.x86_64.rpm', 'twoliter-sources.toml']
def sourcesList = ['tar', '-xOf', libTar.path, 'twoliter-sources.toml'].execute().text
assert sourcesList.contains('[[source]]') && sourcesList =~ /sha512 = "[0-9a-f]{128}"/

// 6. Byte-identical after clean: run 3 rebuilt from scratch; run 2 had installed run 1's bytes.
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def repo = new File(localRepositoryPath, 'com/example/greet')
['libgreet', 'greet', 'motd'].each { m ->
    def installed = new File(repo, "${m}/1.0.0/${m}-1.0.0.rpm.tar")
    assert installed.isFile() : "not installed: ${installed}"
    assert sha(installed) == sha(new File(basedir, "packages/${m}/target/${m}-1.0.0.rpm.tar")) : "${m} differs after clean rebuild"
}

// 6b. The kit: manifest and payload, byte-identical after clean too, holding the closure of its packages.
def kitRepo = new File(repo, 'greet-kit/1.0.0')
['greet-kit-1.0.0.kit.toml', 'greet-kit-1.0.0-x86_64.tar', 'greet-kit-1.0.0-x86_64-sbom.spdx.json',
 'greet-kit-1.0.0-x86_64-sbom.cdx.json'].each { f ->
    assert sha(new File(kitRepo, f)) == sha(new File(basedir, "kits/greet-kit/target/${f}")) : "${f} differs after clean rebuild"
}
assert tarList(new File(basedir, 'kits/greet-kit/target/greet-kit-1.0.0-x86_64.tar')).containsAll([
        'Packages/greet/greet-1.0-1.x86_64.rpm', 'Packages/libgreet/libgreet-1.0-1.x86_64.rpm',
        'Packages/libgreet/libgreet-devel-1.0-1.x86_64.rpm', 'Packages/motd/motd-1.0-1.noarch.rpm', 'repodata/repomd.xml'])
def kitManifest = new File(basedir, 'kits/greet-kit/target/greet-kit-1.0.0.kit.toml').text
assert kitManifest.contains('name = "greet-kit"') && kitManifest.contains('vendor = "com.example.greet"')
assert kitManifest.contains('sha256 = "' + sha(new File(basedir, 'kits/greet-kit/target/greet-kit-1.0.0-x86_64.tar')) + '"')

// 6c. The variant: images byte-identical after clean, and readable with the real tools.
def imageDir = new File(basedir, 'variants/greet-os/target/image')
def osRepo = new File(repo, 'greet-os/1.0.0')
['greet-os-1.0.0-os.img.zst', 'greet-os-1.0.0-os.qcow2', 'greet-os-1.0.0-data.img.zst', 'greet-os-1.0.0.variant.json',
 'greet-os-1.0.0-sbom.spdx.json', 'greet-os-1.0.0-sbom.cdx.json'].each { f ->
    assert sha(new File(imageDir, f)) == sha(new File(osRepo, f)) : "${f} differs after clean rebuild"
}
def variantManifest = new groovy.json.JsonSlurper().parse(new File(imageDir, 'greet-os-1.0.0.variant.json'))
def check = ['docker', 'run', '--rm', '--network', 'none', '-e', 'CHECK_FILES=/usr/bin/greet /usr/lib/libgreet.so.1 /etc/motd',
             '-e', 'CHECK_SHOW=/etc/motd /etc/greet.conf /etc/issue /etc/chrony.conf',
             '-v', "${imageDir}:/img:ro", '-v', "${new File(imageCheck).parent}:/check:ro", sdkImage,
             'bash', '/check/check-image.sh', '/img', 'greet-os-1.0.0', variantManifest.image.'dm-verity'.'root-hash'].execute()
def checked = check.text
assert check.waitFor() == 0 : checked
assert checked.contains('No problems found') && checked.contains('verity ok')
['present /usr/bin/greet', 'present /usr/lib/libgreet.so.1', 'present /etc/motd', 'settings.motd = "Greet OS: hello from the variant."',
 'settings.issue.show-on-login = true', 'VARIANT_ID="greet-os"'].each { assert checked.contains(it) : it }
assert variantManifest.packages*.name.containsAll(['greet', 'libgreet', 'libc-runtime', 'motd', 'kernel', 'twoliter-init'])
// 6d. Settings: extensions from both kits, validated and rendered into the image from the defaults
// (the variant's own over the packages').
def shown = { String path -> def m = checked =~ /(?s)=== show ${java.util.regex.Pattern.quote(path)} mode (\d+)\n(.*?)(?==== )/; assert m.find() : path; [m.group(1), m.group(2)] }
assert shown('/etc/motd') == ['644', 'Greet OS: hello from the variant.\n']
assert shown('/etc/greet.conf') == ['644', '# Who greet greets (rendered from settings.greet).\nname=twoliter\n']
assert shown('/etc/issue') == ['644', 'Greet OS: log in to be greeted.\n']
assert shown('/etc/chrony.conf')[1].contains('server time.example.net iburst\n')
def settings = variantManifest.settings
assert settings.extensions*.name == ['greet', 'init', 'issue', 'motd', 'ntp']
assert settings.extensions.find { it.name == 'greet' }.source == 'package greet /usr/share/twoliter/settings/extensions/greet/extension.toml'
assert settings.'rendered-files'*.path == ['/etc/chrony.conf', '/etc/greet.conf', '/etc/issue', '/etc/motd']
assert settings.'rendered-files'.find { it.path == '/etc/motd' }.sha256 ==
        MessageDigest.getInstance('SHA-256').digest('Greet OS: hello from the variant.\n'.bytes).encodeHex().toString()
def settingsReference = new File(basedir, 'variants/greet-os/target/twoliter/settings/settings-reference.md').text
assert settingsReference.contains('| `settings.greet.name` | string, pattern "^[A-Za-z][A-Za-z0-9 .-]{0,63}$" | `"twoliter"` |')

// 7. The program runs: install the RPMs into a fresh SDK container and call it, with /etc/greet.conf
// as the image renders it (6d).
def run = ['docker', 'run', '--rm', '--network', 'none',
           '-v', "${rpmDir('libgreet')}:/rpms/lib:ro", '-v', "${rpmDir('greet')}:/rpms/app:ro", sdkImage,
           'bash', '-c', 'rpm -i --nodeps /rpms/lib/libgreet-1.0-1.x86_64.rpm /rpms/app/*.rpm >/dev/null 2>&1 && echo name=twoliter > /etc/greet.conf && GREET_SALUTATION=Howdy greet'].execute()
def said = run.text.trim()
assert run.waitFor() == 0
assert said == 'Howdy, twoliter!'

// 8. Under another Maven version the same sources give the same bytes as the reference build.
if (binding.hasVariable('referenceBuild') && referenceBuild) {
    ['packages/libgreet/target/rpms/libgreet-1.0-1.x86_64.rpm', 'packages/greet/target/rpms/greet-1.0-1.x86_64.rpm',
     'packages/motd/target/motd-1.0.0.rpm.tar', 'kits/greet-kit/target/greet-kit-1.0.0-x86_64.tar',
     'variants/greet-os/target/image/greet-os-1.0.0-os.img.zst'].each { path ->
        def reference = new File(referenceBuild, "greet/${path}")
        assert reference.isFile() : "reference build missing ${reference}"
        assert sha(reference) == sha(new File(basedir, path)) : "${path} differs between Maven versions"
    }
}
return true
