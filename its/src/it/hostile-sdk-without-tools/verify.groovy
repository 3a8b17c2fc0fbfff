def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3 : "expected 3 runs, found ${runs.size()}"
assert runs[0].contains("SDK image twoliter-sdk:its-no-bash cannot run step 'com.example.hostile-hostile-sdk-without-tools': Docker at unix:///var/run/docker.sock refused to start it (")
assert runs[0].contains('An SDK image must provide /bin/bash and the tools listed in docs/sdk-contract.md.')
assert runs[1].contains("SDK image twoliter-sdk:its-no-rpmbuild lacks a tool that step 'com.example.hostile-hostile-sdk-without-tools' needs: rpmbuild.")
assert runs[2].contains('BUILD SUCCESS')
// No container of these builds is left behind.
assert ['docker', 'ps', '-aq', '--filter', 'name=twoliter-com.example.hostile-hostile-sdk-without-tools-'].execute().text.trim().isEmpty()
['docker', 'rmi', 'twoliter-sdk:its-no-bash', 'twoliter-sdk:its-no-rpmbuild'].execute().waitFor()
return true
