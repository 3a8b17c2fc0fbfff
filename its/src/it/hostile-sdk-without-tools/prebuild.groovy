// Two broken SDK images, made locally (no registry): one with the labels and nothing else, one that
// is the real SDK minus rpmbuild.
def run = { List<String> cmd ->
    def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
    def out = p.inputStream.text
    assert p.waitFor() == 0 : "${cmd}: ${out}"
    out.trim()
}
def tar = new File(basedir, 'target/empty-root.tar')
tar.parentFile.mkdirs()
run(['bash', '-c', "mkdir -p '${basedir}/target/empty-root/etc' && echo sdk > '${basedir}/target/empty-root/etc/hostname' && tar -C '${basedir}/target/empty-root' -cf '${tar}' ."])
run(['docker', 'import',
     '--change', 'LABEL dev.twoliter.sdk.contract=1',
     '--change', 'LABEL dev.twoliter.sdk.arches=x86_64',
     '--change', 'LABEL dev.twoliter.sdk.macros.x86_64=/usr/share/twoliter/macros/x86_64.macros',
     tar.path, 'twoliter-sdk:its-no-bash'])
['docker', 'rm', '-f', 'twoliter-its-no-rpmbuild'].execute().waitFor()
run(['docker', 'run', '--name', 'twoliter-its-no-rpmbuild', '--network', 'none', sdkImage,
     'bash', '-c', 'rm -f "$(command -v rpmbuild)"'])
run(['docker', 'commit', 'twoliter-its-no-rpmbuild', 'twoliter-sdk:its-no-rpmbuild'])
run(['docker', 'rm', 'twoliter-its-no-rpmbuild'])
return true
