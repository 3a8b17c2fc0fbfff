import groovy.json.JsonSlurper
import java.security.MessageDigest
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3
assert runs[1].contains('com.example.os:it-os is up to date; no container started')

def imageDir = new File(basedir, 'variants/it-os/target/image')
def manifest = new JsonSlurper().parse(new File(imageDir, 'it-os-1.0.0.variant.json'))
// Package selection: the local module wins over the kit (1.5 < 2.0), kits supply the rest.
def pkgs = manifest.packages.collectEntries { [(it.name): it] }
assert pkgs['motd-lite'].version == '1.5' && pkgs['motd-lite'].source == 'local module'
assert pkgs['hello'].source == 'kit com.example.os:os-kit:1.0.0'
assert pkgs['vendor-tool'].source == 'kit com.example.vendor:vendor-kit:1.0.0'
assert pkgs['libvendor'].source == 'kit com.example.vendor:vendor-kit:1.0.0'
assert pkgs['libc-runtime'].source == 'kit com.example.os:os-kit:1.0.0'
// The kits, with what their signature checks established: the reactor's own kit is built, not
// checked; vendor-kit is unsigned and nobody trusts a key for its groupId, so it is used unverified.
def kits = manifest.kits.collectEntries { [(it.kit): it] }
assert kits['com.example.os:os-kit:1.0.0'].signature == 'not checked'
assert kits['com.example.vendor:vendor-kit:1.0.0'].signature == 'unverified'
assert kits['com.example.vendor:vendor-kit:1.0.0'].'payload-sha256' ==~ /[0-9a-f]{64}/
assert runs[0].contains('[WARNING] kit com.example.vendor:vendor-kit:1.0.0: it is not signed; used unverified')

// Byte-identical after clean: run 2 installed run 1's files (the no-op kept them).
def installed = new File(basedir, 'm2/com/example/os/it-os/1.0.0')
def outputFiles = manifest.outputs*.file
assert outputFiles.containsAll(['it-os-1.0.0-os.img.lz4', 'it-os-1.0.0-os.qcow2', 'it-os-1.0.0-os.vmdk',
        'it-os-1.0.0-data.img.lz4', 'it-os-1.0.0-root.ext4.lz4', 'it-os-1.0.0-root-verity.verity.lz4',
        'it-os-1.0.0-boot.ext4.lz4'])
outputFiles.each { f ->
    def a = new File(imageDir, f).bytes, b = new File(installed, f).bytes
    if (a != b) {
        // Where they part says what differs (a header field, a grain, the tail) when CI only shows this line.
        int common = Math.min(a.length, b.length)
        def first = (0..<common).find { a[it] != b[it] }
        int at = first == null ? common : first
        def around = { byte[] x -> (x.toList().subList(at, Math.min(x.length, at + 48)) as byte[]).encodeHex().toString() }
        assert false : "${f} differs after a clean rebuild: ${a.length} vs ${b.length} bytes, first difference at" +
                " byte ${at}: ${around(a)} vs ${around(b)}"
    }
}
def builtManifest = new File(imageDir, 'it-os-1.0.0.variant.json').readLines()
def installedManifest = new File(installed, 'it-os-1.0.0.variant.json').readLines()
def changedLines = (0..<Math.max(builtManifest.size(), installedManifest.size())).findAll {
    builtManifest[it] != installedManifest[it] }.collect { "line ${it + 1}: ${builtManifest[it]} vs ${installedManifest[it]}" }
assert changedLines.isEmpty() : 'the build manifest differs after a clean rebuild: ' + changedLines.take(10).join('; ')

