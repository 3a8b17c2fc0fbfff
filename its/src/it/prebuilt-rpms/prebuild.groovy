import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.security.MessageDigest

def copy = { File from, File to ->
    to.parentFile.mkdirs()
    Files.copy(from.toPath(), to.toPath(), StandardCopyOption.REPLACE_EXISTING)
}

def out = evaluate(new File(itSupport, 'vendor-ci.groovy')).make(binding)
def signed = new File(out, 'signed')

// Module files and the vendor's key.
['libvendor-1.0-1.x86_64.rpm', 'libvendor-devel-1.0-1.x86_64.rpm'].each {
    copy(new File(signed, it), new File(basedir, "agent/vendor/${it}"))
}
copy(new File(out, 'vendor.asc'), new File(basedir, 'agent/vendor.asc'))

// A download on the loopback server, pinned by its sha512 (new each run, so handed to Maven here).
def tool = new File(signed, 'vendor-tool-2.0-1.noarch.rpm')
copy(tool, new File(repoData, 'prebuilt-rpms/vendor-tool-2.0-1.noarch.rpm'))
def sha512 = MessageDigest.getInstance('SHA-512').digest(tool.bytes).encodeHex().toString()
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Dprebuilt.toolSha512=${sha512}\n"

// A Maven artifact, installed into the ITs' local repository as `mvn install:install-file` would.
def artifactDir = new File(localRepositoryPath, 'com/example/vendor/vendor-doc/3.0')
artifactDir.deleteDir()
copy(new File(signed, 'vendor-doc-3.0-1.noarch.rpm'), new File(artifactDir, 'vendor-doc-3.0.rpm'))
new File(artifactDir, 'vendor-doc-3.0.pom').text = '''<project><modelVersion>4.0.0</modelVersion>
<groupId>com.example.vendor</groupId><artifactId>vendor-doc</artifactId><version>3.0</version><packaging>rpm</packaging></project>
'''
// The same file under another version: an artifact twoliter.lock does not pin.
def otherDir = new File(localRepositoryPath, 'com/example/vendor/vendor-doc/3.0.1')
otherDir.deleteDir()
copy(new File(signed, 'vendor-doc-3.0-1.noarch.rpm'), new File(otherDir, 'vendor-doc-3.0.1.rpm'))
new File(otherDir, 'vendor-doc-3.0.1.pom').text = new File(artifactDir, 'vendor-doc-3.0.pom').text.replace('<version>3.0<', '<version>3.0.1<')
new File(basedir, 'twoliter.lock').delete()
return true
