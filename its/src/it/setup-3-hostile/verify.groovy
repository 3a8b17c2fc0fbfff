assert new File(repoData, 'releases/com/example/vendor/evil-kit/1.0.0/evil-kit-1.0.0-x86_64.tar').isFile()
assert new File(repoData, 'releases/com/example/vendor/link-kit/1.0.0/link-kit-1.0.0.kit.toml').isFile()
