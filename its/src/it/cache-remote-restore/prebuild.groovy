// Another machine: a fresh copy, an empty local repository and kit cache (invoker.properties), reading only.
evaluate(new File(itSupport, 'copy-greet.groovy')).copyGreet(basedir, examplesDir, repoUrl, 'build-cache',
        ['-Dtwoliter.cache.images=true'])
return true
