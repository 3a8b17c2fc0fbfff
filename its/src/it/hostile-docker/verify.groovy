def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 5 : "expected 5 runs, found ${runs.size()}"
// The hanging endpoint fails within the connect timeout, not never.
assert runs[0] =~ /Docker is not reachable at tcp:\/\/127\.0\.0\.1:\d+ \(no answer within 2 s \(twoliter\.dockerConnectTimeoutSeconds\)\)/
assert runs[1].contains("Docker host 'foo://bar' is not a Docker endpoint URL (unix:///var/run/docker.sock or tcp://host:port)")
assert runs[2].contains('Docker is not reachable at unix:///nonexistent/docker.sock (')
assert runs[3].contains('twoliter.dockerReadTimeoutSeconds is 0; use a value from 1 to 3600.')
assert runs[4].contains('BUILD SUCCESS')
return true
