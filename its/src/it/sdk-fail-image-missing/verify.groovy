def log = new File(basedir, 'build.log').text
assert log.contains('SDK image twoliter-sdk:0.0.0-its-missing is not in the local Docker engine.')
assert log.contains('sdk/build-offline.sh')
assert log.contains('Nothing is pulled unless you pass -Dtwoliter.pullSdk=true')
// Failed at once, not after a timeout: both Docker timeouts are 300 s here (invoker.properties), far
// more than a build that fails at once takes even on a busy machine.
def seconds = (log =~ /Total time:\s+([0-9.:]+) (s|min)/)[0]
assert seconds[2] == 's' && (seconds[1] as double) < 120 : "took ${seconds[0]}"
// Nothing was pulled.
def images = ['docker', 'images', '-q', 'twoliter-sdk:0.0.0-its-missing'].execute().text.trim()
assert images.isEmpty()
