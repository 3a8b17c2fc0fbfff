import java.nio.file.Files
import java.nio.file.StandardCopyOption

def copy = { File from, String to ->
    def target = new File(basedir, to)
    target.parentFile.mkdirs()
    Files.copy(from.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING)
}

def out = evaluate(new File(itSupport, 'vendor-ci.groovy')).make(binding)
def signed = new File(out, 'signed')
def repoFile = new File(repoData, 'prebuilt-refused/vendor-tool-2.0-1.noarch.rpm')
repoFile.parentFile.mkdirs()
Files.copy(new File(signed, 'vendor-tool-2.0-1.noarch.rpm').toPath(), repoFile.toPath(), StandardCopyOption.REPLACE_EXISTING)
copy(new File(signed, 'vendor-arm-1.0-1.aarch64.rpm'), 'wrong-arch/vendor/vendor-arm-1.0-1.aarch64.rpm')
copy(new File(signed, 'libvendor-1.0-1.x86_64.rpm'), 'wrong-nevra/vendor/libvendor-1.0-1.x86_64.rpm')
copy(new File(out, 'stranger/vendor-tool-2.0-1.noarch.rpm'), 'other-key/vendor/vendor-tool-2.0-1.noarch.rpm')
copy(new File(out, 'unsigned/vendor-tool-2.0-1.noarch.rpm'), 'unsigned/vendor/vendor-tool-2.0-1.noarch.rpm')
copy(new File(signed, 'vendor-tool-2.0-1.noarch.rpm'), 'both-spec/vendor/vendor-tool-2.0-1.noarch.rpm')
['other-key', 'unsigned'].each { copy(new File(out, 'vendor.asc'), "${it}/vendor.asc") }
return true
