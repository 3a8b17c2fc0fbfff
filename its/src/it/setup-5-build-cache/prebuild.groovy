// The cache starts empty (the repository server's data outlives a run without `mvn clean`).
['build-cache', 'build-cache-tampered'].each { new File(repoData, it).deleteDir() }
evaluate(new File(basedir, '../../../cache-it/copy-greet.groovy')).copyGreet(basedir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.write=true', '-Dtwoliter.cache.images=true'])
return true
