// Global settings whose mirror stands in for vendor-repo, the repository the POM names (unreachable).
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/mirror-settings.xml').text = """<settings>
  <mirrors>
    <mirror><id>its-repo</id><mirrorOf>vendor-repo</mirrorOf><url>${repoUrl}/releases</url></mirror>
  </mirrors>
</settings>
"""
return true
