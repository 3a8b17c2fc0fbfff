// The manifest disappears from the server; POM and payload stay.
def dir = new File(repoData, 'releases/com/example/vendor/lost-kit/1.0.0')
assert new File(dir, 'lost-kit-1.0.0-x86_64.tar').isFile()
dir.listFiles().findAll { it.name.startsWith('lost-kit-1.0.0.kit.toml') }.each { assert it.delete() }
return true