// The root hash signature: reproducible (above, through the manifest that records its digest, and
// here), recorded in the manifest, and what openssl accepts for the hex string the kernel checks.
def signature = new File(imageDir, 'it-os-1.0.0-root-hash.p7s')
assert signature.bytes == new File(installed, 'it-os-1.0.0-root-hash.p7s').bytes
def signed = manifest.image.'dm-verity'.'root-hash-signature'
assert signed.file == 'it-os-1.0.0-root-hash.p7s' && signed.sha256 == sha(signature)
assert signed.'certificate-subject' == 'CN=IT OS root hash signing'
assert signed.'certificate-sha256' ==~ /[0-9a-f]{64}/
def rootHash = new File(basedir, 'target/root-hash.txt')
rootHash.parentFile.mkdirs()
rootHash.text = manifest.image.'dm-verity'.'root-hash'
def certificate = new File(basedir, 'keys/root-hash.crt').path
def cms = { String content ->
    new File(basedir, 'target/content.txt').text = content
    def process = new ProcessBuilder(['openssl', 'cms', '-verify', '-binary', '-inform', 'DER', '-in', signature.path,
            '-content', new File(basedir, 'target/content.txt').path, '-certfile', certificate, '-CAfile', certificate,
            '-purpose', 'any', '-out', '/dev/null']).redirectErrorStream(true).start()
    def output = process.inputStream.text
    [process.waitFor(), output]
}
def (ok, okOutput) = cms(rootHash.text)
assert ok == 0 && okOutput.contains('Verification successful') : okOutput
def (bad, badOutput) = cms((rootHash.text[0] == '0' ? '1' : '0') + rootHash.text.substring(1))
assert bad != 0 : 'openssl accepted the signature for another root hash: ' + badOutput
// No key material in the outputs or the log.
assert !log.contains('it-RootHash-2c9d')
assert !new File(imageDir, 'it-os-1.0.0.variant.json').text.contains('PRIVATE KEY')
manifest.outputs.each { o -> assert sha(new File(imageDir, o.file)) == o.sha256 }

// Real tools, in the SDK container.
def check = ['docker', 'run', '--rm', '--network', 'none', '-e', 'CHECK_FILES=/usr/bin/vendor-tool /usr/share/hello/version.txt /usr/lib/libvendor.so.1 /boot/vmlinuz',
             '-v', "${imageDir}:/img:ro", '-v', "${new File(imageCheck).parent}:/check:ro", sdkImage,
             'bash', '/check/check-image.sh', '/img', 'it-os-1.0.0', manifest.image.'dm-verity'.'root-hash'].execute()
def out = check.text
assert check.waitFor() == 0 : out
new File(basedir, 'image-check.txt').text = out
def section = { String name -> out.split('=== ' + name + '\n', 2)[1].split('\n=== ')[0] }
assert section('sgdisk-verify').contains('No problems found')
def table = new JsonSlurper().parseText(section('sfdisk')).partitiontable
def byName = table.partitions.collectEntries { [(it.name ?: 'unnamed'): it] }
assert table.partitions*.name == ['BIOS-BOOT', 'EFI-SYSTEM', 'BOTTLEROCKET-BOOT-A', 'BOTTLEROCKET-ROOT-A', 'BOTTLEROCKET-HASH-A',
    'BOTTLEROCKET-RESERVED-A', 'EFI-BACKUP', 'BOTTLEROCKET-BOOT-B', 'BOTTLEROCKET-ROOT-B', 'BOTTLEROCKET-HASH-B',
    'BOTTLEROCKET-RESERVED-B', 'BOTTLEROCKET-PRIVATE', null]
