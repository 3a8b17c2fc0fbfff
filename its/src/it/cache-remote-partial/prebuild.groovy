// A third checkout where motd's text changed: motd, the kit that holds it and the image are built.
evaluate(new File(itSupport, 'copy-greet.groovy')).copyGreet(basedir, examplesDir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.images=true'])
// The login message's template (a settings template: text after its body stays a valid template).
def motd = new File(basedir, 'greet/packages/motd/issue.template')
motd.text = motd.text + 'Changed on the third machine.\n'
// This machine reaches the cache only through a settings.xml mirror: the configured URL is a closed port.
new File(basedir, '.mvn/maven.config').text = ['-Dtwoliter.cache.url=http://127.0.0.1:9/unreachable-cache',
        '-Dtwoliter.cache.serverId=greet-cache', '-Dtwoliter.cache.images=true'].join('\n') + '\n'
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/mirror-settings.xml').text = """<settings>
  <mirrors>
    <mirror>
      <id>greet-cache-mirror</id>
      <mirrorOf>greet-cache</mirrorOf>
      <url>${repoUrl}/build-cache</url>
    </mirror>
  </mirrors>
</settings>
"""
return true
