// A byte of /sbin/init flipped inside ROOT-A: dm-verity stops the boot and twoliter:run says so.
return evaluate(new File(itSupport, 'verity-tamper.groovy')).check(binding, 'boot-fail-verity-tamper',
        ["-Dmaven.repo.local=${localRepositoryPath}".toString()], [])
