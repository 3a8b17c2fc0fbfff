// Settings extensions from two kits (alpha, beta) and a local package (gamma), checked and rendered
// into the image; five ways of breaking them, each failing with its message; user data checked
// against the image without Docker.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 10 : "expected ten Maven runs, found ${runs.size()}"
def (good, badModel, unknownKey, badReference, clash, brokenTemplate, badSetting, userData, typo, wrongType) = runs

// 1. The image: every configuration file rendered from the defaults (the variant's over the kits').
assert good.contains('BUILD SUCCESS')
assert good.contains('com.example.settings:os: settings of 3 extension(s) (alpha, beta, gamma) fit their models; 3 configuration file(s) rendered')
def imageDir = new File(basedir, 'variants/os/target/image')
def manifest = new groovy.json.JsonSlurper().parse(new File(imageDir, 'os-1.0.0.variant.json'))
def check = ['docker', 'run', '--rm', '--network', 'none', '-e', 'CHECK_SHOW=/etc/alpha.conf /etc/beta.conf /etc/gamma/gamma.conf',
             '-v', "${imageDir}:/img:ro", '-v', "${new File(imageCheck).parent}:/check:ro", sdkImage,
             'bash', '/check/check-image.sh', '/img', 'os-1.0.0', manifest.image.'dm-verity'.'root-hash'].execute()
def checked = check.text
assert check.waitFor() == 0 : checked
assert checked.contains('verity ok')
def shown = { String path ->
    def m = checked =~ /(?s)=== show ${java.util.regex.Pattern.quote(path)} mode (\d+)\n(.*?)(?==== )/
    assert m.find() : "${path} not shown:\n${checked}"
    [m.group(1), m.group(2)]
}
assert shown('/etc/alpha.conf') == ['600', '# alpha.conf, rendered from settings.alpha\ngreeting = hello from the variant\n'
        + 'mode = standard\npeers = ["a.example.net"]\nlisten 8080\nlisten 8443\n']
assert shown('/etc/beta.conf') == ['644', 'beta is off\n']
assert shown('/etc/gamma/gamma.conf') == ['640', 'limits = files=1024\n']
assert manifest.settings.extensions.collect { [it.name, it.version, it.source] } == [
        ['alpha', 'v1', 'package alpha-settings /usr/share/twoliter/settings/extensions/alpha/extension.toml'],
        ['beta', 'v1', 'package beta-settings /usr/share/twoliter/settings/extensions/beta/extension.toml'],
        ['gamma', 'v1', 'package gamma /usr/share/twoliter/settings/extensions/gamma/extension.toml']]
assert manifest.settings.'rendered-files'.collect { [it.path, it.mode, it.extension] } == [
        ['/etc/alpha.conf', '0600', 'alpha'], ['/etc/beta.conf', '0644', 'beta'], ['/etc/gamma/gamma.conf', '0640', 'gamma']]
def sha = { String text -> java.security.MessageDigest.getInstance('SHA-256').digest(text.getBytes('UTF-8')).encodeHex().toString() }
assert manifest.settings.'rendered-files'.find { it.path == '/etc/beta.conf' }.sha256 == sha('beta is off\n')
def reference = new File(basedir, 'variants/os/target/twoliter/settings/settings-reference.md').text
assert reference.contains('| `settings.alpha.ports` | list of integer, minimum 1, maximum 65535, maxItems 4 | `[8080, 8443]` | Where alpha listens. |')
assert reference.contains('| `settings.beta` | one of "on", "off" | `"off"` | Whether beta is on. |')

// 2-7. Each failure names what it is about; the rpm and kit modules were up to date, no image was made.
[badModel, unknownKey, badReference, clash, brokenTemplate, badSetting].each { run ->
    assert run.contains('BUILD FAILURE')
    assert run.contains('com.example.settings:alpha-settings is up to date; no container started')
    assert !run.contains('Making the ext4 root')
}
assert badModel.contains('com.example.settings:os: the image\'s default settings do not fit the settings models (1 problem):\n'
        + '[ERROR]   settings.alpha.ports[1] (variant settings-bad-model/90-os.toml:4): must have a maximum value of 65535'
        + ' (extension alpha v1 (package alpha-settings /usr/share/twoliter/settings/extensions/alpha/model.json))')
assert unknownKey.contains('settings.alpha.greting (variant settings-unknown-key/90-os.toml:4): unknown key: the model does not define it')
assert badReference.contains('template /usr/share/templates/delta (configuration file delta of package bad-reference'
        + ' /usr/share/twoliter/settings/extensions/delta/extension.toml)')
assert badReference.contains('settings.alpha')
assert clash.contains('/etc/alpha.conf is rendered by both configuration file alpha of extension alpha (package alpha-settings'
        + ' /usr/share/twoliter/settings/extensions/alpha/extension.toml) and configuration file clash of extension clash'
        + ' (package bad-clash /usr/share/twoliter/settings/extensions/clash/extension.toml); one file has one template.')
assert brokenTemplate.contains('template /usr/share/templates/broken (configuration file broken of package bad-template'
        + ' /usr/share/twoliter/settings/extensions/broken/extension.toml):7:1: is not a valid Handlebars template')
assert !brokenTemplate.contains('inline@') : 'the parser\'s internal name stays out of the message'
assert badSetting.contains('template /usr/share/templates/epsilon (configuration file epsilon of package bad-setting'
        + ' /usr/share/twoliter/settings/extensions/epsilon/extension.toml):4: reads settings.epsilon.colour, which no model'
        + ' defines: settings.epsilon has no colour in the model of extension epsilon v1')

// 8-10. User data, without Docker: a good file renders and is diffed; a typo and a wrong type are named.
[userData, typo, wrongType].each { run ->
    assert !run.contains('[install]') && !run.contains('Connected to') : 'twoliter:settings starts no container'
}
assert userData.contains('BUILD SUCCESS')
assert userData.contains('com.example.settings:os: fleet-good.toml fits the settings models; it renders 3 configuration file(s),'
        + ' 3 different from the image\'s defaults: /etc/alpha.conf, /etc/beta.conf, /etc/gamma/gamma.conf')
def checkDir = new File(basedir, 'variants/os/target/twoliter/settings-check')
assert new File(checkDir, 'user-data/etc/alpha.conf').text == ('# alpha.conf, rendered from settings.alpha\n'
        + 'greeting = hello fleet\nmode = strict\npeers = ["b.example.net", "c.example.net"]\nlisten 8080\nlisten 8443\n')
assert new File(checkDir, 'user-data/etc/gamma/gamma.conf').text == 'token = s3cr3t\nlimits = files=1024\n'
assert new File(checkDir, 'defaults/etc/beta.conf').text == 'beta is off\n'
def diff = new File(checkDir, 'user-data.diff').text
assert diff.contains('--- defaults/etc/beta.conf\n+++ user-data/etc/beta.conf\n') && diff.contains('-beta is off\n+beta is on\n')
assert typo.contains('BUILD FAILURE')
assert typo.contains('com.example.settings:os: the settings of fleet-typo.toml do not fit the settings models (1 problem):\n'
        + '[ERROR]   settings.alpha.prots (fleet-typo.toml:4): unknown key: the model does not define it')
assert wrongType.contains('BUILD FAILURE')
assert wrongType.contains('settings.beta (fleet-type.toml:2): boolean found, string expected')
return true