// The data partitions are unnamed (named at first boot) and carry Bottlerocket's fixed GUIDs.
assert table.partitions[-1].type == '626F7474-6C65-6474-6861-726D61726B73'
assert table.partitions[-1].uuid == '69040874-417D-4E26-A764-7885F22007EA' && table.partitions[-1].size == 2048
assert byName['BOTTLEROCKET-ROOT-A'].type == '5526016A-1A97-4EA4-B39A-B7C8C6CA4502'
assert byName['BOTTLEROCKET-ROOT-A'].size == 920 * 2048
assert byName['BOTTLEROCKET-BOOT-A'].type == '6B636168-7420-6568-2070-6C616E657421'
assert byName['BOTTLEROCKET-BOOT-A'].attrs == 'GUID:48,56'
assert byName['BOTTLEROCKET-BOOT-B'].attrs == null
assert byName['BOTTLEROCKET-HASH-A'].type == '598F10AF-C955-4456-6A99-7720068A6CEA'
assert byName['BOTTLEROCKET-PRIVATE'].type == '440408BB-EB0B-4328-A6E5-A29038FAD706'
table.partitions.each { assert it.start % 2048 == 0 : "${it.name} not 1 MiB aligned" }
assert section('boot-a-attributes').contains('0101000000000000')
assert section('veritysetup-verify').contains('verity ok')
def osRelease = section('os-release')
['NAME="IT OS"', 'VARIANT_ID="it-os"', 'VERSION_ID="1.0.0"', 'BUILD_ID="' + manifest.variant.'build-id' + '"'].each { assert osRelease.contains(it) }
def settings = section('settings-defaults')
assert settings.contains('settings.hello.greeting = "from the variant"')
assert settings.contains('settings.hello.port = 8080')
assert settings.contains('settings.motd.text = "local motd 1.5"')
def files = section('files')
['/usr/bin/vendor-tool', '/usr/share/hello/version.txt', '/usr/lib/libvendor.so.1'].each { assert files.contains('present ' + it) }
['/usr/lib/sysimage/rpm', '/var/lib/dnf'].each { assert files.contains('absent ' + it) }
def inventory = new JsonSlurper().parseText(section('inventory'))
assert inventory.Content*.Name.contains('vendor-tool')
def grub = section('grub.cfg')
assert grub.contains('dm-mod.create="$dm_verity_root"') && grub.contains(manifest.image.'dm-verity'.'root-hash')
assert grub.contains('console=ttyS0 quiet root=/dev/dm-0')
assert manifest.image.'kernel-command-line'.contains('verity 1 PARTUUID=' + byName['BOTTLEROCKET-BOOT-A'].uuid.toLowerCase() + '/PARTNROFF=1')
// The kernel and EFI binaries the packages installed left the root for BOOT-A and the ESP.
assert section('boot-files').readLines().containsAll(['vmlinuz', 'grub'])
assert section('esp-files').contains('::/EFI/BOOT/bootx64.efi') || section('esp-files').toLowerCase().contains('efi/boot/bootx64.efi')
assert !section('files').contains('present /boot/vmlinuz')
assert section('qemu-img it-os-1.0.0-os.qcow2').contains('file format: qcow2')
assert section('qemu-img it-os-1.0.0-os.qcow2').contains('virtual size: 2 GiB')
assert section('qemu-img it-os-1.0.0-os.vmdk').contains('file format: vmdk')
assert section('qemu-img it-os-1.0.0-os.vmdk').contains('create type: streamOptimized')
def data = section('data-disk')
assert data.contains('No problems found') && data.contains('5B94E8DF-28B8-485C-9D19-362263B5944C')
def sparse = (section('sparse') =~ /apparent=(\d+) allocated=(\d+)/)[0]
assert (sparse[2] as long) < (sparse[1] as long) / 10 : 'the raw image is not sparse'

// The SBOMs: attached, in the image (the copies the root hash covers), valid against the official
// schemas, and saying where each package came from and what it was built from. The attached ones
// also list the update images (the image's cannot: the root image's digest would cover them), so
// the two differ in that only.
def spdxFile = new File(imageDir, 'it-os-1.0.0-sbom.spdx.json'), cdxFile = new File(imageDir, 'it-os-1.0.0-sbom.cdx.json')
def imageCdxText = section('sbom.cdx.json') + '\n'
assert section('sbom').contains('sbom.cdx.json ' + MessageDigest.getInstance('SHA-256').digest(imageCdxText.getBytes('UTF-8')).encodeHex().toString())
assert !section('sbom').contains(sha(spdxFile)) && !section('sbom').contains(sha(cdxFile))
def imageCdx = new JsonSlurper().parseText(imageCdxText), publishedCdx = new JsonSlurper().parse(cdxFile)
assert imageCdx.metadata.component.components == null
assert imageCdx.components == publishedCdx.components && imageCdx.dependencies == publishedCdx.dependencies
def updateImages = publishedCdx.metadata.component.components.collectEntries { c ->
    [(c.properties.find { it.name == 'twoliter:update-image' }.value): c]
}
assert updateImages.keySet() == ['boot', 'root', 'hash'] as Set
updateImages.each { image, c ->
    assert c.type == 'file' && c.version == '1.0.0'
    assert c.hashes[0].alg == 'SHA-256' && c.hashes[0].content == sha(new File(imageDir, c.name))
    assert c.hashes[0].content == manifest.update.images."${image}".sha256
    assert c.properties.find { it.name == 'twoliter:update-target' }.value == manifest.update.images."${image}".target
    assert c.properties.find { it.name == 'twoliter:stored-as' }.value == manifest.update.images."${image}".'stored-as'
}
assert updateImages.boot.name == 'it-os-1.0.0-boot.ext4.lz4'
def mapper = new com.fasterxml.jackson.databind.ObjectMapper()
def spdxSchema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V201909)
        .getSchema(com.networknt.schema.JsonSchemaFactory.class.classLoader.getResourceAsStream('resources/spdx-schema-v2.3.json')
                ?: org.spdx.tools.Verify.class.classLoader.getResourceAsStream('resources/spdx-schema-v2.3.json'))
