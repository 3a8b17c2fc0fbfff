// The boot-aarch64-* ITs: the example kernel and core kits built for aarch64, from the Maven local
// repository its.aarch64KitsRepository (script variable aarch64Kits; by default the example kits'
// own repository, whose kits list x86_64 and aarch64). A kit version carries the arches it was built
// for (kit.toml's arches): where they lack aarch64 (kits built with -Dtwoliter.arch=x86_64) these ITs
// have nothing to boot and are skipped.
//   available(aarch64Kits): whether both kits there have an aarch64 payload
//   install(aarch64Kits, localRepository): copies both kits into the IT's own local repository
//     (the ITs run with -Dmaven.repo.local=target/m2: a repository named with its.aarch64KitsRepository
//     may hold other builds of the same coordinates than the module's shared one)
class Aarch64Kits {
    static final List<String> KITS = ['com/example/kernel/kernel-kit/1.0.0/kernel-kit-1.0.0.kit.toml',
                                      'com/example/core/core-kit/1.0.0/core-kit-1.0.0.kit.toml']

    static boolean available(Object repository) {
        if (repository == null || repository.toString().isEmpty()) {
            return false
        }
        return KITS.every { path ->
            def toml = new File(repository.toString(), path)
            toml.isFile() && toml.text =~ /(?m)^arches = \[.*"aarch64".*\]/
        }
    }

    static void install(Object repository, File localRepository) {
        assert available(repository) : "no aarch64 example kits in ${repository}"
        // Whole groups: each kit's POM has the example's parent POM, and its modules beside it.
        ['com/example/kernel', 'com/example/core'].each { group ->
            def from = new File(repository.toString(), group).toPath()
            def to = new File(localRepository, group).toPath()
            java.nio.file.Files.walk(from).withCloseable { paths ->
                paths.each { p ->
                    def target = to.resolve(from.relativize(p).toString())
                    if (java.nio.file.Files.isDirectory(p)) {
                        java.nio.file.Files.createDirectories(target)
                    } else {
                        java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
                    }
                }
            }
        }
    }
}
return Aarch64Kits
