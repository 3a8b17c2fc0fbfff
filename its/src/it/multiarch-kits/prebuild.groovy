// The consumers are separate projects, not modules: put the plugin version and the repository URL
// into their POMs as invoker does for the reactor's.
def pluginVersion = new groovy.xml.XmlSlurper().parse(new File(basedir, 'pom.xml')).properties.'its.pluginVersion'.text()
assert pluginVersion && !pluginVersion.contains('@')
['consumer-x86', 'consumer-arm'].each {
    def pom = new File(basedir, "${it}/pom.xml")
    pom.text = pom.text.replace('@project.version@', pluginVersion).replace('@repo.url@', repoUrl)
}
return true
