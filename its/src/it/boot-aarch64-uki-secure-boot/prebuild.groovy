// The aarch64 kits into the IT's own local repository, and the snakeoil db key and certificate of
// Debian's qemu-efi-aarch64 (AAVMF_VARS.snakeoil.fd trusts them).
evaluate(new File(itSupport, 'aarch64-kits.groovy')).install(aarch64Kits, new File(basedir, 'target/m2'))
return evaluate(new File(itSupport, 'snakeoil-keys.groovy')).copy(new File(basedir, 'keys'), sdkImage,
        '/usr/share/qemu-efi-aarch64')
