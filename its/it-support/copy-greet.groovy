// Shared by the ITs that build a copy of examples/greet (setup-5-build-cache and the cache-remote-*
// ITs): loaded with evaluate() from their prebuild.groovy. Copies the example (sources only: no
// target/, no build logs or invoker files) to greet/ and points the build at the remote cache through .mvn/maven.config.
import java.nio.file.*
def copyGreet(File basedir, String examplesDir, String repoUrl, String cachePath, List<String> flags) {
    Path source = Paths.get(examplesDir).resolve('greet').normalize()
    Path target = basedir.toPath().resolve('greet')
    assert Files.isDirectory(source) : "no greet example at $source"
    Files.walk(source).withCloseable { paths ->
        paths.each { Path p ->
            Path relative = source.relativize(p)
            def names = relative.collect { it.toString() }
            if (names.contains('target') || (names.size() == 1 && (names[0] in ['build.log', 'invoker.properties', 'selector.groovy', 'verify.groovy']
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
