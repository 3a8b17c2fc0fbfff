def log = new File(basedir, 'build.log').text
assert log.contains('Docker is not reachable at unix:///tmp/twoliter-its-no-docker.sock')
assert log.contains('Start the Docker engine')
// Failed at once, not after a timeout: both Docker timeouts are 300 s here (invoker.properties), far
// more than a build that fails at once takes even on a busy machine.
def seconds = (log =~ /Total time:\s+([0-9.:]+) (s|min)/)[0]
assert seconds[2] == 's' && (seconds[1] as double) < 120 : "took ${seconds[0]}"
assert !log.contains('no answer within') && !log.contains('no connection within')
