def manifest = new File(repoData, 'releases/com/example/vendor/bridge-kit/1.0.0/bridge-kit-1.0.0.kit.toml').text
assert manifest.contains('[[kit-dependency]]') && manifest.contains('artifact-id = "vendor-kit"') && manifest.contains('version = "2.0.0"')
