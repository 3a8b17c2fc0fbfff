def log = new File(basedir, 'build.log').text
assert log.contains('SDK image twoliter-sdk:0.0.0-its-missing is not in the local Docker engine.')
assert log.contains('sdk/build-offline.sh')
assert log.contains('Nothing is pulled unless you pass -Dtwoliter.pullSdk=true')
def seconds = (log =~ /Total time:\s+([0-9.]+) s/)[0][1] as double
assert seconds < 10 : "took ${seconds} s"
// Nothing was pulled.
def images = ['docker', 'images', '-q', 'twoliter-sdk:0.0.0-its-missing'].execute().text.trim()
assert images.isEmpty()
