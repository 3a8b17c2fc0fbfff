import groovy.json.JsonSlurper
def imageDir = new File(basedir, 'variants/tiny-os/target/image')
def manifest = new JsonSlurper().parse(new File(imageDir, 'tiny-os-1.0.0.variant.json'))
assert manifest.image.'root-filesystem' == 'erofs' && manifest.image.'partition-plan' == 'unified'
assert !new File(imageDir, 'tiny-os-1.0.0-data.img.zst').exists() : 'unified has no data disk'
assert new File(imageDir, 'tiny-os-1.0.0-root.erofs.zst').isFile()
def check = ['docker', 'run', '--rm', '--network', 'none', '-e', 'CHECK_FILES=/usr/share/hello/version.txt',
             '-v', "${imageDir}:/img:ro", '-v', "${new File(imageCheck).parent}:/check:ro", sdkImage,
             'bash', '/check/check-image.sh', '/img', 'tiny-os-1.0.0', manifest.image.'dm-verity'.'root-hash'].execute()
def out = check.text
assert check.waitFor() == 0 : out
def section = { String name -> out.split('=== ' + name + '\n', 2)[1].split('\n=== ')[0] }
assert section('root-type').trim() == 'erofs'
assert section('veritysetup-verify').contains('verity ok')
assert section('os-release').contains('VARIANT_ID="tiny-os"')
assert section('settings-defaults').contains('settings.hello.greeting = "erofs"')
assert section('files').contains('present /usr/share/hello/version.txt')
def table = new JsonSlurper().parseText(section('sfdisk')).partitiontable
def byName = table.partitions.collectEntries { [(it.name ?: 'DATA'): it] }
// One bank, double sizes: ROOT 920 MiB for a 1 GiB image; the data partition fills the rest of the 2 GiB disk.
assert !byName.containsKey('BOTTLEROCKET-ROOT-B') && !byName.containsKey('EFI-BACKUP')
assert byName['BOTTLEROCKET-ROOT-A'].size == 920 * 2048
assert byName['EFI-SYSTEM'].size == 10 * 2048
assert byName['DATA'].uuid == '5B94E8DF-28B8-485C-9D19-362263B5944C'
assert byName['DATA'].type == '626F7474-6C65-6474-6861-726D61726B73'
assert byName['DATA'].size == 1024 * 2048
assert table.lastlba == 2 * 1024 * 2048 - 34
