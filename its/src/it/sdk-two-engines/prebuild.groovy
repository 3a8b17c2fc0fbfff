// The second engine comes from .ci/second-engine (run by .ci/setup); an alias of the SDK image that
// only the main engine has, for the second run.
def secondEngine = 'unix:///run/twoliter-docker-2.sock'
def run = { List<String> cmd ->
    def p = new ProcessBuilder(cmd*.toString()).redirectErrorStream(true).start()
    def out = p.inputStream.text
    [p.waitFor(), out.trim()]
}
def (answered, info) = run(['docker', '-H', secondEngine, 'version', '--format', '{{.Server.Version}}'])
assert answered == 0 : "no second Docker engine at ${secondEngine} (${info}); start it with .ci/second-engine"
def (inspected, ids) = run(['docker', '-H', secondEngine, 'image', 'inspect', '--format', '{{.Id}}', sdkImage])
def (mainInspected, mainId) = run(['docker', 'image', 'inspect', '--format', '{{.Id}}', sdkImage])
assert inspected == 0 && ids == mainId : "the second engine lacks ${sdkImage} as the main engine has it (${mainId}): run .ci/second-engine"
def (tagged, tagOut) = run(['docker', 'tag', sdkImage, 'twoliter-sdk:its-one-engine'])
assert tagged == 0 : tagOut
// Never in the second engine, whatever an earlier run left.
run(['docker', '-H', secondEngine, 'rmi', 'twoliter-sdk:its-one-engine'])
return true
