// Untag the alias first: it is only a second name of the SDK image in the main engine.
['docker', 'rmi', 'twoliter-sdk:its-one-engine'].execute().waitFor()

def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 3 : "expected 3 runs, found ${runs.size()}"

// 1: four packages, two build threads, two engines: every step says where it runs, and both engines ran some.
def placed = (runs[0] =~ /twoliter: step '([^']+)' runs on Docker at (unix:\/\/\/\S+)/).collect { [it[1], it[2]] }
assert placed.size() == 4 : "expected one step per module, found ${placed}"
assert placed.collect { it[1] }.toSet() == ['unix:///var/run/docker.sock', 'unix:///run/twoliter-docker-2.sock'].toSet() :
        "steps did not run on both engines: ${placed}"
assert runs[0].contains('BUILD SUCCESS')
// The summary line at the end counts each engine's steps and their time in containers.
assert runs[0] =~ /twoliter: 4 modules: 4 built, 0 restored from the remote cache, 0 up to date; time in containers: unix:\/\/\/run\/twoliter-docker-2\.sock \d+\.\d s \(\d steps?\), unix:\/\/\/var\/run\/docker\.sock \d+\.\d s \(\d steps?\)/
['alpha', 'beta', 'gamma', 'delta'].each { m ->
    assert new File(basedir, "${m}/target/rpms/${m}-1.0-1.noarch.rpm").isFile() : "no RPM of ${m}"
}

// 2: an image only the main engine has: the message names the other engine and how to copy the image.
assert runs[1].contains("Docker engine unix:///run/twoliter-docker-2.sock: SDK image twoliter-sdk:its-one-engine is not" +
        " there, but Docker engine unix:///var/run/docker.sock has it (sha256:")
assert runs[1].contains('`docker -H unix:///var/run/docker.sock save twoliter-sdk:its-one-engine | docker -H' +
        ' unix:///run/twoliter-docker-2.sock load`')
assert !runs[1].contains('runs on Docker at') : 'a step started although the engines disagree'

// 3: one engine and several engines at once.
assert runs[2].contains("Both twoliter.dockerHost ('unix:///var/run/docker.sock') and twoliter.dockerHosts" +
        " ('unix:///var/run/docker.sock,unix:///run/twoliter-docker-2.sock') are set; set only one")
return true
