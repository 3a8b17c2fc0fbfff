// Another machine: a fresh copy, an empty local repository and kit cache (invoker.properties), reading only.
evaluate(new File(basedir, '../../../cache-it/copy-greet.groovy')).copyGreet(basedir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.images=true'])
new File(basedir, 'started-at').text = Long.toString(System.currentTimeMillis().intdiv(1000) - 1)
return true
