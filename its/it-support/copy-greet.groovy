// Shared by the cache-remote-* ITs (and setup-5-build-cache): loaded with evaluate() from their prebuild.groovy.
// Copies examples/greet (sources only: no target/, no invoker files) to greet/ and points the build
// at the remote cache through .mvn/maven.config.
import java.nio.file.*
def copyGreet(File basedir, String repoUrl, String cachePath, List<String> flags) {
    Path source = basedir.toPath().resolve('../../../../examples/greet').normalize()
    Path target = basedir.toPath().resolve('greet')
    assert Files.isDirectory(source) : "no greet example at $source"
    Files.walk(source).withCloseable { paths ->
        paths.each { Path p ->
            Path relative = source.relativize(p)
            def names = relative.collect { it.toString() }
            if (names.contains('target') || (names.size() == 1 && (names[0] in ['build.log', 'invoker.properties', 'verify.groovy']
                    || names[0].startsWith('interpolated-')))) {
                return
            }
            Path copy = target.resolve(relative.toString())
            if (Files.isDirectory(p)) { Files.createDirectories(copy) } else { Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING) }
        }
    }
    def config = ["-Dtwoliter.cache.url=${repoUrl}/${cachePath}", '-Dtwoliter.cache.serverId=its-repo'] + flags
    Files.createDirectories(basedir.toPath().resolve('.mvn'))
    new File(basedir, '.mvn/maven.config').text = config.join('\n') + '\n'
}
return this