def spdxErrors = spdxSchema.validate(mapper.readTree(spdxFile))
assert spdxErrors.isEmpty() : spdxErrors
def cdxErrors = new org.cyclonedx.parsers.JsonParser().validate(cdxFile, org.cyclonedx.Version.VERSION_16)
assert cdxErrors.isEmpty() : cdxErrors
def spdx = new JsonSlurper().parse(spdxFile)
assert spdx.spdxVersion == 'SPDX-2.3' && spdx.creationInfo.created ==~ /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/
def spdxImages = spdx.packages.findAll { it.primaryPackagePurpose == 'FILE' }
assert spdxImages*.packageFileName as Set == updateImages.values()*.name as Set
spdxImages.each { p ->
    def image = p.externalRefs.find { it.referenceType == 'twoliter-update-image' }.referenceLocator
    assert p.checksums.find { it.algorithm == 'SHA256' }.checksumValue == manifest.update.images."${image}".sha256
    assert p.externalRefs.find { it.referenceType == 'twoliter-update-target' }.referenceLocator == manifest.update.images."${image}".target
    assert spdx.relationships.any { it.relationshipType == 'CONTAINS' && it.relatedSpdxElement == p.SPDXID }
}
def rpms = spdx.packages.findAll { it.primaryPackagePurpose == 'INSTALL' }.collectEntries { [(it.name): it] }
assert rpms.keySet() == pkgs.keySet()
assert rpms['vendor-tool'].supplier == 'Organization: com.example.vendor'
assert rpms['vendor-tool'].comment == 'From kit com.example.vendor:vendor-kit:1.0.0'
assert rpms['motd-lite'].supplier.startsWith('Organization: local module com.example.os:')
assert rpms['libc-runtime'].licenseDeclared == 'LGPL-2.1-or-later'
// Not an SPDX expression: kept as the packager wrote it, under a LicenseRef.
assert rpms['hello'].licenseDeclared.startsWith('LicenseRef-')
assert spdx.hasExtractedLicensingInfos.find { it.licenseId == rpms['hello'].licenseDeclared }.extractedText == 'GPLv2+ and MIT'
// The digest of every package is that of the RPM the kit manifest pins (or the module built).
def osKitManifest = new File(basedir, 'kits/os-kit/target').listFiles().find { it.name.endsWith('.kit.toml') }
def helloPin = osKitManifest.text.split(/\n\[\[payload\.x86_64\.rpm\]\]\n/).find { it.startsWith('name = "hello"\n') }
def pinField = { String key -> (helloPin =~ /(?m)^${key} = "([^"]*)"$/)[0][1] }
assert rpms['hello'].checksums.find { it.algorithm == 'SHA256' }.checksumValue == pinField('sha256')
assert pinField('license') == 'GPLv2+ and MIT'
assert helloPin.contains('[[payload.x86_64.rpm.source]]')
// Sources: the kit's manifest carries them, with the sha512 of the module's file.
def helloSource = new File(basedir, 'packages/hello/20-hello.toml')
def sha512 = { File f -> MessageDigest.getInstance('SHA-512').digest(f.bytes).encodeHex().toString() }
def sourceOf = spdx.relationships.findAll { it.spdxElementId == rpms['hello'].SPDXID && it.relationshipType == 'GENERATED_FROM' }
def sourcePackages = sourceOf.collect { r -> spdx.packages.find { it.SPDXID == r.relatedSpdxElement } }
assert sourcePackages*.name.contains('20-hello.toml')
assert sourcePackages.find { it.name == '20-hello.toml' }.checksums.find { it.algorithm == 'SHA512' }.checksumValue == sha512(helloSource)
def cdx = new JsonSlurper().parse(cdxFile)
assert cdx.specVersion == '1.6' && cdx.metadata.component.type == 'operating-system'
def vendorTool = cdx.components.find { it.name == 'vendor-tool' }
assert vendorTool.properties.find { it.name == 'twoliter:kit' }.value == 'com.example.vendor:vendor-kit:1.0.0'
// The reactor's kit attached its own SBOMs, valid too.
def kitSbom = new File(basedir, 'kits/os-kit/target').listFiles().find { it.name.endsWith('-x86_64-sbom.cdx.json') }
assert kitSbom != null && new org.cyclonedx.parsers.JsonParser().validate(kitSbom, org.cyclonedx.Version.VERSION_16).isEmpty()
assert new File(basedir, 'm2/com/example/os/it-os/1.0.0/it-os-1.0.0-sbom.spdx.json').bytes == spdxFile.bytes
