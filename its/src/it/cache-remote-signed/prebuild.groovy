// A cache of its own, empty, written by the first build.
new File(repoData, 'build-cache-signed').deleteDir()
evaluate(new File(itSupport, 'copy-greet.groovy')).copyGreet(basedir, examplesDir, repoUrl, 'build-cache-signed',
        ['-Dtwoliter.cache.write=true'])
return true
