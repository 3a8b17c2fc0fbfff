// A cache of its own, empty, written by the first build.
new File(repoData, 'build-cache-signed').deleteDir()
evaluate(new File(basedir, '../../../cache-it/copy-greet.groovy')).copyGreet(basedir, repoUrl, 'build-cache-signed',
        ['-Dtwoliter.cache.write=true'])
return true
