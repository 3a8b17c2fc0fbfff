// The cache starts empty (the repository server's data outlives a run without `mvn clean`).
['build-cache', 'build-cache-tampered'].each { new File(repoData, it).deleteDir() }
evaluate(new File(itSupport, 'copy-greet.groovy')).copyGreet(basedir, examplesDir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.write=true', '-Dtwoliter.cache.images=true'])
return true
