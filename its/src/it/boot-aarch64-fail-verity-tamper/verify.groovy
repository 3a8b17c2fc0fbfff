// aarch64: a byte of /sbin/init flipped inside ROOT-A: dm-verity stops the boot under AAVMF and twoliter:run says so.
return evaluate(new File(itSupport, 'verity-tamper.groovy')).check(binding, 'boot-aarch64-fail-verity-tamper',
        ["-Dmaven.repo.local=${new File(basedir, 'target/m2')}".toString(), '-Dtwoliter.arch=aarch64'],
        ['qemu-system-aarch64 '])
