// setup-4-signed-vendor: the generated key, the signed and unsigned kits on the server, checked with gpg.
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 2

// 1. generate-keys: a protected secret key readable only by its owner, the public key, the POM snippets.
def secret = new File(basedir, 'keys/kit-signing-key.asc')
def pub = new File(basedir, 'keys/kit-signing-key.pub.asc')
assert secret.text.startsWith('-----BEGIN PGP PRIVATE KEY BLOCK-----')
assert pub.text.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')
assert java.nio.file.Files.getPosixFilePermissions(secret.toPath()).collect { it.toString() }.sort() == ['OWNER_READ', 'OWNER_WRITE']
def fingerprint = (runs[0] =~ /Wrote the kit signing key ([0-9A-F]{40}) and/)[0][1]
assert runs[0].contains('<kitSigningKey>' + secret.canonicalPath + '</kitSigningKey>')
assert new File(basedir, 'keys/root-hash-signing.key').text.contains('BEGIN ENCRYPTED PRIVATE KEY')
assert new File(basedir, 'keys/root-hash-signing.crt').text.contains('BEGIN CERTIFICATE')
['pk', 'kek', 'db'].each {
    assert new File(basedir, "keys/secure-boot-${it}.crt").text.contains('BEGIN CERTIFICATE')
    assert new File(basedir, "keys/secure-boot-${it}.key").text.contains('BEGIN ENCRYPTED PRIVATE KEY')
}
assert new File(basedir, 'keys/secure-boot-owner.guid').text.trim() ==~ /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
assert runs[0].contains('<trustedKitKey><groupId>com.example.signed</groupId><keyFile>keys/kit-signing-key.pub.asc</keyFile>')
assert !runs[0].contains('have no passphrase') : 'the key should be protected by the passphrase from the environment'

// 2. deploy: two kits signed with that key (passphrase from settings.xml), one unsigned, the passphrase in no log.
assert runs[1].contains("com.example.signed:signed-kit: kit manifest signed by key ${fingerprint}")
assert runs[1].contains("com.example.signed:altered-kit: kit manifest signed by key ${fingerprint}")
assert runs[1].contains('com.example.signed:unsigned-kit: the kit is not signed (no twoliter.kitSigningKey)')
assert !log.contains('it-Passphrase-7f3b')
def releases = new File(repoData, 'releases/com/example/signed')
['signed-kit', 'altered-kit'].each { kit ->
    def dir = new File(releases, "${kit}/1.0.0")
    def manifest = new File(dir, "${kit}-1.0.0.kit.toml")
    def signature = new File(dir, "${kit}-1.0.0.kit.toml.sig")
    assert signature.isFile() && new File(dir, "${kit}-1.0.0.kit.toml.sig.sha1").isFile()
    assert signature.length() < 1024
    // gpg, knowing only the public key, accepts the signature: the format is plain OpenPGP.
    // A short path: gpg-agent's sockets go into the home, and a socket path has at most 107 bytes
    // (the IT's own directory can be deep enough to pass that).
    def home = java.nio.file.Files.createTempDirectory('twoliter-its-gnupg').toFile()
    home.setReadable(false, false); home.setReadable(true, true); home.setExecutable(true, true)
    def run = { List<String> command ->
        def process = new ProcessBuilder(command).redirectErrorStream(true).start()
        def output = process.inputStream.text
        [process.waitFor(), output]
    }
    try {
        def (importExit, importOutput) = run(['gpg', '--batch', '--homedir', home.path, '--import', pub.path])
        assert importExit == 0 : importOutput
        def (verifyExit, status) = run(['gpg', '--batch', '--homedir', home.path, '--status-fd', '1', '--verify', signature.path, manifest.path])
        assert verifyExit == 0 : status
        assert status.contains("[GNUPG:] VALIDSIG") && status.contains(fingerprint) : status
    } finally {
        run(['gpgconf', '--homedir', home.path, '--kill', 'all'])
        home.deleteDir()
    }
}
def unsigned = new File(releases, 'unsigned-kit/1.0.0')
assert new File(unsigned, 'unsigned-kit-1.0.0.kit.toml').isFile()
assert !new File(unsigned, 'unsigned-kit-1.0.0.kit.toml.sig').exists()
assert !new File(basedir, 'kits/unsigned-kit/target/unsigned-kit-1.0.0.kit.toml.sig').exists()
return true
