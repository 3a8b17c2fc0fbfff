// Another machine: a fresh copy, an empty local repository and kit cache (invoker.properties), reading only.
evaluate(new File(basedir, '../../../cache-it/copy-greet.groovy')).copyGreet(basedir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.images=true'])
// From this moment (Docker takes fractional seconds): the previous IT's containers were created before it.
long now = System.currentTimeMillis()
new File(basedir, 'started-at').text = String.format('%d.%03d', now.intdiv(1000), now % 1000)
return true
