import groovy.json.JsonSlurper
import java.security.MessageDigest

def json = { File f -> new JsonSlurper().parse(f) }
def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5
def variant = 'com.example.multiarch:tiny-os'
def images = new File(basedir, 'variants/tiny-os/target/image')
def manifest = { String arch -> new File(images, "${arch}/tiny-os-1.0.0-${arch}.variant.json") }

// 2. One image per arch, each in its directory, the arch in every file name.
['x86_64', 'aarch64'].each { arch ->
    def built = json(manifest(arch))
    assert built.variant.arch == arch && built.variant.module == variant
    def greeting = built.packages.find { it.name == 'greeting' }
    assert greeting && greeting.arch == arch : "greeting in the ${arch} image: ${built.packages}"
    assert new File(images, arch).list().every { it.startsWith("tiny-os-1.0.0-${arch}") } : new File(images, arch).list()
    assert new File(images, "${arch}/tiny-os-1.0.0-${arch}-os.img.zst").isFile()
}
assert json(manifest('x86_64')).image.firmware == ['bios', 'uefi']
assert json(manifest('aarch64')).image.firmware == ['uefi']
assert json(manifest('x86_64')).image.'dm-verity'.'root-hash' != json(manifest('aarch64')).image.'dm-verity'.'root-hash'
assert runs[1].contains("${variant} (x86_64): ") && runs[1].contains("${variant} (aarch64): ")

// Deployed: every arch's images under classifiers that name it; the module's artifact is the x86_64
// manifest (the first arch), and each arch's manifest is attached under the arch's name.
def deployed = new File(repoData, 'it-multiarch-variant/maven/com/example/multiarch/tiny-os/1.0.0')
def names = deployed.list().findAll { !it.endsWith('.sha1') && !it.endsWith('.md5') } as Set
['x86_64', 'aarch64'].each { arch ->
    ['root.ext4.zst', 'root-verity.verity.zst', 'boot.ext4.zst', 'os.img.zst'].each { rest ->
        def classifier = rest.substring(0, rest.indexOf('.'))
        def type = rest.substring(rest.indexOf('.') + 1)
        assert names.contains("tiny-os-1.0.0-${arch}-${classifier}.${type}".toString()) : "no ${arch} ${rest} in ${names}"
    }
    assert json(new File(deployed, "tiny-os-1.0.0-${arch}.variant.json")).variant.arch == arch
}
// (The x86_64 image is never rebuilt below, so its manifest is still the deployed one.)
assert sha(new File(deployed, 'tiny-os-1.0.0.variant.json')) == sha(manifest('x86_64'))
assert sha(new File(deployed, 'tiny-os-1.0.0-x86_64.variant.json')) == sha(manifest('x86_64'))

// Each arch's update has its own TUF metadata, and its targets name the arch.
def updates = new File(repoData, 'it-multiarch-variant/updates')
['x86_64', 'aarch64'].each { arch ->
    def meta = new File(updates, "tiny-os/${arch}")
    def timestamp = json(new File(meta, 'timestamp.json')).signed
    assert timestamp._type == 'timestamp' && timestamp.version == 1
    def targets = json(new File(meta, '1.targets.json')).signed.targets
    assert targets.keySet().containsAll(["tiny-os-${arch}-1.0.0-root.ext4.zst", "tiny-os-${arch}-1.0.0-boot.ext4.zst"]
            .collect { it.toString() }) : "${arch}: ${targets.keySet()}"
    assert !targets.keySet().any { it.contains(arch == 'x86_64' ? 'aarch64' : 'x86_64') }
    assert runs[1].contains("${variant} (${arch}): published 1.0.0 to the update repository")
}

// 3. A no-op rebuild starts no container for either arch.
['x86_64', 'aarch64'].each { arch ->
    assert runs[2].contains("${variant} (${arch}) is up to date; no container started")
    assert runs[2].contains("com.example.multiarch:greeting (${arch}) is up to date; no container started")
}

// 4. A change to aarch64's package only: both RPMs are rebuilt (the define is an input of both), the
// x86_64 RPM comes out byte-identical, so only the aarch64 image is rebuilt.
assert runs[3].contains("${variant} (x86_64) is up to date; no container started")
assert !runs[3].contains("${variant} (aarch64) is up to date")
assert runs[3].contains('Building com.example.multiarch:greeting (aarch64)')
assert runs[3].contains('Building com.example.multiarch:greeting (x86_64)')
assert runs[3].contains('BUILD SUCCESS')

// 5. Narrowed to aarch64: the same names, nothing to do.
assert runs[4].contains("${variant} is up to date; no container started")
assert !runs[4].contains('(x86_64)')
assert runs[4].contains('BUILD SUCCESS')
return true
