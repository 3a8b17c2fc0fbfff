def log = new File(basedir, 'build.log').text
assert log.contains('Docker is not reachable at unix:///tmp/twoliter-its-no-docker.sock')
assert log.contains('Start the Docker engine')
def seconds = (log =~ /Total time:\s+([0-9.]+) s/)[0][1] as double
assert seconds < 10 : "took ${seconds} s"
