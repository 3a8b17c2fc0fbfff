// The repository server outlives a run of the ITs: start from an empty update repository.
new File(repoData, 'it-boot-aarch64-updates').deleteDir()
evaluate(new File(itSupport, 'aarch64-kits.groovy')).install(aarch64Kits, new File(basedir, 'target/m2'))
return true
