// The repository server outlives a run of the ITs: start from an empty update repository.
new File(repoData, 'it-boot-updates-uki').deleteDir()
// The snakeoil db key and certificate of Debian's ovmf (OVMF's snakeoil variable store trusts them).
return evaluate(new File(itSupport, 'snakeoil-keys.groovy')).copy(new File(basedir, 'keys'), sdkImage,
        '/usr/share/ovmf')
